"""A recording cut at its pauses: tones stand in for speech."""

from __future__ import annotations

import numpy as np

from voicebot.audio.segments import speech_segments

RATE = 16000


def _tone(ms: int) -> np.ndarray:
    t = np.arange(RATE * ms // 1000) / RATE
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def _quiet(ms: int) -> np.ndarray:
    rng = np.random.default_rng(ms)
    return (rng.standard_normal(RATE * ms // 1000) * 1e-4).astype(np.float32)


def _pcm(*parts: np.ndarray) -> bytes:
    return (np.concatenate(parts) * 32767).astype("<i2").tobytes()


def _seconds(spans: list[tuple[int, int]]) -> list[tuple[float, float]]:
    return [(round(a / 2 / RATE, 2), round(b / 2 / RATE, 2)) for a, b in spans]


def test_speech_is_cut_at_long_pauses_only() -> None:
    pcm = _pcm(_quiet(1000), _tone(800), _quiet(300), _tone(500), _quiet(1200), _tone(700),
               _quiet(1000))
    spans = _seconds(speech_segments(pcm, RATE, pad_ms=100))
    # the 300 ms gap stays inside the first segment, the 1.2 s one separates two
    assert len(spans) == 2
    (a0, a1), (b0, b1) = spans
    assert abs(a0 - 0.9) <= 0.03 and abs(a1 - 2.7) <= 0.05
    assert abs(b0 - 3.7) <= 0.03 and abs(b1 - 4.6) <= 0.05


def test_clicks_make_no_segment_and_silence_gives_the_whole_recording() -> None:
    click = _pcm(_quiet(1000), _tone(30), _quiet(1000))
    assert speech_segments(click, RATE) == [(0, len(click))]
    silent = _pcm(_quiet(2000))
    assert speech_segments(silent, RATE) == [(0, len(silent))]
