"""The store's closed sets, defined once: case, work order and ticket states, record kinds."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case stands."""

    FILED = "filed"
    ACCEPTED = "accepted"
    NOT_ACCEPTED = "not_accepted"
    IN_TRIAL = "in_trial"
    ADJOURNED = "adjourned"
    CLOSED = "closed"


class WorkOrderStatus(StrEnum):
    """Where a work order to a judge stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    OVERDUE = "overdue"
    CLOSED = "closed"


class TicketStatus(StrEnum):
    """Where a handoff ticket (a caller waiting for an operator) stands."""

    WAITING = "waiting"
    CLAIMED = "claimed"
    RESOLVED = "resolved"
    CALLBACK = "callback"
    """Not taken in time: it became a callback."""
    EXPIRED = "expired"


class RecordKind(StrEnum):
    """What a caller left on the line."""

    COMPLAINT = "complaint"
    REPORT = "report"
    SUGGESTION = "suggestion"
    SUBMIT_MATERIALS = "submit_materials"
    CALLBACK = "callback"


class RecordStatus(StrEnum):
    """Where a complaint, report, suggestion or submission stands in the console."""

    NEW = "new"
    HANDLED = "handled"
