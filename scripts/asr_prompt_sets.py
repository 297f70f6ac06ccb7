"""Open-prompt set: what callers say at the request, confirmation, offer, menu and case-number
prompts, in wordings the grammars lack, said by espeak-ng voices neither the tests nor the
digit bench use, in the bench's three conditions. Scored by what understanding makes of the
reading (intent, yes/no, number), not by words: that is what the call acts on.

Used by ``scripts/bench_asr.py --prompts``.
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

from asr_bench_sets import BENCH_SPEEDS, BENCH_VOICES, CONDITIONS, synth_item
from make_fixtures import TEST_VOICES

PROMPT_VOICES = ("en-gb-x-gbclan", "en-us+m4", "en-gb-x-gbcwmd+f2", "en-us+f4", "en-029+m2",
                 "en-gb+f3", "en-us-nyc+m3", "en-gb-scotland+f4")
assert not set(PROMPT_VOICES) & (set(BENCH_VOICES) | set(TEST_VOICES))

# (expect, text, what must be understood): intent / yes_no / digits / seq / switch
# fmt: off
PROMPTS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("intent", "i would like to know the progress of my case", {"intent": "case_progress"}),
    ("intent", "what is going on with my lawsuit", {"intent": "case_progress"}),
    ("intent", "could you tell me the date of my court hearing", {"intent": "hearing_time"}),
    ("intent", "which judge is handling my case", {"intent": "case_panel"}),
    ("intent", "has the court accepted my filing yet", {"intent": "case_acceptance"}),
    ("intent", "i need to get a message to my judge", {"intent": "contact_judge"}),
    ("intent", "i want to file a complaint about the clerk", {"intent": "complaint"}),
    ("intent", "can i talk to somebody please", {"intent": "operator"}),
    ("intent", "how much does it cost to sue someone", {"intent": "consultation"}),
    ("intent", "did i win my case", {"intent": "case_result"}),
    ("intent", "check the progress of my case", {"intent": "case_progress"}),
    ("intent", "when is my hearing", {"intent": "hearing_time"}),
    ("yesno", "yes please", {"yes_no": True, "switch": None}),
    ("yesno", "that's right", {"yes_no": True, "switch": None}),
    ("yesno", "correct", {"yes_no": True, "switch": None}),
    ("yesno", "yeah", {"yes_no": True, "switch": None}),
    ("yesno", "nope", {"yes_no": False, "switch": None}),
    ("yesno", "no thanks", {"yes_no": False, "switch": None}),
    ("yesno", "yes that is correct", {"yes_no": True, "switch": None}),
    ("yesno", "no that's wrong", {"yes_no": False, "switch": None}),
    ("yesno", "no it's one two nine zero", {"yes_no": False, "digits": "1290"}),
    ("yesno", "no the number is six six", {"yes_no": False, "digits": "66"}),
    ("yesno", "sure", {"yes_no": True, "switch": None}),
    ("yesno", "no", {"yes_no": False, "switch": None}),
    ("menu", "operator", {"intent": "operator"}),
    ("menu", "i want to speak to a person", {"intent": "operator"}),
    ("menu", "goodbye", {"intent": "goodbye"}),
    ("menu", "english please", {"switch": "en"}),
    ("menu", "i would like to know the progress of my case", {"intent": "case_progress"}),
    ("menu", "when is my court date", {"intent": "hearing_time"}),
    ("case_number", "twenty twenty four civil first instance one two nine zero",
     {"seq": 1290, "year": 2024}),
    ("case_number", "case number six six", {"seq": 66}),
    ("case_number", "one two nine zero", {"seq": 1290}),
    ("case_number", "it is twenty twenty five enforcement number eight eight four one",
     {"seq": 8841, "year": 2025}),
    ("case_number", "the number is three four five six seven", {"seq": 34567}),
    ("case_number", "i lost it", {"seq": None}),
)
# fmt: on
KINDS = ("intent", "yesno", "menu", "case_number")


def prompt_set(cache: Path, seed: int = 3) -> list[dict[str, Any]]:
    """Every prompt utterance in each condition, voices rotating, cached as WAV files."""
    cache.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    for j, cond in enumerate(CONDITIONS):
        for i, (expect, text, want) in enumerate(PROMPTS):
            it = {"kind": expect, "text": text, "want": want, "cond": cond,
                  "voice": PROMPT_VOICES[(i + 3 * j) % len(PROMPT_VOICES)],
                  "speed": rng.choice(BENCH_SPEEDS), "pitch": rng.randint(25, 75),
                  "seed": rng.randint(0, 10**6)}
            path = cache / f"prompt_s{seed}_{i:02d}_{cond}.wav"
            if not path.exists():
                synth_item(it, path, it["seed"])
            it["path"] = str(path)
            items.append(it)
    return items


def understood(parse: Any, want: dict[str, Any]) -> bool:
    """Whether an :class:`Understanding` holds everything ``want`` asks for."""
    for key, value in want.items():
        if key == "intent" and parse.intent != value:
            return False
        if key == "yes_no" and parse.yes_no is not value:
            return False
        if key == "switch" and parse.language_switch != value:
            return False
        if key == "digits" and parse.digits != value:
            return False
        if key in ("seq", "year"):
            case = parse.case_number or parse.partial_case_number
            got = getattr(case, key, None) if case is not None else None
            if got != value:
                return False
    return True


def _stream(rec: Any, pcm: bytes, chunk_ms: int = 100) -> Any:
    step = rec.sample_rate * chunk_ms // 1000 * 2
    for i in range(0, len(pcm), step):
        rec.accept(pcm[i : i + step])
    return rec.finish()


LIVE_SCORING: Any = os.environ.get("BENCH_LIVE_SCORING", "open")
"""The phrase pass's scoring as the line runs it ("open"); "none" scores after the utterance."""


