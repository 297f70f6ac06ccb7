"""The bench's audio sets: digit strings, yes/no answers and rejection sentences, said by
espeak-ng voices the tests do not use, in three conditions, cached as WAV files."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from make_fixtures import TEST_VOICES, digits_words, synth_wav

from voicebot.asr.grammars import YES_NO

BENCH_VOICES = ("en-gb-x-rp", "en-us+f3", "en-029", "en-gb-scotland+m5", "en-us-nyc+f2", "en-gb+m7")
BENCH_SPEEDS = (125, 145, 165, 185)
CONDITIONS = ("clean", "noise", "tel")
# Mandarin: voice variants of cmn-latn-pinyin (the tests use it plain at speed 150, pitch 50)
ZH_VOICES = tuple(f"cmn-latn-pinyin{v}" for v in ("+f2", "+m5", "", "+f4", "+m7"))
ZH_DIGITS = "零一二三四五六七八九"
assert not set(BENCH_VOICES) & set(TEST_VOICES)
NOISE_SNR_DB: dict[str, float | None] = {"clean": None, "noise": 10.0, "tel": 20.0}
"""Babble noise per condition (``tel`` is also band-limited to 8 kHz mu-law)."""

# in-grammar and out-of-grammar sentences of the rejection measurement
# fmt: off
IN_GRAMMAR = (
    "yes", "no", "nope", "yeah", "correct", "that's right", "check my case",
    "i want to talk to the judge", "when is my hearing", "how much are the court fees",
    "operator", "goodbye", "help", "english",
)
OUT_OF_GRAMMAR = (
    "banana umbrella sandwich", "the weather is lovely today in paris", "purple elephant",
    "seventeen kilograms of potatoes", "my dog ate the homework", "please call me a taxi",
    "what time does the train leave", "i like chocolate cake", "hello hello is anybody there",
    "swimming pool maintenance", "can you hear the music", "bicycle",
    "my sister lives in london", "good afternoon",
)
# fmt: on
REQUESTS = (*IN_GRAMMAR[6:], "talk to a person", "a real person", "contact the judge")


def make_set(cache: Path, lang: str, n_digits: int, seed: int = 11) -> list[dict[str, Any]]:
    """Digit strings (4-7) and yes/no answers across voices, speeds and the three conditions."""
    cache.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    voices = {"en": BENCH_VOICES, "zh": ZH_VOICES}.get(lang, ("ko",))
    yn_words = {"en": ("yes", "no", "yeah", "nope"), "zh": ("是的", "对", "不是", "不对")}.get(
        lang, ("네", "아니요"))
    for cond in CONDITIONS:
        for i in range(n_digits):
            d = "".join(rng.choice("0123456789") for _ in range(rng.randint(4, 7)))
            items.append(
                {
                    "kind": "digits",
                    "expect": d,
                    "text": "".join(ZH_DIGITS[int(c)] for c in d)
                    if lang == "zh" else digits_words(d, lang),
                    "cond": cond,
                    "voice": voices[i % len(voices)],
                    "speed": rng.choice(BENCH_SPEEDS),
                    "pitch": rng.randint(25, 75),
                    "seed": rng.randint(0, 10**6),
                }
            )
        for i, w in enumerate(yn_words * 2):
            items.append(
                {
                    "kind": "yesno",
                    "expect": YES_NO[lang][w],
                    "text": w,
                    "cond": cond,
                    "voice": voices[(i + 3) % len(voices)],
                    "speed": rng.choice(BENCH_SPEEDS),
                    "pitch": rng.randint(25, 75),
                    "seed": rng.randint(0, 10**6),
                }
            )
    for i, it in enumerate(items):
        # the file name carries what decides the content: another --digits or seed is another set
        path = cache / f"{lang}_s{seed}_n{n_digits}_{i:03d}_{it['cond']}_{it['kind']}.wav"
        if not path.exists():
            synth_item(it, path, it["seed"])
        it["path"] = str(path)
    return items


def synth_item(it: dict[str, Any], path: Path, seed: int) -> None:
    """Say the item's text in its voice, speed, pitch and condition (noise from ``seed``)."""
    synth_wav(it["text"], path, voice=it["voice"], speed=it["speed"], pitch=it["pitch"],
              noise_snr_db=NOISE_SNR_DB[it["cond"]], telephone=it["cond"] == "tel", seed=seed)


def rejection_set(cache: Path, seed: int = 5) -> list[dict[str, Any]]:
    """In-grammar and out-of-grammar sentences (bench voices) x the three conditions."""
    cache.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    for kind, texts in (("in", IN_GRAMMAR), ("oog", OUT_OF_GRAMMAR)):
        for i, text in enumerate(texts):
            for j, cond in enumerate(CONDITIONS):
                path = cache / f"rej_{kind}_{i:02d}_{cond}.wav"
                voice = BENCH_VOICES[(i + j) % len(BENCH_VOICES)]
                speed, pitch, nseed = (
                    rng.choice(BENCH_SPEEDS),
                    rng.randint(25, 75),
                    rng.randint(0, 9999),
                )
                if not path.exists():
                    synth_wav(
                        text,
                        path,
                        voice=voice,
                        speed=speed,
                        pitch=pitch,
                        noise_snr_db=NOISE_SNR_DB[cond],
                        telephone=cond == "tel",
                        seed=nseed,
                    )
                items.append({"kind": kind, "text": text, "cond": cond, "path": str(path)})
    return items


def repeat_path(it: dict[str, Any]) -> str:
    """The same words, voice, speed and pitch said again, in new noise (the caller repeating
    after saying no to the reading); clean audio comes out identical."""
    path = Path(it["path"]).with_name(Path(it["path"]).stem + "_repeat.wav")
    if not path.exists():
        synth_item(it, path, it["seed"] + 1)
    return str(path)
