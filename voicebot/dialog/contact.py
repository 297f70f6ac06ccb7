"""Passing a request to the judge (work order) and collecting the number to call back."""

from __future__ import annotations

from voicebot.dialog.actions import Action, CreateWorkOrder
from voicebot.dialog.caseflow import CaseFlow
from voicebot.dialog.conversation import Conversation, Router
from voicebot.dialog.kinds import DialogState, Expect, PhonePurpose
from voicebot.dialog.turn import CallerTurn, Phrase, phrase


class ContactFlow:
    """The judge's request and the callback number (its own slots below)."""

    def __init__(self, conversation: Conversation, router: Router, case: CaseFlow) -> None:
        self.c = conversation
        self.router = router
        self.case = case
        self.request = ""
        """What the caller asked to pass on to the judge."""
        self.phone_purpose: PhonePurpose = "work_order"
        """What the number being collected is for."""
        self.given_phone = ""
        """A number the caller gave, read back and awaiting confirmation."""

    def ask_request(self, *before: Phrase) -> list[Action]:
        """Ask what to pass on to the judge."""
        first: list[Phrase] = list(before)
        if self.case.facts is not None and self.case.facts.judge is not None:
            name = (
                self.case.facts.judge.name_en
                if self.c.language == "en"
                else self.case.facts.judge.name
            )
            first.append(phrase("judge_is", judge=name))
        self.phone_purpose = "work_order"
        return self.c.ask(
            DialogState.ASK_REQUEST, Expect.MESSAGE, phrase("ask_request"), before=tuple(first)
        )

    def on_request(self, turn: CallerTurn) -> list[Action]:
        """The caller's request for the judge."""
        message = turn.text
        if turn.keys is not None or not message:
            return self.c.miss(self.router)
        self.request = message
        return self.ask_phone_or_confirm()

    def ask_phone_or_confirm(self) -> list[Action]:
        """Offer the caller id for the callback, or ask for a number."""
        if self.c.setup.caller_id:
            key = "confirm_callback_phone" if self.phone_purpose == "callback" else "confirm_phone"
            return self.c.ask(
                DialogState.CONFIRM_PHONE, Expect.YESNO, phrase(key, phone=self.c.setup.caller_id)
            )
        return self.c.ask(DialogState.ASK_PHONE, Expect.PHONE, phrase("ask_phone"))

    def on_confirm_phone(self, turn: CallerTurn) -> list[Action]:
        """Yes: use the caller id; no: ask; digits: read them back."""
        digits = turn.digits
        if digits and 7 <= len(digits) <= 15 and turn.agrees is not True:
            return self.read_back(digits)
        if turn.agrees is True and self.c.setup.caller_id:
            return self.create_with_phone(self.c.setup.caller_id)
        if turn.agrees is False:
            return self.c.ask(DialogState.ASK_PHONE, Expect.PHONE, phrase("ask_phone"))
        return self.c.miss(self.router)

    def on_phone(self, turn: CallerTurn) -> list[Action]:
        """A phone number said or keyed (read back before use); key 2 or "no": none to give."""
        digits = turn.digits
        if digits and 7 <= len(digits) <= 15:
            return self.read_back(digits)
        if turn.keys == "2" or (turn.u is not None and turn.agrees is False and not digits):
            return self.no_phone()
        if digits:
            return self.c.wrong_format(self.router, phrase("phone_invalid"))
        return self.c.miss(self.router)

    def read_back(self, phone: str) -> list[Action]:
        """Read a given number back (issue 17.3: nothing is promised on a misheard number)."""
        self.given_phone = phone
        return self.c.ask(DialogState.CONFIRM_KEYED_PHONE, Expect.YESNO,
                          phrase("confirm_given_phone", phone=phone))

    def on_confirm_given(self, turn: CallerTurn) -> list[Action]:
        """Yes: use the number read back; no: ask again; other digits: read those back."""
        digits = turn.digits
        keyed_answer = turn.keys is not None and len(turn.keys) == 1
        if digits and 7 <= len(digits) <= 15 and not keyed_answer and turn.agrees is not True:
            return self.read_back(digits)
        if turn.agrees is True and self.given_phone:
            return self.create_with_phone(self.given_phone)
        if turn.agrees is False:
            self.given_phone = ""
            return self.c.ask(DialogState.ASK_PHONE, Expect.PHONE, phrase("ask_phone"))
        return self.c.miss(self.router)

    def no_phone(self) -> list[Action]:
        """No number to call back: never an empty-number callback. A request for the judge is
        still passed on (the reply is read out on the next verified call); a callback is not."""
        if self.phone_purpose == "work_order" and self.c.case_number is not None and self.request:
            self.c.await_result(DialogState.CREATING)
            self.c.creating = "work_order"
            return [self.c.say(phrase("no_phone_work_order")),
                    CreateWorkOrder(self.c.case_number, self.request, "")]
        return self.c.anything_else(phrase("no_phone_no_callback"))

    def create_with_phone(self, phone: str) -> list[Action]:
        """Create the work order or callback for ``phone``."""
        if self.phone_purpose == "callback":
            return self.router.create_callback(phone)
        assert self.c.case_number is not None
        self.c.await_result(DialogState.CREATING)
        self.c.creating = "work_order"
        return [CreateWorkOrder(self.c.case_number, self.request, phone)]


__all__ = ["ContactFlow"]
