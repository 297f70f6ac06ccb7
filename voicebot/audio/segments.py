"""A long recording cut into stretches of speech at its pauses (for transcribing whole calls)."""

from __future__ import annotations

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.vad import EnergyVad, VadParams

MIN_GAP_MS = 500
"""A pause at least this long separates two segments."""
PAD_MS = 300
"""Audio kept on either side of a segment's speech (Whisper misses a first word that starts
right at the cut)."""
MIN_SPEECH_MS = 120
"""Speech shorter than this (a click, a breath) makes no segment of its own."""


def speech_segments(pcm: bytes, rate: int, *, min_gap_ms: int = MIN_GAP_MS,
                    pad_ms: int = PAD_MS, params: VadParams | None = None) -> list[tuple[int, int]]:
    """(start, end) byte offsets of the stretches of speech in 16-bit mono ``pcm``, split where
    the energy detector hears at least ``min_gap_ms`` without speech; each padded by
    ``pad_ms``. No speech at all gives one segment of the whole recording."""
    vad = EnergyVad(rate, params)
    frames = vad.frames(AudioChunk(pcm, rate, 2, 1))
    frame_ms = vad.params.frame_ms
    gap_frames = max(1, min_gap_ms // frame_ms)
    spans: list[list[int]] = []
    silent = gap_frames
    for i, frame in enumerate(frames):
        if frame.speech:
            if silent >= gap_frames or not spans:
                spans.append([i, i + 1])
            else:
                spans[-1][1] = i + 1
            silent = 0
        else:
            silent += 1
    spans = [s for s in spans if (s[1] - s[0]) * frame_ms >= MIN_SPEECH_MS]
    if not spans:
        return [(0, len(pcm))]
    step = vad.frame * 2  # bytes per frame
    pad = rate * pad_ms // 1000 * 2
    return [(max(0, a * step - pad), min(len(pcm), b * step + pad)) for a, b in spans]
