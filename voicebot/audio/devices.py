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
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import convert
from voicebot.settings import Settings

BACKENDS = ("sounddevice", "pyaudio")
"""Audio device libraries the line can use."""
NO_DEVICE = "no {kind} device found (this looks like a server without sound hardware)"


@dataclass(frozen=True)
class DeviceInfo:
    """One audio device as the backend reports it."""

    index: int
    """Backend's device number (what ``--device`` takes)."""
    name: str
    """Human-readable name."""
    inputs: int
    """Input (microphone) channels; 0 for output-only devices."""
    outputs: int
    """Output (speaker) channels; 0 for input-only devices."""
    default_rate: int
    """Sample rate the device prefers."""
    default_input: bool = False
    """Whether this is the system's default input."""
    default_output: bool = False
    """Whether this is the system's default output."""


class OutputStream(Protocol):
    """An open playback stream (16-bit mono)."""

    def write(self, data: bytes) -> None:
        """Play ``data``, blocking until the device has taken it."""

    def abort(self) -> None:
        """Drop whatever is buffered, at once."""

    def close(self) -> None:
        """Release the device."""


class Backend(Protocol):
    """What the line needs from an audio library."""

    name: str

    def devices(self) -> list[DeviceInfo]:
        """Every device the library sees."""

    def open_input(
        self, device: int | None, rate: int, frames: int, on_audio: Callable[[bytes], None]
    ) -> Callable[[], None]:
        """Start recording 16-bit mono into ``on_audio`` (called from the library's thread);
        returns a function that stops and closes the stream."""

    def open_output(self, device: int | None, rate: int) -> OutputStream:
        """Open a 16-bit mono playback stream."""


class SounddeviceBackend:
    """PortAudio through the ``sounddevice`` package."""

    name = "sounddevice"

    def __init__(self) -> None:
        try:
            import sounddevice
        except (ImportError, OSError) as exc:  # OSError: the PortAudio library is missing
            raise AudioError(
                f"sounddevice cannot load PortAudio ({exc}); install it with "
                "`apt-get install libportaudio2`",
                "audio.backend_missing",
            ) from exc
        self.sd: Any = sounddevice

    def devices(self) -> list[DeviceInfo]:
        """Every PortAudio device."""
        try:
            found = list(self.sd.query_devices())
            default_in, default_out = self.sd.default.device
        except self.sd.PortAudioError as exc:
            raise AudioError(f"PortAudio cannot list devices: {exc}", "audio.no_device") from exc
        return [
            DeviceInfo(
                i,
                d["name"],
                d["max_input_channels"],
                d["max_output_channels"],
                int(d["default_samplerate"]),
                i == default_in,
                i == default_out,
            )
            for i, d in enumerate(found)
        ]

    def open_input(
        self, device: int | None, rate: int, frames: int, on_audio: Callable[[bytes], None]
    ) -> Callable[[], None]:
        """A RawInputStream whose callback passes the bytes on."""

        def callback(data: Any, n: int, when: Any, status: Any) -> None:
            on_audio(bytes(data))

        try:
            stream = self.sd.RawInputStream(
                samplerate=rate,
                blocksize=frames,
                device=device,
                channels=1,
                dtype="int16",
                callback=callback,
            )
            stream.start()
        except (self.sd.PortAudioError, ValueError) as exc:
            raise AudioError(f"cannot open the microphone: {exc}", "audio.no_device") from exc

        def stop() -> None:
            stream.stop()
            stream.close()

        return stop

    def open_output(self, device: int | None, rate: int) -> OutputStream:
        """A blocking RawOutputStream."""
        try:
            stream = self.sd.RawOutputStream(
                samplerate=rate, device=device, channels=1, dtype="int16"
            )
            stream.start()
        except (self.sd.PortAudioError, ValueError) as exc:
            raise AudioError(f"cannot open the speaker: {exc}", "audio.no_device") from exc
        return _SdOutput(stream)


class _SdOutput:
    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        if self.stream.stopped:
            self.stream.start()
        self.stream.write(data)

    def abort(self) -> None:
        self.stream.abort()

    def close(self) -> None:
        self.stream.close()