def prompt_readings(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per item, the readings each combination starts from: pocketsphinx on the line's phrase
    list (with rejection), Whisper tiny.en free, and Whisper with the list re-ranking its
    N-best (numbers spelled as words)."""
    import numpy as np

    from voicebot.asr.sphinx_engine import SphinxModel
    from voicebot.asr.wavin import read_pcm16
    from voicebot.asr.whisper_engine import WhisperModel
    from voicebot.call.grammars import grammar_for

    sphinx, whisper = SphinxModel(), WhisperModel()
    out = []
    for it in items:
        grammar = grammar_for(it["kind"], "en")
        pcm, _ = read_pcm16(it["path"], 16000)
        rec = sphinx.recognizer(grammar)
        rec.live_scoring = LIVE_SCORING  # as the line's hybrid scores its phrase readings
        phrase = _stream(rec, pcm)
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        free = whisper.decode(samples, None)
        ranked = whisper.decode(samples, grammar)
        out.append({**it, "phrase": phrase.text, "phrase_conf": phrase.confidence,
                    "free": free.text, "ranked": ranked.text,
                    "ranked_in": bool(grammar) and ranked.text != free.text})
    return out


POLICIES = ("list only (before)", "free only", "free, list re-ranks", "list, else free",
            "list where free agrees, else free", "re-ranked free, list where it tells more",
            "... and at requests only where the free reading is weak")
"""The last is the line's own choice (``call/hypotheses.acted_reading``); the one before it is
that choice without its request rule (``WEAK_REQUEST``), for comparison."""


def choose(policy: str, r: dict[str, Any], understand: Any, parse: Any = None) -> str:
    """The text a combination hands to understanding (``parse``: text -> Understanding)."""
    from voicebot.call.grammars import grammar_for
    from voicebot.call.hypotheses import acted_reading, reading_score
    from voicebot.call.listening import listen_spec
    from voicebot.dialog.actions import Listen

    if policy in POLICIES[5:]:
        if not r["phrase"]:
            return str(r["ranked"])
        readings = [parse(r["ranked"]), parse(r["phrase"])]
        spec = listen_spec(Listen(r["kind"], "en"), grammar_for)
        if policy == POLICIES[6]:
            return str((r["ranked"], r["phrase"])[acted_reading(readings, spec)[0]])
        better = reading_score(readings[1], spec.nlu_hint) > reading_score(readings[0],
                                                                            spec.nlu_hint)
        return str(r["phrase"] if better else r["ranked"])
    if policy == POLICIES[0]:
        return str(r["phrase"])
    if policy == POLICIES[1]:
        return str(r["free"])
    if policy == POLICIES[2]:
        return str(r["ranked"])
    if policy == POLICIES[3]:
        return str(r["phrase"] or r["ranked"])
    # the phrase reading where it means what the free reading means (same intent, yes/no,
    # digits), else the free reading re-ranked by the list
    if r["phrase"] and understand(r["phrase"]) == understand(r["ranked"]):
        return str(r["phrase"])
    return str(r["ranked"])


def prompt_report(readings: list[dict[str, Any]], understander: Any) -> dict[str, Any]:
    """Understood right per policy x prompt kind x condition."""
    def parse(text: str, kind: str) -> Any:
        hint = "intent" if kind == "menu" else kind
        return understander.parse(text, "en", expect=hint)

    report: dict[str, Any] = {}
    for policy in POLICIES:
        cells: dict[str, list[int]] = {}
        misses: list[str] = []
        for r in readings:
            def key(text: str, kind: str = r["kind"]) -> tuple[Any, ...]:
                p = parse(text, kind)
                return (p.intent, p.yes_no, p.digits, p.language_switch)
            text = choose(policy, r, key, lambda t, k=r["kind"]: parse(t, k))
            ok = understood(parse(text, r["kind"]), r["want"])
            for cell in (f"{r['kind']}/{r['cond']}", r["kind"], r["cond"], "all"):
                c = cells.setdefault(cell, [0, 0])
                c[0] += ok
                c[1] += 1
            if not ok and len(misses) < 12:
                misses.append(f"{r['cond']} {r['text']!r} -> {text!r}")
        report[policy] = {"cells": {k: f"{a}/{b}" for k, (a, b) in cells.items()},
                          "misses": misses}
    return report


def prompt_summary(report: dict[str, Any]) -> str:
    """Markdown table: policy x kind (clean/noise/tel)."""
    head = "| combination | " + " | ".join(f"{k} c/n/t" for k in KINDS) + " | all |"
    lines = [head, "|" + " --- |" * (len(KINDS) + 2)]
    for policy, rep in report.items():
        c = rep["cells"]
        row = [" / ".join(c.get(f"{k}/{cond}", "-") for cond in CONDITIONS) for k in KINDS]
        lines.append(f"| {policy} | " + " | ".join(row) + f" | {c['all']} |")
    return "\n".join(lines)


def human_open_report() -> dict[str, Any]:
    """Human read sentences (``../shared/speech``) said to each open prompt's phrase list:
    WER / CER of the reading the line takes, the list closed (before) and open (now). Read
    sentences are what no list holds: a closed list forces them onto its phrases or rejects
    them; an open one must leave the free reading intact."""
    from dataclasses import replace

    from asr_human_sets import (
        _decode,
        aishell_sentences,
        en_words,
        english_sentences,
        score_rate,
        zh_chars,
    )

    from voicebot.asr.hybrid import HybridModel
    from voicebot.asr.models import list_models
    from voicebot.asr.vosk_engine import VoskModel
    from voicebot.call.grammars import grammar_for
    from voicebot.settings import DEFAULT_SETTINGS

    out: dict[str, Any] = {}
    hybrid = HybridModel()
    en = english_sentences()
    for kind in KINDS:
        g = grammar_for(kind, "en")
        assert g is not None
        for label, grammar in (("closed", replace(g, open=False)), ("open", g)):
            pairs = [(en_words(it["text"]), en_words(_decode(hybrid, it["path"], grammar).text))
                     for it in en]
            out[f"en/{kind}/{label}"] = round(score_rate(pairs), 3)
    zh_dir = next((m for m in list_models(Path(DEFAULT_SETTINGS.models_dir), packaged=False)
                   if m.engine == "vosk" and m.language == "zh"), None)
    if zh_dir is not None:
        vosk = VoskModel(zh_dir.path, "zh", zh_dir.name)
        zh = aishell_sentences()
        for kind in ("intent", "yesno", "menu", "case_number"):
            g = grammar_for(kind, "zh")
            grammars = [("free", None)] if g is None else [("closed", replace(g, open=False)),
                                                         ("open", g)]
            for label, grammar in grammars:
                pairs = [(zh_chars(it["text"]), zh_chars(_decode(vosk, it["path"], grammar).text))
                         for it in zh]
                out[f"zh/{kind}/{label}"] = round(score_rate(pairs), 3)
    return out
