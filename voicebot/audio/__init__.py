"""Audio plumbing: the chunk type, conversion, WAV files, devices, endpointing and keypad tones."""

from voicebot.audio.chunk import AudioChunk, AudioError

__all__ = ["AudioChunk", "AudioError"]