class PyaudioBackend:
    """PortAudio through the optional ``pyaudio`` package."""

    name = "pyaudio"

    def __init__(self) -> None:
        try:
            import pyaudio
        except ImportError as exc:
            raise AudioError(
                "the pyaudio backend is not installed; install it with "
                "`pip install 'voicebot[pyaudio]'` (needs portaudio19-dev to build), or use "
                "--audio-backend sounddevice",
                "audio.backend_missing",
            ) from exc
        self.pa: Any = pyaudio
        self._pa: Any = pyaudio.PyAudio()

    def devices(self) -> list[DeviceInfo]:
        """Every device pyaudio sees."""
        try:
            default_in = self._pa.get_default_input_device_info()["index"]
        except OSError:
            default_in = -1
        try:
            default_out = self._pa.get_default_output_device_info()["index"]
        except OSError:
            default_out = -1
        out = []
        for i in range(self._pa.get_device_count()):
            d = self._pa.get_device_info_by_index(i)
            out.append(
                DeviceInfo(
                    i,
                    d["name"],
                    d["maxInputChannels"],
                    d["maxOutputChannels"],
                    int(d["defaultSampleRate"]),
                    i == default_in,
                    i == default_out,
                )
            )
        return out

    def open_input(
        self, device: int | None, rate: int, frames: int, on_audio: Callable[[bytes], None]
    ) -> Callable[[], None]:
        """A callback stream."""

        def callback(data: bytes, n: int, info: Any, status: Any) -> tuple[None, int]:
            on_audio(data)
            return None, self.pa.paContinue

        try:
            stream = self._pa.open(
                format=self.pa.paInt16,
                channels=1,
                rate=rate,
                input=True,
                input_device_index=device,
                frames_per_buffer=frames,
                stream_callback=callback,
            )
        except (OSError, ValueError) as exc:
            raise AudioError(f"cannot open the microphone: {exc}", "audio.no_device") from exc

        def stop() -> None:
            stream.stop_stream()
            stream.close()

        return stop

    def open_output(self, device: int | None, rate: int) -> OutputStream:
        """A blocking output stream."""
        try:
            stream = self._pa.open(
                format=self.pa.paInt16,
                channels=1,
                rate=rate,
                output=True,
                output_device_index=device,
            )
        except (OSError, ValueError) as exc:
            raise AudioError(f"cannot open the speaker: {exc}", "audio.no_device") from exc
        return _PaOutput(stream)


class _PaOutput:
    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, data: bytes) -> None:
        if self.stream.is_stopped():
            self.stream.start_stream()
        self.stream.write(data)

    def abort(self) -> None:
        self.stream.stop_stream()

    def close(self) -> None:
        self.stream.close()


def get_backend(name: str = "sounddevice") -> Backend:
    """The named backend, or :class:`AudioError` saying how to install it."""
    if name == "sounddevice":
        return SounddeviceBackend()
    if name == "pyaudio":
        return PyaudioBackend()
    raise AudioError(
        f"unknown audio backend {name!r} (sounddevice or pyaudio)", "audio.unknown_backend"
    )


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

    def cue(self, state: str) -> None:
        """The call loop's hint of what it is doing (unused by a plain microphone)."""

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
        self._stopped = threading.Event()
        self._lock = threading.Lock()

    def _open(self) -> OutputStream:
        with self._lock:
            if self._stream is None:
                self._stream = self.backend.open_output(self.device, self.rate)
            return self._stream

    def _write_blocking(self, data: bytes) -> bool:
        stream = self._open()
        for i in range(0, len(data), self.piece_bytes):
            if self._stopped.is_set():
                return False
            stream.write(data[i : i + self.piece_bytes])
        return True

    async def write(self, chunk: AudioChunk) -> None:
        """Play one chunk (converted to the sink's rate) and return when the device took it."""
        self._stopped.clear()
        await asyncio.to_thread(self._write_blocking, convert(chunk, self.rate).audio)

    async def play(self, chunks: AsyncIterable[AudioChunk] | Iterable[AudioChunk]) -> bool:
        """Play a prompt; False if :meth:`stop` cut it short."""
        self._stopped.clear()
        if isinstance(chunks, AsyncIterable):
            async for chunk in chunks:
                if not await self._play_one(chunk):
                    return False
            return True
        for chunk in chunks:
            if not await self._play_one(chunk):
                return False
        return True

    async def _play_one(self, chunk: AudioChunk) -> bool:
        if self._stopped.is_set():
            return False
        data = convert(chunk, self.rate).audio
        return await asyncio.to_thread(self._write_blocking, data)

    async def stop(self) -> None:
        """Stop playing now and drop what is buffered."""
        self._stopped.set()
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
