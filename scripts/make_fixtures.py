"""Synthesize caller WAVs with espeak-ng: voices, speeds, pitch, noise, 8 kHz telephone band.

Importable (``from scripts.make_fixtures import synth_wav``, or load the file by path) and a CLI::

    python scripts/make_fixtures.py say "four seven one" out.wav --voice en-gb --telephone
    python scripts/make_fixtures.py asr            # regenerate tests/fixtures/asr/
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soxr

ROOT = Path(__file__).resolve().parent.parent
ASR_FIXTURES = ROOT / "tests" / "fixtures" / "asr"
OUT_RATE = 16000
TEL_RATE = 8000
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
KO_DIGITS = ("영", "일", "이", "삼", "사", "오", "육", "칠", "팔", "구")


class SynthError(RuntimeError):
    """espeak-ng is missing or failed."""


def espeak_pcm(
    text: str, *, voice: str, speed: int = 160, pitch: int = 50, word_gap: int = 0
) -> tuple[np.ndarray, int]:
    """Run espeak-ng; return float32 samples in -1..1 and their rate (``word_gap`` in 10 ms)."""
    exe = shutil.which("espeak-ng")
    if exe is None:
        raise SynthError("espeak-ng is not installed (apt-get install espeak-ng)")
    cmd = [
        exe,
        "-v",
        voice,
        "-s",
        str(speed),
        "-p",
        str(pitch),
        "-g",
        str(word_gap),
        "--stdout",
        text,
    ]
    proc = subprocess.run(cmd, capture_output=True, check=False, timeout=60)
    if proc.returncode != 0 or not proc.stdout:
        raise SynthError(
            f"espeak-ng failed for voice {voice}: {proc.stderr.decode(errors='replace')}"
        )
    # espeak-ng writes a streaming WAV header with bogus sizes: parse the fmt, take the rest.
    data = proc.stdout
    with wave.open(io.BytesIO(data[:44] + b"\0\0")) as w:
        rate = w.getframerate()
    pcm = np.frombuffer(data[44 : 44 + (len(data) - 44) // 2 * 2], dtype="<i2")
    return pcm.astype(np.float32) / 32768.0, rate


def _band_limit(x: np.ndarray, rate: int, lo: float, hi: float) -> np.ndarray:
    """Band-pass by FFT mask with 100 Hz cosine edges (offline fixture use only)."""
    spec = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / rate)
    mask = np.clip((f - (lo - 100)) / 100, 0, 1) * np.clip(((hi + 100) - f) / 100, 0, 1)
    mask = 0.5 - 0.5 * np.cos(np.pi * mask)
    return np.fft.irfft(spec * mask, n=len(x)).astype(np.float32)


def mulaw_round_trip(x: np.ndarray) -> np.ndarray:
    """Encode to G.711 mu-law (8-bit, mu=255) and decode again."""
    mu = 255.0
    x = np.clip(x, -1.0, 1.0)
    y = np.sign(x) * np.log1p(mu * np.abs(x)) / np.log1p(mu)
    q = np.round((y + 1.0) / 2.0 * 255.0)  # 256 levels
    y2 = q / 255.0 * 2.0 - 1.0
    return (np.sign(y2) * ((1.0 + mu) ** np.abs(y2) - 1.0) / mu).astype(np.float32)


def noise(n: int, rng: np.random.Generator, kind: str = "babble") -> np.ndarray:
    """Background noise: ``white``, ``pink`` (1/f) or ``babble`` (speech-band hum and clatter)."""
    white = rng.standard_normal(n).astype(np.float32)
    if kind == "white":
        return white
    spec = np.fft.rfft(white)
    f = np.fft.rfftfreq(n, 1.0 / OUT_RATE)
    f[0] = f[1] if n > 1 else 1.0
    shaped = spec / np.sqrt(f)
    if kind == "babble":  # emphasise 200-1500 Hz where voices are, and let it swell
        shaped = shaped * (1.0 + 3.0 * np.exp(-(((f - 600.0) / 500.0) ** 2)))
    out = np.fft.irfft(shaped, n=n).astype(np.float32)
    if kind == "babble":
        t = np.arange(n) / OUT_RATE
        out *= (1.0 + 0.5 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6))).astype(np.float32)
    return out


def add_noise(
    x: np.ndarray, snr_db: float, rng: np.random.Generator, kind: str = "babble"
) -> np.ndarray:
    """Mix noise at ``snr_db`` relative to the power of the voiced part of ``x``."""
    voiced = x[np.abs(x) > 0.01]
    p_sig = float(np.mean(voiced**2)) if voiced.size else 1e-6
    nz = noise(len(x), rng, kind)
    p_nz = float(np.mean(nz**2)) or 1e-12
    return (x + nz * np.sqrt(p_sig / (p_nz * 10 ** (snr_db / 10.0)))).astype(np.float32)


def write_wav(path: Path, x: np.ndarray, rate: int) -> None:
    """Write float samples as a 16-bit mono WAV."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def synth_wav(
    text: str,
    out: Path | str,
    *,
    voice: str = "en-us",
    speed: int = 160,
    pitch: int = 50,
    noise_snr_db: float | None = None,
    telephone: bool = False,
    seed: int = 0,
    pad_s: float = 0.3,
    noise_kind: str = "babble",
    word_gap: int = 0,
) -> Path:
    """Speak ``text`` into a WAV: 16 kHz mono, or 8 kHz mu-law-degraded with ``telephone``.

    ``pad_s`` seconds of silence (or noise) surround the speech; ``seed`` fixes the noise.
    """
    rng = np.random.default_rng(seed)
    x, rate = espeak_pcm(text, voice=voice, speed=speed, pitch=pitch, word_gap=word_gap)
    x = soxr.resample(x, rate, OUT_RATE).astype(np.float32)
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    if peak > 0:
        x = x * (0.5 / peak)
    pad = np.zeros(int(pad_s * OUT_RATE), dtype=np.float32)
    x = np.concatenate([pad, x, pad])
    if noise_snr_db is not None:
        x = add_noise(x, noise_snr_db, rng, noise_kind)
    rate_out = OUT_RATE
    if telephone:
        x = _band_limit(x, OUT_RATE, 300.0, 3400.0)
        x = soxr.resample(x, OUT_RATE, TEL_RATE).astype(np.float32)
        x = mulaw_round_trip(x)
        rate_out = TEL_RATE
    path = Path(out)
    write_wav(path, x, rate_out)
    return path


