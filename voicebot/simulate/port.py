"""A media port driven by a simulated caller: queued speech, then silence for as long as the
line keeps listening (a silent caller), and bot audio played on a fast clock (no real-time wait).
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable

from voicebot.audio.chunk import AudioChunk
from voicebot.transport.media import CallInfo, MediaEvent, RemoteHangUp
from voicebot.transport.pacing import PacedPlayback

PIECE_MS = 20
"""Size of the caller audio pieces handed to the line."""
MAX_CALLER_MS = 15 * 60 * 1000
"""Caller audio (speech and silence) after which the simulated caller hangs up regardless."""


class FastClock:
    """A clock that jumps an hour at every reading: paced playback never waits."""

    def __init__(self) -> None:
        self._now = 0.0

    def __call__(self) -> float:
        self._now += 3600.0
        return self._now


def pieces(chunk: AudioChunk, ms: int = PIECE_MS) -> list[AudioChunk]:
    """``chunk`` cut into ``ms`` pieces."""
    step = chunk.rate * ms // 1000 * chunk.width * chunk.channels
    return [AudioChunk(chunk.audio[i:i + step], chunk.rate, chunk.width, chunk.channels,
                       encoding=chunk.encoding) for i in range(0, len(chunk.audio), step)]


class SimulatedPort:
    """One simulated call's media: what the caller queued, else silence; bot audio collected."""

    def __init__(self, info: CallInfo, silence: Callable[[], AudioChunk], *,
                 keep_bot_audio: bool = False) -> None:
        self._info = info
        self._silence = silence
        self._queue: deque[MediaEvent] = deque()
        self._keep = keep_bot_audio
        self.bot_audio: list[AudioChunk] = []
        """The line's audio (when kept), in order."""
        self.caller_ms = 0
        """Caller audio handed to the line so far."""
        self.hung_up_by_line = False
        """Whether the line hung up."""
        self.transferred_to = ""
        """Where the line transferred the call, ``""`` if it did not."""
        self._ended = False

    @property
    def info(self) -> CallInfo:
        """Who is calling whom."""
        return self._info

    def queue(self, chunk: AudioChunk) -> None:
        """Caller audio to hand over next, in 20 ms pieces."""
        self._queue.extend(pieces(chunk))

    def hang_up_caller(self) -> None:
        """The caller hangs up after what is queued."""
        self._queue.append(RemoteHangUp("simulated caller hung up"))

    async def events(self) -> AsyncIterator[MediaEvent]:
        """Queued events, then silence until a hang-up."""
        while not self._ended:
            await asyncio.sleep(0)
            if self._queue:
                event = self._queue.popleft()
            elif self.caller_ms >= MAX_CALLER_MS:
                event = RemoteHangUp("simulated caller ran out of time")
            else:
                event = self._silence()
            if isinstance(event, AudioChunk):
                self.caller_ms += PIECE_MS
            if isinstance(event, RemoteHangUp):
                self._ended = True
            yield event

    async def _write(self, chunk: AudioChunk) -> None:
        if self._keep:
            self.bot_audio.append(chunk)

    def play(self, chunks: Iterable[AudioChunk]) -> PacedPlayback:
        """Play the bot's audio on a fast clock."""
        return PacedPlayback(chunks, self._write, clock=FastClock())

    async def hang_up(self) -> None:
        """The line ends the call."""
        self.hung_up_by_line = True
        self._queue.append(RemoteHangUp("line hung up"))

    async def transfer(self, target: str) -> None:
        """The line hands the call to an operator."""
        self.transferred_to = target
        await asyncio.sleep(0)
