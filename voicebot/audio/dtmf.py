"""In-band keypad tones (DTMF): a streaming Goertzel detector and a tone generator."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import pcm16, samples16

ROW_HZ = (697.0, 770.0, 852.0, 941.0)
"""Low-group (row) frequencies of the keypad."""
COL_HZ = (1209.0, 1336.0, 1477.0, 1633.0)
"""High-group (column) frequencies of the keypad."""
KEYS = ("123A", "456B", "789C", "*0#D")
"""Key at each row (outer) and column (inner)."""
_NOMINAL = np.array(ROW_HZ + COL_HZ)
_POSITION = {key: (r, c) for r, row in enumerate(KEYS) for c, key in enumerate(row)}


@dataclass(frozen=True)
class DtmfDigit:
    """One key press heard in the audio."""

    digit: str
    """``0``-``9``, ``*``, ``#`` or ``A``-``D``."""
    start_ms: int
    """Where the tone starts, counted from the start of the stream."""


@dataclass(frozen=True)
class DtmfParams:
    """Thresholds of the detector; the defaults suit telephone audio."""

    window_ms: float = 25.0
    """Length of one Goertzel analysis block."""
    hop_ms: float = 10.0
    """Step between analysis blocks."""
    min_level_dbfs: float = -45.0
    """Blocks quieter than this (mean square, dB below full scale) hold no tone."""
    min_tone_ratio: float = 0.75
    """Share of the block's energy the two tones must carry (speech rarely reaches 0.7)."""
    min_peak_ratio_db: float = 6.0
    """How far the strongest row (and column) tone must stand above the next one in its group."""
    max_normal_twist_db: float = 8.0
    """How much louder the row tone may be than the column tone."""
    max_reverse_twist_db: float = 8.0
    """How much louder the column tone may be than the row tone."""
    confirm_blocks: int = 2
    """Consecutive blocks that must agree before a key counts (40 ms tones give 3-4)."""
    release_blocks: int = 2
    """Consecutive blocks without the key before the same key can count again."""
    probe_offset: float = 0.012
    """Each tone is also probed this far either side (keypads may be off by 1.5%); 0: nominal."""


def goertzel_power(frames: np.ndarray, freqs: np.ndarray, rate: int) -> np.ndarray:
    """Squared magnitude at each frequency for each row of ``frames`` (Goertzel recurrence)."""
    coeff = 2.0 * np.cos(2.0 * np.pi * freqs / rate)
    s1 = np.zeros((frames.shape[0], len(freqs)))
    s2 = np.zeros_like(s1)
    for n in range(frames.shape[1]):
        s0 = frames[:, n : n + 1] + coeff * s1 - s2
        s2 = s1
        s1 = s0
    power: np.ndarray = s1 * s1 + s2 * s2 - coeff * s1 * s2
    return power


def goertzel_basis(n: int, freqs: np.ndarray, rate: int) -> np.ndarray:
    """Cosine and sine columns whose product with a block gives the same terms as Goertzel."""
    phase = 2.0 * np.pi * np.outer(np.arange(n), freqs) / rate
    return np.concatenate([np.cos(phase), np.sin(phase)], axis=1)


def basis_power(frames: np.ndarray, basis: np.ndarray) -> np.ndarray:
    """Squared magnitude per frequency, as :func:`goertzel_power` gives, in one matrix product
    (numpy runs the Goertzel recurrence one sample at a time in Python: ~50 times slower)."""
    parts = frames @ basis
    half = basis.shape[1] // 2
    power: np.ndarray = parts[:, :half] ** 2 + parts[:, half:] ** 2
    return power


