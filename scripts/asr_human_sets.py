"""Human speech for the bench, read in place from ``../shared/speech`` (never copied into the repo).

* FSDD digit strings (English, 4 speakers, 8 kHz; "Free Spoken Digit Dataset (FSDD), Z. Jackson
  et al., CC BY-SA 4.0"), joined by the dataset's own ``make_human_digits.py`` into a cache folder
  per seed: clean / noise / phone. Scored as exact strings with the length given, the way the
  dialog reads a password (``best_digits(result, len)``).
* AISHELL-1 Mandarin sentences (Apache-2.0): character error rate, spaces removed; and the
  digit-by-digit runs inside them (一九九零, 二零一四 ...): exact runs found in the reading.
* English read sentences: word error rate after normalizing case, punctuation and numerals.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from voicebot.asr.grammars import DIGIT_WORDS
from voicebot.asr.scoring import error_rate
from voicebot.asr.whisper_engine import spell_numbers

_ROOT = Path(__file__).resolve().parent.parent
SPEECH = Path(os.environ.get("VOICEBOT_SPEECH_DIR") or next(
    (p for p in (_ROOT.parent / "shared" / "speech", _ROOT.parent.parent / "shared" / "speech")
     if p.is_dir()), _ROOT.parent / "shared" / "speech"))
"""Where the human recordings live: ``$VOICEBOT_SPEECH_DIR``, else ``../shared/speech`` beside
the checkout (or beside the parent of a worktree's folder)."""
FSDD_SPEAKERS = ("jackson", "theo", "nicolas", "lucas")
HUMAN_CONDITIONS = ("clean", "noise", "phone")
TUNING_SEED = 29
"""FSDD strings options were compared on; figures are reported on ``REPORT_SEED``."""
REPORT_SEED = 1
_SAME = {"mr": "mister", "mrs": "missus", "dr": "doctor", "ok": "okay"}
ZH_DIGIT_RUN = re.compile(f"[{''.join(DIGIT_WORDS['zh'])}]{{2,}}")


def speech_dir(root: Path | None = None) -> Path | None:
    """``root`` or ``../shared/speech`` if it holds the FSDD recordings, else None."""
    d = root or SPEECH
    return d if (d / "fsdd").is_dir() else None


def fsdd_strings(cache: Path, seed: int, per_speaker: int = 15,
                 speech: Path | None = None) -> list[dict[str, Any]]:
    """Digit strings made by ``make_human_digits.py`` into ``cache/fsdd-sSEED-nN`` (built once)."""
    src = speech or SPEECH
    out = cache / f"fsdd-s{seed}-n{per_speaker}"
    manifest = out / "manifest.json"
    if not manifest.exists():
        subprocess.run([sys.executable, str(src / "make_human_digits.py"), str(src / "fsdd"),
                        str(out), "--speakers", ",".join(FSDD_SPEAKERS),
                        "--per-speaker", str(per_speaker), "--seed", str(seed)],
                       check=True, capture_output=True)
    items = json.loads(manifest.read_text(encoding="utf-8"))
    for it in items:
        it["path"] = str(out / it["wav"])
    return items


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def aishell_sentences(speech: Path | None = None) -> list[dict[str, Any]]:
    """The AISHELL-1 sentences with ``path`` and ``text``."""
    d = (speech or SPEECH) / "zh-aishell"
    return [dict(it, path=str(d / it["file"])) for it in _jsonl(d / "manifest.jsonl")]


def english_sentences(speech: Path | None = None) -> list[dict[str, Any]]:
    """The English read sentences with ``path`` and ``text`` (WAV files; the raw and FLAC ones
    are left out: the audio package reads WAV)."""
    d = (speech or SPEECH) / "en-sentences"
    return [dict(it, path=str(d / it["file"])) for it in _jsonl(d / "manifest.jsonl")
            if it["file"].endswith(".wav")]


def zh_chars(text: str) -> list[str]:
    """Characters scored by CER: no spaces, no punctuation, no ``[unk]``."""
    return [c for c in text.replace("[unk]", "") if c.isalnum()]


def en_words(text: str) -> list[str]:
    """Words scored by WER: lower case, numerals spelled, punctuation dropped."""
    text = re.sub(r"[^a-z0-9']+", " ", text.lower())
    text = re.sub(r"\b(1[1-8])(\d\d)\b", r"\1 \2", text)  # years: 1813 -> eighteen thirteen
    words = re.findall(r"[a-z']+", spell_numbers(text))
    return [_SAME.get(w, w) for w in words]


def zh_digit_runs(text: str) -> list[str]:
    """Runs of two or more digit characters said one by one (一九九零, 二零一四)."""
    return ZH_DIGIT_RUN.findall(text)


def score_rate(pairs: list[tuple[list[str], list[str]]]) -> float:
    """Total edits over total reference tokens (CER or WER)."""
    return error_rate(pairs)


def _decode(model: Any, path: str, grammar: Any) -> Any:
    from voicebot.asr.wavin import read_pcm16

    rec = model.recognizer(grammar)
    pcm, _ = read_pcm16(path, rec.sample_rate)
    step = rec.sample_rate // 10 * 2  # 100 ms chunks, as the call loop streams
    for i in range(0, len(pcm), step):
        rec.accept(pcm[i : i + step])
    return rec.finish()


def digit_strings(model: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Exact strings per condition and speaker with the length given (the dialog's reading)."""
    from voicebot.asr.digits import best_digits
    from voicebot.asr.grammars import digits_grammar

    cells: dict[str, list[int]] = {}
    misses: list[str] = []
    doubtful = {True: [0, 0], False: [0, 0]}  # right?: [doubtful, all]
    for it in items:
        res = _decode(model, it["path"], digits_grammar("en"))
        got = best_digits(res, len(it["digits"]), lang="en")
        ok = got == it["digits"]
        for key in (it["condition"], f"{it['condition']}/{it['speaker']}", "all"):
            cell = cells.setdefault(key, [0, 0])
            cell[0] += ok
            cell[1] += 1
        doubtful[ok][0] += res.doubtful
        doubtful[ok][1] += 1
        if not ok:
            misses.append(f"{it['condition']}/{it['speaker']} {it['digits']}->{got}")
    return {"exact": cells, "misses": misses,
            "doubtful_right": doubtful[True], "doubtful_wrong": doubtful[False]}


def zh_sentences(model: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """CER over the sentences (free decoding) and the digit runs read exactly."""
    pairs = []
    runs = [0, 0]
    for it in items:
        hyp = "".join(zh_chars(_decode(model, it["path"], None).text))
        pairs.append((zh_chars(it["text"]), list(hyp)))
        for run in zh_digit_runs(it["text"]):
            runs[0] += run in hyp
            runs[1] += 1
    return {"cer": score_rate(pairs), "sentences": len(pairs), "digit_runs": runs}


def en_sentences(model: Any, items: list[dict[str, Any]]) -> dict[str, Any]:
    """WER over the sentences (free decoding)."""
    pairs = [(en_words(it["text"]), en_words(_decode(model, it["path"], None).text))
             for it in items]
    return {"wer": score_rate(pairs), "sentences": len(pairs)}


def human_report(name: str, lang: str, model: Any, cache: Path, seed: int,
                 per_speaker: int) -> dict[str, Any]:
    """Everything this engine's language has in ``../shared/speech``."""
    if lang == "zh":
        return {"zh_sentences": zh_sentences(model, aishell_sentences())}
    if lang != "en":
        return {}
    return {"fsdd_seed": seed,
            "fsdd": digit_strings(model, fsdd_strings(cache, seed, per_speaker)),
            "en_sentences": en_sentences(model, english_sentences())}


def human_summary(report: dict[str, dict[str, Any]]) -> str:
    """One line per engine: FSDD exact strings per condition, CER / WER."""
    lines = ["engine | FSDD exact clean / noise / phone (all) | zh CER (digit runs) | en WER"]
    for name, r in report.items():
        cells = r.get("fsdd", {}).get("exact", {})
        digits = " / ".join(f"{cells[c][0]}/{cells[c][1]}" if c in cells else "-"
                            for c in (*HUMAN_CONDITIONS, "all"))
        zh = r.get("zh_sentences")
        en = r.get("en_sentences")
        lines.append(f"{name} | {digits} | "
                     + (f"{100 * zh['cer']:.1f}% ({zh['digit_runs'][0]}/{zh['digit_runs'][1]})"
                        if zh else "-")
                     + " | " + (f"{100 * en['wer']:.1f}%" if en else "-"))
    return "\n".join(lines)
