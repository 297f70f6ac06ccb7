"""End-to-end intent accuracy on the paraphrase set (issue 12.6): text only, and spoken in several
espeak-ng voices (clean, 8 kHz phone) through the real recognizer (free decoding) and classifier.

    python scripts/bench_paraphrase.py                 # both languages, all items
    python scripts/bench_paraphrase.py --lang en --limit 40 --conditions clean
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voicebot.asr.engines import load_engines
from voicebot.nlu.understander import Understander
from voicebot.settings import Settings
from voicebot.simulate.goals import Condition
from voicebot.simulate.paraphrases import (
    accuracy,
    load_set,
    score_audio,
    score_text,
)
from voicebot.simulate.voice import CallerVoice


def main() -> None:
    """Print accuracy per language and condition."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lang", action="append", choices=("en", "zh"))
    ap.add_argument("--conditions", default="clean,phone")
    ap.add_argument("--limit", type=int, default=0, help="Every k-th item so that about N remain.")
    ap.add_argument("--errors", action="store_true", help="Print the misclassified items.")
    args = ap.parse_args()
    settings = Settings.load()
    nlu = Understander.load(settings.nlu_model_dir)
    engines = load_engines(settings)
    voice = CallerVoice()
    print("language | condition | items | intent accuracy | seconds")
    for lang in args.lang or ["en", "zh"]:
        items = load_set(lang)
        if args.limit and args.limit < len(items):
            step = len(items) / args.limit
            items = [items[int(i * step)] for i in range(args.limit)]
        runs: list[tuple[str, Condition | None]] = [("text", None)]
        if lang in engines.languages:
            runs += [(cond, Condition(cond)) for cond in args.conditions.split(",")]
        for name, run in runs:
            t0 = time.perf_counter()
            scored = score_text(items, lang, nlu) if run is None else score_audio(
                items, lang, run, nlu, engines.recognizer(lang), voice)
            print(f"{lang} | {name} | {len(scored)} | {100 * accuracy(scored):.1f}% | "
                  f"{time.perf_counter() - t0:.0f}", flush=True)
            if args.errors:
                for s in scored:
                    if not s.correct:
                        print(f"    [{s.item.intent} -> {s.intent or '-'}] {s.item.text!r} "
                              f"heard {s.heard!r}")


if __name__ == "__main__":
    main()
