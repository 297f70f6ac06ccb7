"""The replay transport: its clock is the caller audio read; a barge-in armed for the next
prompt starts ``after_ms`` into it; a hang-up releases playback waiting for the clock."""

from __future__ import annotations

import asyncio

from voicebot.audio.chunk import AudioChunk
from voicebot.transport.media import CallInfo, TransportKind
from voicebot.transport.scripted import ScriptedPort

RATE = 16000
SIZE = RATE * 20 // 1000 * 2


def prompt(n: int) -> list[AudioChunk]:
    return [AudioChunk(bytes([9]) * SIZE, RATE, 2, 1) for _ in range(n)]


def port() -> ScriptedPort:
    return ScriptedPort(CallInfo("f", transport=TransportKind.REPLAY), RATE, keep_audio=True)


async def test_playback_moves_on_as_the_caller_side_is_read() -> None:
    p = port()
    events = p.events()
    playing = p.play(prompt(10))
    await asyncio.sleep(0.01)
    early = p.bot_samples
    assert early < 10 * SIZE // 2  # the clock stands still while nobody reads
    for _ in range(12):
        await anext(events)
    assert await asyncio.wait_for(playing.done, 1) is True
    assert len(p.bot_chunks) == 10


async def test_a_barge_in_starts_after_ms_into_the_next_prompt() -> None:
    p = port()
    events = p.events()
    p.arm_barge_in(bytes([1]) * SIZE * 3, after_ms=100)
    p.play(prompt(20))
    heard = [(await anext(events)) for _ in range(10)]
    tags = [c.audio[0] for c in heard if isinstance(c, AudioChunk)]
    assert tags == [0] * 5 + [1] * 3 + [0] * 2
    assert p.disarm() is True and not p.disarm()  # it came from the armed barge-in, once


async def test_a_hang_up_ends_the_stream_and_releases_playback() -> None:
    p = port()
    events = p.events()
    playing = p.play(prompt(50))
    await p.hang_up()
    assert await asyncio.wait_for(playing.done, 1) is True
    assert [e async for e in events] == []


async def test_a_turn_is_heard_then_silence() -> None:
    p = port()
    p.say_turn(bytes([1]) * SIZE * 2)
    assert p.busy
    events = p.events()
    tags = [c.audio[0] for c in [await anext(events) for _ in range(3)]
            if isinstance(c, AudioChunk)]
    assert tags == [1, 1, 0] and not p.busy
