"""Callbacks: requested by the caller, or made from handoffs not taken in time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from voicebot.handoff.numbers import next_number
from voicebot.handoff.queue import transcript_turns
from voicebot.store.models import HandoffTicket
from voicebot.workdays import WorkCalendar


@dataclass(frozen=True)
class CallbackTicket:
    """A callback queued for an operator."""

    number: str
    """Callback number (``CB-...``)."""
    due_at: dt.datetime
    """When the caller should be called back at the latest (or from, after hours)."""


def request_callback(
    session: Session,
    *,
    language: str,
    caller_phone: str,
    intent: str,
    case_number: str,
    verified: bool,
    transcript: Sequence[object],
    call_id: int | None,
    now: dt.datetime,
    calendar: WorkCalendar,
    note: str = "",
) -> CallbackTicket:
    """Queue a callback: during desk hours due by today's closing, else at the next opening.

    Flushes; the caller commits.
    """
    if calendar.desk_open(now):
        due = dt.datetime.combine(calendar.local(now).date(), calendar.end, calendar.tz)
    else:
        due = calendar.next_opening(now)
    ticket = HandoffTicket(
        number=next_number(session, "CB", calendar.local(now).date()),
        kind="callback",
        call_id=call_id,
        status="waiting",
        language=language,
        caller_phone=caller_phone,
        intent=intent,
        case_number=case_number,
        verified=verified,
        transcript=transcript_turns(transcript),
        created_at=now,
        due_at=due,
        note=note,
    )
    session.add(ticket)
    session.flush()
    return CallbackTicket(ticket.number, due)


def callback_for(session: Session, ticket: HandoffTicket, now: dt.datetime,
                 calendar: WorkCalendar, note: str) -> CallbackTicket:
    """A callback ticket carrying a handoff ticket's call context (flushed)."""
    return request_callback(
        session,
        language=ticket.language,
        caller_phone=ticket.caller_phone,
        intent=ticket.intent,
        case_number=ticket.case_number,
        verified=ticket.verified,
        transcript=ticket.transcript,
        call_id=ticket.call_id,
        now=now,
        calendar=calendar,
        note=note,
    )


def expire_waiting(
    session: Session, now: dt.datetime, limit_min: float, calendar: WorkCalendar
) -> list[CallbackTicket]:
    """Turn handoffs waiting longer than ``limit_min`` (minutes, a fraction allowed) into
    callbacks; returns the callbacks.

    The expired ticket gets status ``callback`` and a note that the caller was told; the new
    callback ticket carries the call's context. A ticket with no number to call (a withheld
    caller, who the line never promises a callback) becomes ``expired`` with a note saying so,
    instead of a callback nobody could make. Flushes; the caller commits.
    """
    cutoff = now - dt.timedelta(minutes=limit_min)
    stale = session.execute(
        select(HandoffTicket)
        .where(
            HandoffTicket.kind == "handoff",
            HandoffTicket.status == "waiting",
            HandoffTicket.created_at <= cutoff,
        )
        .order_by(HandoffTicket.id)
        .with_for_update(skip_locked=True)
    ).scalars().all()
    made: list[CallbackTicket] = []
    for ticket in stale:
        if not ticket.caller_phone:
            session.execute(
                update(HandoffTicket)
                .where(HandoffTicket.id == ticket.id, HandoffTicket.status == "waiting")
                .values(status="expired", resolved_at=now,
                        note=f"not taken within {limit_min:g} min; no number to call back "
                        "(the caller withheld it)")
                .execution_options(synchronize_session=False)
            )
            continue
        taken = session.execute(  # conditional: an operator may have claimed it meanwhile
            update(HandoffTicket)
            .where(HandoffTicket.id == ticket.id, HandoffTicket.status == "waiting")
            .values(status="callback", resolved_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) != 1:
            continue
        callback = callback_for(session, ticket, now, calendar,
                                f"from {ticket.number}: no operator within {limit_min:g} min")
        session.execute(
            update(HandoffTicket)
            .where(HandoffTicket.id == ticket.id)
            .values(note=f"not taken within {limit_min:g} min; "
                    f"caller told of callback {callback.number}")
            .execution_options(synchronize_session=False)
        )
        session.refresh(ticket)
        made.append(callback)
    session.flush()
    return made
