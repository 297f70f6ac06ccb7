"""Starting what the caller asks for: the open questions and the intent router."""

from __future__ import annotations

from voicebot.dialog.actions import Action
from voicebot.dialog.caseflow import CaseFlow
from voicebot.dialog.conversation import Conversation, Router
from voicebot.dialog.desk import DeskFlow
from voicebot.dialog.errors import DialogError
from voicebot.dialog.kinds import MESSAGE_KINDS, DialogState, Expect, RecordKind
from voicebot.dialog.requests import RequestFlow
from voicebot.dialog.turn import CallerTurn, phrase
from voicebot.nlu.types import CASE_INTENTS


class IntentFlow:
    """Answers to "How can I help you?" / "Anything else?" and the start of each flow."""

    def __init__(self, conversation: Conversation, router: Router, case: CaseFlow,
                 desk: DeskFlow, requests: RequestFlow) -> None:
        self.c = conversation
        self.router = router
        self.case = case
        self.desk = desk
        self.requests = requests
        self.unknowns = 0
        """Requests in a row that were not understood."""

    def on_intent(self, turn: CallerTurn) -> list[Action]:
        """The answer to "How can I help you?" (or to the menu)."""
        self.case.overview = False
        plain = turn.intent == "unknown" and not (turn.case_number or turn.partial)
        if plain and turn.agrees is False and self.c.achieved is not None:
            return self.c.hang_up(phrase("goodbye"))
        return self.dispatch(turn)

    def on_anything_else(self, turn: CallerTurn) -> list[Action]:
        """Another request, yes, no or goodbye."""
        self.case.overview = False
        weak = turn.intent == "unknown" or (turn.u is not None and turn.u.confidence < 0.5)
        plain = weak and not (turn.case_number or turn.partial)
        if (turn.intent == "goodbye" and turn.agrees is not True) or (
            plain and turn.agrees is False
        ):
            return self.c.hang_up(phrase("goodbye"))
        if plain and turn.agrees is True:
            return self.c.ask(DialogState.INTENT, Expect.INTENT, phrase("ask_anything"))
        return self.dispatch(turn)

    def on_question(self, turn: CallerTurn) -> list[Action]:
        """The consultation question (anything but a clear other intent is a question)."""
        if turn.intent not in ("unknown", "consultation"):
            return self.dispatch(turn)
        return self.requests.consult(turn)

    # "I don't know my case number" (issue 12.2) ------------------------------------------------

    def no_number(self) -> list[Action]:
        """Where the number is printed, and the other ways on (nothing about any case is said)."""
        self.case.pending = None
        self.case.partial = None
        self.case.keypad_step = None
        return self.c.ask(DialogState.NO_NUMBER, Expect.INTENT, phrase("no_number_options"),
                          before=(phrase("no_number_where"),))

    def on_no_number(self, turn: CallerTurn) -> list[Action]:
        """1 / yes: give the number; 0: operator; 3: a general question; 2 / no: anything else."""
        intent = self.c.intent if self.c.intent in CASE_INTENTS else "case_progress"
        if turn.case_number is not None or turn.partial is not None:
            return self.case.start_case(intent, turn)
        if turn.keys == "1" or (turn.u is not None and turn.agrees is True
                                and turn.intent == "unknown"):
            self.c.intent = intent
            return self.c.ask(DialogState.CASE_NUMBER, Expect.CASE_NUMBER,
                              phrase("ask_case_number"))
        if turn.keys == "0":
            self.c.intent = self.c.intent or "operator"
            return self.desk.handoff("asked")
        if turn.keys == "3":
            return self.start_intent("consultation", CallerTurn(None, "3", "3"))
        if turn.keys == "2" or (turn.agrees is False and turn.intent in ("unknown",
                                                                          "no_case_number")):
            return self.c.anything_else()
        if turn.intent not in ("unknown", "no_case_number"):
            return self.dispatch(turn)
        return self.c.miss(self.router)

    def dispatch(self, turn: CallerTurn) -> list[Action]:
        """Start whatever the caller asked for."""
        return self.start_intent(turn.intent, turn)

    def start_intent(self, intent: str, turn: CallerTurn) -> list[Action]:
        """Start the flow for ``intent``."""
        if intent == "unknown":
            if turn.case_number is not None or turn.partial is not None:
                return self.case.start_case("case_progress", turn)
            self.c.intent = self.c.intent or "unknown"
            self.unknowns += 1
            if self.unknowns >= 2:
                self.unknowns = 0
                return self.desk.escalate("not_understood", phrase("escalate"))
            return self.c.ask(
                DialogState.INTENT,
                Expect.INTENT,
                phrase("menu"),
                before=(phrase("not_understood"),),
            )
        self.unknowns = 0
        if intent == "goodbye":
            return self.c.hang_up(phrase("goodbye"))
        if intent == "operator":
            self.c.intent = "operator"
            return self.desk.handoff("asked")
        if intent == "consultation":
            if turn.u is None:
                self.c.intent = "consultation"
                self.requests.asked_question = True
                return self.c.ask(DialogState.ASK_QUESTION, Expect.INTENT, phrase("ask_question"))
            return self.requests.consult(turn)
        if intent in CASE_INTENTS:
            return self.case.start_case(intent, turn)
        if intent == "no_case_number":
            return self.no_number()
        if intent in MESSAGE_KINDS:
            return self.requests.start_record(RecordKind(intent), turn)
        raise DialogError(f"unknown intent {intent!r}", "dialog.unknown_intent")


__all__ = ["IntentFlow"]
