"""The operator queue: handed-off calls waiting on the line, and callbacks."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.errors import ConflictError, InvalidInputError, NotFoundError
from voicebot.handoff.numbers import next_number
from voicebot.store.models import HandoffTicket

DEFAULT_HANDLE_MIN = 4.0
"""Assumed minutes an operator needs per call while there is no history."""
HISTORY_SIZE = 50
"""How many recently resolved handoffs the expected wait is averaged over."""
SQLITE_RETRIES = 50
"""How often a claim is retried when SQLite reports the database busy."""
CLAIMABLE = or_(
    HandoffTicket.status == "waiting",
    and_(HandoffTicket.kind == "callback", HandoffTicket.status == "callback"),
)
"""Tickets an operator may take: waiting ones, and callbacks the line queued as ``callback``."""


@dataclass(frozen=True)
class QueuedTicket:
    """What the caller hears after being handed off."""

    number: str
    """Ticket number (``HT-...``)."""
    position: int
    """Place in the queue, 1 = next."""
    wait_min: int
    """Expected wait in whole minutes (at least 1)."""


def transcript_turns(turns: Sequence[object]) -> list[dict[str, str]]:
    """The call so far as {"caller", "bot"} dicts, from dicts or (caller, bot) pairs."""
    out: list[dict[str, str]] = []
    for turn in turns:
        if isinstance(turn, dict):
            out.append({str(k): str(v) for k, v in turn.items()})
        elif isinstance(turn, tuple | list) and len(turn) == 2:
            out.append({"caller": str(turn[0]), "bot": str(turn[1])})
        else:
            raise InvalidInputError(f"transcript turn {turn!r} is not a caller/bot pair")
    return out


def average_handle_min(session: Session) -> float:
    """Average minutes from claim to resolution over the most recent handoffs (or a default)."""
    rows = session.execute(
        select(HandoffTicket.claimed_at, HandoffTicket.resolved_at)
        .where(
            HandoffTicket.kind == "handoff",
            HandoffTicket.status == "resolved",
            HandoffTicket.claimed_at.is_not(None),
            HandoffTicket.resolved_at.is_not(None),
        )
        .order_by(HandoffTicket.resolved_at.desc())
        .limit(HISTORY_SIZE)
    ).all()
    spans = [(r.resolved_at - r.claimed_at).total_seconds() / 60 for r in rows]
    spans = [s for s in spans if s >= 0]
    return sum(spans) / len(spans) if spans else DEFAULT_HANDLE_MIN


def _active_operators(session: Session, now: dt.datetime) -> int:
    since = now - dt.timedelta(hours=1)
    count = session.execute(
        select(func.count(func.distinct(HandoffTicket.claimed_by))).where(
            HandoffTicket.claimed_at >= since
        )
    ).scalar_one()
    return max(1, int(count or 0))


def queue_position(session: Session, ticket: HandoffTicket) -> int:
    """1-based place of a waiting ticket among the waiting handoffs."""
    ahead = session.execute(
        select(func.count()).where(
            HandoffTicket.kind == ticket.kind,
            HandoffTicket.status == "waiting",
            HandoffTicket.id < ticket.id,
        )
    ).scalar_one()
    return int(ahead) + 1


def expected_wait_min(session: Session, position: int, now: dt.datetime) -> int:
    """Expected minutes until an operator takes the caller at ``position``."""
    per_call = average_handle_min(session) / _active_operators(session, now)
    return max(1, math.ceil(position * per_call))


def enqueue_handoff(
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
) -> QueuedTicket:
    """Put a caller in the operator queue; the caller hears the place and expected wait.

    ``transcript`` holds {"caller": ..., "bot": ...} dicts (or (caller, bot) pairs).
    Flushes; the caller commits.
    """
    ticket = HandoffTicket(
        number=next_number(session, "HT", now.date()),
        kind="handoff",
        call_id=call_id,
        status="waiting",
        language=language,
        caller_phone=caller_phone,
        intent=intent,
        case_number=case_number,
        verified=verified,
        transcript=transcript_turns(transcript),
        created_at=now,
    )
    session.add(ticket)
    session.flush()
    position = queue_position(session, ticket)
    return QueuedTicket(ticket.number, position, expected_wait_min(session, position, now))


def _is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower() if exc.orig is not None else str(exc).lower()
    return "locked" in text or "busy" in text


def _claim_pg(session: Session, operator: str, now: dt.datetime, kind: str) -> HandoffTicket | None:
    ticket = session.execute(
        select(HandoffTicket)
        .where(HandoffTicket.kind == kind, HandoffTicket.status == "waiting")
        .order_by(HandoffTicket.created_at, HandoffTicket.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    if ticket is None:
        session.commit()
        return None
    ticket.status = "claimed"
    ticket.claimed_by = operator
    ticket.claimed_at = now
    audit(session, actor=user_actor(operator), action="ticket.claim", now=now,
          case_number=ticket.case_number, detail=ticket.number)
    session.commit()
    return ticket


def _claim_sqlite(
    session: Session, operator: str, now: dt.datetime, kind: str
) -> HandoffTicket | None:
    for attempt in range(SQLITE_RETRIES):
        try:
            candidate = session.execute(
                select(HandoffTicket.id)
                .where(HandoffTicket.kind == kind, HandoffTicket.status == "waiting")
                .order_by(HandoffTicket.created_at, HandoffTicket.id)
                .limit(1)
            ).scalar_one_or_none()
            if candidate is None:
                session.commit()
                return None
            if _take(session, candidate, operator, now):
                return session.get(HandoffTicket, candidate, populate_existing=True)
            session.commit()  # someone else took it: look again with a fresh snapshot
        except OperationalError as exc:
            session.rollback()
            if not _is_busy(exc):
                raise
            time.sleep(0.005 * (attempt + 1))
    raise ConflictError("the queue is too busy to claim a ticket now; try again")


def _take(session: Session, ticket_id: int, operator: str, now: dt.datetime) -> bool:
    """Atomic conditional update: True (and committed) if this session took the ticket."""
    result = session.execute(
        update(HandoffTicket)
        .where(HandoffTicket.id == ticket_id, CLAIMABLE)
        .values(status="claimed", claimed_by=operator, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        return False
    row = session.execute(
        select(HandoffTicket.number, HandoffTicket.case_number).where(HandoffTicket.id == ticket_id)
    ).one()
    audit(session, actor=user_actor(operator), action="ticket.claim", now=now,
          case_number=row.case_number, detail=row.number)
    session.commit()
    return True


def claim_next(
    session: Session, operator: str, now: dt.datetime, kind: str = "handoff"
) -> HandoffTicket | None:
    """Claim the oldest waiting ticket of ``kind`` for ``operator``; None if the queue is empty.

    Never hands a ticket to two operators: PostgreSQL uses ``FOR UPDATE SKIP LOCKED``, SQLite an
    atomic conditional UPDATE with retry. Commits; call it with no pending changes.
    """
    if session.get_bind().dialect.name == "postgresql":
        return _claim_pg(session, operator, now, kind)
    return _claim_sqlite(session, operator, now, kind)


def claim_ticket(session: Session, number: str, operator: str, now: dt.datetime) -> HandoffTicket:
    """Claim one ticket by number (e.g. a callback); ConflictError if taken already. Commits."""
    ticket_id = session.execute(
        select(HandoffTicket.id).where(HandoffTicket.number == number)
    ).scalar_one_or_none()
    if ticket_id is None:
        raise NotFoundError(f"no ticket {number}")
    for attempt in range(SQLITE_RETRIES):
        try:
            if not _take(session, ticket_id, operator, now):
                session.rollback()
                raise ConflictError(f"ticket {number} is not waiting any more")
            break
        except OperationalError as exc:
            session.rollback()
            if not _is_busy(exc):
                raise
            time.sleep(0.005 * (attempt + 1))
    else:
        raise ConflictError("the queue is too busy to claim a ticket now; try again")
    ticket = session.get(HandoffTicket, ticket_id, populate_existing=True)
    assert ticket is not None
    return ticket


def get_ticket(session: Session, number: str) -> HandoffTicket:
    """The ticket with ``number``; NotFoundError otherwise."""
    ticket = session.execute(
        select(HandoffTicket).where(HandoffTicket.number == number)
    ).scalar_one_or_none()
    if ticket is None:
        raise NotFoundError(f"no ticket {number}")
    return ticket


def resolve(
    session: Session, number: str, operator: str, note: str, now: dt.datetime
) -> HandoffTicket:
    """Close a claimed ticket with the operator's note. Flushes; the caller commits."""
    ticket = get_ticket(session, number)
    if ticket.status != "claimed":
        raise ConflictError(f"ticket {number} is {ticket.status}, not claimed")
    if ticket.claimed_by != operator:
        raise ConflictError(f"ticket {number} is claimed by another operator")
    ticket.status = "resolved"
    ticket.resolved_at = now
    ticket.note = (ticket.note + "\n" if ticket.note else "") + note
    audit(session, actor=user_actor(operator), action="ticket.resolve", now=now,
          case_number=ticket.case_number, detail=number)
    session.flush()
    return ticket


def waiting_tickets(session: Session, kind: str = "handoff") -> list[HandoffTicket]:
    """Waiting tickets of ``kind``, oldest first."""
    return list(
        session.execute(
            select(HandoffTicket)
            .where(HandoffTicket.kind == kind, HandoffTicket.status == "waiting")
            .order_by(HandoffTicket.created_at, HandoffTicket.id)
        ).scalars()
    )
