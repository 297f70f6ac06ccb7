"""Consultation, recorded messages, operator handoff, callbacks and error recovery."""

from __future__ import annotations

from voicebot.dialog.actions import Action, CreateRecord, HangUp, RequestHandoff
from voicebot.dialog.caseflow import CaseFlow
from voicebot.dialog.core import Input, PromptLine, line, lookup
from voicebot.dialog.events import ActionFailed, DeskClosed, HandoffQueued, RecordCreated

RECORD_INTENTS = ("complaint", "report", "suggestion", "submit_materials")
"""Intents that leave a recorded message."""


class Services(CaseFlow):
    """Everything that is not about verifying a case."""

    # consultation ------------------------------------------------------------------------------

    def consult(self, inp: Input) -> list[Action]:
        """Answer from the knowledge base, ask for the question, or offer a person."""
        self.intent = "consultation"
        text = inp.u.text if inp.u is not None else ""
        topic = inp.u.topic if inp.u is not None else None
        found = lookup(self.knowledge, text, self.language, topic)
        if found:
            self.asked_question = False
            self.achieve("answered")
            return [self.say_text(found), *self.anything_else()]
        if not self.asked_question:
            self.asked_question = True
            return self.ask("ask_question", "intent", line("ask_question"))
        self.asked_question = False
        return self.offer_operator("no_answer", line("kb_no_answer"))

    # recorded messages -------------------------------------------------------------------------

    def start_record(self, kind: str, inp: Input) -> list[Action]:
        """Ask for the message of a complaint, report, suggestion or materials submission."""
        self.intent = kind
        self.record_kind = kind
        self.record_number = inp.case_number
        return self.ask("ask_message", "message", line("ask_message_" + kind))

    def on_message(self, inp: Input) -> list[Action]:
        """The message: record it."""
        message = (inp.transcript or (inp.u.text if inp.u else "")).strip()
        if inp.keys is not None or not message:
            return self.miss()
        if inp.case_number is not None:
            self.record_number = inp.case_number
        kind = self.record_kind or "complaint"
        self.state = "creating"
        self.creating = kind
        self.asking = None
        return [CreateRecord(kind, message, self.record_number or self.case_number, self.caller_id)]

    def on_record_created(self, ev: RecordCreated) -> list[Action]:
        """Read back the number (and when to expect an answer)."""
        self.record_ref = ev.number
        if ev.spooled:  # saved locally while the store is down: no number to read yet
            self.achieve({"work_order": "work_order", "callback": "callback"}.get(ev.kind,
                                                                                 "recorded"))
            return self.anything_else(line("record_spooled"))
        if ev.kind == "work_order":
            self.achieve("work_order")
            key = "work_order_created" if ev.due_at is not None else "work_order_created_nodue"
            return self.anything_else(line(key, ref=ev.number, due=ev.due_at))
        if ev.kind == "callback":
            self.achieve("callback")
            key = "callback_created" if ev.due_at is not None else "callback_created_nodue"
            return self.anything_else(line(key, ref=ev.number, due=ev.due_at))
        self.achieve("recorded")
        lines: list[PromptLine] = [
            line("record_created", kind=line("kind_" + ev.kind), ref=ev.number)]
        if ev.due_at is not None:
            lines.append(line("record_due", due=ev.due_at))
        if ev.kind == "submit_materials":
            lines.append(line("materials_note"))
        return self.anything_else(*lines)

    # operator and callbacks --------------------------------------------------------------------

    def handoff(self, reason: str, *before: PromptLine) -> list[Action]:
        """Queue for an operator (the loop answers queued or desk closed)."""
        if self.handoff_failed:
            return self.offer_callback(*before)
        self.state = "handoff"
        self.asking = None
        lines = [*before, line("transfer")] if self.desk_open else list(before)
        said = [self.say(*lines)] if lines else []
        number = self.case_number if self.verified else self.case_number or self.pending
        return [*said, RequestHandoff(self.intent or "unknown", number, self.verified, reason)]

    def escalate(self, reason: str, *before: PromptLine) -> list[Action]:
        """Not understood repeatedly: a person in hours, a callback outside."""
        return self.handoff(reason, *before)

    def on_queued(self, ev: HandoffQueued) -> list[Action]:
        """In the queue: tell place and wait, and hand the call over."""
        self.record_ref = ev.ticket
        self.achieve("handoff")
        self.state = "ended"
        self.ended = True
        lines = [line("queued", position=ev.position, wait=ev.wait_min,
                      plural="" if ev.wait_min == 1 else "s")]
        if ev.callback_after_min:
            lines.append(line("queued_limit", limit=ev.callback_after_min))
        return [self.say(*lines, barge_in=False), HangUp("handoff")]

    def on_desk_closed(self, ev: DeskClosed) -> list[Action]:
        """Out of hours: offer a callback (or a work order about the verified case)."""
        self.next_opening = ev.next_opening
        self.desk_open = False
        return self.offer_callback(line("desk_closed"))

    def offer_callback(self, *before: PromptLine) -> list[Action]:
        """Callback (1), work order if a case is verified (3), or neither (2)."""
        if self.callback_failed:
            return self.hang_up(*before, line("error_final"))
        when: object = self.next_opening or line("next_working_day")
        key = "offer_callback_or_wo" if self.verified and self.case_number else "offer_callback"
        return self.ask("offer_callback", "menu", line(key, when=when), before=before)

    def on_offer_callback(self, inp: Input) -> list[Action]:
        """The caller's choice."""
        if inp.keys == "3" or inp.intent == "contact_judge":
            if self.verified and self.case_number is not None:
                self.intent = "contact_judge"
                return self.ask_request()
            return self.start_case("contact_judge", inp)
        if inp.yes_no is True:
            self.phone_purpose = "callback"
            return self.ask_phone_or_confirm()
        if inp.yes_no is False:
            return self.anything_else()
        if self.misses >= 2:
            return self.hang_up(line("goodbye"))
        self.misses += 1
        return self.reask(line("not_understood"))

    def create_callback(self, phone: str) -> list[Action]:
        """Book the callback."""
        self.state = "creating"
        self.creating = "callback"
        self.asking = None
        message = self.render([line("callback_message")])
        if self.intent:
            message += f" ({self.intent})"
        return [CreateRecord("callback", message, self.case_number, phone)]

    def offer_operator(self, reason: str, *before: PromptLine) -> list[Action]:
        """Ask whether the caller wants a person (yes/no)."""
        if self.handoff_failed:
            return self.offer_callback(*before)
        self.escalation_reason = reason
        return self.ask("offer_operator", "yesno", line("offer_operator"), before=before)

    def on_offer_operator(self, inp: Input) -> list[Action]:
        """Yes: hand off; no: anything else."""
        if inp.yes_no is True or inp.intent == "operator":
            return self.handoff(self.escalation_reason)
        if inp.yes_no is False:
            return self.anything_else()
        return self.miss()

    # errors ------------------------------------------------------------------------------------

    def on_failed(self, ev: ActionFailed) -> list[Action]:
        """Apologise and offer a way on; never a dead end, never a loop."""
        if ev.action == "RequestHandoff":
            self.handoff_failed = True
            return self.offer_callback(line("error"))
        if ev.action == "CreateRecord" and self.creating == "callback":
            self.callback_failed = True
            return self.hang_up(line("error_final"))
        if self.handoff_failed and self.callback_failed:
            return self.hang_up(line("error_final"))
        return self.offer_operator("error", line("error"))


__all__ = ["RECORD_INTENTS", "Services"]
