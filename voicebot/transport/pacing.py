"""Playback paced by a clock: each chunk goes out when its time comes, whatever comes in."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

from voicebot.audio.chunk import AudioChunk

LEAD_MS = 60.0
"""How far ahead of real time chunks are handed to the transport (its jitter buffer)."""


class PacedPlayback:
    """Writes chunks to ``write`` no faster than real time; ``interrupt()`` stops it."""

    def __init__(self, chunks: Iterable[AudioChunk],
                 write: Callable[[AudioChunk], Awaitable[None]], *,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 lead_ms: float = LEAD_MS) -> None:
        self._chunks = chunks
        self._write = write
        self._clock = clock
        self._sleep = sleep
        self._lead = lead_ms / 1000
        self._stop = False
        self._waiting: asyncio.Future[None] | None = None
        self.played_ms = 0.0
        """Audio handed to the transport so far."""
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> bool:
        start = self._clock()
        for chunk in self._chunks:
            if self._stop:
                return False
            due = start + self.played_ms / 1000 - self._lead
            wait = due - self._clock()
            if wait > 0:
                self._waiting = asyncio.ensure_future(self._sleep(wait))
                try:
                    await self._waiting
                except asyncio.CancelledError:
                    if not self._stop:
                        raise
                finally:
                    self._waiting = None
                if self._stop:
                    return False
            await self._write(chunk)
            self.played_ms += chunk.duration_ms
        return not self._stop

    def interrupt(self) -> None:
        """Stop before the next chunk (``done`` resolves without waiting out a pause)."""
        self._stop = True
        if self._waiting is not None:
            self._waiting.cancel()

    @property
    def done(self) -> asyncio.Future[bool]:
        """True once all was played, False if interrupted; raises what ``write`` raised."""
        return self._task
