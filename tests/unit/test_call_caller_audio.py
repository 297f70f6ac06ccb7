"""In-band keys on the caller's input stream: a keypad tone is never heard as speech, not even
the ``#`` that only confirms an entry complete at its last digit and is swallowed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.dtmf import generate_dtmf
from voicebot.call.caller_audio import CallerAudio, Incoming
from voicebot.call.endpointing import STARTS, ListenMode, endpointer_factory
from voicebot.call.hearing import KeysEntered, LineEnded, Voiced, turn_steps
from voicebot.call.listening import listen_spec
from voicebot.dialog.actions import Listen
from voicebot.settings import Settings

RATE = 16000


def _silence(ms: int) -> AudioChunk:
    return AudioChunk(b"\0\0" * (RATE * ms // 1000), RATE, 2, 1)


async def _source(*parts: AudioChunk) -> AsyncIterator[AudioChunk]:
    for part in parts:
        yield part


async def _all(audio: CallerAudio) -> list[Incoming]:
    got = []
    while (item := await audio.next()) is not None:
        got.append(item)
    return got


def test_tone_chunks_are_marked_and_silence_is_not() -> None:
    tones = generate_dtmf("2025#", rate=RATE, tone_ms=90, gap_ms=90)
    items = asyncio.run(_all(CallerAudio(_source(tones, _silence(600)), RATE)))
    assert "".join(i.keys for i in items) == "2025#"
    assert all(i.tone for i in items if i.keys)
    assert sum(i.tone for i in items) >= 5 * 2  # each 90 ms tone marks most of its chunks
    assert not any(i.tone for i in items[-20:])  # the trailing silence


async def _year_then_type_menu() -> list[object]:
    # the caller keys "2025#" for a 4-digit year: the entry ends at "5"; the "#" that follows,
    # and the silence, fall in the type menu's listen, which must hear no speech in them
    tones = generate_dtmf("2025#", rate=RATE, tone_ms=90, gap_ms=90)
    audio = CallerAudio(_source(_silence(1000), tones, _silence(1500)), RATE)
    make = endpointer_factory(Settings.load())
    year = listen_spec(Listen("digits", "en", 4))
    first = [s async for s in turn_steps(audio, make(ListenMode.DIGITS), year)]
    menu = listen_spec(Listen("digits", "en", 1))
    second = [s async for s in turn_steps(audio, make(ListenMode.LISTEN), menu)]
    return [first[-1], second]


def test_a_swallowed_hash_tone_is_not_speech_in_the_next_listen() -> None:
    first, second = asyncio.run(_year_then_type_menu())
    assert first == KeysEntered("2025")
    assert isinstance(second, list) and isinstance(second[-1], LineEnded)
    assert second[-1].keys == ""  # the "#" only confirmed the year
    voiced = [s for s in second if isinstance(s, Voiced)]
    assert not [s for s in voiced if s.event is not None and s.event.kind in STARTS]
    # the tones' audio does not reach the voice detector, only an onset before the DTMF detector
    # confirms it (at most 40 ms; in a call the "#" had been heard as speech, read "one", and
    # the menu key pressed next was carried into the sequence: "177#")
    loud = [s for s in voiced if any(s.chunk.audio)]  # the silence is exact zeros
    assert len(loud) <= 2, len(loud)
    assert len(voiced) >= 1500 // 20  # the silence after it did
