"""Standard grammars (digits, yes/no, caller-supplied phrase lists) and their engine forms."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from voicebot.asr.types import AsrError, Grammar

log = logging.getLogger(__name__)

DIGIT_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "zero": "0",
        "oh": "0",
        "one": "1",
        "two": "2",
        "three": "3",
        "four": "4",
        "five": "5",
        "six": "6",
        "seven": "7",
        "eight": "8",
        "nine": "9",
    },
    "zh": {
        "零": "0",
        "〇": "0",
        "一": "1",
        "幺": "1",
        "二": "2",
        "两": "2",
        "三": "3",
        "四": "4",
        "五": "5",
        "六": "6",
        "七": "7",
        "八": "8",
        "九": "9",
    },
    "ko": {
        "영": "0",
        "공": "0",
        "일": "1",
        "이": "2",
        "삼": "3",
        "사": "4",
        "오": "5",
        "육": "6",
        "륙": "6",
        "칠": "7",
        "팔": "8",
        "구": "9",
    },
}
"""Spoken digit words per language and the digit each stands for."""

YES_NO: dict[str, dict[str, str]] = {
    "en": {
        "yes": "yes",
        "yeah": "yes",
        "yep": "yes",
        "correct": "yes",
        "right": "yes",
        "that's right": "yes",
        "no": "no",
        "nope": "no",
        "wrong": "no",
        "not right": "no",
    },
    "zh": {
        "是": "yes",
        "是的": "yes",
        "对": "yes",
        "对的": "yes",
        "好的": "yes",
        "没错": "yes",
        "不是": "no",
        "不对": "no",
        "不": "no",
        "没有": "no",
        "错了": "no",
    },
    "ko": {"네": "yes", "예": "yes", "맞아요": "yes", "아니요": "no", "아니": "no"},
}
"""Yes/no phrases per language and the answer each means."""

_WORD_RE = re.compile(r"[^\w'\- ]+")


def normalize_phrase(text: str) -> str:
    """Lower-case, punctuation dropped, single spaces."""
    return " ".join(_WORD_RE.sub(" ", text.lower()).split())


def digits_grammar(lang: str, counts: tuple[int, int] | None = None) -> Grammar:
    """A sequence of spoken digits in ``lang``; ``counts`` = (min, max) digits where enforceable."""
    try:
        words = DIGIT_WORDS[lang]
    except KeyError:
        raise AsrError(f"no digit words for language {lang!r}", "asr.grammar") from None
    if counts is not None and not 1 <= counts[0] <= counts[1] <= 40:
        raise AsrError(f"bad digit counts {counts}", "asr.grammar")
    return Grammar(name="digits", phrases=tuple(words), repeat=True, counts=counts, digits=True)


def yesno_grammar(lang: str) -> Grammar:
    """One yes or no answer in ``lang``."""
    try:
        words = YES_NO[lang]
    except KeyError:
        raise AsrError(f"no yes/no words for language {lang!r}", "asr.grammar") from None
    return Grammar(name="yesno", phrases=tuple(words))


def phrase_grammar(
    name: str, phrases: Iterable[str], *, repeat: bool = False, open: bool = False,
    digits: bool = False,
) -> Grammar:
    """A grammar from caller-supplied phrases (intent vocabulary, court names ...); ``open``:
    free decoding stands behind it (see :attr:`Grammar.open`)."""
    seen: dict[str, None] = {}
    for p in phrases:
        n = normalize_phrase(p)
        if n:
            seen[n] = None
    if not seen:
        raise AsrError(f"grammar {name!r} has no phrases", "asr.grammar")
    return Grammar(name=name, phrases=tuple(seen), repeat=repeat, open=open, digits=digits)


def grammar_from_file(path: Path) -> Grammar:
    """One phrase a line; ``#repeat`` on a line of its own allows sequences; ``#`` comments."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AsrError(f"cannot read grammar file {path}: {exc}", "asr.grammar") from exc
    repeat = any(line.strip() == "#repeat" for line in lines)
    phrases = [line for line in lines if line.strip() and not line.strip().startswith("#")]
    # a file named digits.txt has always been decoded as a digit string
    return phrase_grammar(path.stem, phrases, repeat=repeat, digits=path.stem == "digits")


def standard_grammar(spec: str, lang: str) -> Grammar:
    """``digits``, ``yesno`` or a path to a phrase file."""
    if spec == "digits":
        return digits_grammar(lang)
    if spec == "yesno":
        return yesno_grammar(lang)
    return grammar_from_file(Path(spec))


def _fit_word(word: str, known: Callable[[str], bool], split_chars: bool) -> str | None:
    if known(word):
        return word
    if not split_chars or len(word) < 2:
        return None
    # Chinese is written without spaces: spell an unknown run by the longest known words, e.g.
    # "诉讼费怎么交" -> "诉讼费 怎么 交" (where "讼" alone is not in the model's lexicon)
    parts: list[str] = []
    i = 0
    while i < len(word):
        for n in range(min(6, len(word) - i), 0, -1):
            if known(word[i : i + n]):
                parts.append(word[i : i + n])
                i += n
                break
        else:
            return None
    return " ".join(parts)


def filter_vocabulary(
    grammar: Grammar, known: Callable[[str], bool], engine: str, *, split_chars: bool = False
) -> tuple[Grammar, list[str]]:
    """Drop phrases with a word the engine does not know; returns the grammar and the dropped.

    With ``split_chars`` an unknown word is spelled out by the longest known words in it.
    """
    kept: list[str] = []
    dropped: list[str] = []
    for phrase in grammar.phrases:
        fitted = [_fit_word(w, known, split_chars) for w in phrase.split()]
        if all(f is not None for f in fitted):
            text = " ".join(f for f in fitted if f is not None)
            if text not in kept:
                kept.append(text)
        else:
            dropped.append(phrase)
    if dropped:
        log.warning(
            "grammar %s: %d phrase(s) with words unknown to %s dropped: %s",
            grammar.name,
            len(dropped),
            engine,
            ", ".join(dropped[:10]),
        )
    if not kept:
        raise AsrError(
            f"grammar {grammar.name!r}: no phrase is in the {engine} vocabulary", "asr.grammar_oov"
        )
    return dataclasses.replace(grammar, phrases=tuple(kept)), dropped


def to_vosk_json(grammar: Grammar, unk: bool = True) -> str:
    """Vosk phrase list (vosk grammars already allow phrases to follow each other)."""
    phrases = list(grammar.phrases) + (["[unk]"] if unk else [])
    return json.dumps(phrases, ensure_ascii=False)


_JSGF_TOKEN = re.compile(r"^[a-z0-9'\-_.]+$")


def to_jsgf(grammar: Grammar) -> str:
    """JSGF text for pocketsphinx; words must be plain ASCII tokens of its dictionary."""
    alts = []
    for phrase in grammar.phrases:
        words = phrase.split()
        bad = [w for w in words if not _JSGF_TOKEN.match(w)]
        if bad:
            raise AsrError(f"grammar {grammar.name!r}: cannot use {bad!r} in JSGF", "asr.grammar")
        alts.append(" ".join(words))
    body = " | ".join(f"( {a} )" for a in alts)
    rule = "<item>+" if grammar.repeat else "<item>"
    if grammar.repeat and grammar.counts is not None:
        lo, hi = grammar.counts
        rule = " ".join(["<item>"] * lo + ["[<item>]"] * (hi - lo))
    return f"#JSGF V1.0;\ngrammar g;\npublic <utt> = {rule};\n<item> = {body};\n"
