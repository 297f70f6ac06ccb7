"""The transport seam: clock-paced playback, a pushed media port, a line server by URI."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from voicebot.audio.chunk import AudioChunk
from voicebot.transport.media import CallInfo, KeyPress, RemoteHangUp, TransportError
from voicebot.transport.pacing import PacedPlayback
from voicebot.transport.queue_port import QueuePort
from voicebot.transport.server import LineServer, Port
from voicebot.transport.text import StreamTextPort

RATE = 16000


def chunk(tag: int, ms: int = 20) -> AudioChunk:
    return AudioChunk(bytes([tag]) * (RATE * ms // 1000 * 2), RATE, 2, 1)


class FakeClock:
    """Time that moves only when playback sleeps."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += seconds
        await asyncio.sleep(0)


async def test_playback_is_paced_by_the_clock_not_by_anything_incoming() -> None:
    clock = FakeClock()
    written: list[tuple[float, int]] = []

    async def write(c: AudioChunk) -> None:
        written.append((clock.now, c.audio[0]))

    play = PacedPlayback([chunk(i) for i in range(10)], write, clock=clock,
                         sleep=clock.sleep, lead_ms=0)
    assert await play.done is True
    assert [tag for _, tag in written] == list(range(10))
    gaps = [round(1000 * (b[0] - a[0])) for a, b in itertools.pairwise(written)]
    assert gaps == [20] * 9  # one 20 ms chunk per 20 ms of clock


async def test_an_interrupted_playback_stops_and_says_so() -> None:
    clock = FakeClock()
    written: list[int] = []
    play: PacedPlayback | None = None

    async def write(c: AudioChunk) -> None:
        written.append(c.audio[0])
        if len(written) == 3 and play is not None:
            play.interrupt()

    play = PacedPlayback([chunk(i) for i in range(10)], write, clock=clock, sleep=clock.sleep)
    assert await play.done is False
    assert written == [0, 1, 2]


async def test_a_queue_port_delivers_audio_keys_and_hang_up_in_order() -> None:
    out: list[AudioChunk] = []

    async def write(c: AudioChunk) -> None:
        out.append(c)

    port = QueuePort(CallInfo("c1", caller="13800000001", codec="pcm"), write)
    port.push(chunk(1))
    port.push(KeyPress("5"))
    port.push(RemoteHangUp("bye"))
    port.push(chunk(2))  # after the hang-up: never delivered
    got = [e async for e in port.events()]
    assert got == [chunk(1), KeyPress("5"), RemoteHangUp("bye")]
    assert port.info.caller == "13800000001"
    assert await port.play([chunk(3), chunk(4)]).done is True
    assert [c.audio[0] for c in out] == [3, 4]


async def test_the_line_hanging_up_ends_the_event_stream() -> None:
    hung: list[str] = []

    async def on_hang_up() -> None:
        hung.append("line")

    async def write(c: AudioChunk) -> None:
        return None

    port = QueuePort(CallInfo("c2"), write, on_hang_up=on_hang_up)
    port.push(chunk(1))
    await port.hang_up()
    got = [e async for e in port.events()]
    assert got[0] == chunk(1) and isinstance(got[-1], RemoteHangUp) and hung == ["line"]
    await port.transfer("operator")
    assert port.transferred_to == "operator"


async def test_a_line_server_runs_one_call_per_connection() -> None:
    seen: list[str] = []

    async def on_call(port: Port) -> None:
        assert isinstance(port, StreamTextPort)
        seen.append(port.info.call_id)
        while (text := await port.read_line()) is not None:
            await port.write_line(f"echo {text}")

    async with await LineServer.from_uri("tcp://127.0.0.1:0", on_call) as server:
        host, port = server.address.removeprefix("tcp://").rsplit(":", 1)
        conns = [await asyncio.open_connection(host, int(port)) for _ in range(2)]
        for i, (_, writer) in enumerate(conns):
            writer.write(f"hello {i}\n".encode())
            await writer.drain()
        for i, (reader, writer) in enumerate(conns):
            assert await asyncio.wait_for(reader.readline(), 5) == f"echo hello {i}\n".encode()
            writer.close()
            await writer.wait_closed()
    assert len(set(seen)) == 2


async def test_an_unknown_scheme_is_refused_with_a_code() -> None:
    async def on_call(port: Port) -> None:
        return None

    with pytest.raises(TransportError) as err:
        await LineServer.from_uri("ftp://127.0.0.1:0", on_call)
    assert err.value.code == "transport.unknown_scheme"
