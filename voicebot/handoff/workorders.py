"""Work orders to the responsible judge: due times, the contact chain, replies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from voicebot.handoff.numbers import next_number
from voicebot.store.models import Case, Judge, User, WorkOrder
from voicebot.workdays import WorkCalendar

CONTACT_STEPS = ("judge", "department_contact", "department_head")
"""The order in which people are contacted about a work order."""
CONTACT_OUTCOMES = ("reached", "no_answer", "busy", "unreachable")
"""What a contact attempt can end with; only ``reached`` counts as contact made."""
OPEN_STATUSES = ("open", "in_progress", "overdue")
"""Statuses of work orders still waiting for the judge's reply."""
UNREADABLE_CASE = "Cannot read the case number. Write it like （2024）京0105民初12345号."
"""The message for a case number that cannot be read (the reason is the error's cause)."""


@dataclass(frozen=True)
class ContactResult:
    """The state of a work order's contact chain after one attempt."""

    number: str
    """Work-order number."""
    reached: bool
    """True if this attempt reached the person."""
    status: str
    """Work-order status after the attempt."""
    next_step: str | None
    """Whom to try next (None once someone was reached or the chain is exhausted)."""
    next_phone: str
    """Phone of the next step ('' when none)."""


def contact_chain(judge: Judge | None) -> list[dict[str, str]]:
    """[judge's work phone, department contact, department head] for ``judge``."""
    if judge is None:
        return []
    dept = judge.department
    return [
        {"step": "judge", "name": judge.name, "phone": judge.work_phone},
        {
            "step": "department_contact",
            "name": dept.contact_name if dept else "",
            "phone": dept.contact_phone if dept else "",
        },
        {
            "step": "department_head",
            "name": dept.head_name if dept else "",
            "phone": dept.head_phone if dept else "",
        },
    ]


def _resolve_case(session: Session, case: Case | int | str | None) -> Case | None:
    if case is None or isinstance(case, Case):
        return case
    if isinstance(case, int):
        found = session.get(Case, case)
    else:
        found = session.execute(select(Case).where(Case.number == case)).scalar_one_or_none()
    if found is None:
        raise NotFoundError(f"no case {case}")
    return found


def create_work_order(
    session: Session,
    *,
    case: Case | int | str | None,
    request_text: str,
    caller_phone: str,
    language: str,
    call_id: int | None,
    now: dt.datetime,
    calendar: WorkCalendar,
    days: int,
    actor: str = "",
) -> WorkOrder:
    """Open a work order for the case's responsible judge, due in ``days`` working days.

    ``case`` is a Case, its id or its official number (None: no case, no judge).
    Flushes; the caller commits.
    """
    if days < 0:
        raise InvalidInputError("days must not be negative")
    found = _resolve_case(session, case)
    judge = found.judge if found is not None else None
    order = WorkOrder(
        number=next_number(session, "WO", calendar.local(now).date()),
        call_id=call_id,
        case_id=found.id if found is not None else None,
        judge_id=judge.id if judge is not None else None,
        language=language,
        caller_phone=caller_phone,
        request_text=request_text,
        status="open",
        created_at=now,
        due_at=calendar.add_working_days(now, days),
        contact_chain=contact_chain(judge),
        contact_log=[],
        notify_state="pending",
    )
    session.add(order)
    if actor:
        audit(session, actor=actor, action="work_order.create", now=now,
              case_number=found.number if found else "", detail=order.number)
    session.flush()
    return order


def get_work_order(session: Session, number: str) -> WorkOrder:
    """The work order with ``number``; NotFoundError otherwise."""
    order = session.execute(
        select(WorkOrder).where(WorkOrder.number == number)
    ).scalar_one_or_none()
    if order is None:
        raise NotFoundError(f"no work order {number}")
    return order


