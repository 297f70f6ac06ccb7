"""Validity checks the dialog uses on results: digit strings of an expected length, yes/no."""

from __future__ import annotations

import re
from collections.abc import Collection

from voicebot.asr.grammars import DIGIT_WORDS, YES_NO, normalize_phrase
from voicebot.asr.types import AsrResult

_SEP = re.compile(r"[\s,.\-]+")
_ALL_DIGIT_WORDS: dict[str, str] = {
    w: d for table in DIGIT_WORDS.values() for w, d in table.items()
}


def words_to_digits(text: str, lang: str | None = None) -> str | None:
    """``"four oh seven"`` -> ``"407"``; None if any word is not a digit word.

    Chinese text without spaces is read character by character.
    """
    table = DIGIT_WORDS.get(lang, _ALL_DIGIT_WORDS) if lang else _ALL_DIGIT_WORDS
    tokens = [t for t in _SEP.split(text.lower()) if t]  # "619-3451", "4, 0, 7."
    if lang == "zh" or (len(tokens) == 1 and all(ch in DIGIT_WORDS["zh"] for ch in tokens[0])):
        tokens = [ch for ch in "".join(tokens)]
    out = []
    for tok in tokens:
        if tok.isdigit():
            out.append(tok)
        elif tok in table:
            out.append(table[tok])
        else:
            return None
    return "".join(out) or None


def hypotheses(result: AsrResult) -> list[str]:
    """The best hypothesis followed by the N-best alternatives, without repeats."""
    seen: dict[str, None] = {result.text: None}
    for alt in result.alternatives:
        seen.setdefault(alt, None)
    return list(seen)


def best_digits(
    result: AsrResult,
    length: int | None = None,
    *,
    min_len: int = 1,
    max_len: int = 32,
    lang: str | None = None,
    exclude: Collection[str] = (),
) -> str | None:
    """The first N-best hypothesis that is a digit string of the expected length, else None.

    ``length`` asks for exactly that many digits; otherwise ``min_len``..``max_len``.
    ``exclude``: strings not to return (readings the caller has already said are wrong).
    """
    lo, hi = (length, length) if length is not None else (min_len, max_len)
    for hyp in hypotheses(result):
        digits = words_to_digits(hyp, lang)
        if digits is not None and lo <= len(digits) <= hi and digits not in exclude:
            return digits
    return None


def yes_no_word(result: AsrResult, lang: str | None = None) -> str | None:
    """``"yes"`` or ``"no"`` from the first hypothesis that is a yes/no phrase, else None."""
    tables = [YES_NO[lang]] if lang in YES_NO else list(YES_NO.values())
    for hyp in hypotheses(result):
        key = normalize_phrase(hyp)
        for table in tables:
            if key in table:
                return table[key]
            if key.replace(" ", "") in table:
                return table[key.replace(" ", "")]
    return None
