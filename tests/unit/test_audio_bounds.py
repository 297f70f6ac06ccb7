"""Hostile or degenerate WAV files are refused with an ``audio.*`` code, before any big buffer."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from voicebot.asr.types import AsrError
from voicebot.asr.wavin import read_pcm16
from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import ONE_SHOT_MAX_S, RATE_MAX, RATE_MIN, convert
from voicebot.audio.wav import FILE_MAX_S, WavReader, read_wav


def wav_bytes(data: bytes, *, rate: int = 16000, width: int = 2, channels: int = 1,
              tag: int = 1, declared: int | None = None) -> bytes:
    size = len(data) if declared is None else declared
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * width * channels, width * channels,
                      width * 8)
    return (b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE" + b"fmt " + struct.pack("<I", 16)
            + fmt + b"data" + struct.pack("<I", size) + data)


def write(tmp_path: Path, blob: bytes, name: str = "x.wav") -> Path:
    path = tmp_path / name
    path.write_bytes(blob)
    return path


@pytest.mark.parametrize("rate", [1, 100, RATE_MIN - 1, RATE_MAX + 1])
def test_header_rate_outside_the_sane_range_is_refused(tmp_path: Path, rate: int) -> None:
    path = write(tmp_path, wav_bytes(b"\x00\x01" * 200, rate=rate))
    with pytest.raises(AudioError) as err:
        read_wav(path)
    assert err.value.code == "audio.bad_rate" and str(rate) in str(err.value)


def test_twenty_kb_at_one_hz_never_reaches_the_resampler(tmp_path: Path) -> None:
    path = write(tmp_path, wav_bytes(b"\x10\x00" * 10_000, rate=1))
    with pytest.raises(AudioError) as err:
        read_wav(path)
    assert err.value.code == "audio.bad_rate"


def test_chunks_with_a_bad_rate_are_refused_by_convert() -> None:
    with pytest.raises(AudioError) as err:
        convert(AudioChunk(b"\x00\x00" * 100, 1, 2, 1, 0), 16000)
    assert err.value.code == "audio.bad_rate"
    with pytest.raises(AudioError) as err:
        convert(AudioChunk(b"\x00\x00" * 100, 8000, 2, 1, 0), 10**9)
    assert err.value.code == "audio.bad_rate"


def test_one_shot_conversion_is_bounded() -> None:
    rate = RATE_MIN
    samples = rate * (ONE_SHOT_MAX_S + 1)
    chunk = AudioChunk(bytes(samples), rate, 1, 1, 0, "mulaw")
    with pytest.raises(AudioError) as err:
        convert(chunk, 16000)
    assert err.value.code == "audio.too_long"


def test_file_duration_is_bounded(tmp_path: Path) -> None:
    # 8 channels of 8-bit at 4 kHz: 32 KB per second; a sparse file avoids writing it all
    rate, channels = RATE_MIN, 8
    size = rate * channels * (FILE_MAX_S + 10)
    path = tmp_path / "long.wav"
    with open(path, "wb") as f:
        f.write(wav_bytes(b"", rate=rate, width=1, channels=channels, declared=size))
        f.truncate(44 + size)
    with pytest.raises(AudioError) as err:
        WavReader(path)
    assert err.value.code == "audio.too_long"


DEGENERATE = [
    ("one sample", wav_bytes(b"\x10\x00"), "audio.too_short"),
    ("three data bytes", wav_bytes(b"\x10\x00\x20"), "audio.partial_frame"),
    ("truncated data", wav_bytes(b"\x10\x00" * 8000, declared=32000), "audio.truncated"),
    ("NaN samples", wav_bytes(np.full(8000, np.nan, "<f4").tobytes(), width=4, tag=3),
     "audio.bad_samples"),
    ("Inf samples", wav_bytes(np.r_[np.zeros(7999), np.inf].astype("<f4").tobytes(), width=4,
                              tag=3), "audio.bad_samples"),
]


@pytest.mark.parametrize(("label", "blob", "code"), DEGENERATE, ids=[d[0] for d in DEGENERATE])
def test_degenerate_audio_is_a_clear_recognition_error(tmp_path: Path, label: str, blob: bytes,
                                                       code: str) -> None:
    path = write(tmp_path, blob)
    with pytest.raises(AsrError) as err:
        read_pcm16(path, 16000)
    assert err.value.code == "asr.bad_audio", label
    assert code in str(err.value) and str(path) in str(err.value)


def test_a_short_sound_still_reads(tmp_path: Path) -> None:
    tone = (np.sin(np.arange(1600) / 3) * 8000).astype("<i2").tobytes()
    pcm, seconds = read_pcm16(write(tmp_path, wav_bytes(tone)), 16000)
    assert seconds == pytest.approx(0.1) and len(pcm) == 3200