def digits_words(digits: str, lang: str = "en") -> str:
    """``"4071"`` -> ``"four zero seven one"`` (en) or Korean Sino-Korean digit words (ko)."""
    table = KO_DIGITS if lang == "ko" else EN_DIGITS
    return " ".join(table[int(d)] for d in digits)


# The test fixtures: voices/speeds the benchmark does NOT use (see scripts/bench_asr.py).
TEST_VOICES = ("en-us", "en-gb+m3")


def asr_fixture_specs() -> list[dict[str, object]]:
    """What ``tests/fixtures/asr`` holds: file, text, expected transcript, synthesis options."""
    specs: list[dict[str, object]] = []
    digit_sets = ["4071", "952836", "3318"]
    for i, d in enumerate(digit_sets):
        voice = TEST_VOICES[i % 2]
        specs.append(
            {
                "file": f"en_digits_{d}.wav",
                "text": digits_words(d),
                "expect": d,
                "lang": "en",
                "voice": voice,
                "speed": 150,
            }
        )
    specs.append(
        {
            "file": "en_digits_4071_tel.wav",
            "text": digits_words("4071"),
            "expect": "4071",
            "lang": "en",
            "voice": "en-us",
            "speed": 150,
            "telephone": True,
        }
    )
    for word, voice in (("yes", "en-us"), ("no", "en-gb+m3"), ("yes", "en-gb+m3"), ("no", "en-us")):
        specs.append(
            {
                "file": f"en_{word}_{voice.replace('+', '_')}.wav",
                "text": word,
                "expect": word,
                "lang": "en",
                "voice": voice,
                "speed": 150,
            }
        )
    specs.append(
        {
            "file": "en_case_2024_civil.wav",
            "text": "twenty twenty four civil first instance one two three four five",
            "expect": "twenty twenty four civil first instance one two three four five",
            "lang": "en",
            "voice": "en-us",
            "speed": 140,
        }
    )
    specs.append(
        {
            "file": "en_free_hello.wav",
            "text": "i want to check my case",
            "expect": "i want to check my case",
            "lang": "en",
            "voice": "en-us",
            "speed": 140,
        }
    )
    # rejection: speech outside the grammar, and an in-grammar request (test voices only)
    for name, text, voice in (
        ("en_oog_taxi.wav", "please call me a taxi", "en-us"),
        ("en_oog_purple.wav", "purple elephant", "en-gb+m3"),
        ("en_req_hearing.wav", "when is my hearing", "en-gb+m3"),
    ):
        specs.append(
            {"file": name, "text": text, "expect": text, "lang": "en", "voice": voice, "speed": 150}
        )
    # espeak-ng's Korean renders ㄹ-final digits (일 칠 팔) poorly for vosk-ko (see the bench)
    for d in ("5034", "43065"):
        specs.append(
            {
                "file": f"ko_digits_{d}.wav",
                "text": digits_words(d, "ko"),
                "expect": d,
                "lang": "ko",
                "voice": "ko",
                "speed": 140,
            }
        )
    return specs


def make_asr_fixtures(out_dir: Path = ASR_FIXTURES) -> list[Path]:
    """(Re)generate the ASR test fixtures and their ``index.json``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    made = []
    for spec in asr_fixture_specs():
        made.append(
            synth_wav(
                str(spec["text"]),
                out_dir / str(spec["file"]),
                voice=str(spec["voice"]),
                speed=int(spec["speed"]),  # type: ignore[call-overload]
                telephone=bool(spec.get("telephone", False)),
            )
        )
    (out_dir / "index.json").write_text(
        json.dumps(asr_fixture_specs(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return made


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``say`` one WAV, or regenerate the ``asr`` fixtures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    say = sub.add_parser("say", help="synthesize one WAV")
    say.add_argument("text")
    say.add_argument("out", type=Path)
    say.add_argument("--voice", default="en-us")
    say.add_argument("--speed", type=int, default=160)
    say.add_argument("--pitch", type=int, default=50)
    say.add_argument("--noise-snr-db", type=float, default=None)
    say.add_argument("--telephone", action="store_true")
    say.add_argument("--seed", type=int, default=0)
    asr = sub.add_parser("asr", help="regenerate tests/fixtures/asr")
    asr.add_argument("--out", type=Path, default=ASR_FIXTURES)
    args = parser.parse_args(argv)
    if args.cmd == "say":
        synth_wav(
            args.text,
            args.out,
            voice=args.voice,
            speed=args.speed,
            pitch=args.pitch,
            noise_snr_db=args.noise_snr_db,
            telephone=args.telephone,
            seed=args.seed,
        )
        print(args.out)
    else:
        for p in make_asr_fixtures(args.out):
            print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
