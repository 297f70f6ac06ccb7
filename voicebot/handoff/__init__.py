"""The people behind the line: the operator queue, callbacks, work orders, caller records, audit,
operators' case lookup (``lookup``) and judge notifications (``notify``).

Plain functions on a SQLAlchemy ``Session``. They flush and leave the commit to the caller,
except ``claim_next`` and ``claim_ticket``, which commit (a claim must be atomic among operators).
"""

from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.calendar import load_calendar
from voicebot.handoff.callbacks import CallbackTicket, expire_waiting, request_callback
from voicebot.handoff.errors import (
    ConflictError,
    HandoffError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from voicebot.handoff.numbers import next_number
from voicebot.handoff.queue import (
    QueuedTicket,
    claim_next,
    claim_ticket,
    enqueue_handoff,
    get_ticket,
    resolve,
    waiting_tickets,
)
from voicebot.handoff.records import create_caller_record, list_records
from voicebot.handoff.status import QueueStatus, queue_status
from voicebot.handoff.workorders import (
    ContactResult,
    close,
    create_work_order,
    get_work_order,
    mark_overdue,
    record_contact_attempt,
    reply,
    to_work_order,
)

__all__ = [
    "CallbackTicket",
    "ConflictError",
    "ContactResult",
    "HandoffError",
    "InvalidInputError",
    "NotFoundError",
    "PermissionDeniedError",
    "QueueStatus",
    "QueuedTicket",
    "audit",
    "claim_next",
    "claim_ticket",
    "close",
    "create_caller_record",
    "create_work_order",
    "enqueue_handoff",
    "expire_waiting",
    "get_ticket",
    "get_work_order",
    "list_records",
    "load_calendar",
    "mark_overdue",
    "next_number",
    "queue_status",
    "record_contact_attempt",
    "reply",
    "request_callback",
    "resolve",
    "to_work_order",
    "user_actor",
    "waiting_tickets",
]
