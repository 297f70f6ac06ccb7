"""The operator desk: handoff, the callback offer, the operator offer and failed actions."""

from __future__ import annotations

import datetime as dt

from voicebot.dialog.actions import Action, CreateRecord, HangUp, RequestHandoff
from voicebot.dialog.caseflow import CaseFlow
from voicebot.dialog.contact import ContactFlow
from voicebot.dialog.conversation import Conversation, Router
from voicebot.dialog.events import ActionFailed, DeskClosed, HandoffQueued
from voicebot.dialog.kinds import DialogState, Expect, HandoffReason, Outcome, RecordKind
from voicebot.dialog.turn import CallerTurn, Phrase, phrase


class DeskFlow:
    """Reaching a person, or a callback when none answers (its own slots below)."""

    def __init__(
        self, conversation: Conversation, router: Router, case: CaseFlow, contact: ContactFlow
    ) -> None:
        self.c = conversation
        self.router = router
        self.case = case
        self.contact = contact
        self.next_opening: dt.datetime | None = None
        """When operators next answer (told with the callback offer)."""
        self.handoff_failed = False
        self.callback_failed = False
        self.escalation_reason: HandoffReason = "asked"
        """Why a person was offered (passed on if the caller accepts)."""

    def handoff(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Queue for an operator (the loop answers queued or desk closed)."""
        if self.handoff_failed:
            return self.offer_callback(*before)
        self.c.await_result(DialogState.HANDOFF)
        lines = [*before, phrase("transfer")] if self.c.desk_open else list(before)
        said = [self.c.say(*lines)] if lines else []
        number = self.c.case_number if self.c.verified else self.c.case_number or self.case.pending
        return [*said, RequestHandoff(self.c.intent or "unknown", number, self.c.verified, reason)]

    def escalate(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Not understood repeatedly: a person in hours, a callback outside."""
        return self.handoff(reason, *before)

    def on_queued(self, ev: HandoffQueued) -> list[Action]:
        """In the queue: tell place and wait, and hand the call over."""
        self.c.record_ref = ev.ticket
        self.c.achieve(Outcome.HANDOFF)
        self.c.state = DialogState.ENDED
        self.c.ended = True
        lines = [
            phrase(
                "queued",
                position=ev.position,
                wait=ev.wait_min,
                plural="" if ev.wait_min == 1 else "s",
            )
        ]
        if ev.callback_after_min:
            # no callback is promised to a caller whose number the line does not have
            key = "queued_limit" if self.c.setup.caller_id else "queued_limit_withheld"
            lines.append(phrase(key, limit=ev.callback_after_min))
        return [self.c.say(*lines, barge_in=False), HangUp(Outcome.HANDOFF)]

    def on_desk_closed(self, ev: DeskClosed) -> list[Action]:
        """Out of hours: offer a callback (or a work order about the verified case)."""
        self.next_opening = ev.next_opening
        self.c.desk_open = False
        return self.offer_callback(phrase("desk_closed"))

    def offer_callback(self, *before: Phrase) -> list[Action]:
        """Callback (1), work order if a case is verified (3), or neither (2)."""
        if self.callback_failed:
            return self.c.hang_up(*before, phrase("error_final"))
        when: object = self.next_opening or phrase("next_working_day")
        key = "offer_callback_or_wo" if self.c.verified and self.c.case_number else "offer_callback"
        return self.c.ask(
            DialogState.OFFER_CALLBACK, Expect.MENU, phrase(key, when=when), before=before
        )

    def on_offer_callback(self, turn: CallerTurn) -> list[Action]:
        """The caller's choice."""
        if turn.keys == "3" or turn.intent == "contact_judge":
            if self.c.verified and self.c.case_number is not None:
                self.c.intent = "contact_judge"
                return self.contact.ask_request()
            return self.router.start_case("contact_judge", turn)
        if turn.agrees is True:
            self.contact.phone_purpose = "callback"
            return self.contact.ask_phone_or_confirm()
        if turn.agrees is False:
            return self.c.anything_else()
        if self.c.misses >= 2:
            return self.c.hang_up(phrase("goodbye"))
        self.c.misses += 1
        return self.c.reask(phrase("not_understood"))

    def create_callback(self, phone: str) -> list[Action]:
        """Book the callback."""
        self.c.await_result(DialogState.CREATING)
        self.c.creating = RecordKind.CALLBACK
        message = self.c.render([phrase("callback_message")])
        if self.c.intent:
            message += f" ({self.c.intent})"
        return [CreateRecord(RecordKind.CALLBACK, message, self.c.case_number, phone)]

    def offer_operator(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Ask whether the caller wants a person (yes/no)."""
        if self.handoff_failed:
            return self.offer_callback(*before)
        self.escalation_reason = reason
        return self.c.ask(
            DialogState.OFFER_OPERATOR, Expect.YESNO, phrase("offer_operator"), before=before
        )

    def on_offer_operator(self, turn: CallerTurn) -> list[Action]:
        """Yes: hand off; no: anything else."""
        if turn.agrees is True or turn.intent == "operator":
            if self.escalation_reason == "asked" and not self.c.intent:
                self.c.intent = "operator"  # a request heard in doubt, now confirmed
            return self.handoff(self.escalation_reason)
        if turn.agrees is False:
            return self.c.anything_else()
        return self.c.miss(self.router)

    # errors ------------------------------------------------------------------------------------

    def on_failed(self, ev: ActionFailed) -> list[Action]:
        """Apologise and offer a way on; never a dead end, never a loop."""
        if ev.action == "RequestHandoff":
            self.handoff_failed = True
            return self.offer_callback(phrase("error"))
        if ev.action == "CreateRecord" and self.c.creating == "callback":
            self.callback_failed = True
            return self.c.hang_up(phrase("error_final"))
        if self.handoff_failed and self.callback_failed:
            return self.c.hang_up(phrase("error_final"))
        return self.offer_operator("error", phrase("error"))


__all__ = ["DeskFlow"]
