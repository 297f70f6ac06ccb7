"""Messages of the SIP line: who is calling, what comes in, and the stack's errors.

They map one to one onto the transport seam (``CallInfo``, ``KeyPress``, ``RemoteHangUp``,
``AudioChunk``) so that a thin adapter connects a SIP call to the call loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from voicebot.audio.chunk import AudioChunk

FRAME_MS = 20
"""Length of one media frame in and out, as RTP carries it."""
LINE_RATE = 16000
"""Rate of the PCM the line hears and speaks (the conference bridge converts per codec)."""
FRAME_BYTES = LINE_RATE * FRAME_MS // 1000 * 2
"""Bytes of one 16-bit mono frame at ``LINE_RATE``."""


class SipTransport(StrEnum):
    """The SIP signalling transports the line listens on."""

    UDP = "udp"
    """SIP over UDP (the default of PBXs and trunks)."""
    TCP = "tcp"
    """SIP over TCP."""


class HangUpReason(StrEnum):
    """Why a call ended, as the stack saw it."""

    BYE = "bye"
    """The caller sent BYE."""
    CANCEL = "cancel"
    """The caller cancelled before the call was set up."""
    RTP_TIMEOUT = "rtp_timeout"
    """No RTP arrived for ``sip_rtp_timeout_s``."""
    LOCAL = "local"
    """The line hung up."""
    FAILED = "failed"
    """The call failed in signalling or media."""


class SipError(RuntimeError):
    """The SIP stack cannot start or carry a call; ``code`` is stable (``sip.*``)."""

    def __init__(self, message: str, code: str = "sip.failed") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ListenAddress:
    """Where the line listens for SIP."""

    transport: SipTransport
    """Signalling transport."""
    host: str
    """Address to bind (``0.0.0.0`` for all)."""
    port: int
    """Port to bind (0 picks a free one)."""

    @classmethod
    def parse(cls, text: str) -> ListenAddress:
        """``udp:HOST:PORT`` or ``tcp:HOST:PORT``."""
        parts = text.strip().split(":")
        if len(parts) != 3 or parts[0] not in {t.value for t in SipTransport}:
            raise SipError(f"listen address {text!r} is not udp:HOST:PORT or tcp:HOST:PORT",
                           "sip.bad_listen")
        try:
            port = int(parts[2])
        except ValueError:
            raise SipError(f"port in {text!r} is not a number", "sip.bad_listen") from None
        if not 0 <= port <= 65535 or not parts[1]:
            raise SipError(f"listen address {text!r} has no host or a bad port", "sip.bad_listen")
        return cls(SipTransport(parts[0]), parts[1], port)

    def __str__(self) -> str:
        return f"{self.transport.value}:{self.host}:{self.port}"


@dataclass(frozen=True)
class SipCallInfo:
    """One SIP call as the stack knows it (maps onto the transport's ``CallInfo``)."""

    call_id: str
    """SIP Call-ID of the dialog."""
    caller: str = ""
    """Caller id: the user part of P-Asserted-Identity, else of From; ``""`` when withheld."""
    callee: str = ""
    """User part of the Request-URI (the number dialled)."""
    codec: str = ""
    """Negotiated codec (``G722``, ``PCMU``, ``PCMA``), ``""`` before media is up."""
    peer: str = ""
    """Signalling source address ``IP:PORT``."""


@dataclass(frozen=True)
class SipKeyPress:
    """A key the caller pressed, from an RFC 4733 telephone-event (maps onto ``KeyPress``)."""

    key: str
    """One of ``0123456789*#ABCD``."""
    at_ms: int = 0
    """When it arrived, counted from the start of the call's media."""


@dataclass(frozen=True)
class SipHangUp:
    """The call ended on the stack's side (maps onto ``RemoteHangUp``)."""

    reason: HangUpReason = HangUpReason.BYE
    """Why the call ended."""
    detail: str = ""
    """The stack's words (status line), for logs."""


SipEvent = AudioChunk | SipKeyPress | SipHangUp
"""What comes in from a SIP caller, in order; the stream ends after ``SipHangUp``."""

CODEC_PRIORITY: tuple[tuple[str, int], ...] = (
    ("G722/16000", 255),
    ("PCMU/8000", 254),
    ("PCMA/8000", 253),
)
"""Codecs the line offers and accepts, best first (G.722 feeds 16 kHz to recognition)."""
