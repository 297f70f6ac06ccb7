"""The unit of audio that flows between stages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AudioChunk:
    """A piece of PCM audio that carries its own format."""

    audio: bytes
    """Interleaved little-endian signed PCM samples."""
    rate: int
    """Samples per second per channel."""
    width: int
    """Bytes per sample (2 for 16-bit)."""
    channels: int
    """Number of interleaved channels."""
    timestamp_ms: int = 0
    """Start of the chunk, counted from the start of the stream."""

    @property
    def samples(self) -> int:
        """Samples per channel in this chunk."""
        return len(self.audio) // (self.width * self.channels)

    @property
    def duration_ms(self) -> float:
        """Length of the chunk in milliseconds."""
        return 1000.0 * self.samples / self.rate
