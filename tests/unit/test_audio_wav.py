"""WAV files: every coding, bad files, long files, streaming into pipeline chunks."""

from __future__ import annotations

import struct
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import encode, pcm16, samples16
from voicebot.audio.wav import (
    WavReader,
    WavWriter,
    iter_wav,
    read_wav,
    wav_info,
    write_wav,
    write_wav_as_is,
)
from voicebot.audio.wav_stream import WavFileSink, WavFileSource

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


def peak_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.argmax(spectrum) * rate / len(x))


def sine(freq: float, rate: int, seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


@pytest.mark.parametrize(
    ("name", "rate", "encoding", "width", "channels", "seconds"),
    [
        ("sine440_8k_mulaw.wav", 8000, "mulaw", 1, 1, 0.25),
        ("sine440_8k_alaw.wav", 8000, "alaw", 1, 1, 0.25),
        ("sine440_48k_24bit_ext.wav", 48000, "pcm", 3, 1, 0.1),
        ("sine440_16k_float.wav", 16000, "float", 4, 1, 0.1),
        ("sine440_44k1_stereo.wav", 44100, "pcm", 2, 2, 0.1),
        ("sine440_11k_u8.wav", 11025, "pcm", 1, 1, 0.1),
    ],
)
def test_sox_made_files_read_as_440_hz_at_half_scale(
    name: str, rate: int, encoding: str, width: int, channels: int, seconds: float
) -> None:
    info = wav_info(FIXTURES / name)
    assert (info.rate, info.encoding, info.width, info.channels) == (
        rate,
        encoding,
        width,
        channels,
    )
    assert info.duration_s == pytest.approx(seconds, abs=1e-3)
    chunk = read_wav(FIXTURES / name, 16000)
    assert chunk.is_pipeline and chunk.rate == 16000
    x = samples16(chunk) / 32768.0
    assert len(x) == pytest.approx(16000 * seconds, abs=2)
    assert abs(peak_hz(x, 16000) - 440) < 12
    inner = x[200:-200]
    assert np.max(np.abs(inner)) == pytest.approx(0.5, abs=0.03)


@pytest.mark.parametrize(
    ("encoding", "width", "channels"),
    [
        ("pcm", 1, 1),
        ("pcm", 2, 3),
        ("pcm", 3, 2),
        ("pcm", 4, 1),
        ("float", 4, 2),
        ("float", 8, 1),
        ("mulaw", 1, 1),
        ("alaw", 1, 2),
    ],
)
def test_written_in_any_coding_reads_back(
    tmp_path: Path, encoding: str, width: int, channels: int
) -> None:
    x = sine(700, 8000, 0.3)
    frames = np.repeat(x[:, None], channels, axis=1)
    chunk = AudioChunk(encode(frames, encoding, width), 8000, width, channels, 0, encoding)
    path = write_wav_as_is(tmp_path / "x.wav", chunk)
    back = read_wav(path, 8000)
    y = samples16(back) / 32768.0
    assert len(y) == len(x)
    assert np.max(np.abs(y - x)) < 0.02


def test_writer_makes_16_bit_mono_that_stdlib_wave_reads(tmp_path: Path) -> None:
    import wave

    x = sine(440, 44100, 0.2)
    stereo = AudioChunk(encode(np.stack([x, x], 1), "pcm", 2), 44100, 2, 2)
    path = write_wav(tmp_path / "out.wav", stereo, rate=16000)
    with wave.open(str(path)) as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, 16000)
        assert abs(w.getnframes() - 3200) <= 1
    with WavWriter(tmp_path / "s.wav", 8000) as writer:
        for i in range(5):
            writer.write(pcm16(sine(440, 8000, 0.02), 8000, i * 20))
    assert wav_info(tmp_path / "s.wav").frames == 800


def test_iter_wav_streams_exact_pipeline_chunks(tmp_path: Path) -> None:
    path = FIXTURES / "sine440_44k1_stereo.wav"
    chunks = list(iter_wav(path, chunk_ms=20, rate=16000))
    assert all(c.is_pipeline and c.rate == 16000 for c in chunks)
    assert all(c.samples == 320 for c in chunks[:-1])
    assert [c.timestamp_ms for c in chunks] == [20 * i for i in range(len(chunks))]
    assert abs(sum(c.samples for c in chunks) - 1600) <= 2


def test_streaming_header_with_unknown_length_is_read_to_the_end(tmp_path: Path) -> None:
    # espeak-ng --stdout writes 0x7ffff000 as the data size because it cannot seek back
    body = encode(sine(440, 22050, 0.1), "pcm", 2)
    fmt = struct.pack("<HHIIHH", 1, 1, 22050, 44100, 2, 16)
    data = b"RIFF" + struct.pack("<I", 0x7FFFF024) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
    data += b"data" + struct.pack("<I", 0x7FFFF000) + body
    (tmp_path / "s.wav").write_bytes(data)
    assert wav_info(tmp_path / "s.wav").frames == 2205


