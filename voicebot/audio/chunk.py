"""The unit of audio that flows between stages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioChunk:
    """A piece of PCM audio that carries its own format."""

    audio: bytes
    """Interleaved little-endian samples, coded as ``encoding`` says (signed PCM by default)."""
    rate: int
    """Samples per second per channel."""
    width: int
    """Bytes per sample (2 for 16-bit)."""
    channels: int
    """Number of interleaved channels."""
    timestamp_ms: int = 0
    """Start of the chunk, counted from the start of the stream."""
    encoding: str = "pcm"
    """Sample coding: ``pcm`` (signed integers), ``float`` (IEEE), ``mulaw`` or ``alaw`` (G.711)."""

    @property
    def samples(self) -> int:
        """Samples per channel in this chunk."""
        return len(self.audio) // (self.width * self.channels)

    @property
    def duration_ms(self) -> float:
        """Length of the chunk in milliseconds."""
        return 1000.0 * self.samples / self.rate

    @property
    def is_pipeline(self) -> bool:
        """True for 16-bit signed mono PCM, the format stages work on."""
        return self.encoding == "pcm" and self.width == 2 and self.channels == 1

    @property
    def end_ms(self) -> float:
        """End of the chunk, counted from the start of the stream."""
        return self.timestamp_ms + self.duration_ms


ENCODINGS = ("pcm", "float", "mulaw", "alaw")
"""Values :attr:`AudioChunk.encoding` may take."""


class AudioError(RuntimeError):
    """Audio that cannot be used, or a device that cannot be opened; ``code`` is stable."""

    def __init__(self, message: str, code: str = "audio.invalid") -> None:
        super().__init__(message)
        self.code = code
