"""Format conversion where audio enters: PCM, float or G.711 chunks to 16-bit mono at one rate."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import soxr

from voicebot.audio.chunk import ENCODINGS, AudioChunk, AudioError

PIPELINE_WIDTH = 2
"""Bytes per sample of pipeline audio (16-bit signed)."""

RATE_MIN = 4000
"""Lowest sample rate accepted (below it no speech fits, and a hostile header claiming 1 Hz
would turn a few KB into hours of audio when resampled)."""
RATE_MAX = 384_000
"""Highest sample rate accepted."""
ONE_SHOT_MAX_S = 3600
"""Longest audio converted in one piece (one utterance or one whole file held in memory);
longer audio must be streamed (:func:`voicebot.audio.wav.iter_wav`)."""


def check_rate(rate: int, what: str = "sample rate") -> None:
    """Raise ``audio.bad_rate`` unless ``rate`` is within [RATE_MIN, RATE_MAX]."""
    if not RATE_MIN <= rate <= RATE_MAX:
        raise AudioError(f"{what} {rate} Hz is outside {RATE_MIN}-{RATE_MAX} Hz", "audio.bad_rate")

_INT_DTYPES: dict[int, str] = {1: "i1", 2: "<i2", 4: "<i4"}
_PCM_SCALE = {1: 128.0, 2: 32768.0, 3: 8388608.0, 4: 2147483648.0}


def _mulaw_decode_table() -> np.ndarray:
    u = ~np.arange(256, dtype=np.int32) & 0xFF
    exponent = (u >> 4) & 0x07
    mantissa = u & 0x0F
    magnitude = (((mantissa << 3) + 0x84) << exponent) - 0x84
    table = np.where(u & 0x80, -magnitude, magnitude).astype(np.int16)
    table.flags.writeable = False
    return table


def _alaw_decode_table() -> np.ndarray:
    a = np.arange(256, dtype=np.int32) ^ 0x55
    seg = (a & 0x70) >> 4
    t = (a & 0x0F) << 4
    t = np.where(seg == 0, t + 8, (t + 0x108) << np.maximum(seg - 1, 0))
    table = np.where(a & 0x80, t, -t).astype(np.int16)
    table.flags.writeable = False
    return table


def _mulaw_encode_table() -> np.ndarray:
    x = np.arange(-32768, 32768, dtype=np.int32)
    sign = np.where(x < 0, 0x80, 0)
    mag = np.minimum(np.abs(x), 32635) + 0x84
    exponent = np.clip(np.floor(np.log2(mag >> 7)).astype(np.int32), 0, 7)
    mantissa = (mag >> (exponent + 3)) & 0x0F
    table = (~(sign | (exponent << 4) | mantissa) & 0xFF).astype(np.uint8)
    table.flags.writeable = False
    return table


def _alaw_encode_table() -> np.ndarray:
    x = np.arange(-32768, 32768, dtype=np.int32) >> 3
    mask = np.where(x >= 0, 0xD5, 0x55)
    x = np.where(x >= 0, x, -x - 1)
    bounds = np.array([0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF])
    seg = np.searchsorted(bounds, x)  # first segment whose end is >= x
    low = np.where(seg < 2, (x >> 1) & 0x0F, (x >> np.maximum(seg, 1)) & 0x0F)
    aval = np.where(seg >= 8, 0x7F, (seg << 4) | low)
    table = ((aval ^ mask) & 0xFF).astype(np.uint8)
    table.flags.writeable = False
    return table


MULAW_DECODE = _mulaw_decode_table()
"""G.711 mu-law byte to 16-bit sample."""
ALAW_DECODE = _alaw_decode_table()
"""G.711 A-law byte to 16-bit sample."""
MULAW_ENCODE = _mulaw_encode_table()
"""16-bit sample (offset by 32768) to G.711 mu-law byte."""
ALAW_ENCODE = _alaw_encode_table()
"""16-bit sample (offset by 32768) to G.711 A-law byte."""


def check_format(chunk: AudioChunk) -> None:
    """Raise :class:`AudioError` unless the chunk's format is one we can decode."""
    if chunk.encoding not in ENCODINGS:
        raise AudioError(f"unknown sample encoding {chunk.encoding!r}", "audio.unsupported_format")
    check_rate(chunk.rate)
    if chunk.channels < 1:
        raise AudioError(f"{chunk.channels} channels", "audio.bad_channels")
    allowed = {"pcm": (1, 2, 3, 4), "float": (4, 8), "mulaw": (1,), "alaw": (1,)}[chunk.encoding]
    if chunk.width not in allowed:
        raise AudioError(
            f"{chunk.encoding} audio with {chunk.width * 8}-bit samples is not supported",
            "audio.unsupported_format",
        )
    if len(chunk.audio) % (chunk.width * chunk.channels):
        raise AudioError(
            f"{len(chunk.audio)} bytes is not a whole number of {chunk.channels}-channel frames",
            "audio.partial_frame",
        )


