"""Reading WAVs of any format, and clear errors for bad files."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from voicebot.asr.types import AsrError
from voicebot.asr.wavin import read_pcm16, read_wav


def _tone(rate: int, seconds: float = 0.5, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (0.5 * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _write(path: Path, frames: bytes, rate: int, width: int, channels: int) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def _raw_wav(path: Path, tag: int, rate: int, bits: int, body: bytes, channels: int = 1) -> Path:
    block = channels * bits // 8
    fmt = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    data = b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(body)) + b"WAVE"
    data += (
        b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(body)) + body
    )
    path.write_bytes(data)
    return path


def _peak_freq(x: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(x))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spec))])


def test_stereo_44k_24bit_becomes_mono_16k(tmp_path: Path) -> None:
    x = _tone(44100)
    left = np.round(x * 8388607).astype(np.int32)
    inter = np.stack([left, left], axis=1).reshape(-1)
    b = inter.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    f = _write(tmp_path / "st.wav", b, 44100, 3, 2)
    audio = read_wav(f)
    assert audio.rate == 44100 and abs(audio.duration_s - 0.5) < 1e-3
    pcm, dur = read_pcm16(f, 16000)
    assert abs(dur - 0.5) < 1e-3
    y = np.frombuffer(pcm, "<i2").astype(np.float32) / 32768
    assert abs(len(y) - 8000) <= 2 and abs(_peak_freq(y, 16000) - 440) < 5
    assert 0.45 < float(np.max(np.abs(y))) < 0.55


def test_8k_mulaw_is_decoded(tmp_path: Path) -> None:
    # mu-law code 0xFF is zero; build a square-ish wave from two codes of opposite sign
    codes = np.tile(np.array([0x80] * 4 + [0x00] * 4, dtype=np.uint8), 1000)
    f = _raw_wav(tmp_path / "mu.wav", 7, 8000, 8, codes.tobytes())
    audio = read_wav(f)
    assert audio.rate == 8000 and len(audio.samples) == 8000
    assert float(audio.samples.max()) > 0.9 and float(audio.samples.min()) < -0.9
    silent = _raw_wav(tmp_path / "mu0.wav", 7, 8000, 8, bytes([0xFF]) * 800)
    assert float(np.max(np.abs(read_wav(silent).samples))) < 1e-3


def test_alaw_and_8bit_and_float(tmp_path: Path) -> None:
    assert len(read_wav(_raw_wav(tmp_path / "a.wav", 6, 8000, 8, bytes([0xD5]) * 80)).samples) == 80
    u8 = _write(tmp_path / "u8.wav", bytes([128, 255, 0, 128]), 8000, 1, 1)
    assert read_wav(u8).samples.tolist()[:3] == [0.0, 127 / 128, -1.0]
    fl = _raw_wav(tmp_path / "f.wav", 3, 16000, 32, np.array([0.25, -0.5], "<f4").tobytes())
    assert read_wav(fl).samples.tolist() == [0.25, -0.5]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"this is not audio at all", "not a WAV"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00", "truncated header"),
    ],
)
def test_bad_files_fail_clearly(tmp_path: Path, content: bytes, message: str) -> None:
    f = tmp_path / "bad.wav"
    f.write_bytes(content)
    with pytest.raises(AsrError) as exc:
        read_wav(f)
    assert (
        exc.value.code == "asr.bad_audio" and message in str(exc.value) and str(f) in str(exc.value)
    )


def test_zero_samples_and_missing_file(tmp_path: Path) -> None:
    f = _write(tmp_path / "zero.wav", b"", 16000, 2, 1)
    with pytest.raises(AsrError, match="no samples"):
        read_wav(f)
    with pytest.raises(AsrError, match="cannot read"):
        read_wav(tmp_path / "nope.wav")


def test_truncated_data_is_read_as_far_as_it_goes(tmp_path: Path) -> None:
    f = _write(tmp_path / "t.wav", np.zeros(1600, "<i2").tobytes(), 16000, 2, 1)
    data = f.read_bytes()
    f.write_bytes(data[: len(data) - 1001])  # header claims more than is there, odd byte count
    assert len(read_wav(f).samples) == (1600 * 2 - 1001) // 2
