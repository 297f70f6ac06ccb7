"""Endpointing on synthetic voiced bursts: start, end after silence, no input, barge-in."""

from __future__ import annotations

import numpy as np
import pytest

from voicebot.audio.chunk import AudioError
from voicebot.audio.convert import pcm16
from voicebot.audio.vad import Endpointer, EndpointEvent, EnergyVad
from voicebot.settings import DEFAULT_SETTINGS

RATE = 16000


def voiced(ms: int, amp: float = 0.2, f0: float = 140.0) -> np.ndarray:
    """A vowel-like harmonic sound with a syllable-rate envelope."""
    t = np.arange(RATE * ms // 1000) / RATE
    wave = sum(np.sin(2 * np.pi * f0 * k * t) / k for k in range(1, 12))
    envelope = 0.6 + 0.4 * np.sin(2 * np.pi * 4 * t) ** 2
    return amp * wave * envelope / 2


def silence(ms: int) -> np.ndarray:
    return np.zeros(RATE * ms // 1000)


def run(
    x: np.ndarray, ep: Endpointer, chunk: int = 320, noise_db: float | None = None, seed: int = 0
) -> list[EndpointEvent]:
    if noise_db is not None:
        x = x + np.random.default_rng(seed).normal(0, 10 ** (noise_db / 20), len(x))
    events = []
    for i in range(0, len(x), chunk):
        events += ep.feed(pcm16(x[i : i + chunk].astype(np.float32), RATE, 1000 * i // RATE))
    return events


def kinds(events: list[EndpointEvent]) -> list[str]:
    return [e.kind for e in events]


@pytest.mark.parametrize("noise_db", [None, -45.0, -34.0])  # speech is about -23 dBFS
def test_start_and_end_of_an_utterance(noise_db: float | None) -> None:
    ep = Endpointer(RATE, silence_ms=700)
    ep.listen()
    events = run(
        np.concatenate([silence(1000), voiced(1500), silence(1500)]), ep, noise_db=noise_db
    )
    assert kinds(events) == ["speech_start", "end_of_utterance"]
    start, end = events
    assert start.speech_start_ms is not None and abs(start.speech_start_ms - 1000) <= 40
    assert 1000 < start.at_ms <= 1200
    assert end.speech_end_ms is not None and abs(end.speech_end_ms - 2500) <= 60
    assert abs(end.at_ms - (end.speech_end_ms + 700)) <= 20
    assert ep.state == "idle"


def test_a_pause_shorter_than_the_silence_time_keeps_the_utterance_going() -> None:
    x = np.concatenate([silence(500), voiced(600), silence(450), voiced(600), silence(1200)])
    long_wait = Endpointer(RATE, silence_ms=700)
    long_wait.listen()
    assert kinds(run(x, long_wait)) == ["speech_start", "end_of_utterance"]
    short_wait = Endpointer(RATE, silence_ms=300)
    short_wait.listen()
    events = run(x, short_wait)
    assert kinds(events) == ["speech_start", "end_of_utterance"]
    assert events[1].speech_end_ms is not None and abs(events[1].speech_end_ms - 1100) <= 60


def test_no_input_after_the_configured_time_in_steady_noise() -> None:
    ep = Endpointer.from_settings(DEFAULT_SETTINGS.replace(no_input_ms=3000))
    ep.listen()
    events = run(silence(5000), ep, noise_db=-35.0)
    assert kinds(events) == ["no_input"]
    assert abs(events[0].at_ms - 3000) <= 10


def test_no_input_counts_from_the_end_of_the_prompt() -> None:
    ep = Endpointer(RATE, no_input_ms=2000)
    ep.listen(prompt_playing=True)
    assert run(silence(4000), ep, noise_db=-40.0) == []  # the prompt is still playing
    ep.prompt_done()
    events = run(silence(3000), ep, noise_db=-40.0, seed=1)
    assert kinds(events) == ["no_input"]
    assert abs(events[0].at_ms - 6000) <= 10


def test_speech_during_a_prompt_is_a_barge_in_and_then_an_utterance() -> None:
    ep = Endpointer(RATE, barge_in_ms=200)
    ep.listen(prompt_playing=True)
    events = run(np.concatenate([silence(800), voiced(1000), silence(1000)]), ep, noise_db=-45.0)
    assert kinds(events) == ["barge_in", "end_of_utterance"]
    assert events[0].speech_start_ms is not None and abs(events[0].speech_start_ms - 800) <= 40
    assert 1000 <= events[0].at_ms <= 1100


def test_short_clicks_are_not_speech() -> None:
    ep = Endpointer(RATE, no_input_ms=2000, barge_in_ms=200)
    ep.listen()
    clicks = np.concatenate(
        [silence(300), voiced(50, 0.5), silence(500), voiced(40, 0.5), silence(1500)]
    )
    assert kinds(run(clicks, ep, noise_db=-50.0)) == ["no_input"]
    ep.listen(prompt_playing=True)
    assert run(np.concatenate([voiced(150, 0.5), silence(500)]), ep) == []


def test_too_long_speech_ends_with_max_speech() -> None:
    ep = Endpointer(RATE, max_speech_ms=2000)
    ep.listen()
    events = run(np.concatenate([silence(200), voiced(3000)]), ep)
    assert kinds(events) == ["speech_start", "max_speech"]
    assert abs(events[1].at_ms - 2200) <= 20


def test_events_do_not_depend_on_chunk_size() -> None:
    x = np.concatenate([silence(700), voiced(900), silence(1000)])
    results = []
    for size in (160, 333, 1600):
        ep = Endpointer(RATE)
        ep.listen()
        results.append(run(x, ep, chunk=size, noise_db=-40.0))
    assert results[0] == results[1] == results[2]


def test_idle_until_listen_and_the_floor_adapts_to_louder_noise() -> None:
    ep = Endpointer(RATE)
    assert run(voiced(500), ep) == []  # not listening yet
    vad = EnergyVad(RATE)
    rng = np.random.default_rng(5)
    noise = rng.normal(0, 0.03, RATE * 3)
    vad.frames(pcm16(noise.astype(np.float32), RATE))
    assert -34 < vad.floor_dbfs < -30.0
    frames = vad.frames(pcm16(rng.normal(0, 0.03, RATE).astype(np.float32), RATE))
    assert len(frames) == 100 and not any(f.speech for f in frames)


def test_wrong_rate_is_refused() -> None:
    ep = Endpointer(RATE)
    with pytest.raises(AudioError):
        ep.feed(pcm16(np.zeros(80, np.int16), 8000))


def test_pause_and_resume_within_an_utterance_when_asked_for() -> None:
    x = np.concatenate([silence(500), voiced(600), silence(450), voiced(600), silence(1200)])
    ep = Endpointer(RATE, silence_ms=700, pause_ms=250)
    ep.listen()
    events = run(x, ep)
    assert kinds(events) == ["speech_start", "pause", "resume", "pause", "end_of_utterance"]
    first_pause, resume, last_pause, end = events[1:]
    assert abs(first_pause.at_ms - (1100 + 250)) <= 40
    assert abs(resume.at_ms - 1550) <= 40
    assert end.at_ms - last_pause.at_ms == pytest.approx(700 - 250, abs=20)


def test_no_pause_events_unless_shorter_than_the_silence_time() -> None:
    x = np.concatenate([silence(500), voiced(600), silence(1200)])
    ep = Endpointer(RATE, silence_ms=700, pause_ms=700)
    ep.listen()
    assert kinds(run(x, ep)) == ["speech_start", "end_of_utterance"]
