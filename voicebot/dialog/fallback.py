"""When the dialog cannot go on (it failed, or too many stages did): the fallback policy.

Apologise; hand the caller to an operator; out of hours book a callback on the caller id;
else ask them to call again. Pure: the loop carries out the actions and reports the events.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicebot.dialog.actions import CreateRecord, RequestHandoff
from voicebot.dialog.events import DeskClosed, Event, HandoffQueued, RecordCreated
from voicebot.dialog.kinds import Outcome, RecordKind
from voicebot.dialog.prompts import text as prompt_text
from voicebot.dialog.snapshot import DialogSnapshot

CALLBACK_NOTE = "technical error on the line"
"""The callback record's message."""


@dataclass(frozen=True)
class FallbackEnd:
    """How a fallback ends the call."""

    outcome: Outcome
    """``handoff``, ``callback`` or ``unresolved``."""
    record_ref: str
    """Ticket or callback number, ``""`` if none."""
    text: str
    """The last words to the caller."""


def fallback_handoff(snapshot: DialogSnapshot, intent: str) -> RequestHandoff:
    """The first fallback step: the operator queue, with what the dialog knows."""
    return RequestHandoff(intent, snapshot.case_number, snapshot.verified, "error")


def fallback_callback(answer: Event, caller_id: str) -> CreateRecord | None:
    """The second step, when the desk is closed and the caller's number is known."""
    if isinstance(answer, DeskClosed) and caller_id:
        return CreateRecord(RecordKind.CALLBACK, CALLBACK_NOTE, None, caller_id)
    return None


def fallback_end(language: str, handoff: Event, callback: Event | None) -> FallbackEnd:
    """The outcome and the words, from what the handoff and callback steps answered."""
    text = prompt_text("fallback_apology", language)
    if isinstance(handoff, HandoffQueued):
        words = prompt_text("fallback_handoff", language, position=handoff.position,
                             ahead=handoff.position - 1)
        return FallbackEnd(Outcome.HANDOFF, handoff.ticket, text + words)
    if isinstance(callback, RecordCreated):
        words = prompt_text("fallback_callback", language, number=callback.number)
        return FallbackEnd(Outcome.CALLBACK, callback.number, text + words)
    return FallbackEnd(Outcome.UNRESOLVED, "", text + prompt_text("fallback_later", language))
