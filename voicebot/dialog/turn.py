"""One caller turn as the flows read it, and the phrases they say (rendered per language)."""

from __future__ import annotations

from dataclasses import dataclass

from voicebot.casenumber import CaseNumber
from voicebot.dialog.kinds import Expect
from voicebot.nlu.types import PartialCaseNumber, Understanding


@dataclass(frozen=True)
class Phrase:
    """A prompt key with its fields, rendered in whatever language is current."""

    key: str
    """Key in :data:`voicebot.dialog.prompts.PROMPTS`."""
    fields: tuple[tuple[str, object], ...] = ()
    """Field values: strings, numbers, case numbers, aware datetimes or phrases."""


def phrase(key: str, **fields: object) -> Phrase:
    """Shorthand for :class:`Phrase`."""
    return Phrase(key, tuple(fields.items()))


@dataclass(frozen=True)
class Asking:
    """The question the caller is expected to answer now (re-asked on silence or a switch)."""

    expect: Expect
    """``Listen.expect``."""
    phrases: tuple[Phrase, ...]
    """The question."""
    max_digits: int | None = None
    """``Listen.max_digits``."""


@dataclass(frozen=True)
class CallerTurn:
    """One caller turn, spoken or keyed."""

    u: Understanding | None
    """Understanding of speech; None for keys."""
    keys: str | None
    """Keys pressed (``#`` removed); None for speech."""
    transcript: str
    """Raw text (or the keys)."""
    alternatives: tuple[Understanding, ...] = ()
    """Other readings of the speech, best first."""
    doubtful: bool = False
    """The recognizer judged the speech's reading likely wrong."""

    @property
    def agrees(self) -> bool | None:
        """Yes (True) / no (False) from speech, or keys 1 / 2; None if neither."""
        if self.u is not None:
            return self.u.yes_no
        return {"1": True, "2": False}.get(self.keys or "")

    @property
    def digits(self) -> str | None:
        """Digits said or keyed."""
        if self.u is not None:
            return self.u.digits
        return self.keys if self.keys and self.keys.isdigit() else None

    @property
    def intent(self) -> str:
        """Understood intent (``unknown`` for keys)."""
        return self.u.intent if self.u is not None else "unknown"

    @property
    def case_number(self) -> CaseNumber | None:
        """A complete case number, if said."""
        return self.u.case_number if self.u is not None else None

    @property
    def partial(self) -> PartialCaseNumber | None:
        """Part of a case number, if said."""
        return self.u.partial_case_number if self.u is not None else None

    @property
    def text(self) -> str:
        """What was said, stripped (the transcript, else the understood text)."""
        return (self.transcript or (self.u.text if self.u else "")).strip()


__all__ = ["Asking", "CallerTurn", "Phrase", "phrase"]
