"""What every flow of a call shares: who is calling, the question in force, and how to speak.

The flows (``caseflow``, ``contact``, ``desk``, ``requests``) each hold a ``Conversation`` and a
``Router`` (the machine) for steps that belong to another flow; none inherits from another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import Action, HangUp, Listen, Say
from voicebot.dialog.kinds import DialogState, Expect, HandoffReason, Outcome
from voicebot.dialog.linefacts import LineFacts
from voicebot.dialog.prompts import case_number_text, datetime_text
from voicebot.dialog.prompts import text as prompt_text
from voicebot.dialog.snapshot import DialogSnapshot
from voicebot.dialog.turn import Asking, CallerTurn, Phrase, phrase

KEYPAD_EXPECTS = (Expect.DIGITS, Expect.CASE_NUMBER)
"""Questions whose second miss adds the keypad offer (password and phone prompts name it)."""


class Router(Protocol):
    """Steps a flow hands to another flow (implemented by ``DialogMachine``)."""

    def escalate(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Hand the call to a person (or offer a callback out of hours)."""
        ...

    def offer_operator(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Offer a person (yes/no)."""
        ...

    def start_case(self, intent: str, turn: CallerTurn) -> list[Action]:
        """Start a case intent (collect / reuse the number)."""
        ...

    def ask_request(self, *before: Phrase) -> list[Action]:
        """Ask what to pass on to the judge."""
        ...

    def create_callback(self, phone: str) -> list[Action]:
        """Book a callback to ``phone``."""
        ...


@dataclass(frozen=True)
class CallSetup:
    """What the call started with (``CallStarted``), fixed for the call."""

    caller_id: str | None = None
    """Caller's number from the network, if any."""
    home_court: str = ""
    """Court code that fills partial case numbers."""
    started_at: dt.datetime | None = None
    """When the call started."""


class Conversation:
    """Shared state of one call and the helpers to say, ask and end."""

    def __init__(self, tz: ZoneInfo, facts: LineFacts) -> None:
        self.tz = tz
        self.facts = facts
        """What the line says about itself (desk hours...), from the settings."""
        self.setup = CallSetup()
        self.language = "zh"
        self.desk_open = False
        self.state = DialogState.START
        self.ended = False
        self.intent: str | None = None
        self.case_number: CaseNumber | None = None
        self.verified = False
        self.record_ref: str | None = None
        self.achieved: Outcome | None = None
        self.asking: Asking | None = None
        self.misses = 0
        self.silences = 0
        self.creating: str | None = None
        """Kind of the record being created (a failed callback ends the call)."""

    @property
    def outcome(self) -> Outcome:
        """Call outcome so far: the latest achievement or failure, else ``unresolved``."""
        return self.achieved or Outcome.UNRESOLVED

    def achieve(self, outcome: Outcome) -> None:
        """Record an outcome (the latest wins)."""
        self.achieved = outcome

    def snapshot(self) -> DialogSnapshot:
        """What the call loop reads: state, language, intent, case, verified, outcome, ref."""
        return DialogSnapshot(self.state, self.language, self.intent or "", self.case_number,
                              self.verified, self.outcome, self.record_ref or "")

    # rendering -------------------------------------------------------------------------------

    def render(self, phrases: tuple[Phrase, ...] | list[Phrase]) -> str:
        """Phrases as one text in the current language."""
        out = []
        line_fields = self.facts.fields(self.language)
        for ph in phrases:
            fields = {name: self._field(value) for name, value in ph.fields}
            out.append(prompt_text(ph.key, self.language, **line_fields, **fields))
        return ("" if self.language == "zh" else " ").join(out)

    def _field(self, value: object) -> object:
        if isinstance(value, CaseNumber):
            return case_number_text(value, self.language)
        if isinstance(value, dt.datetime):
            return datetime_text(value, self.tz, self.language)
        if isinstance(value, Phrase):
            return self.render([value])
        return value

    def say(self, *phrases: Phrase, barge_in: bool = True) -> Say:
        """A ``Say`` of phrases."""
        return Say(self.render(phrases), self.language, barge_in)

    def say_text(self, text: str, barge_in: bool = True) -> Say:
        """A ``Say`` of ready text (line placeholders such as desk hours filled in)."""
        return Say(self.facts.fill(text, self.language), self.language, barge_in)

    # asking ----------------------------------------------------------------------------------

    def ask(self, state: DialogState, expect: Expect, *phrases: Phrase,
            before: tuple[Phrase, ...] = (), max_digits: int | None = None) -> list[Action]:
        """Enter ``state`` and ask: say ``before`` + ``phrases``, then listen."""
        if state != self.state:
            self.misses = 0
        self.state = state
        self.asking = Asking(expect, tuple(phrases), max_digits)
        return [self.say(*before, *phrases), self.listen()]

    def await_result(self, state: DialogState) -> None:
        """Enter a state that waits for an action's result (no question in force)."""
        self.state = state
        self.asking = None

    def listen(self) -> Listen:
        """Listen for the current question."""
        asking = self.asking or Asking(Expect.INTENT, ())
        return Listen(asking.expect, self.language, asking.max_digits)

    def reask(self, *before: Phrase) -> list[Action]:
        """Ask the current question again, after ``before``."""
        asking = self.asking or Asking(Expect.INTENT, (phrase("how_help"),))
        return [self.say(*before, *asking.phrases), self.listen()]

    def anything_else(self, *before: Phrase) -> list[Action]:
        """Ask "anything else?"."""
        return self.ask(DialogState.ANYTHING_ELSE, Expect.INTENT, phrase("anything_else"),
                        before=before)

    def hang_up(self, *phrases: Phrase) -> list[Action]:
        """Say goodbye phrases and end the call."""
        self.state = DialogState.ENDED
        self.ended = True
        self.asking = None
        return [self.say(*phrases, barge_in=False), HangUp(self.outcome)]

    def miss(self, router: Router, keypad: Phrase | None = None,
             max_digits: int | None = None) -> list[Action]:
        """The slot was not understood: re-ask, then offer the keypad, then escalate."""
        self.misses += 1
        if self.misses >= 3:
            return router.escalate("not_understood", phrase("escalate"))
        if self.misses == 2:
            asking = self.asking or Asking(Expect.INTENT, ())
            offer = keypad or phrase("keypad_offer")
            self.asking = Asking(
                Expect.DIGITS if asking.expect == Expect.CASE_NUMBER else asking.expect,
                asking.phrases if keypad is None else (keypad,),
                max_digits if max_digits is not None else asking.max_digits,
            )
            if keypad is None:
                extra = (offer,) if asking.expect in KEYPAD_EXPECTS else ()
                return [self.say(phrase("still_not_understood"), *asking.phrases, *extra),
                        self.listen()]
            return [self.say(phrase("still_not_understood"), offer), self.listen()]
        return self.reask(phrase("not_understood"))

    def wrong_format(self, router: Router, hint: Phrase) -> list[Action]:
        """Digits of the wrong length: say what is expected (counts as a miss)."""
        self.misses += 1
        if self.misses >= 3:
            return router.escalate("not_understood", phrase("escalate"))
        return self.reask(hint)


__all__ = ["KEYPAD_EXPECTS", "CallSetup", "Conversation", "Router"]