def to_float(chunk: AudioChunk) -> np.ndarray:
    """Samples as float32 in [-1, 1], shape (frames, channels)."""
    check_format(chunk)
    raw = chunk.audio
    if chunk.encoding == "mulaw":
        data = MULAW_DECODE[np.frombuffer(raw, np.uint8)].astype(np.float32) / 32768.0
    elif chunk.encoding == "alaw":
        data = ALAW_DECODE[np.frombuffer(raw, np.uint8)].astype(np.float32) / 32768.0
    elif chunk.encoding == "float":
        data = np.frombuffer(raw, "<f4" if chunk.width == 4 else "<f8").astype(np.float32)
        data = np.clip(np.nan_to_num(data, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    elif chunk.width == 3:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        ints = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        ints = np.where(ints >= 1 << 23, ints - (1 << 24), ints)
        data = ints.astype(np.float32) / _PCM_SCALE[3]
    else:
        dtype = _INT_DTYPES[chunk.width]
        data = (np.frombuffer(raw, dtype).astype(np.float64) / _PCM_SCALE[chunk.width]).astype(
            np.float32
        )
    return data.reshape(-1, chunk.channels)


def to_mono_float(chunk: AudioChunk) -> np.ndarray:
    """Samples down-mixed (averaged) to one channel, float32 in [-1, 1]."""
    data = to_float(chunk)
    if chunk.channels == 1:
        return data[:, 0]
    return data.mean(axis=1, dtype=np.float32)


def float_to_int16(samples: np.ndarray) -> np.ndarray:
    """Float samples in [-1, 1] to int16 (rounded, clipped)."""
    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype(np.int16)


def pcm16(samples: np.ndarray, rate: int, timestamp_ms: int = 0) -> AudioChunk:
    """A pipeline chunk from mono samples: int16 as they are, floats in [-1, 1] scaled."""
    data = samples if samples.dtype == np.int16 else float_to_int16(np.asarray(samples))
    return AudioChunk(data.astype("<i2").tobytes(), rate, PIPELINE_WIDTH, 1, timestamp_ms)


def samples16(chunk: AudioChunk) -> np.ndarray:
    """The int16 samples of a pipeline chunk (16-bit mono), without copying."""
    if not chunk.is_pipeline:
        raise AudioError(
            f"expected 16-bit mono PCM, got {chunk.encoding} {chunk.width * 8}-bit "
            f"{chunk.channels}-channel audio; convert it with to_pipeline first",
            "audio.not_pipeline",
        )
    return np.frombuffer(chunk.audio, "<i2")


def encode(samples: np.ndarray, encoding: str = "pcm", width: int = 2) -> bytes:
    """Mono or (frames, channels) float samples in [-1, 1] coded as ``encoding``/``width``."""
    flat = np.asarray(samples, dtype=np.float32).reshape(-1)
    if encoding in ("mulaw", "alaw"):
        table = MULAW_ENCODE if encoding == "mulaw" else ALAW_ENCODE
        return table[float_to_int16(flat).astype(np.int32) + 32768].tobytes()
    if encoding == "float":
        return flat.astype("<f4" if width == 4 else "<f8").tobytes()
    if encoding != "pcm" or width not in _PCM_SCALE:
        raise AudioError(f"cannot encode {encoding} {width * 8}-bit", "audio.unsupported_format")
    scale = _PCM_SCALE[width]
    ints = np.clip(np.rint(flat.astype(np.float64) * scale), -scale, scale - 1).astype(np.int64)
    if width == 3:
        u = (ints & 0xFFFFFF).astype(np.uint32)
        return (
            np.stack([u & 0xFF, (u >> 8) & 0xFF, (u >> 16) & 0xFF], axis=1)
            .astype(np.uint8)
            .tobytes()
        )
    return ints.astype(_INT_DTYPES[width]).tobytes()


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Mono float32 samples resampled with soxr (high quality)."""
    if rate_in == rate_out or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    return np.asarray(soxr.resample(samples, rate_in, rate_out, quality="HQ"), dtype=np.float32)


def convert(
    chunk: AudioChunk,
    rate: int,
    *,
    width: int = PIPELINE_WIDTH,
    channels: int = 1,
    encoding: str = "pcm",
) -> AudioChunk:
    """The whole chunk in another format (one-shot; use :class:`StreamConverter` for streams)."""
    if (chunk.rate, chunk.width, chunk.channels, chunk.encoding) == (
        rate,
        width,
        channels,
        encoding,
    ):
        check_format(chunk)
        return chunk
    check_rate(rate, "target rate")
    check_format(chunk)
    seconds = len(chunk.audio) / (chunk.width * chunk.channels) / chunk.rate
    if seconds > ONE_SHOT_MAX_S:
        raise AudioError(f"{seconds:.0f} s of audio is more than {ONE_SHOT_MAX_S} s in one piece",
                         "audio.too_long")
    mono = resample(to_mono_float(chunk), chunk.rate, rate)
    out = np.repeat(mono[:, None], channels, axis=1) if channels > 1 else mono
    return AudioChunk(
        encode(out, encoding, width), rate, width, channels, chunk.timestamp_ms, encoding
    )


def to_pipeline(chunk: AudioChunk, rate: int = 16000) -> AudioChunk:
    """The chunk as 16-bit signed mono PCM at ``rate``: the format every stage works on."""
    return convert(chunk, rate)


class StreamConverter:
    """Converts a stream of chunks to pipeline format, keeping resampler state across chunks.

    Audio already in pipeline format at ``rate`` passes straight through. When resampling, soxr
    works in blocks: at ``HQ`` output comes in bursts about every 100 ms (``LQ``: 60 ms,
    ``QQ``: none, but a cubic interpolator only).
    """

    def __init__(self, rate: int = 16000, quality: str = "HQ") -> None:
        self.rate = rate
        self.quality = quality
        self._in_rate: int | None = None
        self._stream: soxr.ResampleStream | None = None
        self._start_ms = 0
        self._emitted = 0

    def _out(self, samples: np.ndarray) -> AudioChunk:
        ts = self._start_ms + round(1000 * self._emitted / self.rate)
        self._emitted += len(samples)
        return pcm16(samples, self.rate, ts)

    def convert(self, chunk: AudioChunk) -> AudioChunk:
        """The next piece of converted audio (may be shorter or empty while the resampler fills)."""
        same = chunk.is_pipeline and chunk.rate == self.rate
        if same and self._in_rate in (None, self.rate):  # already right: pass it through
            if self._in_rate is None:
                self._in_rate, self._start_ms = chunk.rate, chunk.timestamp_ms
            ts = self._start_ms + round(1000 * self._emitted / self.rate)
            self._emitted += chunk.samples
            return chunk if chunk.timestamp_ms == ts else replace(chunk, timestamp_ms=ts)
        mono = to_mono_float(chunk)
        if self._in_rate is None:
            self._in_rate = chunk.rate
            self._start_ms = chunk.timestamp_ms
            if chunk.rate != self.rate:
                self._stream = soxr.ResampleStream(
                    chunk.rate, self.rate, 1, "float32", self.quality
                )
        elif chunk.rate != self._in_rate:
            raise AudioError(
                f"sample rate changed mid-stream from {self._in_rate} to {chunk.rate} Hz",
                "audio.rate_changed",
            )
        if self._stream is not None:
            mono = self._stream.resample_chunk(mono, last=False)
        return self._out(mono)

    def flush(self) -> AudioChunk:
        """Whatever the resampler still holds, at the end of the stream."""
        if self._stream is None:
            return self._out(np.zeros(0, np.float32))
        tail = self._stream.resample_chunk(np.zeros(0, np.float32), last=True)
        return self._out(tail)


class Rechunker:
    """Cuts a stream of pipeline chunks into pieces of exactly ``ms`` milliseconds."""

    def __init__(self, rate: int = 16000, ms: int = 20) -> None:
        self.rate = rate
        self.size = max(1, rate * ms // 1000) * PIPELINE_WIDTH
        self._buf = bytearray()
        self._pos = 0
        self._start: int | None = None

    def _cut(self, nbytes: int) -> AudioChunk:
        assert self._start is not None
        data = bytes(self._buf[:nbytes])
        del self._buf[:nbytes]
        ts = self._start + round(1000 * self._pos / self.rate)
        self._pos += nbytes // PIPELINE_WIDTH
        return AudioChunk(data, self.rate, PIPELINE_WIDTH, 1, ts)

    def feed(self, chunk: AudioChunk) -> list[AudioChunk]:
        """Whole pieces now available after adding ``chunk``."""
        samples16(chunk)
        if chunk.rate != self.rate:
            raise AudioError(f"expected {self.rate} Hz, got {chunk.rate} Hz", "audio.rate_changed")
        if self._start is None:
            self._start = chunk.timestamp_ms
        self._buf.extend(chunk.audio)
        out = []
        while len(self._buf) >= self.size:
            out.append(self._cut(self.size))
        return out

    def flush(self) -> list[AudioChunk]:
        """The last, shorter piece, if any."""
        return [self._cut(len(self._buf))] if self._buf else []
