"""Calls from a ``LineServer``: each connection's port becomes a channel and runs one call."""

from __future__ import annotations

from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import CallResult, run_call
from voicebot.call.text import TextChannel
from voicebot.transport.media import TransportError
from voicebot.transport.server import LineServer, Port
from voicebot.transport.text import StreamTextPort


def text_channel(port: StreamTextPort) -> TextChannel:
    """A typed connection as a channel: prompts go out as ``line> ...`` lines."""

    async def read(spec: ListenSpec) -> str | None:
        return await port.read_line()

    pending: list[str] = []

    def write(text: str, language: str) -> None:
        pending.append(text)

    async def flush(text: str, language: str) -> None:
        while pending:
            await port.write_line(f"line> {pending.pop(0)}")

    return TextChannel(read, write, flush, info=port.info)


async def serve_call(line: Line, port: Port) -> CallResult:
    """Run one call on a connection's port."""
    if isinstance(port, StreamTextPort):
        return await run_call(line, text_channel(port))
    raise TransportError(f"no channel for a {port.info.transport} port yet",
                         "transport.unsupported")


async def serve_line(line: Line, uri: str) -> LineServer:
    """Answer calls on ``uri`` (``tcp://127.0.0.1:0``) until the server is closed."""

    async def on_call(port: Port) -> CallResult:
        return await serve_call(line, port)

    return await LineServer.from_uri(uri, on_call)
