"""Store side of a SIP caller waiting for an operator: the claim the line polls, the fallback.

The console claims a handoff ticket (status ``claimed``, ``claimed_by``, ``claimed_at``); the
line polls the ticket, looks up the operator's SIP URI (``users.sip_uri``) and transfers. No
operator in ``handoff_wait_limit_min`` -> the console's own expiry (``expire_waiting``) turns the
ticket into a callback; an operator who does not answer the transfer -> a callback too. Every
step is a turn on the call record. Blocking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff.calendar import load_calendar
from voicebot.handoff.callbacks import callback_for, expire_waiting
from voicebot.handoff.queue import queue_position
from voicebot.settings import Settings
from voicebot.store.db import session_scope
from voicebot.store.models import CallRecord, CallTurn, HandoffTicket, User


@dataclass(frozen=True)
class TicketState:
    """Where a handed-off caller's ticket stands."""

    status: str
    """``waiting``, ``claimed``, ``callback``, ``resolved``."""
    position: int
    """Place in the queue while waiting (1: next)."""
    operator: str = ""
    """Who claimed it."""
    sip_uri: str = ""
    """The operator's SIP URI, ``""`` if the account has none."""
    claimed_at: dt.datetime | None = None
    """When it was claimed."""


def ticket_state(sessions: sessionmaker[Session], number: str) -> TicketState:
    """The ticket's state, the claiming operator's URI with it."""
    with session_scope(sessions) as session:
        ticket = session.scalar(select(HandoffTicket).where(HandoffTicket.number == number))
        if ticket is None:
            return TicketState("missing", 0)
        if ticket.status != "claimed":
            pos = queue_position(session, ticket) if ticket.status == "waiting" else 0
            return TicketState(ticket.status, pos)
        uri = session.scalar(select(User.sip_uri).where(User.username == ticket.claimed_by))
        return TicketState("claimed", 0, ticket.claimed_by or "", uri or "", ticket.claimed_at)


def expire(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime) -> None:
    """Turn every handoff waiting past ``handoff_wait_limit_min`` into a callback (as the
    console does)."""
    with session_scope(sessions) as session:
        expire_waiting(session, now, settings.handoff_wait_limit_min,
                       load_calendar(session, settings))


def operator_missed(sessions: sessionmaker[Session], settings: Settings, number: str,
                    now: dt.datetime, why: str) -> str:
    """The operator did not answer the transfer: the ticket becomes a callback (its number), or,
    for a withheld caller with no number to call, expires (``""``)."""
    with session_scope(sessions) as session:
        ticket = session.scalar(select(HandoffTicket).where(HandoffTicket.number == number))
        if ticket is None:
            return ""
        status = "callback" if ticket.caller_phone else "expired"
        session.execute(update(HandoffTicket).where(HandoffTicket.id == ticket.id)
                        .values(status=status, resolved_at=now,
                                note=(ticket.note + " " if ticket.note else "") + why)
                        .execution_options(synchronize_session=False))
        if not ticket.caller_phone:
            return ""
        return callback_for(session, ticket, now, load_calendar(session, settings), why).number


def note_turn(sessions: sessionmaker[Session], record_id: int, text: str,
              at: dt.datetime) -> None:
    """Append a turn to the (finished) call record: what happened on hold, who took the call.
    The record's end moves to ``at``: the caller was on the line until then."""
    with session_scope(sessions) as session:
        idx = session.scalar(select(func.count(CallTurn.id))
                             .where(CallTurn.call_id == record_id)) or 0
        session.add(CallTurn(call_id=record_id, idx=idx, at=at, caller_text="", bot_text=text))
        session.execute(update(CallRecord).where(CallRecord.id == record_id,
                                                 CallRecord.ended_at < at)
                        .values(ended_at=at).execution_options(synchronize_session=False))
