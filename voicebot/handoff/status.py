"""Where a handed-off caller stands, for the call loop to tell them while they wait."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from voicebot.handoff.queue import expected_wait_min, get_ticket, queue_position
from voicebot.store.models import HandoffTicket

_CALLBACK_REF = re.compile(r"\b(CB-\d{8}-\d{4,})\b")


@dataclass(frozen=True)
class QueueStatus:
    """A ticket's state as the waiting caller should hear it."""

    number: str
    """Ticket number."""
    status: str
    """waiting, claimed, resolved or callback (not taken in time: the caller will be called)."""
    position: int | None
    """Place in the queue while waiting."""
    wait_min: int | None
    """Expected minutes still to wait while waiting."""
    operator: str | None
    """The operator who took the call, once claimed."""
    callback_number: str | None
    """The callback the ticket turned into, if it was not taken in time."""
    callback_due: dt.datetime | None
    """When that callback is due."""


def queue_status(session: Session, number: str, now: dt.datetime) -> QueueStatus:
    """The current state of handoff ticket ``number`` (NotFoundError if unknown)."""
    ticket = get_ticket(session, number)
    session.refresh(ticket)
    position = wait = None
    if ticket.status == "waiting":
        position = queue_position(session, ticket)
        wait = expected_wait_min(session, position, now)
    cb_number: str | None = None
    cb_due: dt.datetime | None = None
    if ticket.status == "callback":
        match = _CALLBACK_REF.search(ticket.note or "")
        if match:
            cb_number = match.group(1)
            callback: HandoffTicket = get_ticket(session, cb_number)
            cb_due = callback.due_at
    return QueueStatus(ticket.number, ticket.status, position, wait, ticket.claimed_by,
                       cb_number, cb_due)
