"""The microphone/speaker transport with fake devices: recorded chunks come in until the line
hangs up; prompts go out at real time; an interrupt also drops what the device buffered."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from voicebot.audio.chunk import AudioChunk
from voicebot.transport.device import DevicePort
from voicebot.transport.media import CallInfo, TransportKind

RATE = 16000
SIZE = RATE * 20 // 1000 * 2


def chunk(tag: int) -> AudioChunk:
    return AudioChunk(bytes([tag]) * SIZE, RATE, 2, 1)


class FakeMic:
    def __init__(self) -> None:
        self.closed = False

    def __aiter__(self) -> AsyncIterator[AudioChunk]:
        return self._gen()

    async def _gen(self) -> AsyncIterator[AudioChunk]:
        n = 0
        while not self.closed:
            n += 1
            yield chunk(n % 200)
            await asyncio.sleep(0.001)

    def close(self) -> None:
        self.closed = True


class FakeSpeaker:
    def __init__(self) -> None:
        self.written: list[tuple[float, AudioChunk]] = []
        self.stops = 0
        self.closed = False

    async def write(self, c: AudioChunk) -> None:
        self.written.append((time.monotonic(), c))

    async def stop(self) -> None:
        self.stops += 1

    def close(self) -> None:
        self.closed = True


def device() -> tuple[DevicePort, FakeMic, FakeSpeaker]:
    mic, speaker = FakeMic(), FakeSpeaker()
    info = CallInfo("microphone", codec="pcm", transport=TransportKind.AUDIO)
    return DevicePort(info, mic, speaker), mic, speaker  # type: ignore[arg-type]


async def test_a_prompt_goes_out_at_real_time() -> None:
    port, _, speaker = device()
    playing = port.play([chunk(9)] * 10)
    assert await asyncio.wait_for(playing.done, 2) is True
    assert len(speaker.written) == 10
    # 200 ms of audio, handed over no faster than real time (60 ms ahead): a lower bound only
    assert speaker.written[-1][0] - speaker.written[0][0] >= 0.18 - 0.06 - 0.005


async def test_an_interrupt_stops_playback_and_the_device() -> None:
    port, _, speaker = device()
    playing = port.play([chunk(9)] * 50)
    await asyncio.sleep(0.1)
    playing.interrupt()
    assert await asyncio.wait_for(playing.done, 1) is False
    await asyncio.sleep(0)
    assert speaker.stops == 1 and len(speaker.written) < 50


async def test_the_microphone_comes_in_until_the_line_hangs_up() -> None:
    port, mic, speaker = device()
    got = []
    async for event in port.events():
        got.append(event)
        if len(got) == 3:
            await port.hang_up()
    assert len(got) == 3 and mic.closed
    port.close()
    assert speaker.closed
