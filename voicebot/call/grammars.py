"""Which recognition grammar each ``Listen.expect`` gets, per language."""

from __future__ import annotations

from voicebot.asr.grammars import DIGIT_WORDS, YES_NO, phrase_grammar
from voicebot.asr.types import Grammar

_EN_NUMBER_WORDS = (
    "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
    "ninety", "hundred", "thousand", "double", "triple", "and",
)
_EN_CASE_WORDS = (
    "civil", "criminal", "administrative", "first", "second", "instance", "enforcement",
    "retrial", "appeal", "case", "number", "no", "jing", "beijing", "chaoyang", "court",
    "district", "my", "is", "the", "it's", "of", "year",
)
_EN_MENU_WORDS = ["operator", "english", "chinese", "mandarin", "help", "repeat"]


def grammar_for(expect: str, language: str) -> Grammar | None:
    """A phrase grammar for keyed-style answers; None (free decoding) for open speech.

    Digits and yes/no are tight grammars (exact digit strings are what the dialog checks); a
    confirmation may carry a correction ("no, it's one two three four six"), so it also allows
    digit words; case numbers allow number and case-type words in any order.
    """
    if language not in DIGIT_WORDS:
        return None
    digits = list(DIGIT_WORDS[language])
    if expect in ("password", "digits", "phone"):
        return phrase_grammar("digits", digits, repeat=True)
    if language != "en":
        return None  # Mandarin grammars go through vosk phrase lists only when a model exists
    if expect == "yesno":
        return phrase_grammar("yesno", [*YES_NO["en"], *digits, *_EN_CASE_WORDS], repeat=True)
    if expect == "case_number":
        words = [*digits, *_EN_NUMBER_WORDS, *_EN_CASE_WORDS, *YES_NO["en"]]
        return phrase_grammar("case_number", words, repeat=True)
    if expect == "menu":
        return phrase_grammar("menu", [*YES_NO["en"], *digits, *_EN_MENU_WORDS], repeat=True)
    return None
