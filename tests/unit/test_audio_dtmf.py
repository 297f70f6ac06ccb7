"""Keypad tones: generated strings in noise, short tones, twist, streaming, a sox-made recording."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import convert, pcm16, samples16, to_pipeline
from voicebot.audio.dtmf import (
    COL_HZ,
    KEYS,
    ROW_HZ,
    DtmfDetector,
    basis_power,
    detect_dtmf,
    detect_dtmf_file,
    generate_dtmf,
    goertzel_basis,
    goertzel_power,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def with_noise(chunk: AudioChunk, snr_db: float, seed: int = 0) -> AudioChunk:
    x = samples16(chunk) / 32768.0
    tone_power = np.mean(np.square(x[np.abs(x) > 0]))
    rng = np.random.default_rng(seed)
    noise = rng.normal(0.0, np.sqrt(tone_power / 10 ** (snr_db / 10)), len(x))
    return pcm16((x + noise).astype(np.float32), chunk.rate)


def pieces(chunk: AudioChunk, sizes: list[int]) -> list[AudioChunk]:
    x = samples16(chunk)
    out, i, k = [], 0, 0
    while i < len(x):
        n = sizes[k % len(sizes)]
        out.append(pcm16(x[i : i + n], chunk.rate, round(1000 * i / chunk.rate)))
        i, k = i + n, k + 1
    return out


@pytest.mark.parametrize("rate", [8000, 16000])
def test_every_key_is_heard(rate: int) -> None:
    keys = "0123456789*#ABCD"
    assert detect_dtmf(generate_dtmf(keys, rate)) == keys


@pytest.mark.parametrize("rate", [8000, 16000])
@pytest.mark.parametrize("seed", range(4))
def test_40_ms_tones_with_40_ms_gaps_at_10_db_snr(rate: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    keys = "".join(rng.choice(list("0123456789*#"), 10))
    audio = with_noise(generate_dtmf(keys, rate, tone_ms=40, gap_ms=40), 10.0, seed)
    assert detect_dtmf(audio) == keys


def test_repeated_keys_are_counted_each_time() -> None:
    assert detect_dtmf(generate_dtmf("55500#", 8000, tone_ms=40, gap_ms=40)) == "55500#"


def test_streaming_in_odd_chunk_sizes_gives_the_same_keys_and_start_times() -> None:
    audio = with_noise(generate_dtmf("482913#", 16000, tone_ms=60, gap_ms=50, lead_ms=300), 15.0)
    detector = DtmfDetector(16000)
    found = []
    for chunk in pieces(audio, [160, 37, 999, 320, 1]):
        found += detector.feed(chunk)
    assert "".join(d.digit for d in found) == "482913#"
    expected_starts = [300 + 110 * i for i in range(7)]
    assert all(abs(d.start_ms - s) <= 20 for d, s in zip(found, expected_starts, strict=True))


@pytest.mark.parametrize(
    ("twist", "heard"), [(-6.0, True), (6.0, True), (14.0, False), (-14.0, False)]
)
def test_twist_limits(twist: float, heard: bool) -> None:
    audio = generate_dtmf("7", 8000, tone_ms=80, twist_db=twist)
    assert detect_dtmf(audio) == ("7" if heard else "")


def test_no_keys_in_silence_noise_or_a_single_tone() -> None:
    rate = 8000
    rng = np.random.default_rng(3)
    noise = pcm16(rng.normal(0, 0.1, rate).astype(np.float32), rate)
    t = np.arange(rate) / rate
    one_tone = pcm16((0.4 * np.sin(2 * np.pi * 770 * t)).astype(np.float32), rate)
    silence = pcm16(np.zeros(rate, np.int16), rate)
    chord = pcm16(  # three tones: a row, a column and a neighbouring row
        (
            0.2 * np.sin(2 * np.pi * 697 * t)
            + 0.2 * np.sin(2 * np.pi * 1209 * t)
            + 0.2 * np.sin(2 * np.pi * 852 * t)
        ).astype(np.float32),
        rate,
    )
    for audio in (noise, one_tone, silence, chord):
        assert detect_dtmf(audio) == ""


def test_quiet_tones_below_the_level_floor_are_ignored() -> None:
    assert detect_dtmf(generate_dtmf("1", 8000, amplitude=0.002)) == ""
    assert detect_dtmf(generate_dtmf("1", 8000, amplitude=0.02)) == "1"


def test_through_a_telephone_mulaw_path_and_back_to_16k() -> None:
    audio = with_noise(generate_dtmf("20241234", 16000, tone_ms=50, gap_ms=50), 12.0)
    phone = convert(audio, 8000, width=1, encoding="mulaw")
    assert detect_dtmf(to_pipeline(phone, 16000)) == "20241234"


def test_sox_made_recording_in_mulaw() -> None:
    path = FIXTURES / "dtmf_1590hs_8k_mulaw.wav"
    assert detect_dtmf_file(path) == "1590#*"
    assert detect_dtmf_file(path, rate=16000) == "1590#*"


def test_bad_input_is_refused_clearly() -> None:
    with pytest.raises(AudioError):
        generate_dtmf("12x", 8000)
    detector = DtmfDetector(8000)
    with pytest.raises(AudioError) as err:
        detector.feed(generate_dtmf("1", 16000))
    assert err.value.code == "audio.rate_changed"


def off_nominal_keys(keys: str, rate: int, seed: int) -> AudioChunk:
    """Keys 1.5% off frequency with up to 4 dB twist, 40 ms tones and gaps, as cheap keypads do."""
    rng = np.random.default_rng(seed)
    t = np.arange(rate * 40 // 1000) / rate
    parts = [np.zeros(rate // 20)]
    for key in keys:
        r, c = next((i, row.index(key)) for i, row in enumerate(KEYS) if key in row)
        dev = 1 + rng.choice([-0.015, 0.015], 2)
        twist = rng.uniform(-4, 4)
        tone = 0.3 * 10 ** (twist / 40) * np.sin(2 * np.pi * ROW_HZ[r] * dev[0] * t)
        tone += 0.3 * 10 ** (-twist / 40) * np.sin(2 * np.pi * COL_HZ[c] * dev[1] * t)
        parts += [tone, np.zeros(len(t))]
    return pcm16(np.concatenate(parts).astype(np.float32), rate)


@pytest.mark.parametrize("seed", range(6))
def test_off_frequency_keys_through_mulaw_at_10_db_snr(seed: int) -> None:
    keys = "".join(np.random.default_rng(seed).choice(list("0123456789*#"), 8))
    audio = with_noise(off_nominal_keys(keys, 8000, seed), 10.0, seed)
    phone = convert(audio, 8000, width=1, encoding="mulaw")
    assert detect_dtmf(to_pipeline(phone, 8000)) == keys


def test_the_fast_bin_power_equals_the_goertzel_recurrence() -> None:
    rng = np.random.default_rng(9)
    frames = rng.normal(0, 0.2, (5, 205))
    freqs = np.array([*ROW_HZ, *COL_HZ, 1000.0 * np.pi])
    reference = goertzel_power(frames, freqs, 8000)
    fast = basis_power(frames, goertzel_basis(205, freqs, 8000))
    assert np.allclose(fast, reference, rtol=1e-9, atol=1e-9)
