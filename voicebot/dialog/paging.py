"""Long answers in pages: each spoken turn stays under ~15 s (issue 17.13).

The length of speech is estimated from the text (characters per second per language, at the
line's default speaking rate); pages break at sentence ends, then at commas, then anywhere.
"""

from __future__ import annotations

import re
from types import MappingProxyType

MAX_TURN_S = 15.0
"""Longest spoken turn wanted, in seconds."""

CHARS_PER_S = MappingProxyType({"zh": 3.4, "en": 12.0})
"""Estimated speaking speed in written characters per second, measured with espeak-ng at the
default ``tts_rate`` 165 (a 51-character Mandarin case answer: 15.0 s; a 186-character English
knowledge-base answer: 15.4 s)."""

HINT_S = 3.5
"""Time kept free in every page for the "press * to repeat, # for more" hint."""

_SENTENCE = re.compile(r"(?<=[。！？；!?;])|(?<=\.)\s+")
_CLAUSE = re.compile(r"(?<=[，、:：])\s*|(?<=,)(?!\d)\s*")


def speech_seconds(text: str, language: str) -> float:
    """Estimated time to say ``text``."""
    return len(text.strip()) / CHARS_PER_S["en" if language == "en" else "zh"]


def _pieces(text: str, pattern: re.Pattern[str]) -> list[str]:
    return [p.strip() for p in pattern.split(text) if p and p.strip()]


def _fit(piece: str, budget: int, language: str) -> list[str]:
    """``piece`` cut to at most ``budget`` characters: at clauses, else at words / characters."""
    if len(piece) <= budget:
        return [piece]
    out: list[str] = []
    for clause in _pieces(piece, _CLAUSE):
        while len(clause) > budget:
            cut = clause.rfind(" ", 0, budget) if language == "en" else -1
            cut = cut if cut > budget // 2 else budget
            out.append(clause[:cut].strip())
            clause = clause[cut:].strip()
        out.append(clause)
    return out


def pages(text: str, language: str, max_s: float = MAX_TURN_S) -> tuple[str, ...]:
    """``text`` in pages each said within ``max_s`` (with the hint); one page if it fits."""
    if speech_seconds(text, language) <= max_s:
        return (text,)
    budget = int((max_s - HINT_S) * CHARS_PER_S["en" if language == "en" else "zh"])
    sep = " " if language == "en" else ""
    out: list[str] = []
    current = ""
    for sentence in _pieces(text, _SENTENCE):
        for piece in _fit(sentence, budget, language):
            joined = f"{current}{sep}{piece}" if current else piece
            if len(joined) <= budget:
                current = joined
            else:
                out.append(current)
                current = piece
    if current:
        out.append(current)
    return tuple(out)


__all__ = ["CHARS_PER_S", "HINT_S", "MAX_TURN_S", "pages", "speech_seconds"]
