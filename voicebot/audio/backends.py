"""Audio device libraries behind one small interface: ``sounddevice`` and (optional) ``pyaudio``.

Both are imported only when chosen, so machines without audio never load them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from voicebot.audio.chunk import AudioError

BACKENDS = ("sounddevice", "pyaudio")
"""Audio device libraries the line can use."""


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
