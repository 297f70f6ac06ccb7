"""The replay transport: a scripted caller in, the line's audio collected, on a virtual clock.

The caller's side is silence except the turn being played (:meth:`ScriptedPort.say_turn`) or a
barge-in armed for the next prompt (:meth:`ScriptedPort.arm_barge_in`, spoken ``after_ms`` into
it). Time is the caller audio delivered: each 20 ms chunk read moves the clock on, and playback
is paced by that clock, so a replay runs as fast as the line reads (``realtime``: the caller's
audio at real time while the line is not speaking, for benchmarks). The port knows when the line
speaks from its own ``play``.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

import numpy as np

from voicebot.audio.chunk import AudioChunk
from voicebot.transport.media import CallInfo, MediaEvent
from voicebot.transport.pacing import PacedPlayback

CHUNK_MS = 20
"""Size of the caller's chunks."""
SPEECH_LEVEL = 500
"""RMS (16-bit) of a 10 ms frame that counts as the caller's speech, for voice-to-voice times
(about -36 dBFS; the recordings' silence lies far below)."""


@dataclass(frozen=True)
class VoiceToVoice:
    """How long the caller waited for the line after one turn (a realtime replay only)."""

    kind: str
    """What the turn answered (``voicebot.call.turn_end.EndRule`` or ``keys``)."""
    ms: float
    """The caller's last speech sample -> the line's first sample of audio after it."""


