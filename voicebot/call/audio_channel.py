"""The audio side of a call: source -> conversion -> endpointer + recognizer + DTMF; TTS -> sink.

Playback runs in lockstep with the incoming audio (one incoming chunk paces one outgoing chunk of
the same length, as on a telephone line), so the caller's speech during a prompt is heard at once
and stops playback (barge-in). Blocking engines run in worker threads.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from voicebot.asr.types import AsrResult, Recognizer
from voicebot.audio.chunk import AudioChunk
from voicebot.audio.dtmf import DtmfDetector
from voicebot.call.caller_audio import CHUNK_MS, CallerAudio, CallerSource
from voicebot.call.errors import AsrStageError, AudioStageError, TtsStageError
from voicebot.call.hypotheses import pick_hypothesis
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec, keys_done
from voicebot.call.ports import CallerInput, Spoken
from voicebot.transport.media import CallInfo, MediaPort, Playing, TransportKind

log = logging.getLogger(__name__)

PREROLL_CHUNKS = 15
"""Chunks before detected speech start that still go to the recognizer (300 ms)."""
ASR_BATCH_BYTES = 3200
"""Audio handed to the recognizer per worker-thread hop (100 ms at 16 kHz)."""
MAX_EARLY_REDOS = 2
"""Early finals voided by the caller going on, after which an utterance (a long message with
pauses) waits for its end: each one cost a decode of the utterance so far."""


class Sink(Protocol):
    """Where the bot's audio goes (speaker, WAV file, nowhere)."""

    async def write(self, chunk: AudioChunk) -> None:
        """Play or store one chunk."""
        ...

    async def stop(self) -> None:
        """Drop anything still queued for playback (barge-in)."""
        ...


class TurnEndpointer(Protocol):
    """Voice activity per chunk: ``start`` of speech, ``end`` of the utterance, ``no_input``,
    and optionally ``pause`` (a silence that may end the utterance) and ``resume``."""

    def feed(self, chunk: AudioChunk) -> str | None:
        """The event this chunk completes, if any."""
        ...


EndpointerFactory = Callable[[str], TurnEndpointer]
"""Makes an endpointer for ``listen`` (end of utterance, no input) or ``barge_in`` (start only)."""


class _NoSink:
    """Playback that goes through a media port instead."""

    async def write(self, chunk: AudioChunk) -> None:
        """Nothing to write."""

    async def stop(self) -> None:
        """Nothing to stop."""


