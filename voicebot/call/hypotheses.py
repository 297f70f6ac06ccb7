"""Choosing among the recognizer's N-best: the reading that fits what the prompt asked for."""

from __future__ import annotations

from voicebot.asr.digits import best_digits, hypotheses, words_to_digits
from voicebot.asr.grammars import normalize_phrase
from voicebot.asr.types import AsrResult
from voicebot.call.listening import ListenSpec


def pick_hypothesis(result: AsrResult, spec: ListenSpec) -> str:
    """The hypothesis the dialog gets: for keyed-style prompts the first of the N-best that is
    valid for the prompt (a six-digit password, a phone number, a phrase of the grammar), else
    the best one."""
    hyps = hypotheses(result)
    grammar = spec.grammar
    if spec.digit_range is not None:
        lo, hi = spec.digit_range
        digits = (best_digits(result, lo, lang=spec.language) if lo == hi
                  else best_digits(result, min_len=lo, max_len=hi, lang=spec.language))
        return next((h for h in hyps if words_to_digits(h, spec.language) == digits),
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
