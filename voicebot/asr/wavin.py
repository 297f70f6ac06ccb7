"""Read any common WAV (PCM 8/16/24/32-bit, float, G.711) into 16-bit mono at the engine rate."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soxr

from voicebot.asr.types import AsrError

_PCM, _FLOAT, _ALAW, _MULAW, _EXTENSIBLE = 1, 3, 6, 7, 0xFFFE


@dataclass(frozen=True)
class WavAudio:
    """Decoded audio: float32 mono samples in -1..1 and their rate."""

    samples: np.ndarray
    rate: int

    @property
    def duration_s(self) -> float:
        """Length in seconds."""
        return len(self.samples) / self.rate if self.rate else 0.0


def _bad(path: Path, what: str) -> AsrError:
    return AsrError(f"{path}: {what}", "asr.bad_audio")


def _g711_table(kind: int) -> np.ndarray:
    codes = np.arange(256, dtype=np.int32)
    if kind == _MULAW:
        u = ~codes & 0xFF
        sign = u & 0x80
        exp = (u >> 4) & 0x07
        mant = u & 0x0F
        mag = (((mant << 3) + 0x84) << exp) - 0x84
        return np.where(sign != 0, -mag, mag).astype(np.float32) / 32768.0
    a = codes ^ 0x55
    sign = a & 0x80
    exp = (a >> 4) & 0x07
    mant = a & 0x0F
    mag = np.where(exp == 0, (mant << 4) + 8, ((mant << 4) + 0x108) << np.maximum(exp - 1, 0))
    return np.where(sign != 0, mag, -mag).astype(np.float32) / 32768.0


def read_wav(path: Path | str) -> WavAudio:
    """Decode a WAV file to mono float; raises :class:`AsrError` ``asr.bad_audio`` saying why."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _bad(path, f"cannot read: {exc.strerror or exc}") from exc
    if not data:
        raise _bad(path, "empty file")
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RF64") or data[8:12] != b"WAVE":
        raise _bad(path, "not a WAV file (no RIFF/WAVE header)")
    pos, fmt, body = 12, None, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunk = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            fmt = chunk
        elif cid == b"data":
            body = chunk  # a truncated or streaming data chunk: take what is there
            break
        pos += 8 + size + (size & 1)
    if fmt is None or len(fmt) < 16:
        raise _bad(path, "truncated header (no complete fmt chunk)")
    tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE and len(fmt) >= 26:
        tag = struct.unpack("<H", fmt[24:26])[0]
    if body is None:
        raise _bad(path, "no data chunk")
    if channels < 1 or rate < 1000:
        raise _bad(path, f"unusable format ({channels} channels at {rate} Hz)")
    width = bits // 8
    if width < 1:
        raise _bad(path, f"unsupported sample size {bits} bits")
    frame = width * channels
    body = body[: len(body) // frame * frame]
    if not body:
        raise _bad(path, "no samples")
    x = _decode(path, body, tag, width)
    x = x.reshape(-1, channels).mean(axis=1, dtype=np.float32)
    return WavAudio(samples=x, rate=rate)


def _decode(path: Path, body: bytes, tag: int, width: int) -> np.ndarray:
    if tag in (_MULAW, _ALAW) and width == 1:
        return _g711_table(tag)[np.frombuffer(body, np.uint8)]
    if tag == _FLOAT and width in (4, 8):
        return np.frombuffer(body, "<f4" if width == 4 else "<f8").astype(np.float32)
    if tag != _PCM:
        raise _bad(path, f"unsupported WAV encoding (format tag {tag})")
    if width == 1:
        return (np.frombuffer(body, np.uint8).astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return np.frombuffer(body, "<i2").astype(np.float32) / 32768.0
    if width == 3:
        b = np.frombuffer(body, np.uint8).reshape(-1, 3).astype(np.int32)
        v = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        v = np.where(v & 0x800000, v - 0x1000000, v)
        return v.astype(np.float32) / 8388608.0
    if width == 4:
        return np.frombuffer(body, "<i4").astype(np.float32) / 2147483648.0
    raise _bad(path, f"unsupported sample width {width} bytes")


def to_pcm16(samples: np.ndarray, rate: int, target_rate: int) -> bytes:
    """Resample (soxr, high quality) and convert to 16-bit little-endian PCM bytes."""
    x = samples.astype(np.float32, copy=False)
    if rate != target_rate:
        x = soxr.resample(x, rate, target_rate, quality="HQ")
    return np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2").tobytes()


def read_pcm16(path: Path | str, target_rate: int) -> tuple[bytes, float]:
    """The file as 16-bit mono PCM at ``target_rate`` and its duration in seconds."""
    audio = read_wav(path)
    return to_pcm16(audio.samples, audio.rate, target_rate), audio.duration_s
