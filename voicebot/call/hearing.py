"""The listening side as a pipeline: input stream -> typed endpoint steps -> recognizer -> input.

:func:`turn_steps` is an async generator over the shared :class:`CallerAudio`: each chunk with
the VAD's events (:class:`Voiced`), or how the turn ended without speech (:class:`KeysEntered`,
:class:`LineEnded`). :func:`recognize_turn` feeds the speech (from where the VAD says it began,
with a short lead) to an :class:`EarlyFinal` and chooses among the readings.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import AsyncGenerator, AsyncIterator
from dataclasses import dataclass

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.vad import EndpointEvent
from voicebot.call.caller_audio import CallerAudio
from voicebot.call.early_final import EarlyFinal
from voicebot.call.endpointing import ENDS, STARTS, TurnDetector, detect
from voicebot.call.hypotheses import pick_hypothesis
from voicebot.call.listening import ListenSpec, keys_done
from voicebot.call.ports import CallerInput, InputKind
from voicebot.call.turn_end import TurnEnd

SPEECH_LEAD_MS = 200
"""Audio before the VAD's speech onset that still goes to the recognizer."""
LOOKBACK_MS = 1000
"""Audio kept before speech is detected (the onset may lie this far back)."""


@dataclass(frozen=True)
class Voiced:
    """A chunk heard while waiting for (or during) speech."""

    chunk: AudioChunk
    """The audio."""
    start_ms: float
    """Where it starts on the detector's time line."""
    event: EndpointEvent | None
    """What the VAD decided at this chunk (the dominant one), if anything."""
    endpoint_ms: float
    """Milliseconds the key and voice detection of this chunk took."""


@dataclass(frozen=True)
class KeysEntered:
    """The caller's keypad entry is complete."""

    keys: str
    """The keys, e.g. ``482913#``."""


@dataclass(frozen=True)
class LineEnded:
    """The caller hung up."""

    keys: str = ""
    """Keys of an entry not yet complete."""


Step = Voiced | KeysEntered | LineEnded
"""What the listening pipeline yields."""


async def turn_steps(audio: CallerAudio, detector: TurnDetector, spec: ListenSpec
                     ) -> AsyncGenerator[Step, None]:
    """The caller's turn, chunk by chunk; ends after :class:`KeysEntered` or :class:`LineEnded`.

    Once a key is pressed the turn is a keypad entry: audio no longer goes to the detector; nor
    does a keypad tone's audio ever."""
    keys = ""
    since_key_ms = 0.0
    pos: float | None = None
    while True:
        got = await audio.next()
        if got is None:
            yield LineEnded(keys)
            return
        t0 = time.perf_counter()
        if got.keys or keys:
            keys += got.keys
            since_key_ms = 0.0 if got.keys else since_key_ms + got.chunk.duration_ms
            if keys_done(keys, spec, since_key_ms):
                if not keys.endswith("#"):
                    audio.swallow_next_hash()
                yield KeysEntered(keys)
                return
            continue
        if got.tone:  # a key's tone (one swallowed, or its tail): neither speech nor silence
            continue
        if pos is None:
            pos = float(got.chunk.timestamp_ms)
        event = detect(detector, got.chunk, pos)
        yield Voiced(got.chunk, pos, event, 1000 * (time.perf_counter() - t0))
        pos += got.chunk.duration_ms


def _keys(keys: str) -> CallerInput:
    return CallerInput(InputKind.KEYS, keys=keys, ended_at=time.perf_counter())


class _EarlyEnd:
    """Whether the early final of a pause ends the turn (:mod:`voicebot.call.turn_end`)."""

    def __init__(self, judge: TurnEnd | None, pause_ms: int) -> None:
        self._judge = judge
        self._pause_ms = pause_ms
        self._silent_ms: float | None = None
        self._verdict: bool | None = None

    def pause(self) -> None:
        self._silent_ms, self._verdict = float(self._pause_ms), None

    def resume(self) -> None:
        self._silent_ms, self._verdict = None, None

    async def ends(self, asr: EarlyFinal, chunk_ms: float) -> bool:
        """After a chunk of silence: whether the turn is over now."""
        if self._judge is None or self._silent_ms is None:
            return False
        self._silent_ms += chunk_ms
        if self._verdict is None:
            early = asr.ready()
            if early is None:
                return False
            self._verdict = await self._judge.complete(early)
        return self._verdict and self._silent_ms >= self._judge.hold_ms


async def recognize_turn(steps: AsyncIterator[Step], asr: EarlyFinal, spec: ListenSpec,
                         rate: int, judge: TurnEnd | None = None, pause_ms: int = 0
                         ) -> CallerInput:
    """What the caller did in this turn: speech (recognized), keys, silence or hang-up.

    With a ``judge``, an early final (at a pause of ``pause_ms``) that completes the turn ends
    it after the judge's hold, before the endpointer's ``silence_ms``."""
    lookback: deque[Voiced] = deque(maxlen=max(1, LOOKBACK_MS // 20))
    speech = bytearray()
    started = False
    ep_ms = 0.0
    early_end = _EarlyEnd(judge if judge is not None and judge.hold_ms > 0 else None, pause_ms)
    ended_early = False
    async for step in steps:
        if isinstance(step, KeysEntered):
            asr.abandon()
            return _keys(step.keys)
        if isinstance(step, LineEnded):
            if step.keys:
                return _keys(step.keys)
            if started:
                break
            return CallerInput(InputKind.HUNG_UP, ended_at=time.perf_counter())
        ep_ms = step.endpoint_ms
        kind = step.event.kind if step.event is not None else None
        if not started:
            lookback.append(step)
            if kind == "no_input":
                return CallerInput(InputKind.NO_INPUT, ended_at=time.perf_counter())
            if step.event is None or kind not in STARTS | ENDS:
                continue
            started = True
            onset = step.event.speech_start_ms
            lead_from = (onset if onset is not None else step.start_ms) - SPEECH_LEAD_MS
            for v in lookback:
                if v.start_ms + v.chunk.duration_ms > lead_from:
                    speech += v.chunk.audio
            asr.add(bytes(speech))
        else:
            speech += step.chunk.audio
            asr.add(step.chunk.audio)
        if kind == "pause":
            await asr.pause()
            early_end.pause()
        elif kind == "resume":
            await asr.resume(bytes(speech))
            early_end.resume()
        elif kind is None and await early_end.ends(asr, step.chunk.duration_ms):
            ended_early = True
            break
        await asr.flush_full()
        if kind in ENDS:
            break
    ended_at = time.perf_counter()
    early, stream_ms = asr.early, asr.stream_ms
    result = await asr.result()
    asr_final = 1000 * (time.perf_counter() - ended_at)
    text = pick_hypothesis(result, spec)
    return CallerInput(InputKind.SPEECH, text=text, alternatives=result.alternatives,
                       confidence=result.confidence,
                       doubtful=result.doubtful or (  # a lower reading had to be taken
                           spec.digit_range is not None and text != result.text),
                       pcm=bytes(speech), rate=rate, ended_at=ended_at,
                       timings={"endpoint": ep_ms, "asr": asr_final, "asr_stream": stream_ms,
                                "asr_early": float(early), "asr_redone": float(asr.redone),
                                "end_early": float(ended_early)})
