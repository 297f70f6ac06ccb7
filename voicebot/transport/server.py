"""``LineServer``: one call per incoming connection, on a transport named by a URI.

``await LineServer.from_uri("tcp://127.0.0.1:0", on_call)`` listens for typed calls; the scheme
picks the transport from ``SCHEMES`` (``sip://`` is added by ``voicebot.sip``). ``on_call`` gets
the connection's port and runs the call; one failing call does not stop the server.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType, TracebackType
from typing import Protocol
from urllib.parse import SplitResult, urlsplit

from voicebot.transport.media import MediaPort, TextPort, TransportError
from voicebot.transport.text import StreamTextPort, stream_call_info

log = logging.getLogger(__name__)

Port = TextPort | MediaPort
"""What a connection gives the call: a typed line, or media."""
OnCall = Callable[[Port], Awaitable[object]]
"""Runs one call on a connection's port."""


class Listening(Protocol):
    """A transport accepting connections."""

    @property
    def address(self) -> str:
        """Where it listens, as a URI with the port actually bound."""
        ...

    async def close(self) -> None:
        """Stop accepting and end the calls in progress."""
        ...


Opener = Callable[[SplitResult, OnCall], Awaitable[Listening]]
"""Starts listening on a parsed URI of its scheme."""


class _TcpText:
    """``tcp://HOST:PORT``: every connection is a typed call."""

    def __init__(self, on_call: OnCall) -> None:
        self._on_call = on_call
        self._server: asyncio.Server | None = None
        self._calls: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)

    async def start(self, host: str, port: int) -> None:
        self._server = await asyncio.start_server(self._accept, host, port)

    @property
    def address(self) -> str:
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"tcp://{host}:{port}"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._calls.add(task)
        port = StreamTextPort(stream_call_info(writer, self._ids), reader, writer)
        try:
            await self._on_call(port)
        except Exception:
            log.exception("call %s failed", port.info.call_id)
        finally:
            self._calls.discard(task)
            await port.hang_up()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        for task in list(self._calls):
            task.cancel()
        await asyncio.gather(*self._calls, return_exceptions=True)


async def _open_tcp(uri: SplitResult, on_call: OnCall) -> Listening:
    if uri.hostname is None or uri.port is None:
        raise TransportError(f"tcp URI needs host and port: {uri.geturl()}", "transport.bad_uri")
    server = _TcpText(on_call)
    await server.start(uri.hostname, uri.port)
    return server


SCHEMES: Mapping[str, Opener] = MappingProxyType({
    "tcp": _open_tcp,
})
"""The transports a ``LineServer`` can listen on, by URI scheme."""


class LineServer:
    """Accepts calls on one transport until closed (``async with`` closes it)."""

    def __init__(self, listening: Listening) -> None:
        self._listening = listening

    @classmethod
    async def from_uri(cls, uri: str, on_call: OnCall, *,
                       schemes: Mapping[str, Opener] = SCHEMES) -> LineServer:
        """Listen on ``uri`` (``tcp://127.0.0.1:0`` picks a free port)."""
        parts = urlsplit(uri)
        opener = schemes.get(parts.scheme)
        if opener is None:
            known = ", ".join(sorted(schemes))
            raise TransportError(f"no transport for {parts.scheme or uri!r} (known: {known})",
                                 "transport.unknown_scheme")
        return cls(await opener(parts, on_call))

    @property
    def address(self) -> str:
        """Where the server listens."""
        return self._listening.address

    async def close(self) -> None:
        """Stop accepting; calls in progress are cancelled."""
        await self._listening.close()

    async def __aenter__(self) -> LineServer:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()
