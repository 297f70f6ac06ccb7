"""SIP line pieces that need no stack: header parsing, allow-list, listen addresses, media queue."""

from __future__ import annotations

import asyncio

import pytest

from voicebot.audio.chunk import AudioChunk
from voicebot.callerid import normalize_caller_id
from voicebot.sip.headers import caller_id, caller_uri, dialled, peer_allowed
from voicebot.sip.media import SipMedia
from voicebot.sip.types import (
    FRAME_BYTES,
    HangUpReason,
    ListenAddress,
    SipError,
    SipTransport,
)
from voicebot.transport.media import CallInfo, KeyPress, RemoteHangUp, TransportKind

INVITE = (
    "INVITE sip:12368@10.0.0.1:5060 SIP/2.0\r\n"
    "From: \"Zhang\" <sip:+8613800001111@pbx.example>;tag=1\r\n"
    "To: <sip:12368@10.0.0.1>\r\n"
)


def test_caller_id_prefers_p_asserted_identity() -> None:
    assert caller_id(INVITE) == "8613800001111"
    asserted = INVITE + "P-Asserted-Identity: <tel:+8610123456>\r\n"
    assert caller_id(asserted) == "8610123456"
    assert caller_id("INVITE sip:a@b SIP/2.0\r\nf: <sip:555@x>;tag=2\r\n") == "555"


def test_caller_uri_is_what_callerid_normalizes() -> None:
    assert caller_uri(INVITE) == '"Zhang" <sip:+8613800001111@pbx.example>'
    assert normalize_caller_id(caller_uri(INVITE)) == "13800001111"
    asserted = INVITE + "P-Asserted-Identity: <tel:+86-10-1234-5678>\r\n"
    assert normalize_caller_id(caller_uri(asserted)) == "01012345678"
    anonymous = INVITE + "P-Asserted-Identity: <sip:anonymous@anonymous.invalid>\r\n"
    assert caller_uri(anonymous) == '"Zhang" <sip:+8613800001111@pbx.example>'
    assert caller_uri("INVITE sip:a@b SIP/2.0\r\nFrom: <sip:anonymous@x>;tag=1\r\n") == ""


def test_withheld_caller_and_dialled_number() -> None:
    assert caller_id("INVITE sip:a@b SIP/2.0\r\nFrom: <sip:anonymous@anonymous.invalid>\r\n") == ""
    assert dialled(INVITE) == "12368"
    assert dialled("") == ""


@pytest.mark.parametrize(
    ("peer", "allow", "ok"),
    [
        ("127.0.0.1:5060", ("127.0.0.0/8",), True),
        ("10.1.2.3:5060", ("127.0.0.0/8",), False),
        ("10.1.2.3:5060", ("127.0.0.0/8", "10.0.0.0/8"), True),
        ("192.0.2.9:5", ("*",), True),
        ("[::1]:5060", ("::1/128",), True),
        ("not-an-ip:5060", ("0.0.0.0/0",), False),
        ("10.1.2.3:5060", ("bogus",), False),
    ],
)
def test_peer_allow_list(peer: str, allow: tuple[str, ...], ok: bool) -> None:
    assert peer_allowed(peer, allow) is ok


def test_listen_address() -> None:
    addr = ListenAddress.parse("tcp:127.0.0.1:5070")
    assert (addr.transport, addr.host, addr.port) == (SipTransport.TCP, "127.0.0.1", 5070)
    assert str(addr) == "tcp:127.0.0.1:5070"
    for bad in ("tls:1.2.3.4:5061", "udp:1.2.3.4", "udp:1.2.3.4:x", "udp::5060", "udp:h:70000"):
        with pytest.raises(SipError) as info:
            ListenAddress.parse(bad)
        assert info.value.code == "sip.bad_listen"


async def _no_control(action: str, target: str) -> None:
    return None


def _media() -> SipMedia:
    loop = asyncio.get_running_loop()
    return SipMedia(CallInfo("c1", transport=TransportKind.SIP), loop,
                    lambda a, t: asyncio.ensure_future(_no_control(a, t)))


async def test_outbound_frames_are_20ms_and_flush_interrupts() -> None:
    media = _media()
    tone = AudioChunk(b"\x01\x00" * 8000, 16000, 2, 1)  # 500 ms
    playing = media.play([tone])
    frames = [media.frame_requested() for _ in range(5)]
    assert all(len(f) == FRAME_BYTES and f != bytes(FRAME_BYTES) for f in frames)
    playing.interrupt()
    assert media.frame_requested() == bytes(FRAME_BYTES)  # flushed: silence
    assert await asyncio.wait_for(playing.done, 1) is False
    short = media.play([AudioChunk(b"\x02\x00" * 100, 16000, 2, 1)])
    last = media.frame_requested()
    assert last[:200] == b"\x02\x00" * 100 and last[200:] == bytes(FRAME_BYTES - 200)
    assert await asyncio.wait_for(short.done, 1) is True


async def test_8k_audio_is_converted_to_the_line_rate() -> None:
    media = _media()
    media.play([AudioChunk(b"\x00\x10" * 800, 8000, 2, 1)])  # 100 ms at 8 kHz
    frames = 0
    while media.frame_requested() != bytes(FRAME_BYTES):
        frames += 1
    assert frames == 5


async def test_events_arrive_in_order_and_end_with_the_hang_up() -> None:
    media = _media()
    media.frame_received(b"\x00\x01" * 320)
    media.key_pressed("5")
    media.key_pressed("x")  # not a key: dropped
    media.ended(HangUpReason.BYE)
    media.frame_received(b"\x00\x01" * 320)  # after the end: dropped
    got = [e async for e in media.events()]
    assert isinstance(got[0], AudioChunk) and got[0].rate == 16000
    assert got[1] == KeyPress("5", 20)
    assert got[2] == RemoteHangUp("bye")
    assert media.ended_reason is HangUpReason.BYE
    assert len(got) == 3
