"""What the call loop tells the dialog: caller input, timers, and results of executed actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from voicebot.casenumber import CaseNumber
from voicebot.nlu.types import Understanding
from voicebot.store.facts import CaseFacts


@dataclass(frozen=True)
class CallStarted:
    """The call was answered; always the first event."""

    language: str
    """Language of the greeting: ``zh`` or ``en``."""
    caller_id: str | None
    """Caller's number as signalled by the network, if any (offered for callbacks)."""
    home_court: str
    """Court code the line serves (``Settings.home_court``); fills partial case numbers."""
    court_name: str
    """Court name in Chinese, said in the greeting."""
    court_name_en: str
    """Court name in English, said in the greeting."""
    desk_open: bool
    """Whether operators answer right now (working day, within hours) at call start."""
    at: dt.datetime | None = None
    """Wall-clock time of the call start, timezone-aware (the year fills a missing case year)."""


@dataclass(frozen=True)
class Heard:
    """The caller said something and it was understood."""

    understanding: Understanding
    """What the understanding layer made of the utterance."""
    transcript: str
    """Raw recognizer text (kept as the message of complaints and work orders)."""
    alternatives: tuple[Understanding, ...] = ()
    """The recognizer's other hypotheses understood, best first (filled for case numbers: another
    reading when the caller has said no to the first)."""
    doubtful: bool = False
    """The recognizer judged its reading likely wrong (the dialog asks for keys before it spends
    a password attempt on it)."""


@dataclass(frozen=True)
class Keyed:
    """The caller typed on the keypad (DTMF)."""

    digits: str
    """Keys pressed, e.g. ``482913#``; a trailing ``#`` is optional; ``*`` alone means go back."""


@dataclass(frozen=True)
class NoInput:
    """The caller said nothing within the no-input timeout after a ``Listen``."""


@dataclass(frozen=True)
class BargeIn:
    """The caller started speaking while the bot was talking; playback should stop."""


@dataclass(frozen=True)
class HungUp:
    """The caller hung up; the dialog ends and emits nothing more."""


@dataclass(frozen=True)
class PasswordChecked:
    """Result of :class:`~voicebot.dialog.actions.VerifyPassword`."""

    ok: bool
    """True if the password matches an existing, unlocked case."""
    attempts_left: int
    """Wrong attempts left before the case locks for this caller (0 when locked)."""
    locked: bool
    """True if the case is (now) locked for this caller."""
    known: bool = True
    """False if no such case exists; the caller hears the same as for a wrong password."""


@dataclass(frozen=True)
class CaseFound:
    """Result of :class:`~voicebot.dialog.actions.LookUpCase` (only sent after verification)."""

    facts: CaseFacts
    """What may be told about the case."""


@dataclass(frozen=True)
class CaseNotFound:
    """Result of :class:`~voicebot.dialog.actions.LookUpCase` when the case is missing."""

    number: CaseNumber
    """The number looked up."""


@dataclass(frozen=True)
class RecordCreated:
    """Result of ``CreateRecord`` or ``CreateWorkOrder``."""

    kind: str
    """``work_order`` or a ``CreateRecord`` kind (``complaint``, ``callback``, ...)."""
    number: str
    """Ticket / work-order number read back to the caller, e.g. ``GD20260303001``."""
    due_at: dt.datetime | None = None
    """When the caller can expect the answer or callback, timezone-aware; None if no promise."""
    spooled: bool = False
    """The store was down: it is saved in the local spool (no number yet) and passed on later."""


@dataclass(frozen=True)
class HandoffQueued:
    """Result of ``RequestHandoff`` while the desk is open."""

    ticket: str
    """Handoff ticket number."""
    position: int
    """Caller's place in the operator queue, 1 = next."""
    wait_min: int
    """Expected wait in minutes."""
    callback_after_min: int | None = None
    """Minutes after which an unanswered ticket becomes a callback (told to the caller)."""


@dataclass(frozen=True)
class DeskClosed:
    """Result of ``RequestHandoff`` outside working hours."""

    next_opening: dt.datetime
    """When operators next answer, timezone-aware (callbacks are made from then)."""


@dataclass(frozen=True)
class KnowledgeAnswered:
    """Result of :class:`~voicebot.dialog.actions.LookUpKnowledge`."""

    answer: str | None
    """The answer text in the asked language, or None if the knowledge base has none."""


@dataclass(frozen=True)
class ActionFailed:
    """An action (or a pipeline stage) failed; the caller gets an apology and a way on."""

    action: str
    """Action class name (``LookUpCase``...) or stage name (``asr``, ``nlu``, ``tts``)."""
    code: str
    """Stable error code of the failing stage, e.g. ``store.unavailable``."""


Event = (
    CallStarted
    | Heard
    | Keyed
    | NoInput
    | BargeIn
    | HungUp
    | PasswordChecked
    | CaseFound
    | CaseNotFound
    | RecordCreated
    | HandoffQueued
    | DeskClosed
    | KnowledgeAnswered
    | ActionFailed
)
"""Anything the dialog accepts."""

__all__ = [
    "ActionFailed",
    "BargeIn",
    "CallStarted",
    "CaseFound",
    "CaseNotFound",
    "DeskClosed",
    "Event",
    "HandoffQueued",
    "Heard",
    "HungUp",
    "Keyed",
    "KnowledgeAnswered",
    "NoInput",
    "PasswordChecked",
    "RecordCreated",
]
