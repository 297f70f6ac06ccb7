"""Choosing among the recognizer's N-best: the reading that fits what the prompt asked for."""

from __future__ import annotations

from collections.abc import Sequence

from voicebot.asr.digits import best_digits, hypotheses, words_to_digits
from voicebot.asr.grammars import normalize_phrase
from voicebot.asr.types import AsrResult
from voicebot.call.listening import ListenSpec
from voicebot.nlu.types import Understanding


def pick_hypothesis(result: AsrResult, spec: ListenSpec) -> str:
    """The hypothesis the dialog gets: for keyed-style prompts the first of the N-best that is
    valid for the prompt (a six-digit password, a phone number, a phrase of a closed grammar),
    else the best one. An open grammar's best reading is taken as the engine gave it: the
    phrase list must not gate a free reading."""
    hyps = hypotheses(result)
    grammar = spec.grammar
    if spec.digit_range is not None:
        lo, hi = spec.digit_range
        digits = (best_digits(result, lo, lang=spec.language) if lo == hi
                  else best_digits(result, min_len=lo, max_len=hi, lang=spec.language))
        return next((h for h in hyps if words_to_digits(h, spec.language) == digits),
                    result.text) if digits else result.text
    if grammar is None or grammar.open:  # the engine weighed the list against the free reading
        return result.text
    if grammar.repeat:
        vocab = {w for p in grammar.phrases for w in p.split()}
        fits = [h for h in hyps if h and all(w in vocab for w in normalize_phrase(h).split())]
    else:
        phrases = set(grammar.phrases)
        fits = [h for h in hyps if normalize_phrase(h) in phrases]
    return fits[0] if fits else result.text



_CASE_FIELDS = ("year", "court", "case_type", "seq")

WEAK_REQUEST = 0.35
"""At a request prompt, a free reading whose intent is surer than this stands: the phrase list's
reading may not replace it (the list's in-domain phrases are always classified surely, so a
paraphrase would lose to the nearest listed phrase: "reach the judge" -> "report a judge")."""


def reading_score(u: Understanding, hint: str | None) -> float:
    """How much one reading tells the prompt that asked (``ListenSpec.nlu_hint``): case-number
    fields at a case-number prompt, a yes / no (and a correction's number) at a confirmation,
    the intent's confidence, or a yes / no (plus a language asked for) at a request or menu."""
    case = u.case_number or u.partial_case_number
    fields = 4 if u.case_number else sum(
        getattr(case, f, None) is not None for f in _CASE_FIELDS) if case else 0
    if hint == "case_number":
        return float(fields)
    if hint == "yesno":
        return (u.yes_no is not None) + 0.5 * bool(u.digits) + fields / 8
    # at a menu ("anything else? if not, say no") a yes / no is a whole answer
    return max(u.confidence if u.intent != "unknown" else 0.0,
               1.0 if u.yes_no is not None else 0.0) + bool(u.language_switch)


def acted_reading(understood: Sequence[Understanding], spec: ListenSpec) -> tuple[int, bool]:
    """Index of the reading the dialog acts on, and whether it is doubtful.

    The free reading (first) unless, at an open prompt, the phrase reading (the first
    alternative) tells the prompt more (:func:`reading_score`) and, at a request, the free
    reading's intent is not already sure (``WEAK_REQUEST``); a stand-in is doubtful, and so
    is a free reading the phrase reading contradicts (another yes / no, another intent), so the
    dialog takes no consequential step (goodbye, a language switch) on it. New-voice prompt set
    (asr README, "Open prompts"): 84 -> 88 of 108 understood right, and the call fixtures'
    in-list phrases ("civil first instance", "who is the judge", "operator") keep the list's
    reading."""
    if spec.grammar is None or not spec.grammar.open or len(understood) < 2:
        return 0, False
    free, listed = understood[0], understood[1]
    sure_request = (spec.nlu_hint == "intent" and free.intent != "unknown"
                    and free.confidence >= WEAK_REQUEST)
    if not sure_request and reading_score(listed, spec.nlu_hint) > reading_score(
            free, spec.nlu_hint):
        return 1, True
    contradicts = (
        (free.yes_no is not None and listed.yes_no is not None and free.yes_no != listed.yes_no)
        or ("unknown" not in (free.intent, listed.intent) and free.intent != listed.intent))
    return 0, contradicts
