"""A typed call over a byte stream: one line in per caller turn, one line out per prompt."""

from __future__ import annotations

import asyncio
import contextlib
import itertools

from voicebot.transport.media import CallInfo, TransportKind


class StreamTextPort:
    """The caller types lines on a stream connection (``tcp://``); EOF is the hang-up."""

    def __init__(self, info: CallInfo, reader: asyncio.StreamReader,
                 writer: asyncio.StreamWriter) -> None:
        self._info = info
        self._reader = reader
        self._writer = writer

    @property
    def info(self) -> CallInfo:
        """Who is calling whom."""
        return self._info

    async def read_line(self) -> str | None:
        """The caller's next line, None once the connection is closed."""
        raw = await self._reader.readline()
        if not raw:
            return None
        return raw.decode("utf-8", "replace").rstrip("\r\n")

    async def write_line(self, text: str) -> None:
        """One line to the caller."""
        if self._writer.is_closing():
            return
        self._writer.write(text.encode("utf-8") + b"\n")
        with contextlib.suppress(ConnectionError):
            await self._writer.drain()

    async def hang_up(self) -> None:
        """Close the connection."""
        self._writer.close()
        with contextlib.suppress(ConnectionError):
            await self._writer.wait_closed()


def stream_call_info(writer: asyncio.StreamWriter, counter: itertools.count[int]) -> CallInfo:
    """A text connection's ``CallInfo``: the peer address as the call id, no caller id."""
    peer = writer.get_extra_info("peername")
    where = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer or "")
    return CallInfo(f"tcp-{next(counter)}-{where}", transport=TransportKind.TEXT)