def next_contact(order: WorkOrder) -> dict[str, str] | None:
    """The next person in the chain to try, or None if reached already or all tried."""
    log = order.contact_log or []
    if any(entry.get("outcome") == "reached" for entry in log):
        return None
    tried = {entry.get("step") for entry in log}
    for step in order.contact_chain or []:
        if step.get("step") not in tried:
            return step
    return None


def contact_made(order: WorkOrder) -> bool:
    """True if some step of the chain was reached."""
    return any(entry.get("outcome") == "reached" for entry in order.contact_log or [])


def record_contact_attempt(
    session: Session, number: str, step: str, outcome: str, now: dt.datetime
) -> ContactResult:
    """Log one attempt to reach ``step`` of the chain; says whom to try next if it failed.

    Reaching someone moves an open (or overdue) order to ``in_progress``. Flushes.
    """
    if outcome not in CONTACT_OUTCOMES:
        raise InvalidInputError(f"unknown contact outcome {outcome!r}")
    order = get_work_order(session, number)
    chain = {s["step"]: s for s in order.contact_chain or []}
    if step not in chain:
        raise InvalidInputError(f"work order {number} has no contact step {step!r}")
    if order.status == "closed":
        raise ConflictError(f"work order {number} is closed")
    entry = {"step": step, "phone": chain[step].get("phone", ""), "outcome": outcome,
             "at": now.isoformat()}
    order.contact_log = [*(order.contact_log or []), entry]
    reached = outcome == "reached"
    if reached and order.status in ("open", "overdue"):
        order.status = "in_progress"
    session.flush()
    nxt = next_contact(order)
    return ContactResult(
        number, reached, order.status,
        nxt["step"] if nxt else None, nxt.get("phone", "") if nxt else "",
    )


def is_overdue(order: WorkOrder, now: dt.datetime) -> bool:
    """True if the order still waits for a reply past its due time."""
    return order.status in OPEN_STATUSES and order.due_at < now


def mark_overdue(session: Session, now: dt.datetime) -> list[str]:
    """Set status ``overdue`` on unanswered orders past due; returns their numbers. Flushes."""
    rows = session.execute(
        select(WorkOrder).where(
            WorkOrder.status.in_(("open", "in_progress")), WorkOrder.due_at < now
        )
    ).scalars().all()
    for order in rows:
        order.status = "overdue"
    session.flush()
    return [o.number for o in rows]


def _check_judge(order: WorkOrder, user: User) -> None:
    if user.role == "admin":
        return
    if user.role != "judge" or user.judge_id is None or user.judge_id != order.judge_id:
        raise PermissionDeniedError(f"{user.username} may not answer work order {order.number}")


def _case_number(order: WorkOrder) -> str:
    return order.case.number if order.case is not None else ""


def reply(
    session: Session, number: str, judge_user: User, text: str, now: dt.datetime
) -> WorkOrder:
    """The judge's answer; status ``answered``, heard by the caller on the line. Flushes."""
    text = text.strip()
    if not text:
        raise InvalidInputError("the reply is empty")
    order = get_work_order(session, number)
    _check_judge(order, judge_user)
    if order.status == "closed":
        raise ConflictError(f"work order {number} is closed")
    order.reply_text = text
    order.replied_at = now
    order.status = "answered"
    audit(session, actor=user_actor(judge_user.username), action="work_order.reply", now=now,
          case_number=_case_number(order), detail=number)
    session.flush()
    return order


def close(session: Session, number: str, user: User, now: dt.datetime,
          note: str = "") -> WorkOrder:
    """Close a work order (the judge's own, or any for an admin). Flushes.

    Needs a reply to the caller or a ``note`` saying why there is none (InvalidInputError).
    """
    order = get_work_order(session, number)
    _check_judge(order, user)
    if order.status == "closed":
        raise ConflictError(f"work order {number} is closed already")
    note = note.strip()
    if not (order.reply_text or "").strip() and not note:
        raise InvalidInputError(
            "Write a reply to the caller, or a note on why there is none, before closing.")
    order.status = "closed"
    order.closed_at = now
    if note:
        order.close_note = note
    audit(session, actor=user_actor(user.username), action="work_order.close", now=now,
          case_number=_case_number(order), detail=number)
    session.flush()
    return order


