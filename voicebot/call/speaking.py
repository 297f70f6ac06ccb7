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
from typing import Any

from voicebot.audio.chunk import AudioChunk
from voicebot.call.caller_audio import CHUNK_MS, CallerAudio, Incoming
from voicebot.call.endpointing import (
    ENDS,
    STARTS,
    DetectorFactory,
    ListenMode,
    TurnDetector,
    detect,
)
from voicebot.call.errors import AudioStageError, TtsStageError
from voicebot.call.line import Speaks
from voicebot.call.ports import Spoken
from voicebot.transport.media import Playing
from voicebot.tts.cachepolicy import sentences

CARRY_CHUNKS = 15
"""Caller chunks up to a barge-in handed to the next listen (300 ms)."""

Play = Callable[[Sequence[AudioChunk]], Playing]
"""Starts playback on the transport (``MediaPort.play``)."""


def pieces(audio: AudioChunk, rate: int) -> list[AudioChunk]:
    """A prompt cut into pipeline chunks."""
    n = CHUNK_MS * rate // 1000 * 2
    data = audio.audio
    return [AudioChunk(data[i:i + n], rate, 2, 1) for i in range(0, len(data), n)]


def _quiet(done: asyncio.Future[Any]) -> None:
    """An interrupted playback's (or unplayed synthesis') failure no longer matters: the caller
    is speaking."""
    if not done.cancelled():
        done.exception()


def first_sentence(text: str) -> tuple[str, str]:
    """``text`` as its first sentence and the rest (``""`` for a one-sentence prompt)."""
    parts = sentences(text)
    if len(parts) < 2:
        return text, ""
    return parts[0], " ".join(parts[1:])


class _Listening:
    """The caller's side while the line speaks: a barge-in (speech or a key) is noticed, and
    what interrupted goes back to the input stream for the next listen."""

    def __init__(self, audio: CallerAudio, detector: TurnDetector | None) -> None:
        self._audio = audio
        self._detector = detector
        self._recent: deque[Incoming] = deque(maxlen=CARRY_CHUNKS)
        self._at_ms = 0.0

    async def until(self, done: asyncio.Future[Any]) -> bool:
        """Read the caller's side until ``done``; True if the caller barged in first."""
        while not done.done():
            got = await self._audio.next_or(done)
            if not isinstance(got, Incoming):
                return False  # hung up, or ``done``
            if self._detector is None:
                continue
            self._recent.append(got)
            if got.keys:
                self._audio.unread([Incoming(AudioChunk(b"", got.chunk.rate, 2, 1), got.keys)])
                return True
            if got.tone:  # the tail of a key's tone (or a swallowed #) is no barge-in
                continue
            event = detect(self._detector, got.chunk, self._at_ms)
            self._at_ms += got.chunk.duration_ms
            if event is not None and event.kind in STARTS | ENDS:
                self._audio.unread(Incoming(c.chunk, tone=c.tone) for c in self._recent)
                return True
        return False


class Speaker:
    """Speaks prompts on one call's port."""

    def __init__(self, synth: Speaks, play: Play, audio: CallerAudio,
                 detectors: DetectorFactory, rate: int) -> None:
        self._synth = synth
        self._play = play
        self._audio = audio
        self._detectors = detectors
        self._rate = rate

    async def _synthesize(self, text: str, language: str) -> AudioChunk:
        try:
            return await asyncio.to_thread(self._synth.synthesize, text, language)
        except Exception as exc:
            raise TtsStageError(f"cannot synthesize: {exc}", getattr(exc, "code", None)) from exc

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Synthesize (cached) and play ``text``, stopping if the caller barges in.

        A prompt of several sentences starts playing after its first sentence is synthesized;
        the rest is synthesized while that plays (each sentence cached as before)."""
        t0 = time.perf_counter()
        head, tail = first_sentence(text)
        audio = await self._synthesize(head, language)
        tts_ms = 1000 * (time.perf_counter() - t0)
        rest = asyncio.ensure_future(self._synthesize(tail, language)) if tail else None
        listening = _Listening(self._audio, self._detectors(ListenMode.BARGE_IN)
                               if barge_in else None)
        first: float | None = None
        try:
            while True:
                try:
                    playing = self._play(pieces(audio, self._rate))
                except Exception as exc:
                    raise AudioStageError(f"cannot play audio: {exc}",
                                          getattr(exc, "code", None)) from exc
                first = first or time.perf_counter()
                if await listening.until(playing.done):
                    playing.interrupt()
                    playing.done.add_done_callback(_quiet)
                    return Spoken(True, first, tts_ms)
                await self._settle(playing)
                if rest is None:
                    return Spoken(False, first, tts_ms)
                if not rest.done() and await listening.until(rest):  # barged in between
                    return Spoken(True, first, tts_ms)
                audio, rest = await rest, None
        finally:
            if rest is not None:  # barged in: what is left is never played
                rest.add_done_callback(_quiet)

    @staticmethod
    async def _settle(playing: Playing) -> None:
        try:
            await playing.done
        except Exception as exc:
            raise AudioStageError(f"cannot play audio: {exc}",
                                  getattr(exc, "code", None)) from exc
