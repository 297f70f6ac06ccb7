"""Devices without hardware: the real backends' messages, and the source/sink logic on a fake."""

from __future__ import annotations

import asyncio
import importlib.util
import threading
import time
from collections.abc import Callable

import numpy as np
import pytest

from voicebot.audio.chunk import AudioError
from voicebot.audio.convert import pcm16
from voicebot.audio.devices import (
    DeviceInfo,
    MicrophoneSource,
    SpeakerSink,
    get_backend,
    list_devices,
    open_microphone,
    open_speaker,
)
from voicebot.settings import DEFAULT_SETTINGS


class FakeOutput:
    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.played = bytearray()
        self.aborts = 0

    def write(self, data: bytes) -> None:
        time.sleep(len(data) / 2 / self.rate / 10)  # ten times faster than real time
        self.played.extend(data)

    def abort(self) -> None:
        self.aborts += 1

    def close(self) -> None:
        pass


class FakeBackend:
    name = "fake"

    def __init__(self, inputs: int = 1, outputs: int = 1) -> None:
        self.info = [
            DeviceInfo(0, "line in", inputs, 0, 48000, default_input=True),
            DeviceInfo(1, "line out", 0, outputs, 48000, default_output=True),
        ]
        self.output: FakeOutput | None = None

    def devices(self) -> list[DeviceInfo]:
        return self.info

    def open_input(
        self, device: int | None, rate: int, frames: int, on_audio: Callable[[bytes], None]
    ) -> Callable[[], None]:
        running = threading.Event()
        running.set()

        def run() -> None:
            n = 0
            while running.is_set() and n < 50:
                on_audio((np.full(frames, n, np.int16)).tobytes())
                n += 1
                time.sleep(0.001)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return running.clear

    def open_output(self, device: int | None, rate: int) -> FakeOutput:
        self.output = FakeOutput(rate)
        return self.output


async def test_microphone_chunks_arrive_in_order_with_timestamps() -> None:
    mic = MicrophoneSource(FakeBackend(), rate=16000, chunk_ms=20)
    got = []
    async for chunk in mic:
        got.append(chunk)
        if len(got) == 10:
            mic.close()
    assert [c.timestamp_ms for c in got[:10]] == [20 * i for i in range(10)]
    assert all(c.is_pipeline and c.samples == 320 for c in got)
    assert [int(np.frombuffer(c.audio, np.int16)[0]) for c in got[:10]] == list(range(10))


async def test_speaker_plays_converted_audio_and_stops_for_barge_in() -> None:
    backend = FakeBackend()
    sink = SpeakerSink(backend, rate=8000)
    prompt = [pcm16(np.full(320, 1000, np.int16), 16000, 20 * i) for i in range(100)]  # 2 s
    for chunk in prompt[:20]:
        await sink.write(chunk)
    assert backend.output is not None  # 400 ms at 8 kHz, less what the resampler still holds
    assert 0.25 * 8000 * 2 <= len(backend.output.played) <= 0.4 * 8000 * 2
    task = asyncio.create_task(sink.play(prompt))
    await asyncio.sleep(0.05)
    await sink.stop()
    completed = await task
    assert completed is False
    assert backend.output.aborts == 1
    assert len(backend.output.played) < 100 * 160 * 2  # cut short
    assert await sink.play(prompt[:5]) is True  # the next prompt plays again


class FixedRateBackend(FakeBackend):
    """A device that only runs at 48 kHz, as many sound cards do."""

    def open_output(self, device: int | None, rate: int) -> FakeOutput:
        if rate != 48000:
            raise AudioError(f"invalid sample rate {rate}", "audio.no_device")
        return super().open_output(device, rate)

    def open_input(
        self, device: int | None, rate: int, frames: int, on_audio: Callable[[bytes], None]
    ) -> Callable[[], None]:
        if rate != 48000:
            raise AudioError(f"invalid sample rate {rate}", "audio.no_device")
        return super().open_input(device, rate, frames, on_audio)


async def test_devices_that_cannot_run_at_the_pipeline_rate_use_their_own() -> None:
    backend = FixedRateBackend()
    sink = SpeakerSink(backend, rate=16000)
    t = np.arange(16000) / 16000
    tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    chunks = [pcm16(tone[i : i + 320], 16000, i // 16) for i in range(0, 16000, 320)]
    assert await sink.play(chunks) is True
    assert sink.rate == 48000 and backend.output is not None
    played = np.frombuffer(bytes(backend.output.played), np.int16) / 32768.0
    assert abs(len(played) - 48000) <= 48
    spectrum = np.abs(np.fft.rfft(played * np.hanning(len(played))))
    assert abs(np.argmax(spectrum) * 48000 / len(played) - 440) < 3
    mic = MicrophoneSource(backend, rate=16000, chunk_ms=20)
    chunk = await anext(aiter(mic))
    mic.close()
    assert (chunk.rate, chunk.samples) == (48000, 960)


def test_no_device_is_a_clear_error() -> None:
    empty = FakeBackend(inputs=0, outputs=0)
    with pytest.raises(AudioError) as err:
        MicrophoneSource(empty)
    assert err.value.code == "audio.no_device" and "no input device" in str(err.value)
    with pytest.raises(AudioError) as err:
        SpeakerSink(empty)
    assert "no output device" in str(err.value)
    with pytest.raises(AudioError) as err:
        MicrophoneSource(FakeBackend(), device=1)
    assert "device 1 has no input" in str(err.value)


def test_this_machine_either_lists_devices_or_says_there_are_none() -> None:
    devices = list_devices("sounddevice")
    if not devices:
        with pytest.raises(AudioError) as err:
            open_microphone(DEFAULT_SETTINGS)
        assert err.value.code == "audio.no_device"
        with pytest.raises(AudioError):
            open_speaker(DEFAULT_SETTINGS)
    else:
        assert all(d.inputs or d.outputs for d in devices)


def test_backend_choice_and_missing_pyaudio() -> None:
    with pytest.raises(AudioError) as err:
        get_backend("alsa")
    assert err.value.code == "audio.unknown_backend"
    if importlib.util.find_spec("pyaudio") is None:
        with pytest.raises(AudioError) as err:
            get_backend("pyaudio")
        assert err.value.code == "audio.backend_missing"
        assert "pip install 'voicebot[pyaudio]'" in str(err.value)
