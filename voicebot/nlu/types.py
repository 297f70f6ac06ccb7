"""What understanding gives the dialog for one utterance."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from voicebot.casenumber import CaseNumber

INTENTS = (
    "consultation",
    "case_acceptance",
    "case_panel",
    "hearing_time",
    "case_progress",
    "case_result",
    "contact_judge",
    "complaint",
    "report",
    "suggestion",
    "submit_materials",
    "operator",
    "goodbye",
    "no_case_number",
    "unknown",
)
"""Stable intent names, used by replay expectations."""

RULE_ONLY_INTENTS = ("no_case_number",)
"""Intents only keyword rules give (``nlu/rules.py``); the classifier is not trained on them."""

CLASSIFIED_INTENTS = tuple(i for i in INTENTS if i not in RULE_ONLY_INTENTS)
"""The classifier's labels."""

CASE_INTENTS = (
    "case_acceptance",
    "case_panel",
    "hearing_time",
    "case_progress",
    "case_result",
    "contact_judge",
)
"""Intents about one case: they need a case number and a verified caller."""


class NluHint(StrEnum):
    """What the dialog just asked for, as far as understanding the answer goes."""

    INTENT = "intent"
    """A request (or a menu choice)."""
    CASE_NUMBER = "case_number"
    """A case number: a case type or a court alone counts; a bare number is the sequence."""
    YESNO = "yesno"
    """A confirmation."""
    DIGITS = "digits"
    """A digit string (password, phone): a lone digit counts, digit runs are joined."""


@dataclass(frozen=True)
class PartialCaseNumber:
    """A case number the caller gave only in part."""

    year: int | None
    """Filing year, if said."""
    court: str | None
    """Court code, if said (or resolved from a court name)."""
    case_type: str | None
    """Case-type code, if said."""
    seq: int | None
    """Sequence number, if said."""

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the parts still missing: ``year``, ``court``, ``case_type``, ``seq``."""
        return tuple(n for n in ("year", "court", "case_type", "seq") if getattr(self, n) is None)

    def complete(self, home_court: str | None = None) -> CaseNumber | None:
        """The full number, court filled from ``home_court``; None while parts are missing."""
        court = self.court or home_court
        if self.year is None or court is None or self.case_type is None or self.seq is None:
            return None
        return CaseNumber(self.year, court, self.case_type, self.seq)

    def __str__(self) -> str:
        year = f"（{self.year}）" if self.year is not None else "（?）"
        return f"{year}{self.court or '?'}{self.case_type or '?'}{self.seq or '?'}号"


@dataclass(frozen=True)
class Understanding:
    """Everything understood from one caller utterance."""

    text: str
    """Normalised text (digits as Arabic numerals, spaces removed in Mandarin)."""
    language: str
    """``zh`` or ``en``."""
    intent: str = "unknown"
    """One of :data:`INTENTS`."""
    confidence: float = 0.0
    """Classifier confidence of ``intent``, 0..1."""
    topic: str | None = None
    """For ``consultation``: the knowledge-base topic, e.g. ``fees``."""
    case_number: CaseNumber | None = None
    """A complete case number, if one was said."""
    partial_case_number: PartialCaseNumber | None = None
    """What was said of a case number that is not complete."""
    digits: str | None = None
    """A run of digits said or keyed (password, phone number), leading zeros kept."""
    yes_no: bool | None = None
    """True for yes, False for no (also "no, it's ..." corrections), None if neither."""
    language_switch: str | None = None
    """Language the caller asked to switch to (``en`` / ``zh``)."""
