"""The dialog's closed sets, defined once: states, what a ``Listen`` expects, outcomes, kinds."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from voicebot.store.statuses import RecordKind  # what CreateRecord records: one definition


class DialogState(StrEnum):
    """Where the dialog of one call is: a question being asked, or an action being awaited."""

    START = "start"
    INTENT = "intent"
    ANYTHING_ELSE = "anything_else"
    ASK_QUESTION = "ask_question"
    CASE_NUMBER = "case_number"
    CONFIRM_NUMBER = "confirm_number"
    PASSWORD = "password"
    ASK_REQUEST = "ask_request"
    CONFIRM_PHONE = "confirm_phone"
    ASK_PHONE = "ask_phone"
    CONFIRM_KEYED_PHONE = "confirm_keyed_phone"
    ASK_MESSAGE = "ask_message"
    OFFER_CALLBACK = "offer_callback"
    OFFER_OPERATOR = "offer_operator"
    NO_NUMBER = "no_number"
    MORE = "more"
    # waiting for the result of an action
    VERIFYING = "verifying"
    LOOKING_UP = "looking_up"
    CONSULTING = "consulting"
    CREATING = "creating"
    HANDOFF = "handoff"
    ENDED = "ended"


class Expect(StrEnum):
    """What a ``Listen`` waits for (the listening policy maps it to grammar / NLU hint)."""

    INTENT = "intent"
    CASE_NUMBER = "case_number"
    YESNO = "yesno"
    DIGITS = "digits"
    PASSWORD = "password"
    PHONE = "phone"
    MESSAGE = "message"
    MENU = "menu"


class Outcome(StrEnum):
    """Call outcomes (the call record and replay expectations use them)."""

    ANSWERED = "answered"
    WORK_ORDER = "work_order"
    RECORDED = "recorded"
    HANDOFF = "handoff"
    CALLBACK = "callback"
    NOT_FOUND = "not_found"
    VERIFICATION_FAILED = "verification_failed"
    UNRESOLVED = "unresolved"


MESSAGE_KINDS = (RecordKind.COMPLAINT, RecordKind.REPORT, RecordKind.SUGGESTION,
                 RecordKind.SUBMIT_MATERIALS)
"""Record kinds that are intents of their own (the caller leaves a message)."""

HandoffReason = Literal["asked", "not_understood", "no_answer", "error"]
"""Why the dialog asks for an operator."""

PhonePurpose = Literal["work_order", "callback"]
"""What a phone number being collected is for."""

OPEN_STATES = (DialogState.INTENT, DialogState.ANYTHING_ELSE, DialogState.ASK_QUESTION)
"""Open questions: any request may be made (language keys work here)."""

FREE_TEXT_STATES = (DialogState.ASK_MESSAGE, DialogState.ASK_REQUEST)
"""Questions whose answer is recorded as said (no goodbye / operator / new subject)."""

__all__ = [
    "FREE_TEXT_STATES",
    "MESSAGE_KINDS",
    "OPEN_STATES",
    "DialogState",
    "Expect",
    "HandoffReason",
    "Outcome",
    "PhonePurpose",
    "RecordKind",
]