def test_other_chunks_are_skipped_and_a_cut_off_last_frame_is_dropped(tmp_path: Path) -> None:
    fmt = struct.pack("<HHIIHH", 1, 2, 8000, 32000, 4, 16)
    body = b"\1\0\2\0" * 10 + b"\3\0"  # 10 frames and half of one
    data = b"RIFF" + struct.pack("<I", 0) + b"WAVE" + b"LIST" + struct.pack("<I", 3) + b"abc\0"
    data += b"fmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", 44) + body
    (tmp_path / "c.wav").write_bytes(data)
    assert wav_info(tmp_path / "c.wav").frames == 10


def _file(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder / name

    return make


def _header_only(tmp_path: Path) -> Path:
    fmt = struct.pack("<HHIIHH", 1, 1, 8000, 16000, 2, 16)
    data = b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + struct.pack("<I", 16) + fmt
    path = tmp_path / "zero.wav"
    path.write_bytes(data + b"data" + struct.pack("<I", 0))
    return path


def _mp3_in_wav(tmp_path: Path) -> Path:
    fmt = struct.pack("<HHIIHH", 0x55, 1, 8000, 1000, 1, 0)
    path = tmp_path / "mp3.wav"
    path.write_bytes(b"RIFF\0\0\0\0WAVEfmt " + struct.pack("<I", 16) + fmt + b"data\4\0\0\0abcd")
    return path


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (_file("e.wav", b""), "audio.empty_file", "empty"),
        (_file("t.wav", b"RIFF\x24\0\0\0WAVEfmt \x10\0"), "audio.truncated", "truncated"),
        (_file("t2.wav", b"RIFF\x24\0"), "audio.truncated", "truncated"),
        (_file("n.wav", b"hello, not audio"), "audio.not_wav", "not a WAV"),
        (_header_only, "audio.no_samples", "no audio samples"),
        (_mp3_in_wav, "audio.unsupported_format", "MP3"),
        (lambda p: p / "missing.wav", "audio.cannot_open", "cannot open"),
    ],
)
def test_bad_files_raise_a_clear_audio_error(
    tmp_path: Path, make: Callable[[Path], Path], code: str, words: str
) -> None:
    path = make(tmp_path)
    with pytest.raises(AudioError) as err:
        read_wav(path)
    assert err.value.code == code
    assert words in str(err.value) and str(path) in str(err.value)


def test_ten_minutes_of_telephone_audio_streams_in_bounded_time(tmp_path: Path) -> None:
    rate, seconds = 8000, 600
    t = np.arange(rate * seconds) / rate
    x = (0.3 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    path = write_wav_as_is(
        tmp_path / "long.wav", AudioChunk(encode(x, "mulaw"), rate, 1, 1, 0, "mulaw")
    )
    started = time.monotonic()
    with WavReader(path) as reader:
        assert reader.info.duration_s == pytest.approx(600)
        total = sum(c.samples for c in reader.chunks(1000))
    assert total == rate * seconds
    streamed = 0
    last = None
    for chunk in iter_wav(path, chunk_ms=500, rate=16000):
        streamed += chunk.samples
        last = chunk
    assert abs(streamed - 16000 * seconds) <= 2
    assert last is not None and last.timestamp_ms == pytest.approx(599_500, abs=1)
    assert time.monotonic() - started < 20


async def test_async_file_source_and_sink(tmp_path: Path) -> None:
    source = WavFileSource(FIXTURES / "sine440_8k_mulaw.wav", rate=16000, chunk_ms=20)
    sink = WavFileSink(tmp_path / "echo.wav", rate=8000)
    count = 0
    async for chunk in source:
        assert chunk.is_pipeline and chunk.rate == 16000
        await sink.write(chunk)
        count += 1
    await sink.stop()
    sink.close()
    assert count == 13  # 250 ms in 20 ms pieces
    info = wav_info(tmp_path / "echo.wav")
    assert (info.rate, info.channels, info.width) == (8000, 1, 2)
    assert info.frames == pytest.approx(2000, abs=2)


async def test_realtime_source_is_paced() -> None:
    source = WavFileSource(FIXTURES / "sine440_16k_float.wav", realtime=True)
    started = time.monotonic()
    chunks = [c async for c in source]
    assert len(chunks) == 5
    assert time.monotonic() - started >= 0.075  # the last chunk starts 80 ms in
