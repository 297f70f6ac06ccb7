"""The speaking side: synthesis -> the port's clock-paced playback, stopped by a barge-in.

While a prompt plays, the caller's side is read from the shared input stream: speech (the VAD's
start event) or a key interrupts a prompt that allows it, and what interrupted goes back to the
stream (:meth:`CallerAudio.unread`) for the next listen. Without barge-in, what the caller does
during the prompt is dropped.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable, Sequence

from voicebot.audio.chunk import AudioChunk
from voicebot.call.caller_audio import CHUNK_MS, CallerAudio, Incoming
from voicebot.call.endpointing import ENDS, STARTS, DetectorFactory, ListenMode, detect
from voicebot.call.errors import AudioStageError, TtsStageError
from voicebot.call.line import Speaks
from voicebot.call.ports import Spoken
from voicebot.transport.media import Playing

CARRY_CHUNKS = 15
"""Caller chunks up to a barge-in handed to the next listen (300 ms)."""

Play = Callable[[Sequence[AudioChunk]], Playing]
"""Starts playback on the transport (``MediaPort.play``)."""


def pieces(audio: AudioChunk, rate: int) -> list[AudioChunk]:
    """A prompt cut into pipeline chunks."""
    n = CHUNK_MS * rate // 1000 * 2
    data = audio.audio
    return [AudioChunk(data[i:i + n], rate, 2, 1) for i in range(0, len(data), n)]


def _quiet(done: asyncio.Future[bool]) -> None:
    """An interrupted playback's failure no longer matters: the caller is speaking."""
    if not done.cancelled():
        done.exception()


class Speaker:
    """Speaks prompts on one call's port."""

    def __init__(self, synth: Speaks, play: Play, audio: CallerAudio,
                 detectors: DetectorFactory, rate: int) -> None:
        self._synth = synth
        self._play = play
        self._audio = audio
        self._detectors = detectors
        self._rate = rate

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Synthesize (cached) and play ``text``, stopping if the caller barges in."""
        t0 = time.perf_counter()
        try:
            audio = await asyncio.to_thread(self._synth.synthesize, text, language)
        except Exception as exc:
            raise TtsStageError(f"cannot synthesize: {exc}", getattr(exc, "code", None)) from exc
        tts_ms = 1000 * (time.perf_counter() - t0)
        detector = self._detectors(ListenMode.BARGE_IN) if barge_in else None
        try:
            playing = self._play(pieces(audio, self._rate))
        except Exception as exc:
            raise AudioStageError(f"cannot play audio: {exc}",
                                  getattr(exc, "code", None)) from exc
        first = time.perf_counter()
        recent: deque[Incoming] = deque(maxlen=CARRY_CHUNKS)
        at_ms = 0.0
        while not playing.done.done():
            got = await self._audio.next_or(playing.done)
            if not isinstance(got, Incoming):
                break  # hung up, or the prompt is over
            if detector is None:
                continue
            recent.append(got)
            if got.keys:
                self._audio.unread([Incoming(AudioChunk(b"", self._rate, 2, 1), got.keys)])
            else:
                event = detect(detector, got.chunk, at_ms)
                at_ms += got.chunk.duration_ms
                if event is None or event.kind not in STARTS | ENDS:
                    continue
                self._audio.unread(Incoming(c.chunk) for c in recent)
            playing.interrupt()
            playing.done.add_done_callback(_quiet)
            return Spoken(True, first, tts_ms)
        await self._settle(playing)
        return Spoken(False, first, tts_ms)

    @staticmethod
    async def _settle(playing: Playing) -> None:
        try:
            await playing.done
        except Exception as exc:
            raise AudioStageError(f"cannot play audio: {exc}",
                                  getattr(exc, "code", None)) from exc
