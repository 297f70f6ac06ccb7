"""Choosing among the recognizer's N-best: the reading that fits what the prompt asked for."""

from __future__ import annotations

from voicebot.asr.digits import best_digits, hypotheses, words_to_digits
from voicebot.asr.grammars import normalize_phrase
from voicebot.asr.types import AsrResult, Grammar
from voicebot.dialog.actions import Listen


def pick_hypothesis(result: AsrResult, grammar: Grammar | None, listen: Listen) -> str:
    """The hypothesis the dialog gets: for keyed-style prompts the first of the N-best that is
    valid for the prompt (a six-digit password, a phone number, a phrase of the grammar), else
    the best one."""
    hyps = hypotheses(result)
    if listen.expect in ("password", "phone"):
        digits = (best_digits(result, listen.max_digits or 6, lang=listen.language)
                  if listen.expect == "password"
                  else best_digits(result, min_len=7, max_len=15, lang=listen.language))
        return next((h for h in hyps if words_to_digits(h, listen.language) == digits),
                    result.text) if digits else result.text
    if grammar is None:
        return result.text
    if grammar.repeat:
        vocab = {w for p in grammar.phrases for w in p.split()}
        fits = [h for h in hyps if h and all(w in vocab for w in normalize_phrase(h).split())]
    else:
        phrases = set(grammar.phrases)
        fits = [h for h in hyps if normalize_phrase(h) in phrases]
    return fits[0] if fits else result.text
