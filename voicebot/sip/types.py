"""Messages of the SIP line: who is calling, what comes in, and the stack's errors.

A call's own messages are the transport seam's (``voicebot.transport.media``: ``CallInfo``,
``KeyPress``, ``RemoteHangUp``, ``AudioChunk``); only what is SIP's alone lives here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

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
    """Why a call ended, as the stack saw it (the ``RemoteHangUp.reason`` of a SIP call)."""

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


CODEC_PRIORITY: tuple[tuple[str, int], ...] = (
    ("G722/16000", 255),
    ("PCMU/8000", 254),
    ("PCMA/8000", 253),
)
"""Codecs the line offers and accepts, best first (G.722 feeds 16 kHz to recognition)."""
