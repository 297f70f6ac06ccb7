"""Requests that need no case check: a consultation answered from the knowledge base, and
messages left for the court (complaint, report, suggestion, materials)."""

from __future__ import annotations

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import Action, CreateRecord, LookUpKnowledge
from voicebot.dialog.conversation import Conversation, Router
from voicebot.dialog.desk import DeskFlow
from voicebot.dialog.events import KnowledgeAnswered, RecordCreated
from voicebot.dialog.kinds import DialogState, Expect, Outcome, RecordKind
from voicebot.dialog.turn import CallerTurn, Phrase, phrase


class RequestFlow:
    """Consultation and recorded messages (its own slots below)."""

    def __init__(self, conversation: Conversation, router: Router, desk: DeskFlow) -> None:
        self.c = conversation
        self.router = router
        self.desk = desk
        self.record_kind: RecordKind | None = None
        """Kind of the message being recorded."""
        self.record_number: CaseNumber | None = None
        """Case number mentioned with the message."""
        self.asked_question = False
        """The caller was asked once what they want to know."""

    # consultation ------------------------------------------------------------------------------

    def consult(self, turn: CallerTurn) -> list[Action]:
        """Look the question up in the knowledge base (answered by ``KnowledgeAnswered``)."""
        self.c.intent = "consultation"
        text = turn.u.text if turn.u is not None else ""
        topic = turn.u.topic if turn.u is not None else None
        if not text:
            return self.on_knowledge(KnowledgeAnswered(None))
        self.c.await_result(DialogState.CONSULTING)
        return [LookUpKnowledge(text, self.c.language, topic)]

    def on_knowledge(self, ev: KnowledgeAnswered) -> list[Action]:
        """Say the answer, or ask for the question once, then offer a person."""
        if ev.answer:
            self.asked_question = False
            self.c.achieve(Outcome.ANSWERED)
            return [self.c.say_text(ev.answer), *self.c.anything_else()]
        if not self.asked_question:
            self.asked_question = True
            return self.c.ask(DialogState.ASK_QUESTION, Expect.INTENT, phrase("ask_question"))
        self.asked_question = False
        return self.desk.offer_operator("no_answer", phrase("kb_no_answer"))

    # recorded messages -------------------------------------------------------------------------

    def start_record(self, kind: RecordKind, turn: CallerTurn) -> list[Action]:
        """Ask for the message of a complaint, report, suggestion or materials submission."""
        self.c.intent = kind
        self.record_kind = kind
        self.record_number = turn.case_number
        return self.c.ask(DialogState.ASK_MESSAGE, Expect.MESSAGE, phrase("ask_message_" + kind))

    def on_message(self, turn: CallerTurn) -> list[Action]:
        """The message: record it."""
        message = turn.text
        if turn.keys is not None or not message:
            return self.c.miss(self.router)
        if turn.case_number is not None:
            self.record_number = turn.case_number
        kind = self.record_kind or RecordKind.COMPLAINT
        self.c.await_result(DialogState.CREATING)
        self.c.creating = kind
        return [
            CreateRecord(
                kind, message, self.record_number or self.c.case_number, self.c.setup.caller_id
            )
        ]

    def on_record_created(self, ev: RecordCreated) -> list[Action]:
        """Read back the number (and when to expect an answer)."""
        self.c.record_ref = ev.number
        if ev.spooled:  # saved locally while the store is down: no number to read yet
            done = {"work_order": Outcome.WORK_ORDER, "callback": Outcome.CALLBACK}
            self.c.achieve(done.get(ev.kind, Outcome.RECORDED))
            return self.c.anything_else(phrase("record_spooled"))
        if ev.kind == "work_order":
            self.c.achieve(Outcome.WORK_ORDER)
            key = "work_order_created" if ev.due_at is not None else "work_order_created_nodue"
            return self.c.anything_else(phrase(key, ref=ev.number, due=ev.due_at))
        if ev.kind == "callback":
            self.c.achieve(Outcome.CALLBACK)
            key = "callback_created" if ev.due_at is not None else "callback_created_nodue"
            return self.c.anything_else(phrase(key, ref=ev.number, due=ev.due_at))
        self.c.achieve(Outcome.RECORDED)
        lines: list[Phrase] = [
            phrase("record_created", kind=phrase("kind_" + ev.kind), ref=ev.number)
        ]
        if ev.due_at is not None:
            lines.append(phrase("record_due", due=ev.due_at))
        if ev.kind == "submit_materials":
            lines.append(phrase("materials_note"))
        return self.c.anything_else(*lines)


__all__ = ["RequestFlow"]
