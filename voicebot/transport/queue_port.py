"""A media port fed by pushes: what a SIP/RTP or WebSocket layer adapts to.

The transport's receiving side calls :meth:`QueuePort.push` with PCM frames, keys and the
hang-up; the call reads :meth:`QueuePort.events`. Outgoing audio goes to ``write`` paced by a
clock (:mod:`voicebot.transport.pacing`); hang-up and transfer go to the given callbacks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable

from voicebot.audio.chunk import AudioChunk
from voicebot.transport.media import CallInfo, MediaEvent, RemoteHangUp
from voicebot.transport.pacing import PacedPlayback


async def _nothing(target: str = "") -> None:
    await asyncio.sleep(0)


class QueuePort:
    """One call's media as a queue in and a paced writer out."""

    def __init__(self, info: CallInfo, write: Callable[[AudioChunk], Awaitable[None]], *,
                 on_hang_up: Callable[[], Awaitable[None]] | None = None,
                 on_transfer: Callable[[str], Awaitable[None]] | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        self._info = info
        self._write = write
        self._on_hang_up = on_hang_up or _nothing
        self._on_transfer = on_transfer or _nothing
        self._clock = clock
        self._queue: asyncio.Queue[MediaEvent] = asyncio.Queue()
        self._ended = False
        self._hung_up = False
        self.transferred_to = ""
        """Where the call was transferred, ``""`` if it was not."""

    @property
    def info(self) -> CallInfo:
        """Who is calling whom."""
        return self._info

    def push(self, event: MediaEvent) -> None:
        """One event from the caller's side (call from the event loop's thread)."""
        self._queue.put_nowait(event)

    async def events(self) -> AsyncIterator[MediaEvent]:
        """Events in order; ends after the caller's or the line's hang-up."""
        while not self._ended:
            event = await self._queue.get()
            yield event
            if isinstance(event, RemoteHangUp):
                self._ended = True

    def play(self, chunks: Iterable[AudioChunk]) -> PacedPlayback:
        """Play ``chunks`` at real time."""
        if self._clock is None:
            return PacedPlayback(chunks, self._write)
        return PacedPlayback(chunks, self._write, clock=self._clock)

    async def hang_up(self) -> None:
        """End the call; the event stream ends too."""
        if not self._hung_up:
            self._hung_up = True
            self._queue.put_nowait(RemoteHangUp("line hung up"))
            await self._on_hang_up()

    async def transfer(self, target: str) -> None:
        """Hand the call to ``target``."""
        self.transferred_to = target
        await self._on_transfer(target)
