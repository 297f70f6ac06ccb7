"""The echo demo of ``voicebot sip serve --demo``: ``handle_call(media, info)``.

It greets the caller with a tone, echoes what it hears back (so a test peer can check both
directions of the media) and logs the keys; no engines, no store. The real line is
``voicebot.sip.line``.
"""

from __future__ import annotations

import asyncio
import json
import math
import struct
import sys
from dataclasses import asdict, dataclass, field

from voicebot.audio.chunk import AudioChunk
from voicebot.callerid import normalize_caller_id
from voicebot.sip.media import SipMedia
from voicebot.sip.types import LINE_RATE
from voicebot.transport.media import CallInfo, KeyPress, RemoteHangUp

GREETING_HZ = 440
"""Pitch of the demo greeting tone (distinct from echoed speech)."""


@dataclass
class CallSummary:
    """What the demo line heard on one call, printed as one JSON line when the call ends."""

    call_id: str
    """SIP Call-ID."""
    caller: str
    """Caller id."""
    callee: str
    """Number dialled."""
    codec: str
    """Negotiated codec."""
    keys: list[str] = field(default_factory=list)
    """Keys pressed, in order."""
    frames_in: int = 0
    """20 ms frames heard."""
    voiced_frames_in: int = 0
    """Frames heard above the voice threshold."""
    ended: str = ""
    """Why the call ended (``HangUpReason``)."""
    frames_out: int = 0
    """Outbound frames the bridge asked for."""
    late_out: int = 0
    """Outbound requests more than 5 ms late."""
    jitter_out_ms: float = 0.0
    """Mean deviation of outbound request gaps from 20 ms."""


def tone(hz: float, ms: int, amplitude: float = 0.3) -> AudioChunk:
    """A sine tone at the line's rate."""
    n = LINE_RATE * ms // 1000
    samples = (round(amplitude * 32767 * math.sin(2 * math.pi * hz * i / LINE_RATE))
               for i in range(n))
    return AudioChunk(struct.pack(f"<{n}h", *samples), LINE_RATE, 2, 1)


def _rms(pcm: bytes) -> float:
    n = len(pcm) // 2
    if not n:
        return 0.0
    values = struct.unpack(f"<{n}h", pcm[: 2 * n])
    return math.sqrt(sum(v * v for v in values) / n)


async def handle_call(media: SipMedia, info: CallInfo) -> None:
    """Demo call: greeting tone, then echo of the caller's audio; keys logged."""
    summary = CallSummary(info.call_id, normalize_caller_id(info.caller), info.callee, info.codec)
    greeting = media.play([tone(GREETING_HZ, 600)])
    await asyncio.wait_for(asyncio.shield(greeting.done), 5)
    async for event in media.events():
        if isinstance(event, AudioChunk):
            summary.frames_in += 1
            if _rms(event.audio) > 300:
                summary.voiced_frames_in += 1
            media.play([event])
        elif isinstance(event, KeyPress):
            summary.keys.append(event.key)
        elif isinstance(event, RemoteHangUp):
            summary.ended = event.reason
    pacing = media.pacing
    summary.frames_out, summary.late_out = pacing.frames, pacing.late
    summary.jitter_out_ms = round(pacing.jitter_ms, 3)
    print(json.dumps({"call": asdict(summary)}), file=sys.stdout, flush=True)
