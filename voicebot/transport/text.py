"""Typed calls: one line in per caller turn, one line out per prompt (``TextPort``).

``StreamTextPort``: a stream connection (``tcp://``); ``TerminalTextPort``: this terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import sys

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

    async def read_line(self, hint: str = "") -> str | None:
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


class TerminalTextPort:
    """The caller types on this terminal (``voicebot call --text``); EOF is the hang-up."""

    def __init__(self, caller: str = "") -> None:
        self._info = CallInfo("terminal", caller=caller, transport=TransportKind.TEXT)

    @property
    def info(self) -> CallInfo:
        """The local caller."""
        return self._info

    async def read_line(self, hint: str = "") -> str | None:
        """The next typed line, prompted ``you (hint)> ``."""
        try:
            return await asyncio.to_thread(input, f"you{hint}> ")
        except EOFError:
            return None

    async def write_line(self, text: str) -> None:
        """Print one line."""
        sys.stdout.write(f"{text}\n")
        sys.stdout.flush()
        await asyncio.sleep(0)

    async def hang_up(self) -> None:
        """Nothing to close."""
        await asyncio.sleep(0)
