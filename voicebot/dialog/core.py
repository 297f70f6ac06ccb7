"""State and helpers shared by the dialog's flows (see :mod:`voicebot.dialog.machine`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber
from voicebot.dialog import prompts
from voicebot.dialog.actions import Action, HangUp, Listen, Say
from voicebot.dialog.snapshot import DialogSnapshot
from voicebot.nlu.types import PartialCaseNumber, Understanding
from voicebot.store.facts import CaseFacts

MAX_PASSWORD_ATTEMPTS = 3
"""Wrong passwords per case number before the caller hears the lock message."""


KEYPAD_EXPECTS = ("digits", "case_number")
"""Questions whose second miss adds the keypad offer (password and phone prompts name it)."""


@runtime_checkable
class KnowledgeLookup(Protocol):
    """What consultation needs: an answer for a question, or None."""

    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        """Answer ``text`` in ``language``; ``topic`` is a hint from understanding."""
        ...


AnswerFn = Callable[[str, str, "str | None"], "str | None"]
"""A plain function ``(text, language, topic) -> answer or None``."""

Knowledge = KnowledgeLookup | AnswerFn
"""What consultation may be given: a knowledge base object or an answer function."""


def lookup(knowledge: Knowledge | None, text: str, language: str, topic: str | None) -> str | None:
    """Ask ``knowledge`` (object with ``answer`` or plain function) for an answer."""
    if knowledge is None or not text:
        return None
    if isinstance(knowledge, KnowledgeLookup):
        return knowledge.answer(text, language, topic)
    return knowledge(text, language, topic)


@dataclass(frozen=True)
class PromptLine:
    """A prompt key with its fields, rendered in whatever language is current."""

    key: str
    """Key in :data:`voicebot.dialog.prompts.PROMPTS`."""
    fields: tuple[tuple[str, object], ...] = ()
    """Field values: strings, numbers, case numbers or aware datetimes."""


def line(key: str, **fields: object) -> PromptLine:
    """Shorthand for :class:`PromptLine`."""
    return PromptLine(key, tuple(fields.items()))


@dataclass(frozen=True)
class Asking:
    """The question the caller is expected to answer now (re-asked on silence or a switch)."""

    expect: str
    """``Listen.expect``."""
    lines: tuple[PromptLine, ...]
    """The question."""
    max_digits: int | None = None
    """``Listen.max_digits``."""


@dataclass(frozen=True)
class Input:
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
    def yes_no(self) -> bool | None:
        """Yes / no from speech, or keys 1 / 2."""
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


class DialogBase:
    """Call state plus rendering and asking helpers; flows subclass it."""

    def __init__(self, tz: ZoneInfo, knowledge: Knowledge | None = None) -> None:
        self.tz = tz
        self.knowledge = knowledge
        self.language = "zh"
        self.caller_id: str | None = None
        self.home_court = ""
        self.court_name = ""
        self.court_name_en = ""
        self.desk_open = False
        self.started_at: dt.datetime | None = None
        self.state = "start"
        self.ended = False
        self.intent: str | None = None
        self.case_number: CaseNumber | None = None
        self.verified = False
        self.record_ref: str | None = None
        self._outcome: str | None = None
        self.asking: Asking | None = None
        self.misses = 0
        self.silences = 0
        self.unknowns = 0
        self.overview = False
        self.pending: CaseNumber | None = None
        self.rejected: set[CaseNumber] = set()
        """Numbers read back that the caller said were wrong (in this call)."""
        self.keys_asked = False
        """The caller was asked to key in the password after a doubtful spoken one."""
        self.partial: PartialCaseNumber | None = None
        self.keypad_step: str | None = None
        self.verified_numbers: set[CaseNumber] = set()
        self.failures: dict[CaseNumber, int] = {}
        self.facts: CaseFacts | None = None
        self.record_kind: str | None = None
        self.record_number: CaseNumber | None = None
        self.request = ""
        self.phone_purpose = "work_order"
        self.next_opening: dt.datetime | None = None
        self.handoff_failed = False
        self.callback_failed = False
        self.asked_question = False
        self.escalation_reason = "asked"
        self.creating: str | None = None

    @property
    def outcome(self) -> str:
        """Call outcome so far: the latest achievement or failure, else ``unresolved``."""
        return self._outcome or "unresolved"

    def snapshot(self) -> DialogSnapshot:
        """What the call loop reads: state, language, intent, case, verified, outcome, ref."""
        return DialogSnapshot(self.state, self.language, self.intent or "", self.case_number,
                              self.verified, self.outcome, self.record_ref or "")

    def achieve(self, outcome: str) -> None:
        """Record an outcome (the latest wins)."""
        self._outcome = outcome

    # rendering -------------------------------------------------------------------------------

    def render(self, lines: tuple[PromptLine, ...] | list[PromptLine]) -> str:
        """Prompt lines as one text in the current language."""
        out = []
        for ln in lines:
            fields = {name: self._field(value) for name, value in ln.fields}
            out.append(prompts.text(ln.key, self.language, **fields))
        return ("" if self.language == "zh" else " ").join(out)

    def _field(self, value: object) -> object:
        if isinstance(value, CaseNumber):
            return prompts.case_number_text(value, self.language)
        if isinstance(value, dt.datetime):
            return prompts.datetime_text(value, self.tz, self.language)
        if isinstance(value, PromptLine):
            return self.render([value])
        return value

    def say(self, *lines: PromptLine, barge_in: bool = True) -> Say:
        """A ``Say`` of prompt lines."""
        return Say(self.render(lines), self.language, barge_in)

    def say_text(self, text: str, barge_in: bool = True) -> Say:
        """A ``Say`` of ready text."""
        return Say(text, self.language, barge_in)

    def ask(
        self,
        state: str,
        expect: str,
        *lines: PromptLine,
        before: tuple[PromptLine, ...] = (),
        max_digits: int | None = None,
    ) -> list[Action]:
        """Enter ``state`` and ask: say ``before`` + ``lines``, then listen."""
        if state != self.state:
            self.misses = 0
        self.state = state
        self.asking = Asking(expect, tuple(lines), max_digits)
        return [self.say(*before, *lines), self.listen()]

    def listen(self) -> Listen:
        """Listen for the current question."""
        asking = self.asking or Asking("intent", ())
        return Listen(asking.expect, self.language, asking.max_digits)

    def reask(self, *before: PromptLine) -> list[Action]:
        """Ask the current question again, after ``before``."""
        asking = self.asking or Asking("intent", (line("how_help"),))
        return [self.say(*before, *asking.lines), self.listen()]

    def hang_up(self, *lines: PromptLine) -> list[Action]:
        """Say goodbye lines and end the call."""
        self.state = "ended"
        self.ended = True
        self.asking = None
        return [self.say(*lines, barge_in=False), HangUp(self.outcome)]

    # flow hooks (implemented by subclasses) ------------------------------------------------------

    def escalate(self, reason: str, *before: PromptLine) -> list[Action]:
        """Hand the call to a person (or offer a callback out of hours)."""
        raise NotImplementedError

    def anything_else(self, *before: PromptLine) -> list[Action]:
        """Ask "anything else?"."""
        return self.ask("anything_else", "intent", line("anything_else"), before=before)

    def miss(self, keypad: PromptLine | None = None, max_digits: int | None = None) -> list[Action]:
        """The slot was not understood: re-ask, then offer the keypad, then escalate."""
        self.misses += 1
        if self.misses >= 3:
            return self.escalate("not_understood", line("escalate"))
        if self.misses == 2:
            asking = self.asking or Asking("intent", ())
            offer = keypad or line("keypad_offer")
            self.asking = Asking(
                "digits" if asking.expect == "case_number" else asking.expect,
                asking.lines if keypad is None else (keypad,),
                max_digits if max_digits is not None else asking.max_digits,
            )
            if keypad is None:
                extra = (offer,) if asking.expect in KEYPAD_EXPECTS else ()
                return [self.say(line("still_not_understood"), *asking.lines, *extra),
                        self.listen()]
            return [self.say(line("still_not_understood"), offer), self.listen()]
        return self.reask(line("not_understood"))


__all__ = [
    "MAX_PASSWORD_ATTEMPTS",
    "AnswerFn",
    "Asking",
    "DialogBase",
    "Input",
    "Knowledge",
    "KnowledgeLookup",
    "PromptLine",
    "line",
    "lookup",
]