def speech_end_ms(audio: bytes, rate: int) -> int | None:
    """Where the last 10 ms frame of speech in ``audio`` (16-bit mono) ends, None if silent."""
    frame = rate // 100
    samples = np.frombuffer(audio[:len(audio) // (2 * frame) * 2 * frame], dtype="<i2")
    if not samples.size:
        return None
    rms = np.sqrt(np.mean(samples.reshape(-1, frame).astype(np.float64) ** 2, axis=1))
    loud = np.flatnonzero(rms >= SPEECH_LEVEL)
    return int(loud[-1] + 1) * 10 if loud.size else None


class ScriptedPort:
    """One replayed call's media."""

    def __init__(self, info: CallInfo, rate: int, *, realtime: bool = False,
                 keep_audio: bool = False) -> None:
        self._info = info
        self.rate = rate
        self.realtime = realtime
        """Pace the caller's audio at real time while the line listens (benchmarks)."""
        self.keep_audio = keep_audio
        self.bot_chunks: list[AudioChunk] = []
        """The line's audio, when kept."""
        self.bot_samples = 0
        """Samples the line played."""
        self._size = rate * CHUNK_MS // 1000 * 2
        self._silence = bytes(self._size)
        self._segment: deque[bytes] = deque()
        self._barge: tuple[list[bytes], int] | None = None
        self._from_barge = False
        self._pos_ms = 0
        self._next_at: float | None = None
        self._hung_up = False
        self._playing: PacedPlayback | None = None
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []
        self.voice_to_voice: list[VoiceToVoice] = []
        """Per turn played at real time: the caller's wait for the line's answer."""
        self._turn_end: tuple[str, int] | None = None
        self._turn_pos = 0
        self._spoke_at: tuple[str, float] | None = None

    @property
    def info(self) -> CallInfo:
        """The fixture's call."""
        return self._info

    # -- the script (the replay tool) ------------------------------------------------------------
    def _cut(self, audio: bytes) -> list[bytes]:
        return [audio[i:i + self._size] for i in range(0, len(audio), self._size)]

    def say_turn(self, audio: bytes, kind: str = "") -> None:
        """Queue ``audio`` (16-bit mono at ``rate``) as the caller's next turn (``kind``: what
        it answers, for :attr:`voice_to_voice`)."""
        self._segment = deque(self._cut(audio))
        self._from_barge = False
        end = speech_end_ms(audio, self.rate)
        self._turn_end = (kind, end) if end is not None else None
        self._turn_pos, self._spoke_at = 0, None

    def arm_barge_in(self, audio: bytes, after_ms: int) -> None:
        """Speak ``audio`` over the next prompt, ``after_ms`` into it."""
        self._barge = (self._cut(audio), after_ms)

    def disarm(self) -> bool:
        """Forget an armed barge-in that did not start; True if one was armed."""
        armed = self._barge is not None or self._from_barge
        if self._from_barge:
            self._segment.clear()
        self._barge, self._from_barge = None, False
        return armed

    def keep(self) -> None:
        """The armed barge-in started: its audio is now the turn being heard."""
        self._from_barge = False

    @property
    def pending(self) -> bytes:
        """Audio of the turn not yet heard."""
        return b"".join(self._segment)

    @property
    def busy(self) -> bool:
        """Whether part of a turn is still to be heard."""
        return bool(self._segment)

    # -- the media port --------------------------------------------------------------------------
    @property
    def _speaking(self) -> bool:
        return self._playing is not None and not self._playing.done.done()

    async def events(self) -> AsyncIterator[MediaEvent]:
        """The caller's audio, 20 ms at a time, until the script hangs up."""
        while not self._hung_up:
            turn = bool(self._segment) and not self._from_barge
            data = self._segment.popleft() if self._segment else self._silence
            chunk = AudioChunk(data, self.rate, 2, 1, self._pos_ms)
            self._pos_ms += CHUNK_MS
            self._wake()
            if self.realtime and not self._speaking:
                now = time.perf_counter()
                # the caller keeps real time: a line that reads late gets the backlog at once
                self._next_at = (self._next_at or now) + CHUNK_MS / 1000
                await asyncio.sleep(max(0.0, self._next_at - now))
                if turn:
                    self._mark_speech_end(self._next_at)
            else:
                self._next_at = None
                await asyncio.sleep(0)
            yield chunk

    def _mark_speech_end(self, due: float) -> None:
        """The turn's chunk just delivered (due at ``due``, when its last sample was spoken)
        may hold the turn's last speech sample."""
        self._turn_pos += CHUNK_MS
        if self._turn_end is not None and self._turn_pos >= self._turn_end[1]:
            kind, end = self._turn_end
            self._spoke_at = (kind, due - (self._turn_pos - end) / 1000)
            self._turn_end = None

    def play(self, chunks: Iterable[AudioChunk]) -> PacedPlayback:
        """Collect the line's audio at the pace of the caller's clock."""
        if self._spoke_at is not None:
            kind, at = self._spoke_at
            self.voice_to_voice.append(VoiceToVoice(kind, 1000 * (time.perf_counter() - at)))
            self._spoke_at = None
        if self._barge is not None and not self._segment:
            pieces, after = self._barge
            lead = [self._silence] * max(after // CHUNK_MS, 0)
            self._segment = deque(lead + pieces)
            self._barge, self._from_barge = None, True
        self._playing = PacedPlayback(chunks, self._collect, clock=self._clock,
                                      sleep=self._sleep)
        return self._playing

    async def hang_up(self) -> None:
        """End the script: the caller's stream ends, waiting playback runs out at once."""
        self._hung_up = True
        self._wake()
        await asyncio.sleep(0)

    async def transfer(self, target: str) -> None:
        """A replay has nowhere to transfer to."""
        await asyncio.sleep(0)

    async def _collect(self, chunk: AudioChunk) -> None:
        self.bot_samples += chunk.samples
        if self.keep_audio:
            self.bot_chunks.append(chunk)

    def _clock(self) -> float:
        return self._pos_ms / 1000

    async def _sleep(self, seconds: float) -> None:
        if self._hung_up:
            await asyncio.sleep(0)
            return
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self._clock() + seconds, waiter))
        await waiter

    def _wake(self) -> None:
        now = self._clock()
        due = [(t, w) for t, w in self._sleepers if self._hung_up or t <= now]
        for item in due:
            self._sleepers.remove(item)
            if not item[1].done():
                item[1].set_result(None)
