"""Conversion where audio enters: codings, down-mixing and real resampling."""

from __future__ import annotations

import numpy as np
import pytest

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import (
    ALAW_DECODE,
    ALAW_ENCODE,
    MULAW_DECODE,
    MULAW_ENCODE,
    Rechunker,
    StreamConverter,
    convert,
    encode,
    pcm16,
    samples16,
    to_mono_float,
    to_pipeline,
)


def sine(freq: float, rate: int, seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x.astype(np.float64)))))


def test_g711_tables_match_the_standard_anchor_values() -> None:
    assert MULAW_DECODE[0x00] == -32124 and MULAW_DECODE[0x80] == 32124
    assert MULAW_DECODE[0xFF] == 0 and MULAW_DECODE[0x7F] == 0
    assert ALAW_DECODE[0xD5] == 8 and ALAW_DECODE[0x55] == -8
    assert ALAW_DECODE[0xAA] == 32256 and ALAW_DECODE[0x2A] == -32256


@pytest.mark.parametrize(
    ("enc", "dec", "max_rel"),
    [(MULAW_ENCODE, MULAW_DECODE, 0.037), (ALAW_ENCODE, ALAW_DECODE, 0.033)],
)
def test_g711_round_trip_error_is_within_the_companding_step(
    enc: np.ndarray, dec: np.ndarray, max_rel: float
) -> None:
    x = np.arange(-32768, 32768)
    y = dec[enc[x + 32768]].astype(np.int64)
    big = (np.abs(x) > 512) & (np.abs(x) < 32000)  # above 32000 mu-law clips at 32124
    assert np.max(np.abs(y - x)[big] / np.abs(x)[big]) < max_rel
    assert np.max(np.abs(y - x)[np.abs(x) <= 512]) <= 16
    assert np.max(np.abs(y - x)) <= 644  # the clipped top of mu-law
    # decoding then encoding gives the same byte (except mu-law's negative zero)
    codes = np.arange(256)
    again = enc[dec.astype(np.int64) + 32768]
    assert np.sum(again != codes) <= 1


@pytest.mark.parametrize(
    ("encoding", "width"),
    [
        ("pcm", 1),
        ("pcm", 2),
        ("pcm", 3),
        ("pcm", 4),
        ("float", 4),
        ("float", 8),
        ("mulaw", 1),
        ("alaw", 1),
    ],
)
def test_every_coding_decodes_back_to_the_signal(encoding: str, width: int) -> None:
    x = sine(440, 16000, 0.2)
    chunk = AudioChunk(encode(x, encoding, width), 16000, width, 1, 0, encoding)
    y = to_mono_float(chunk)
    tol = {1: 0.02, 2: 1e-4, 3: 1e-6, 4: 1e-6, 8: 1e-6}[width]
    if encoding in ("mulaw", "alaw"):
        tol = 512 / 32768 + 1e-4  # half the largest step below amplitude 0.5
    assert len(y) == len(x)
    assert np.max(np.abs(y - x)) < tol


def test_stereo_is_down_mixed_by_averaging() -> None:
    left, right = sine(440, 8000, 0.1), sine(1000, 8000, 0.1, 0.25)
    both = np.stack([left, right], axis=1)
    chunk = AudioChunk(encode(both, "pcm", 2), 8000, 2, 2)
    out = samples16(to_pipeline(chunk, 8000)) / 32768.0
    assert np.max(np.abs(out - (left + right) / 2)) < 1e-3


def test_resampling_8k_16k_8k_keeps_frequency_and_energy() -> None:
    x = sine(440, 8000, 1.0)
    up = to_pipeline(pcm16(x, 8000), 16000)
    assert up.rate == 16000 and abs(up.samples - 16000) <= 1
    up_f = samples16(up) / 32768.0
    assert abs(peak_hz(up_f, 16000) - 440) < 2
    down = samples16(to_pipeline(up, 8000)) / 32768.0
    assert abs(peak_hz(down, 8000) - 440) < 2
    mid = slice(400, -400)  # away from the filter edges
    assert abs(rms(down[mid]) - rms(x[mid])) / rms(x[mid]) < 0.01
    assert np.max(np.abs(down[mid] - x[mid])) < 0.01


