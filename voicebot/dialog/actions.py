"""What the dialog asks the call loop to do; executed in order, results come back as events."""

from __future__ import annotations

from dataclasses import dataclass

from voicebot.casenumber import CaseNumber
from voicebot.dialog.kinds import Expect, HandoffReason, Outcome, RecordKind

EXPECTS = tuple(Expect)
"""Values of :attr:`Listen.expect`: which grammar / NLU hint the next utterance gets."""

RECORD_KINDS = tuple(RecordKind)
"""Values of :attr:`CreateRecord.kind`."""

OUTCOMES = tuple(Outcome)
"""Call outcomes (replay expectations use them)."""


@dataclass(frozen=True)
class Say:
    """Speak a text to the caller."""

    text: str
    """What to say; digits as Arabic numerals (TTS verbalizes)."""
    language: str
    """``zh`` or ``en``."""
    barge_in: bool = True
    """Whether caller speech may interrupt it."""


@dataclass(frozen=True)
class StopSpeaking:
    """Stop any playback now (after barge-in)."""


@dataclass(frozen=True)
class Listen:
    """Wait for the caller's next utterance or keys; always the last action of a turn that waits."""

    expect: Expect
    """One of :data:`EXPECTS`: grammar / understanding hint for the next utterance."""
    language: str
    """Language to recognise."""
    max_digits: int | None = None
    """Keys to collect before ``#`` is implied (e.g. 6 for a password); None = until ``#``."""


@dataclass(frozen=True)
class SwitchLanguage:
    """The caller changed language: use it for recognition and synthesis from now on."""

    language: str
    """``zh`` or ``en``."""


@dataclass(frozen=True)
class LookUpCase:
    """Fetch the facts of a verified case; answer ``CaseFound`` or ``CaseNotFound``."""

    number: CaseNumber
    """Confirmed, verified case number."""
    lawful_notice: bool = False
    """The lawful-use notice was just said (first disclosure of the call): audit that it was."""


@dataclass(frozen=True)
class VerifyPassword:
    """Check the query password; answer ``PasswordChecked`` (unknown case: ``known=False``)."""

    number: CaseNumber
    """Confirmed case number."""
    password: str
    """Digits the caller gave (six expected)."""


@dataclass(frozen=True)
class CreateWorkOrder:
    """Open a work order to the responsible judge; answer ``RecordCreated(kind="work_order")``."""

    number: CaseNumber
    """Verified case number."""
    request: str
    """The caller's request, as transcribed."""
    callback_phone: str
    """Number the judge should call back."""


@dataclass(frozen=True)
class CreateRecord:
    """Record a complaint, report, suggestion, materials or callback; answer ``RecordCreated``."""

    kind: RecordKind
    """One of :data:`RECORD_KINDS`."""
    message: str
    """The caller's message (transcript); the loop also keeps the audio of that turn."""
    number: CaseNumber | None = None
    """Case number the caller mentioned, if any (not necessarily verified)."""
    phone: str | None = None
    """Number to call back (callbacks; caller id otherwise)."""


@dataclass(frozen=True)
class RequestHandoff:
    """Queue the call for an operator; answer ``HandoffQueued`` or, out of hours, ``DeskClosed``."""

    intent: str
    """Current intent (context for the operator)."""
    number: CaseNumber | None
    """Case number in play, if any."""
    verified: bool
    """Whether the caller passed the password check for ``number``."""
    reason: HandoffReason
    """``asked``, ``not_understood``, ``no_answer``, ``error``."""


@dataclass(frozen=True)
class LookUpKnowledge:
    """Look a consultation question up in the knowledge base; answer ``KnowledgeAnswered``."""

    query: str
    """What the caller asked, as understood."""
    language: str
    """``zh`` or ``en``: the language of the question and of the answer."""
    topic: str | None = None
    """Knowledge-base topic the understanding gave, a strong prior."""


@dataclass(frozen=True)
class HangUp:
    """End the call after the preceding ``Say`` has played."""

    outcome: Outcome
    """One of :data:`OUTCOMES`."""


Action = (
    Say
    | StopSpeaking
    | Listen
    | SwitchLanguage
    | LookUpCase
    | VerifyPassword
    | CreateWorkOrder
    | CreateRecord
    | RequestHandoff
    | LookUpKnowledge
    | HangUp
)
"""Anything the dialog emits."""

__all__ = [
    "EXPECTS",
    "OUTCOMES",
    "RECORD_KINDS",
    "Action",
    "CreateRecord",
    "CreateWorkOrder",
    "HangUp",
    "Listen",
    "LookUpCase",
    "LookUpKnowledge",
    "RequestHandoff",
    "Say",
    "StopSpeaking",
    "SwitchLanguage",
    "VerifyPassword",
]
