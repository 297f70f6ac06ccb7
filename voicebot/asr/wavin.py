"""WAV files in for recognition, through the audio package's reader and converter."""

from __future__ import annotations

from pathlib import Path

from voicebot.asr.types import AsrError
from voicebot.audio.chunk import AudioError
from voicebot.audio.wav import read_wav_checked


def read_pcm16(path: Path | str, target_rate: int) -> tuple[bytes, float]:
    """The file as 16-bit mono PCM at ``target_rate`` and its duration in seconds.

    Any rate, width, channel count or G.711 encoding the audio package reads is converted (soxr);
    unusable files raise :class:`AsrError` ``asr.bad_audio`` naming the file and the reason.
    """
    try:
        chunk = read_wav_checked(path, target_rate)
    except AudioError as exc:
        raise AsrError(f"{exc} [{exc.code}]", "asr.bad_audio") from exc
    if chunk.samples == 0:
        raise AsrError(f"{path}: no samples", "asr.bad_audio")
    return chunk.audio, chunk.samples / chunk.rate