class DtmfDetector:
    """Streaming detector: feed pipeline chunks in order, get the keys as they are confirmed."""

    def __init__(self, rate: int = 16000, params: DtmfParams | None = None) -> None:
        if rate < 4000:
            raise AudioError(f"DTMF needs at least 4000 Hz audio, not {rate}", "audio.bad_rate")
        self.rate = rate
        self.params = params or DtmfParams()
        self._n = round(rate * self.params.window_ms / 1000)
        self._hop = round(rate * self.params.hop_ms / 1000)
        self._buf = np.zeros(0, np.float64)
        self._buf_start = 0  # stream sample index of _buf[0]
        self._origin_ms: int | None = None
        self._candidate: str | None = None
        self._candidate_start = 0
        self._run = 0
        self._active: str | None = None
        self._miss = 0
        d = self.params.probe_offset
        self._offsets = (-d, 0.0, d) if d else (0.0,)
        self._freqs = np.array([f * (1 + o) for f in _NOMINAL for o in self._offsets])
        self._basis = goertzel_basis(self._n, self._freqs, rate)

    def classify(self, frames: np.ndarray) -> list[str | None]:
        """The key each block (row of ``frames``, floats in [-1, 1]) holds, or None."""
        p = self.params
        frames = frames - frames.mean(axis=1, keepdims=True)
        n = frames.shape[1]
        energy = np.sum(frames * frames, axis=1)
        power = basis_power(frames, self._basis) * 2.0 / n  # tone energy in the block
        power = power.reshape(len(frames), 8, len(self._offsets)).max(axis=2)
        rows, cols = power[:, :4], power[:, 4:]
        r_best, c_best = rows.argmax(axis=1), cols.argmax(axis=1)
        r_pow = rows.max(axis=1)
        c_pow = cols.max(axis=1)
        r_next = np.sort(rows, axis=1)[:, -2]
        c_next = np.sort(cols, axis=1)[:, -2]
        peak = 10 ** (p.min_peak_ratio_db / 10)
        tiny = 1e-12
        ok = energy / n > 10 ** (p.min_level_dbfs / 10)
        ok &= (r_pow + c_pow) >= p.min_tone_ratio * (energy + tiny)
        ok &= (r_pow >= peak * r_next) & (c_pow >= peak * c_next)
        ok &= r_pow <= c_pow * 10 ** (p.max_normal_twist_db / 10)
        ok &= c_pow <= r_pow * 10 ** (p.max_reverse_twist_db / 10)
        return [KEYS[r][c] if good else None for good, r, c in zip(ok, r_best, c_best, strict=True)]

    def _step(self, key: str | None, start_sample: int) -> DtmfDigit | None:
        p = self.params
        if key is not None and key == self._candidate:
            self._run += 1
        else:
            self._candidate, self._run, self._candidate_start = key, 1, start_sample
        if key is None or key != self._active:
            self._miss += 1
            if self._miss >= p.release_blocks:
                self._active = None
        else:
            self._miss = 0
        if key is not None and key != self._active and self._run >= p.confirm_blocks:
            self._active, self._miss = key, 0
            origin = self._origin_ms or 0
            return DtmfDigit(key, origin + round(1000 * self._candidate_start / self.rate))
        return None

    @property
    def in_tone(self) -> bool:
        """Whether a confirmed key's tone is sounding at the end of what was fed (its audio is a
        tone, not speech: it ends a short release after the tone stops)."""
        return self._active is not None

    def feed(self, chunk: AudioChunk) -> list[DtmfDigit]:
        """Keys confirmed by this chunk (16-bit mono at the detector's rate)."""
        if chunk.rate != self.rate:
            raise AudioError(
                f"DTMF detector runs at {self.rate} Hz, got {chunk.rate} Hz", "audio.rate_changed"
            )
        if self._origin_ms is None:
            self._origin_ms = chunk.timestamp_ms
        x = samples16(chunk).astype(np.float64) / 32768.0
        self._buf = np.concatenate([self._buf, x])
        count = 0 if len(self._buf) < self._n else 1 + (len(self._buf) - self._n) // self._hop
        if count == 0:
            return []
        idx = np.arange(count)[:, None] * self._hop + np.arange(self._n)[None, :]
        keys = self.classify(self._buf[idx])
        found = []
        for i, key in enumerate(keys):
            digit = self._step(key, self._buf_start + i * self._hop)
            if digit is not None:
                found.append(digit)
        self._buf = self._buf[count * self._hop :]
        self._buf_start += count * self._hop
        return found


def detect_dtmf(audio: AudioChunk | Iterable[AudioChunk], params: DtmfParams | None = None) -> str:
    """All keys in pipeline audio (one chunk or a stream of them), as a string."""
    chunks = [audio] if isinstance(audio, AudioChunk) else audio
    detector: DtmfDetector | None = None
    keys = []
    for chunk in chunks:
        detector = detector or DtmfDetector(chunk.rate, params)
        keys += [d.digit for d in detector.feed(chunk)]
    return "".join(keys)


def detect_dtmf_file(path: str | os.PathLike[str], rate: int = 8000) -> str:
    """All keys in a WAV file of any supported coding."""
    from voicebot.audio.wav import iter_wav

    return detect_dtmf(iter_wav(path, chunk_ms=200, rate=rate))


def generate_dtmf(
    digits: str,
    rate: int = 8000,
    tone_ms: int = 100,
    gap_ms: int = 100,
    *,
    amplitude: float = 0.3,
    twist_db: float = 0.0,
    lead_ms: int | None = None,
) -> AudioChunk:
    """Keypad tones for ``digits`` as a pipeline chunk; ``twist_db`` > 0 makes the row louder."""
    unknown = sorted({d for d in digits.upper() if d not in _POSITION})
    if unknown:
        raise AudioError(f"not keypad keys: {''.join(unknown)}", "audio.bad_dtmf")
    n_tone, n_gap = rate * tone_ms // 1000, rate * gap_ms // 1000
    n_lead = n_gap if lead_ms is None else rate * lead_ms // 1000
    t = np.arange(n_tone) / rate
    row_amp = amplitude * 10 ** (twist_db / 40)
    col_amp = amplitude * 10 ** (-twist_db / 40)
    parts = [np.zeros(n_lead)]
    for d in digits.upper():
        r, c = _POSITION[d]
        tone = row_amp * np.sin(2 * np.pi * ROW_HZ[r] * t) + col_amp * np.sin(
            2 * np.pi * COL_HZ[c] * t
        )
        parts += [tone, np.zeros(n_gap)]
    return pcm16(np.concatenate(parts).astype(np.float32), rate)