def test_resampling_removes_content_above_the_new_nyquist() -> None:
    x = sine(6000, 16000, 0.5)  # cannot exist at 8 kHz
    down = samples16(to_pipeline(pcm16(x, 16000), 8000)) / 32768.0
    assert rms(down[200:-200]) < 0.01 * rms(x)


def test_stream_converter_matches_one_shot_and_keeps_state() -> None:
    x = sine(440, 44100, 1.0)
    conv = StreamConverter(16000)
    pieces = []
    step = 441 * 2  # 20 ms
    for i in range(0, len(x), step):
        chunk = pcm16(x[i : i + step], 44100, timestamp_ms=round(i * 1000 / 44100))
        pieces.append(conv.convert(chunk))
    pieces.append(conv.flush())
    streamed = np.concatenate([samples16(p) for p in pieces]) / 32768.0
    assert abs(len(streamed) - 16000) <= 2
    whole = samples16(to_pipeline(pcm16(x, 44100), 16000)) / 32768.0
    n = min(len(whole), len(streamed))
    # a fresh resampler per chunk would leave clicks at every boundary; the stream has none
    assert np.max(np.abs(streamed[100 : n - 100] - whole[100 : n - 100])) < 0.01
    stamps = [p.timestamp_ms for p in pieces if p.samples]
    assert stamps == sorted(stamps)


def test_stream_converter_rejects_a_rate_change() -> None:
    conv = StreamConverter(16000)
    conv.convert(pcm16(sine(440, 8000, 0.02), 8000))
    with pytest.raises(AudioError) as err:
        conv.convert(pcm16(sine(440, 11025, 0.02), 11025))
    assert err.value.code == "audio.rate_changed"


def test_pipeline_audio_passes_through_unchanged() -> None:
    chunk = pcm16(sine(440, 16000, 0.05), 16000, 120)
    assert to_pipeline(chunk, 16000) is chunk


@pytest.mark.parametrize(
    ("chunk", "code"),
    [
        (AudioChunk(b"\0\0\0", 8000, 2, 1), "audio.partial_frame"),
        (AudioChunk(b"\0\0", 8000, 2, 1, 0, "gsm"), "audio.unsupported_format"),
        (AudioChunk(b"\0\0", 8000, 2, 1, 0, "mulaw"), "audio.unsupported_format"),
        (AudioChunk(b"\0" * 6, 8000, 6, 1), "audio.unsupported_format"),
        (AudioChunk(b"\0\0", 0, 2, 1), "audio.bad_rate"),
    ],
)
def test_unusable_formats_raise_audio_error(chunk: AudioChunk, code: str) -> None:
    with pytest.raises(AudioError) as err:
        to_pipeline(chunk, 16000)
    assert err.value.code == code


def test_convert_to_telephone_mulaw_and_back() -> None:
    x = sine(1000, 16000, 0.5, 0.3)
    tel = convert(pcm16(x, 16000), 8000, width=1, encoding="mulaw")
    assert (tel.rate, tel.width, tel.encoding, tel.samples) == (8000, 1, "mulaw", 4000)
    back = samples16(to_pipeline(tel, 16000)) / 32768.0
    assert abs(peak_hz(back, 16000) - 1000) < 3
    assert abs(rms(back[200:-200]) - rms(x)) / rms(x) < 0.03


def test_rechunker_cuts_exact_pieces_with_timestamps() -> None:
    r = Rechunker(16000, 20)
    out = []
    for n in (100, 700, 33, 900):
        out += r.feed(pcm16(np.zeros(n, np.int16), 16000))
    out += r.flush()
    assert [c.samples for c in out] == [320] * 5 + [133]
    assert [c.timestamp_ms for c in out] == [0, 20, 40, 60, 80, 100]


def test_stream_converter_passes_pipeline_audio_through_with_continuous_times() -> None:
    conv = StreamConverter(16000)
    first = pcm16(sine(440, 16000, 0.02), 16000, 500)
    second = pcm16(sine(440, 16000, 0.02), 16000, 0)  # a source restarting its own clock
    assert conv.convert(first) is first
    out = conv.convert(second)
    assert out.audio == second.audio and out.timestamp_ms == 520
    assert conv.flush().samples == 0
