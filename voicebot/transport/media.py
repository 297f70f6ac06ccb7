"""What a transport hands the call: who is calling, and a media port to hear and speak through."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from voicebot.audio.chunk import AudioChunk


class TransportKind(StrEnum):
    """How the caller reaches the line (stored as the call record's channel)."""

    AUDIO = "audio"
    """Microphone and speaker of this machine."""
    TEXT = "text"
    """Typed turns (terminal or a text connection)."""
    REPLAY = "replay"
    """A call fixture played to the line."""
    SIP = "sip"
    """A telephone call over SIP/RTP."""


@dataclass(frozen=True)
class CallInfo:
    """Who is calling whom, as the transport knows it."""

    call_id: str
    """The transport's id of the call (SIP Call-ID, connection id, fixture name)."""
    caller: str = ""
    """Caller id (a phone number), ``""`` when withheld or unknown."""
    callee: str = ""
    """The number or address called, ``""`` when there is only one."""
    codec: str = ""
    """Encoding of the incoming audio (``AudioChunk.encoding``), ``""`` for a text call."""
    transport: TransportKind = TransportKind.TEXT
    """How the caller reaches the line."""


@dataclass(frozen=True)
class KeyPress:
    """A key the caller pressed, delivered out of band (RFC 4733, a WebSocket message)."""

    key: str
    """One of ``0123456789*#ABCD``."""
    at_ms: int = 0
    """When it was pressed, counted from the start of the call's media."""


@dataclass(frozen=True)
class RemoteHangUp:
    """The caller's side ended the call (BYE, closed connection, end of a replay)."""

    reason: str = ""
    """The transport's words for why, for logs."""


MediaEvent = AudioChunk | KeyPress | RemoteHangUp
"""What comes in from the caller."""


class Playing(Protocol):
    """A playback in progress."""

    def interrupt(self) -> None:
        """Stop playing now (barge-in); ``done`` then resolves to False."""
        ...

    @property
    def done(self) -> asyncio.Future[bool]:
        """Resolves when playback is over: True if all was played, False if interrupted."""
        ...


class MediaPort(Protocol):
    """One call's media on a transport."""

    @property
    def info(self) -> CallInfo:
        """Who is calling whom."""
        ...

    def events(self) -> AsyncIterator[MediaEvent]:
        """The caller's audio, keys and hang-up, in order; ends after ``RemoteHangUp``."""
        ...

    def play(self, chunks: Iterable[AudioChunk]) -> Playing:
        """Start playing ``chunks`` to the caller at their own pace (by a clock)."""
        ...

    async def hang_up(self) -> None:
        """End the call from the line's side."""
        ...

    async def transfer(self, target: str) -> None:
        """Hand the call to ``target`` (an operator's number or queue)."""
        ...


@runtime_checkable
class TextPort(Protocol):
    """One typed call: a line in per caller turn, a line out per prompt."""

    @property
    def info(self) -> CallInfo:
        """Who is calling whom."""
        ...

    async def read_line(self, hint: str = "") -> str | None:
        """The caller's next line (``hint``: what is expected, for a person typing), None
        once the caller is gone."""
        ...

    async def write_line(self, text: str) -> None:
        """One line to the caller."""
        ...

    async def hang_up(self) -> None:
        """End the call from the line's side."""
        ...


class TransportError(RuntimeError):
    """A transport cannot start or carry a call; ``code`` is stable (``transport.*``)."""

    def __init__(self, message: str, code: str = "transport.failed") -> None:
        super().__init__(message)
        self.code = code
