"""WAV files in and out: a RIFF parser for every common coding, and a 16-bit mono writer."""

from __future__ import annotations

import io
import os
import struct
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

import numpy as np

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import (
    ONE_SHOT_MAX_S,
    PIPELINE_WIDTH,
    RATE_MAX,
    RATE_MIN,
    Rechunker,
    StreamConverter,
    convert,
)

_TAGS = {1: "pcm", 3: "float", 6: "alaw", 7: "mulaw"}
_TAG_NAMES = {2: "MS ADPCM", 0x11: "IMA ADPCM", 0x31: "GSM 6.10", 0x50: "MPEG", 0x55: "MP3"}
_EXTENSIBLE = 0xFFFE
_TAG_OF = {v: k for k, v in _TAGS.items()}

FILE_MAX_S = 6 * 3600
"""Longest WAV file accepted at all (streamed); one read whole is bounded by ONE_SHOT_MAX_S."""


@dataclass(frozen=True)
class WavInfo:
    """What a WAV file's header says about its audio."""

    rate: int
    """Samples per second per channel."""
    width: int
    """Bytes per sample as stored."""
    channels: int
    """Interleaved channels."""
    encoding: str
    """``pcm``, ``float``, ``mulaw`` or ``alaw``."""
    frames: int
    """Samples per channel actually present in the file."""
    data_offset: int
    """Byte offset of the first sample."""
    declared_bytes: int = 0
    """Size of the data chunk as the header states it."""
    present_bytes: int = 0
    """Bytes of the data chunk actually in the file (at most ``declared_bytes``)."""

    @property
    def duration_s(self) -> float:
        """Length of the audio in seconds."""
        return self.frames / self.rate


def _flip_sign(data: bytes) -> bytes:
    return (np.frombuffer(data, np.uint8) ^ 0x80).tobytes()


def _bad(path: Path, what: str, code: str) -> AudioError:
    return AudioError(f"{path}: {what}", code)


def parse_header(f: BinaryIO, path: Path, file_size: int) -> WavInfo:
    """Read the RIFF chunks up to the data chunk and describe the audio."""
    if file_size == 0:
        raise _bad(path, "the file is empty", "audio.empty_file")
    head = f.read(12)
    if len(head) < 12 or head[:4] not in (b"RIFF", b"RIFX", b"RF64") or head[8:12] != b"WAVE":
        if head[:4] in (b"RIFF", b"RF64") and len(head) < 12:
            raise _bad(path, "the WAV header is truncated", "audio.truncated")
        raise _bad(path, "not a WAV file (no RIFF/WAVE header)", "audio.not_wav")
    if head[:4] != b"RIFF":
        raise _bad(
            path, f"{head[:4].decode()} WAV files are not supported", "audio.unsupported_format"
        )
    fmt: bytes | None = None
    while True:
        hdr = f.read(8)
        if len(hdr) < 8:
            missing = "fmt" if fmt is None else "data"
            raise _bad(path, f"the WAV header is truncated (no {missing} chunk)", "audio.truncated")
        cid, size = hdr[:4], struct.unpack("<I", hdr[4:])[0]
        if cid == b"fmt ":
            fmt = f.read(size)
            if len(fmt) < 16 or len(fmt) < size:
                raise _bad(path, "the WAV fmt chunk is truncated", "audio.truncated")
            if size % 2:
                f.read(1)
        elif cid == b"data":
            if fmt is None:
                raise _bad(path, "data chunk before the fmt chunk", "audio.not_wav")
            offset = f.tell()
            info = _describe(path, fmt, offset, min(size, max(0, file_size - offset)))
            return replace(info, declared_bytes=size,
                           present_bytes=min(size, max(0, file_size - offset)))
        else:
            f.seek(size + (size % 2), os.SEEK_CUR)


def _describe(path: Path, fmt: bytes, offset: int, data_bytes: int) -> WavInfo:
    tag, channels, rate, _byte_rate, block_align, bits = struct.unpack("<HHIIHH", fmt[:16])
    if tag == _EXTENSIBLE:
        if len(fmt) < 40:
            raise _bad(path, "WAVE_FORMAT_EXTENSIBLE header is truncated", "audio.truncated")
        tag = struct.unpack("<H", fmt[24:26])[0]
    if tag not in _TAGS:
        name = _TAG_NAMES.get(tag, f"format tag 0x{tag:04x}")
        raise _bad(
            path,
            f"{name} WAV files are not supported (use PCM, float, mu-law or A-law)",
            "audio.unsupported_format",
        )
    if channels < 1 or rate < 1:
        raise _bad(path, f"bad header: {channels} channels at {rate} Hz", "audio.not_wav")
    if not RATE_MIN <= rate <= RATE_MAX:
        raise _bad(path, f"sample rate {rate} Hz is outside {RATE_MIN}-{RATE_MAX} Hz",
                   "audio.bad_rate")
    if channels > 8:
        raise _bad(path, f"{channels} channels is more than 8", "audio.bad_channels")
    width = block_align // channels if block_align else (bits + 7) // 8
    if width < 1 or block_align not in (0, width * channels):
        raise _bad(
            path, f"bad header: block size {block_align} for {channels} channels", "audio.not_wav"
        )
    encoding = _TAGS[tag]
    allowed = {"pcm": (1, 2, 3, 4), "float": (4, 8), "mulaw": (1,), "alaw": (1,)}[encoding]
    if width not in allowed:
        raise _bad(
            path, f"{bits}-bit {encoding} WAV files are not supported", "audio.unsupported_format"
        )
    frames = data_bytes // (width * channels)
    if frames == 0:
        raise _bad(path, "the WAV file has no audio samples", "audio.no_samples")
    if frames / rate > FILE_MAX_S:
        raise _bad(path, f"{frames / rate:.0f} s of audio is more than {FILE_MAX_S} s",
                   "audio.too_long")
    return WavInfo(rate, width, channels, encoding, frames, offset)