def _drop_result(task: asyncio.Task[AsrResult]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("recognition of speech the caller keyed over failed: %s", task.exception())


class AudioChannel:
    """One call's audio: own recognizers and detectors over the line's shared models."""

    def __init__(self, line: Line, source: CallerSource, sink: Sink | None,
                 endpointer: EndpointerFactory, *, info: CallInfo | None = None,
                 play: Callable[[list[AudioChunk]], Playing] | None = None) -> None:
        if line.recognizer_for is None or line.synthesizer is None:
            raise AudioStageError("the line was loaded without speech engines", "audio.no_engines")
        self._info = info or CallInfo("audio", codec="pcm", transport=TransportKind.AUDIO)
        self._line = line
        self._rate = line.settings.sample_rate
        self._input = CallerAudio(source, self._rate)
        self._sink: Sink = sink or _NoSink()
        self._play = play
        self._pending: asyncio.Future[AudioChunk | None] | None = None
        self._endpointer = endpointer
        self._carry: list[AudioChunk] = []
        self._carry_keys = ""
        self._recognizers: dict[str, Recognizer] = {}
        self._dtmf = DtmfDetector(self._rate)
        self._swallow_hash = False

    @classmethod
    def on_port(cls, line: Line, port: MediaPort, endpointer: EndpointerFactory
                ) -> AudioChannel:
        """A call on a transport's media port: its events in, its clock-paced playback out
        (pipeline-format chunks; the transport encodes them)."""
        return cls(line, port.events(), None, endpointer, info=port.info, play=port.play)

    @property
    def info(self) -> CallInfo:
        """Who is calling, from the transport."""
        return self._info

    # -- input -----------------------------------------------------------------------------------
    def _cue(self, state: str) -> None:
        cue = getattr(self._input.source, "cue", None)
        if callable(cue):
            cue(state)

    async def _next(self) -> AudioChunk | None:
        if self._pending is not None:
            read, self._pending = self._pending, None
            return await read
        return await self._input.next()

    def _recognizer(self, language: str) -> Recognizer:
        rec = self._recognizers.get(language)
        if rec is None:
            assert self._line.recognizer_for is not None
            rec = self._line.recognizer_for(language)
            self._recognizers[language] = rec
        return rec

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """Endpoint, recognize and detect keys until the caller's turn is complete."""
        self._cue("listen")
        try:
            rec = self._recognizer(spec.language)
            rec.set_grammar(spec.grammar)
        except Exception as exc:
            raise AsrStageError(f"cannot prepare recognition: {exc}",
                                getattr(exc, "code", None)) from exc
        vad = self._endpointer("listen")
        dtmf = self._dtmf
        pending = list(self._carry)
        self._carry = []
        keys, self._carry_keys = self._carry_keys, ""
        preroll: deque[AudioChunk] = deque(maxlen=PREROLL_CHUNKS)
        speech = bytearray()
        batch = bytearray()
        started = False
        early: asyncio.Task[AsrResult] | None = None  # the final, started at a pause
        redone = 0
        ep_ms = asr_ms = 0.0
        since_key_ms = 0.0
        while True:
            chunk = pending.pop(0) if pending else await self._next()
            if chunk is None:
                if keys:
                    return self._keys(keys)
                if started:
                    break
                return CallerInput("hung_up", ended_at=time.perf_counter())
            t0 = time.perf_counter()
            new = self._input.take_keys() + "".join(d.digit for d in dtmf.feed(chunk))
            if self._swallow_hash and not keys and new.startswith("#"):
                new = new[1:]  # the "#" after an entry that was complete at its last digit
            if new:
                self._swallow_hash = False
            if new or keys:
                keys += new
                since_key_ms = 0.0 if new else since_key_ms + chunk.duration_ms
                if keys_done(keys, spec, since_key_ms):
                    self._swallow_hash = not keys.endswith("#")
                    if early is not None:  # keys won over the speech: nobody waits for it
                        early.add_done_callback(_drop_result)
                    return self._keys(keys)
                continue
            event = vad.feed(chunk)
            ep_ms = 1000 * (time.perf_counter() - t0)
            if not started:
                preroll.append(chunk)
                if event != "start" and event != "end":
                    if event == "no_input":
                        return CallerInput("no_input", ended_at=time.perf_counter())
                    continue
                started = True
                for c in preroll:
                    speech += c.audio
                batch += speech
            else:
                speech += chunk.audio
                if early is None:  # after a pause the audio waits: the recognizer is finishing
                    batch += chunk.audio
            if event == "pause" and early is None and redone < MAX_EARLY_REDOS:
                # The caller may be done: finish recognition now, while the endpointer waits out
                # the rest of the silence, so the answer is ready when the utterance ends.
                if batch:
                    asr_ms += await self._accept(rec, bytes(batch))
                    batch.clear()
                early = asyncio.create_task(self._finish(rec))
            elif event == "resume" and early is not None:
                await early  # the guess is void; the recognizer starts the utterance afresh
                early, redone = None, redone + 1
                batch = bytearray(speech)
            if early is None and len(batch) >= ASR_BATCH_BYTES:
                asr_ms += await self._accept(rec, bytes(batch))
                batch.clear()
            if event == "end":
                break
        ended_at = time.perf_counter()
        t1 = time.perf_counter()
        if early is not None:
            result = await early
        else:
            if batch:
                await self._accept(rec, bytes(batch))
            result = await self._finish(rec)
        asr_final = 1000 * (time.perf_counter() - t1)
        text = pick_hypothesis(result, spec)
        return CallerInput("speech", text=text, alternatives=result.alternatives,
                           confidence=result.confidence,
                           doubtful=result.doubtful or (  # a lower reading had to be taken
                               spec.digit_range is not None and text != result.text),
                           pcm=bytes(speech), rate=self._rate,
                           ended_at=ended_at,
                           timings={"endpoint": ep_ms, "asr": asr_final,
                                    "asr_stream": asr_ms, "asr_early": float(early is not None),
                                    "asr_redone": float(redone)})

    @staticmethod
    def _keys(keys: str) -> CallerInput:
        return CallerInput("keys", keys=keys, ended_at=time.perf_counter())

    async def _accept(self, rec: Recognizer, pcm: bytes) -> float:
        t0 = time.perf_counter()
        try:
            await asyncio.to_thread(rec.accept, pcm)
        except Exception as exc:
            raise AsrStageError(f"recognizer failed: {exc}", getattr(exc, "code", None)) from exc
        return 1000 * (time.perf_counter() - t0)

    async def _finish(self, rec: Recognizer) -> AsrResult:
        try:
            # Speech outside a grammar comes back as an empty final from the engine itself.
            return await asyncio.to_thread(rec.finish)
        except Exception as exc:
            raise AsrStageError(f"recognizer failed: {exc}", getattr(exc, "code", None)) from exc

    # -- output ----------------------------------------------------------------------------------
    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Synthesize (cached) and play ``text``, stopping if the caller barges in."""
        t0 = time.perf_counter()
        synth = self._line.synthesizer
        assert synth is not None
        try:
            audio = await asyncio.to_thread(synth.synthesize, text, language)
        except Exception as exc:
            raise TtsStageError(f"cannot synthesize: {exc}", getattr(exc, "code", None)) from exc
        tts_ms = 1000 * (time.perf_counter() - t0)
        self._cue("speak")
        vad = self._endpointer("barge_in") if barge_in else None
        if self._play is not None:
            return await self._say_paced(audio, vad, tts_ms)
        recent: deque[AudioChunk] = deque(maxlen=PREROLL_CHUNKS)
        data, pos, first = audio.audio, 0, None
        while pos < len(data):
            mic = await self._next()
            n = len(mic.audio) if mic is not None else CHUNK_MS * self._rate // 1000 * 2
            piece = AudioChunk(data[pos:pos + n], self._rate, 2, 1)
            pos += n
            try:
                await self._sink.write(piece)
            except Exception as exc:
                raise AudioStageError(f"cannot play audio: {exc}",
                                      getattr(exc, "code", None)) from exc
            first = first or time.perf_counter()
            if mic is not None and self._barges_in(mic, vad, recent):
                return await self._barged(first, tts_ms)
        return Spoken(False, first, tts_ms)

    def _barges_in(self, mic: AudioChunk, vad: TurnEndpointer | None,
                   recent: deque[AudioChunk]) -> bool:
        """Whether this chunk of the caller's audio (or a key) interrupts the prompt; what
        interrupted it is kept for the next ``hear``."""
        keys = self._input.take_keys() + "".join(d.digit for d in self._dtmf.feed(mic))
        if self._swallow_hash and keys.startswith("#"):
            keys, self._swallow_hash = keys[1:], False
        if vad is None:
            return False
        recent.append(mic)
        if keys:
            self._carry_keys = keys
            return True
        if vad.feed(mic) in ("start", "end"):
            self._carry = list(recent)
            return True
        return False

    async def _say_paced(self, audio: AudioChunk, vad: TurnEndpointer | None,
                         tts_ms: float) -> Spoken:
        """Play on a transport that paces itself, listening for barge-in meanwhile."""
        assert self._play is not None
        n = CHUNK_MS * self._rate // 1000 * 2
        data = audio.audio
        playing = self._play([AudioChunk(data[i:i + n], self._rate, 2, 1)
                              for i in range(0, len(data), n)])
        first = time.perf_counter()
        recent: deque[AudioChunk] = deque(maxlen=PREROLL_CHUNKS)
        while not playing.done.done():
            read = self._pending or asyncio.ensure_future(self._input.next())
            self._pending = None
            either: set[asyncio.Future[Any]] = {read, playing.done}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            if not read.done():
                self._pending = read  # the next listen takes it up: nothing is lost
                break
            mic = read.result()
            if mic is None:
                break
            if self._barges_in(mic, vad, recent):
                playing.interrupt()
                return Spoken(True, first, tts_ms)
        try:
            await playing.done
        except Exception as exc:
            raise AudioStageError(f"cannot play audio: {exc}",
                                  getattr(exc, "code", None)) from exc
        return Spoken(False, first, tts_ms)

    async def _barged(self, first: float | None, tts_ms: float) -> Spoken:
        try:
            await self._sink.stop()
        except Exception as exc:
            raise AudioStageError(f"cannot stop playback: {exc}") from exc
        return Spoken(True, first, tts_ms)

    async def close(self) -> None:
        """Let the recognizers go."""
        self._recognizers.clear()
        await asyncio.sleep(0)