def ticket_to_work_order(
    session: Session,
    ticket_number: str,
    operator: str,
    request_text: str,
    now: dt.datetime,
    calendar: WorkCalendar,
    days: int,
    *,
    case_text: str = "",
    home_court: str = "",
) -> WorkOrder:
    """Turn the operator's claimed ticket into a work order about its case; resolves it. Flushes.

    ``case_text`` is the case the operator chose or typed (any spelling the line accepts, the
    court defaulting to ``home_court``); empty: the ticket's own case number. An unreadable or
    unknown number, or a case without a responsible judge, raises InvalidInputError saying so.
    """
    from voicebot.casenumber import CaseNumberError
    from voicebot.handoff.lookup import court_aliases, read_case_number
    from voicebot.handoff.queue import get_ticket

    ticket = get_ticket(session, ticket_number)
    if ticket.status != "claimed" or ticket.claimed_by != operator:
        raise ConflictError(f"ticket {ticket_number} is not claimed by {operator}")
    wanted = ticket.case_number
    if case_text.strip():
        try:
            wanted = str(read_case_number(case_text, home_court, court_aliases(session)))
        except CaseNumberError as exc:
            raise InvalidInputError(UNREADABLE_CASE) from exc
    if not wanted:
        raise InvalidInputError(
            "The call names no case: look the case up and choose it, or enter its number.")
    case = session.execute(select(Case).where(Case.number == wanted)).scalar_one_or_none()
    if case is None:
        raise InvalidInputError("No case with this number is in the store: check the number.")
    if case.judge_id is None:
        raise InvalidInputError(
            "This case has no responsible judge: resolve the call with a note.")
    order = create_work_order(
        session, case=case, request_text=request_text or _summary(ticket.transcript),
        caller_phone=ticket.caller_phone, language=ticket.language, call_id=ticket.call_id,
        now=now, calendar=calendar, days=days, actor=user_actor(operator),
    )
    ticket.status = "resolved"
    ticket.resolved_at = now
    ticket.note = (ticket.note + "\n" if ticket.note else "") + f"work order {order.number}"
    session.flush()
    return order


def _summary(transcript: list[dict[str, str]]) -> str:
    return " / ".join(t.get("caller", "") for t in transcript if t.get("caller"))


to_work_order = ticket_to_work_order
"""Alias used by the console and the call loop."""


def orders_for_judge(session: Session, judge_id: int | None) -> list[WorkOrder]:
    """Work orders of one judge (all when ``judge_id`` is None), unanswered first by due time."""
    stmt = select(WorkOrder).order_by(WorkOrder.due_at)
    if judge_id is not None:
        stmt = stmt.where(WorkOrder.judge_id == judge_id)
    orders = list(session.execute(stmt).scalars())
    return sorted(orders, key=lambda o: (o.status not in OPEN_STATUSES, o.due_at))


def mark_seen(order: WorkOrder, user: User | None, now: dt.datetime) -> bool:
    """Note the responsible judge's first view of ``order`` (others' views do not count)."""
    if user is None or user.role != "judge" or user.judge_id != order.judge_id:
        return False
    if order.seen_at is not None:
        return False
    order.seen_at = now
    return True


def new_order_count(session: Session, judge_id: int | None) -> int:
    """Open work orders the judge has not opened yet (every judge's when ``judge_id`` is None)."""
    from sqlalchemy import func

    stmt = select(func.count(WorkOrder.id)).where(
        WorkOrder.status.in_(OPEN_STATUSES), WorkOrder.seen_at.is_(None))
    if judge_id is not None:
        stmt = stmt.where(WorkOrder.judge_id == judge_id)
    return int(session.scalar(stmt) or 0)
