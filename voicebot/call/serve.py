"""Calls from a ``LineServer``: each connection's port becomes a channel and runs one call."""

from __future__ import annotations

from voicebot.call.audio_channel import AudioChannel
from voicebot.call.endpointing import endpointer_factory
from voicebot.call.line import Line
from voicebot.call.loop import CallResult, run_call
from voicebot.call.ports import Channel
from voicebot.call.text import TextChannel
from voicebot.transport.media import TextPort
from voicebot.transport.server import LineServer, Port


def channel_for(line: Line, port: Port) -> Channel:
    """A typed port becomes a text channel, a media port an audio channel."""
    if isinstance(port, TextPort):
        return TextChannel.on_port(port)
    return AudioChannel.on_port(line, port, endpointer_factory(line.settings))


async def serve_call(line: Line, port: Port) -> CallResult:
    """Run one call on a connection's port."""
    return await run_call(line, channel_for(line, port))


async def serve_line(line: Line, uri: str) -> LineServer:
    """Answer calls on ``uri`` (``tcp://127.0.0.1:0``) until the server is closed."""

    async def on_call(port: Port) -> CallResult:
        return await serve_call(line, port)

    return await LineServer.from_uri(uri, on_call)