class WavReader:
    """An open WAV file read in chunks of its own format (8-bit PCM made signed)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        try:
            self._f: BinaryIO = open(self.path, "rb")  # noqa: SIM115
        except OSError as exc:
            raise AudioError(
                f"{self.path}: cannot open: {exc.strerror}", "audio.cannot_open"
            ) from exc
        try:
            self.info = parse_header(self._f, self.path, os.fstat(self._f.fileno()).st_size)
        except BaseException:
            self._f.close()
            raise

    def __enter__(self) -> WavReader:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._f.close()

    def chunks(self, ms: int = 20) -> Iterator[AudioChunk]:
        """The audio from the start in pieces of ``ms`` milliseconds (the last may be shorter)."""
        info = self.info
        frame_bytes = info.width * info.channels
        per = max(1, info.rate * ms // 1000)
        self._f.seek(info.data_offset)
        done = 0
        while done < info.frames:
            n = min(per, info.frames - done)
            data = self._f.read(n * frame_bytes)
            n = len(data) // frame_bytes
            if n == 0:
                return
            data = data[: n * frame_bytes]
            if info.encoding == "pcm" and info.width == 1:
                data = _flip_sign(data)
            ts = round(1000 * done / info.rate)
            yield AudioChunk(data, info.rate, info.width, info.channels, ts, info.encoding)
            done += n

    def read_all(self) -> AudioChunk:
        """The whole file as one chunk in its own format."""
        parts = list(self.chunks(60_000))
        info = self.info
        return AudioChunk(
            b"".join(p.audio for p in parts), info.rate, info.width, info.channels, 0, info.encoding
        )


def wav_from_bytes(data: bytes, name: str = "<memory>", rate: int | None = None) -> AudioChunk:
    """A whole WAV file held in memory (e.g. a program's output), as stored or at ``rate``."""
    f = io.BytesIO(data)
    info = parse_header(f, Path(name), len(data))
    frame = info.width * info.channels
    raw = data[info.data_offset : info.data_offset + info.frames * frame]
    if info.encoding == "pcm" and info.width == 1:
        raw = _flip_sign(raw)
    chunk = AudioChunk(raw, info.rate, info.width, info.channels, 0, info.encoding)
    return chunk if rate is None else convert(chunk, rate)


def wav_info(path: str | os.PathLike[str]) -> WavInfo:
    """The header of a WAV file (raises :class:`AudioError` for anything unusable)."""
    with WavReader(path) as reader:
        return reader.info


def read_wav(path: str | os.PathLike[str], rate: int | None = 16000) -> AudioChunk:
    """A whole WAV file, converted to 16-bit mono at ``rate`` (``None``: as stored)."""
    with WavReader(path) as reader:
        if reader.info.duration_s > ONE_SHOT_MAX_S:
            raise _bad(reader.path, f"{reader.info.duration_s:.0f} s is too long to read whole "
                       f"(at most {ONE_SHOT_MAX_S} s)", "audio.too_long")
        chunk = reader.read_all()
    return chunk if rate is None else convert(chunk, rate)


MIN_UTTERANCE_S = 0.05
"""Shortest audio worth recognising: less than this is a broken file, not a short word."""
_STREAMING_SIZES = (0, 0xFFFFFFFF)
"""Data sizes a writer leaves while still recording (the real size is not known yet)."""


def read_wav_checked(path: str | os.PathLike[str], rate: int = 16000, *,
                     min_s: float = MIN_UTTERANCE_S) -> AudioChunk:
    """A whole WAV file as :func:`read_wav` gives it, refusing degenerate files that read as
    silence: data cut short of its stated size (``audio.truncated``), a partial last frame
    (``audio.partial_frame``), less than ``min_s`` of audio (``audio.too_short``) and NaN or
    infinite float samples (``audio.bad_samples``)."""
    with WavReader(path) as reader:
        info = reader.info
        if info.declared_bytes not in _STREAMING_SIZES and info.present_bytes < info.declared_bytes:
            raise _bad(reader.path, f"the data is truncated: {info.present_bytes} of "
                       f"{info.declared_bytes} bytes present", "audio.truncated")
        if info.present_bytes % (info.width * info.channels):
            raise _bad(reader.path, f"{info.present_bytes} data bytes is not a whole number of "
                       f"{info.width * info.channels}-byte frames", "audio.partial_frame")
        if info.duration_s < min_s:
            raise _bad(reader.path, f"{info.duration_s * 1000:.1f} ms of audio is too short "
                       f"(at least {min_s * 1000:.0f} ms)", "audio.too_short")
        if info.duration_s > ONE_SHOT_MAX_S:
            raise _bad(reader.path, f"{info.duration_s:.0f} s is too long to read whole "
                       f"(at most {ONE_SHOT_MAX_S} s)", "audio.too_long")
        chunk = reader.read_all()
    if chunk.encoding == "float":
        values = np.frombuffer(chunk.audio, "<f4" if chunk.width == 4 else "<f8")
        bad = int(np.count_nonzero(~np.isfinite(values)))
        if bad:
            raise _bad(reader.path, f"{bad} samples are NaN or infinite", "audio.bad_samples")
    return convert(chunk, rate)


def iter_wav(
    path: str | os.PathLike[str], chunk_ms: int = 20, rate: int = 16000
) -> Iterator[AudioChunk]:
    """A WAV file as a stream of pipeline chunks (16-bit mono at ``rate``) of ``chunk_ms`` each."""
    converter = StreamConverter(rate)
    pieces = Rechunker(rate, chunk_ms)
    with WavReader(path) as reader:
        for chunk in reader.chunks(chunk_ms):
            yield from pieces.feed(converter.convert(chunk))
    yield from pieces.feed(converter.flush())
    yield from pieces.flush()


def _fmt_chunk(chunk: AudioChunk) -> bytes:
    tag = _TAG_OF[chunk.encoding]
    block = chunk.width * chunk.channels
    body = struct.pack(
        "<HHIIHH", tag, chunk.channels, chunk.rate, chunk.rate * block, block, chunk.width * 8
    )
    if chunk.encoding != "pcm":
        body += struct.pack("<H", 0)
    return b"fmt " + struct.pack("<I", len(body)) + body


class WavWriter:
    """A WAV file written chunk by chunk; the header is completed on :meth:`close`."""

    def __init__(self, path: str | os.PathLike[str], rate: int = 16000) -> None:
        self.path = Path(path)
        self.rate = rate
        self.frames = 0
        self._f: BinaryIO = open(self.path, "wb")  # noqa: SIM115
        fmt = _fmt_chunk(AudioChunk(b"", rate, PIPELINE_WIDTH, 1))
        header = b"RIFF" + struct.pack("<I", 0) + b"WAVE" + fmt + b"data" + b"\0\0\0\0"
        self._f.write(header)
        self._size_at = len(header) - 4

    def write(self, chunk: AudioChunk) -> None:
        """Append audio, converted to 16-bit mono at the file's rate."""
        data = convert(chunk, self.rate).audio
        self._f.write(data)
        self.frames += len(data) // PIPELINE_WIDTH

    def close(self) -> None:
        """Fill in the sizes and close the file."""
        if self._f.closed:
            return
        size = self._f.tell()
        self._f.seek(4)
        self._f.write(struct.pack("<I", size - 8))
        self._f.seek(self._size_at)
        self._f.write(struct.pack("<I", self.frames * PIPELINE_WIDTH))
        self._f.close()

    def __enter__(self) -> WavWriter:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def write_wav(
    path: str | os.PathLike[str], audio: AudioChunk | Iterable[AudioChunk], rate: int | None = None
) -> Path:
    """Write 16-bit mono audio (at ``rate``, default the first chunk's rate), atomically."""
    chunks = [audio] if isinstance(audio, AudioChunk) else list(audio)
    out_rate = rate or (chunks[0].rate if chunks else 16000)
    target = Path(path)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        with WavWriter(tmp, out_rate) as writer:
            for chunk in chunks:
                writer.write(chunk)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def write_wav_as_is(path: str | os.PathLike[str], chunk: AudioChunk) -> Path:
    """Write a chunk in its own coding (PCM, float, mu-law, A-law), e.g. to make test fixtures."""
    data = chunk.audio
    if chunk.encoding == "pcm" and chunk.width == 1:
        data = _flip_sign(data)
    fmt = _fmt_chunk(chunk)
    pad = b"\0" if len(data) % 2 else b""
    body = b"WAVE" + fmt + b"data" + struct.pack("<I", len(data)) + data + pad
    Path(path).write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return Path(path)
