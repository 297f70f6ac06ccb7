"""Microphone and speaker through ``sounddevice`` (or ``pyaudio``), with clear errors on servers.

The source is an async iterator of chunks: the backend's audio thread hands blocks to the event
loop through a queue. The sink writes chunks from a worker thread and can be stopped mid-prompt
(barge-in). Backends are imported lazily, so machines without audio never load them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterable, Callable, Iterable
from typing import Literal

from voicebot.audio.backends import (
    BACKENDS,
    Backend,
    DeviceInfo,
    OutputStream,
    PyaudioBackend,
    SounddeviceBackend,
    get_backend,
)
from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import StreamConverter
from voicebot.settings import Settings

NO_DEVICE = "no {kind} device found (this looks like a server without sound hardware)"


def list_devices(backend: Backend | str = "sounddevice") -> list[DeviceInfo]:
    """All devices of a backend (an empty list on a machine without sound hardware)."""
    return (get_backend(backend) if isinstance(backend, str) else backend).devices()


def pick_device(backend: Backend, kind: Literal["input", "output"], device: int | None) -> int:
    """The device to open: ``device`` if it can do ``kind``, else the default, else an error."""
    found = backend.devices()
    usable = [d for d in found if (d.inputs if kind == "input" else d.outputs) > 0]
    if device is not None:
        for d in usable:
            if d.index == device:
                return d.index
        raise AudioError(
            f"device {device} has no {kind} (see `voicebot audio devices`)", "audio.no_device"
        )
    if not usable:
        raise AudioError(NO_DEVICE.format(kind=kind), "audio.no_device")
    default = [d for d in usable if (d.default_input if kind == "input" else d.default_output)]
    return (default or usable)[0].index


def device_rate(backend: Backend, device: int) -> int | None:
    """The rate a device prefers, if the backend lists it."""
    for d in backend.devices():
        if d.index == device:
            return d.default_rate
    return None


class MicrophoneSource:
    """Recorded audio as an async iterator of 16-bit mono chunks of ``chunk_ms`` each."""

    def __init__(
        self,
        backend: Backend,
        rate: int = 16000,
        chunk_ms: int = 20,
        device: int | None = None,
        max_queued: int = 500,
    ) -> None:
        self.backend = backend
        self.rate = rate
        self.frames = rate * chunk_ms // 1000
        self.device = pick_device(backend, "input", device)
        self._queue: asyncio.Queue[bytes | None] | None = None
        self._stop: Callable[[], None] | None = None
        self._samples = 0
        self.dropped = 0
        """Blocks lost because the consumer fell behind."""
        self.max_queued = max_queued

    def _start(self) -> None:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | None] = asyncio.Queue(self.max_queued)
        self._queue = queue

        def put(data: bytes) -> None:
            try:
                queue.put_nowait(data)
            except asyncio.QueueFull:
                self.dropped += 1

        def on_audio(data: bytes) -> None:  # the backend's thread
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                loop.call_soon_threadsafe(put, data)

        try:
            self._stop = self.backend.open_input(self.device, self.rate, self.frames, on_audio)
        except AudioError:
            native = device_rate(self.backend, self.device)
            if native in (None, self.rate):
                raise
            # the device cannot record at the pipeline rate: record at its own, chunks say so
            self.frames = self.frames * native // self.rate
            self.rate = native
            self._stop = self.backend.open_input(self.device, self.rate, self.frames, on_audio)

    def __aiter__(self) -> MicrophoneSource:
        return self

    async def __anext__(self) -> AudioChunk:
        if self._queue is None:
            self._start()
        assert self._queue is not None
        data = await self._queue.get()
        if data is None:
            raise StopAsyncIteration
        chunk = AudioChunk(data, self.rate, 2, 1, round(1000 * self._samples / self.rate))
        self._samples += len(data) // 2
        return chunk

    def close(self) -> None:
        """Stop recording; a waiting ``anext`` ends the iteration."""
        if self._stop is not None:
            self._stop()
            self._stop = None
        if self._queue is not None:
            with contextlib.suppress(asyncio.QueueFull):
                self._queue.put_nowait(None)


class SpeakerSink:
    """Plays pipeline chunks; :meth:`stop` cuts playback short (barge-in)."""

    def __init__(
        self, backend: Backend, rate: int = 16000, device: int | None = None, piece_ms: int = 20
    ) -> None:
        self.backend = backend
        self.rate = rate
        self.device = pick_device(backend, "output", device)
        self.piece_bytes = max(2, rate * piece_ms // 1000 * 2)
        self._stream: OutputStream | None = None
        self._conv: StreamConverter | None = None
        self._conv_key = (0, 0)
        self._stopped = threading.Event()
        self._lock = threading.Lock()

    def _open(self) -> OutputStream:
        with self._lock:
            if self._stream is None:
                try:
                    self._stream = self.backend.open_output(self.device, self.rate)
                except AudioError:
                    native = device_rate(self.backend, self.device)
                    if native in (None, self.rate):
                        raise
                    self._stream = self.backend.open_output(self.device, native)
                    self.rate = native
            return self._stream

    def _write_blocking(self, chunk: AudioChunk, flush: bool = False) -> bool:
        stream = self._open()
        if self._conv is None or self._conv_key != (chunk.rate, self.rate):
            self._conv, self._conv_key = StreamConverter(self.rate), (chunk.rate, self.rate)
        data = self._conv.convert(chunk).audio
        if flush:
            data += self._conv.flush().audio
            self._conv = None
        for i in range(0, len(data), self.piece_bytes):
            if self._stopped.is_set():
                return False
            stream.write(data[i : i + self.piece_bytes])
        return True

    async def write(self, chunk: AudioChunk) -> None:
        """Play one chunk (resampled to the device's rate) and return when the device took it."""
        self._stopped.clear()
        await asyncio.to_thread(self._write_blocking, chunk)

    async def play(self, chunks: AsyncIterable[AudioChunk] | Iterable[AudioChunk]) -> bool:
        """Play a prompt; False if :meth:`stop` cut it short."""
        self._stopped.clear()
        items: list[AudioChunk] = []
        if isinstance(chunks, AsyncIterable):
            async for chunk in chunks:
                items.append(chunk)
                if len(items) == 2 and not await self._play_one(items.pop(0)):
                    return False
        else:
            for chunk in chunks:
                items.append(chunk)
                if len(items) == 2 and not await self._play_one(items.pop(0)):
                    return False
        return all([await self._play_one(c, flush=True) for c in items])

    async def _play_one(self, chunk: AudioChunk, flush: bool = False) -> bool:
        if self._stopped.is_set():
            return False
        return await asyncio.to_thread(self._write_blocking, chunk, flush)

    async def stop(self) -> None:
        """Stop playing now and drop what is buffered."""
        self._stopped.set()
        self._conv = None
        stream = self._stream
        if stream is not None:
            await asyncio.to_thread(stream.abort)

    def close(self) -> None:
        """Release the device."""
        self._stopped.set()
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def open_microphone(
    settings: Settings, device: int | None = None, backend: str | None = None
) -> MicrophoneSource:
    """The microphone at the pipeline rate, via ``settings.audio_backend`` unless given."""
    return MicrophoneSource(
        get_backend(backend or settings.audio_backend), settings.sample_rate, device=device
    )


def open_speaker(
    settings: Settings, device: int | None = None, backend: str | None = None
) -> SpeakerSink:
    """The speaker at the pipeline rate, via ``settings.audio_backend`` unless given."""
    return SpeakerSink(
        get_backend(backend or settings.audio_backend), settings.sample_rate, device=device
    )


__all__ = [
    "BACKENDS",
    "Backend",
    "DeviceInfo",
    "MicrophoneSource",
    "OutputStream",
    "PyaudioBackend",
    "SounddeviceBackend",
    "SpeakerSink",
    "device_rate",
    "get_backend",
    "list_devices",
    "open_microphone",
    "open_speaker",
    "pick_device",
]
