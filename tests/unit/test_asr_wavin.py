"""WAV files of any format into recognizer PCM, and clear errors for bad files."""

from __future__ import annotations

import struct
import wave
from pathlib import Path

import numpy as np
import pytest

from voicebot.asr.types import AsrError
from voicebot.asr.wavin import read_pcm16


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


def _raw_wav(path: Path, tag: int, rate: int, bits: int, body: bytes) -> Path:
    block = bits // 8
    fmt = struct.pack("<HHIIHH", tag, 1, rate, rate * block, block, bits)
    data = b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(body)) + b"WAVE"
    data += b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(body))
    path.write_bytes(data + body)
    return path


def _samples(pcm: bytes) -> np.ndarray:
    return np.frombuffer(pcm, "<i2").astype(np.float32) / 32768


def _peak_freq(x: np.ndarray, rate: int) -> float:
    spec = np.abs(np.fft.rfft(x))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[int(np.argmax(spec))])


def test_stereo_44k_24bit_becomes_mono_16k(tmp_path: Path) -> None:
    left = np.round(_tone(44100) * 8388607).astype(np.int32)
    inter = np.stack([left, left], axis=1).reshape(-1)
    b = inter.astype("<i4").view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    f = _write(tmp_path / "st.wav", b, 44100, 3, 2)
    pcm, dur = read_pcm16(f, 16000)
    y = _samples(pcm)
    assert abs(dur - 0.5) < 1e-3 and abs(len(y) - 8000) <= 2
    assert abs(_peak_freq(y, 16000) - 440) < 5 and 0.45 < float(np.max(np.abs(y))) < 0.55


def test_8k_mulaw_is_decoded_and_upsampled(tmp_path: Path) -> None:
    codes = np.tile(np.array([0x80] * 4 + [0x00] * 4, dtype=np.uint8), 1000)  # +max / -max
    pcm, dur = read_pcm16(_raw_wav(tmp_path / "mu.wav", 7, 8000, 8, codes.tobytes()), 16000)
    y = _samples(pcm)
    assert dur == pytest.approx(1.0) and abs(len(y) - 16000) <= 2
    assert float(y.max()) > 0.8 and float(y.min()) < -0.8
    silent, _ = read_pcm16(_raw_wav(tmp_path / "mu0.wav", 7, 8000, 8, bytes([0xFF]) * 800), 16000)
    assert float(np.max(np.abs(_samples(silent)))) < 1e-3


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "audio.empty_file"),
        (b"this is not audio at all", "audio.not_wav"),
        (b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00", "audio.truncated"),
    ],
)
def test_bad_files_fail_clearly(tmp_path: Path, content: bytes, code: str) -> None:
    f = tmp_path / "bad.wav"
    f.write_bytes(content)
    with pytest.raises(AsrError) as exc:
        read_pcm16(f, 16000)
    assert exc.value.code == "asr.bad_audio" and code in str(exc.value) and str(f) in str(exc.value)


def test_zero_samples_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AsrError, match="no audio samples"):
        read_pcm16(_write(tmp_path / "zero.wav", b"", 16000, 2, 1), 16000)
    with pytest.raises(AsrError, match="cannot open"):
        read_pcm16(tmp_path / "nope.wav", 16000)
