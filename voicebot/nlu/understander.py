"""Understanding one caller utterance: intent, case number, digits, yes / no, language switch."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pypinyin import lazy_pinyin
from spacy.language import Language

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.nlu import rules
from voicebot.nlu.cases import CaseExtractor, CaseMatch
from voicebot.nlu.classifier import classify, load_pipeline
from voicebot.nlu.errors import NluError
from voicebot.nlu.numbers import normalize
from voicebot.nlu.types import NluHint, PartialCaseNumber, Understanding

EXPECTS = ("digits", "yesno", "case_number", "intent")
"""Hints the dialog may give :meth:`Understander.parse` about what it asked for."""

UNKNOWN_BELOW = 0.2
"""Classifier scores under this make the intent ``unknown``."""

RULE_CONFIDENCE = 0.9
"""Least confidence reported for an intent decided by a keyword rule."""

CASE_MASK = " CASENO "
NUMBER_MASK = " NUM "
_DIGITS = re.compile(r"\d+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def classifier_text(text: str, language: str, extractor: CaseExtractor) -> str:
    """What the intent classifier sees for ``text`` (training uses this too)."""
    return _features(normalize(text, language), extractor.extract(text, language), language)


def _features(norm: str, found: CaseMatch | None, language: str) -> str:
    """Normalised text with the case number and digits masked, plus sub-word tokens."""
    base = norm if found is None else found.before + CASE_MASK + found.after
    masked = re.sub(r"\s+", " ", _DIGITS.sub(NUMBER_MASK, base)).strip()
    return masked + " | " + _subwords(masked, language)


def _subwords(text: str, language: str) -> str:
    """Extra tokens for the bag of words: characters and their toneless syllables in Mandarin,
    word stems in English.

    The syllables make a reading robust to what a recognizer gets wrong most in Mandarin:
    the right sound in the wrong characters (暗号 for 案号, 天神 for 天审, 不叫 for 补交)."""
    if language == "zh":
        chars = " ".join(ch for ch in text if "\u4e00" <= ch <= "\u9fff")
        sounds = " ".join(" ".join(lazy_pinyin(run)) for run in _HAN_RUN.findall(text))
        return f"{chars} | {sounds}"
    words = re.findall(r"[a-z]+", text)
    return " ".join("~" + w[:5] for w in words if len(w) > 5)


@dataclass(frozen=True)
class Understander:
    """Trained pipelines per language plus the rules; build once with :meth:`load`."""

    pipelines: Mapping[str, Language]
    extractor: CaseExtractor

    @classmethod
    def load(
        cls,
        model_dir: Path,
        court_aliases: Mapping[str, str] | None = None,
        languages: Sequence[str] = ("zh", "en"),
    ) -> Understander:
        """Load the classifiers trained by ``voicebot nlu train`` from ``model_dir``.

        ``court_aliases`` maps court names as said (朝阳法院, "Chaoyang court") to court codes;
        None means the built-in demo aliases. Raises NluError ``nlu.model_missing``.
        """
        pipelines = {language: load_pipeline(model_dir, language) for language in languages}
        return cls(pipelines, CaseExtractor.build(court_aliases))

    def parse(self, text: str, language: str, *,
              expect: NluHint | str | None = None) -> Understanding:
        """Understand one utterance in ``language`` (``zh``/``en``).

        ``expect`` is what the dialog just asked for (see :data:`EXPECTS`): with ``digits`` a
        lone digit counts and all digit runs are joined; with ``case_number`` a case type or a
        court alone counts, and a bare number is the sequence (or the year, marked 年 / "year").
        """
        if language not in self.pipelines:
            raise NluError(f"no pipeline for language {language!r}", "nlu.language")
        hint = next((h for h in NluHint if h == expect), None)
        singles = hint is NluHint.DIGITS
        norm = normalize(text, language, singles=singles)
        found = self.extractor.extract(text, language, due=hint is NluHint.CASE_NUMBER)
        digit_source = norm if found is None else found.before + " " + found.after
        if found is not None and not singles:
            digit_source = _DIGITS.sub(
                lambda m: m.group(0) if len(m.group(0)) > 1 else " ", digit_source
            )
        runs = _DIGITS.findall(digit_source)
        partial = found.partial if found else None
        if partial is None and hint is NluHint.CASE_NUMBER and runs:
            partial = _bare_number(norm)
        digits = _digits(runs, joined=singles)
        plain = normalize(text, language) if singles else norm
        intent, confidence = self._intent(plain, found, language)
        case_number = _complete(partial)
        return Understanding(
            text=norm,
            language=language,
            intent=intent,
            confidence=round(confidence, 4),
            topic=rules.topic(norm, language) if intent == "consultation" else None,
            case_number=case_number,
            partial_case_number=None if case_number else partial,
            digits=digits,
            yes_no=rules.yes_no(norm, language),
            language_switch=rules.language_switch(norm, language),
        )

    def intent(self, text: str, language: str) -> tuple[str, float]:
        """Intent and confidence of ``text`` alone (what ``parse`` reports as ``intent``)."""
        found = self.extractor.extract(text, language)
        return self._intent(normalize(text, language), found, language)

    def _intent(self, norm: str, found: CaseMatch | None, language: str) -> tuple[str, float]:
        """The classifier, overridden by keyword rules where they apply."""
        if not norm.strip():
            return "unknown", 0.0
        cats = classify(self.pipelines[language], _features(norm, found, language))
        best = max(cats, key=lambda k: cats[k])
        ruled = rules.rule_intent(norm, language)
        if found is not None and rules.only_case_number(f"{found.before} {found.after}", language):
            ruled = "unknown"  # the number alone answers a question; it asks for nothing
        if ruled is not None:
            return ruled, max(cats.get(ruled, 0.0), RULE_CONFIDENCE)
        if cats[best] < UNKNOWN_BELOW:
            return "unknown", cats.get("unknown", 0.0)
        return best, cats[best]


def _digits(runs: list[str], *, joined: bool) -> str | None:
    if joined:
        return "".join(runs) or None
    longest = max(runs, key=len, default="")
    return longest if len(longest) >= 2 else None


def _bare_number(norm: str) -> PartialCaseNumber | None:
    """A number said alone when a case number is due: the year if marked so, else the sequence."""
    year = re.search(r"(\d{4})\s*(?:年|year)|year\s*(\d{4})", norm)
    if year:
        return PartialCaseNumber(int(year.group(1) or year.group(2)), None, None, None)
    number = max(_DIGITS.findall(norm), key=len)
    return PartialCaseNumber(None, None, None, int(number)) if int(number) > 0 else None


def _complete(partial: PartialCaseNumber | None) -> CaseNumber | None:
    if partial is None:
        return None
    try:
        return partial.complete()
    except CaseNumberError:
        return None
