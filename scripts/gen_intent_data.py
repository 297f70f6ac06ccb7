"""Generate the labelled intent utterances in voicebot/nlu/data/ (deterministic, fixed seed).

Held-out test utterances come from their own templates and slot fillers (see
intent_templates_zh.toml / intent_templates_en.toml), so the test split measures generalisation.

    .venv/bin/python scripts/gen_intent_data.py [--check]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from voicebot.casenumber import CASE_TYPES
from voicebot.nlu.speak import en_case, written_case, zh_case

SEED = 12368
OUT_DIR = Path(__file__).resolve().parents[1] / "voicebot" / "nlu" / "data"
VARIANTS = {"train": 5, "test": 5}
CONSULT_VARIANTS = {"train": 4, "test": 3}
CASE_SHARE = 0.35
BACKSTORY_SHARE = 0.15
"""Share of requests that open with a sentence of the caller's story (slot ``b``), so that the
classifier learns such openings say nothing about the intent."""
NO_BACKSTORY = ("goodbye", "unknown")
COMMON_TYPES = ("民初", "民终", "执", "刑初", "行初", "民再", "执异", "执恢")
COURTS = ("京0105", "京0101", "京0108", "京01", "沪0115", "粤0305")


def _case_number(rng: random.Random, language: str) -> str:
    year = rng.randrange(2015, 2027)
    court: str | None = rng.choice(COURTS)
    case_type = rng.choice(COMMON_TYPES) if rng.random() < 0.8 else rng.choice(list(CASE_TYPES))
    seq = rng.choice((rng.randrange(1, 100), rng.randrange(100, 20000)))
    assert court is not None
    if rng.random() < 0.3:
        return written_case(year, court, case_type, seq, rng)
    if rng.random() < 0.3:
        court = None
    if language == "zh":
        return zh_case(year, court, case_type, seq, rng)
    return en_case(year, court, case_type, seq, rng)


def _case_phrase(rng: random.Random, language: str, split: str, slots: dict[str, list[str]]) -> str:
    if rng.random() >= CASE_SHARE:
        return rng.choice(slots["c"])
    number = _case_number(rng, language)
    if language == "zh":
        forms = ("案号{n}", "{n}这个案子", "{n}", "{n}的案件") if split == "train" else (
            "案号是{n}的那个案子", "{n}号案件")
    else:
        forms = ("case {n}", "case number {n}", "{n}") if split == "train" else (
            "the case numbered {n}", "case no. {n}")
    return rng.choice(forms).format(n=number)


def _fill(
    template: str, rng: random.Random, language: str, split: str, slots: dict[str, list[str]],
    intent: str,
) -> str:
    text = template
    for name in ("p", "s", "j", "w"):
        while "{" + name + "}" in text:
            text = text.replace("{" + name + "}", rng.choice(slots[name]), 1)
    while "{c}" in text:
        text = text.replace("{c}", _case_phrase(rng, language, split, slots), 1)
    text = text.strip()
    if intent not in NO_BACKSTORY and rng.random() < BACKSTORY_SHARE:
        story = rng.choice(slots["b"])
        text = story + text if language == "zh" else f"{story} {text[:1].lower()}{text[1:]}"
    return _noise(text, rng, language)


def _noise(text: str, rng: random.Random, language: str) -> str:
    """ASR-style variation: no punctuation, spaces between characters, fillers."""
    if language == "zh":
        if rng.random() < 0.4:
            text = re.sub(r"[，。？！,.?!]", "", text)
        if rng.random() < 0.1:
            text = rng.choice(("嗯", "呃", "那个")) + text
        if rng.random() < 0.15:
            text = " ".join(text.replace(" ", ""))
        return text
    if rng.random() < 0.5:
        text = re.sub(r"[,.?!]", "", text.lower())
    if rng.random() < 0.15:
        words = text.split()
        words.insert(rng.randrange(len(words) + 1), rng.choice(("um", "uh", "er")))
        text = " ".join(words)
    return text


def _templates(language: str) -> dict[str, Any]:
    path = Path(__file__).resolve().parent / f"intent_templates_{language}.toml"
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    for section in ("intents", "consultation"):
        for splits in raw[section].values():
            for split, block in splits.items():
                splits[split] = [line.strip() for line in block.splitlines() if line.strip()]
    return raw


def generate(language: str) -> list[dict[str, str | None]]:
    """All labelled utterances of one language, train then test, without duplicates."""
    rng = random.Random(f"{SEED}-{language}")
    templates = _templates(language)
    seen: set[str] = set()
    rows: list[dict[str, str | None]] = []
    groups: list[tuple[str, str | None, dict[str, list[str]], dict[str, int]]] = [
        (intent, None, splits, VARIANTS) for intent, splits in templates["intents"].items()
    ] + [
        ("consultation", topic, splits, CONSULT_VARIANTS)
        for topic, splits in templates["consultation"].items()
    ]
    for split in ("train", "test"):
        for intent, topic, splits, variants in groups:
            for template in splits[split]:
                wanted = variants[split] if "{" in template else 2
                for _ in range(wanted * 3):
                    if wanted == 0:
                        break
                    text = _fill(template, rng, language, split, templates["slots"][split], intent)
                    key = re.sub(r"[\s，。？！,.?!]", "", text.lower())
                    if key in seen:
                        continue
                    seen.add(key)
                    rows.append({"text": text, "intent": intent, "topic": topic, "split": split})
                    wanted -= 1
    return rows


def main() -> None:
    """Write (or with --check, verify) intents_zh.jsonl and intents_en.jsonl."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the files are out of date")
    args = parser.parse_args()
    stale = []
    for language in ("zh", "en"):
        rows = generate(language)
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        path = OUT_DIR / f"intents_{language}.jsonl"
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != body:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
        counts = {s: sum(r["split"] == s for r in rows) for s in ("train", "test")}
        print(f"{path}: {len(rows)} utterances ({counts['train']} train, {counts['test']} test)")
    if stale:
        sys.exit(f"out of date, run scripts/gen_intent_data.py: {', '.join(stale)}")


if __name__ == "__main__":
    main()
