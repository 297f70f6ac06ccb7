"""Operator board: the live queue, claimed calls with their context, callbacks, contact chains."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.console.deps import CurrentUser, ForbiddenError, get_db, now, require_roles
from voicebot.console.labels import label
from voicebot.console.web import redirect, render
from voicebot.handoff import (
    HandoffError,
    InvalidInputError,
    claim_next,
    claim_ticket,
    get_ticket,
    load_calendar,
    record_contact_attempt,
    resolve,
    to_work_order,
    waiting_tickets,
)
from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.lookup import CHECK_KINDS, LookupInputError, lookup_cases
from voicebot.handoff.notify import dispatch_pending
from voicebot.handoff.workorders import (
    CONTACT_OUTCOMES,
    OPEN_STATUSES,
    UNREADABLE_CASE,
    next_contact,
)
from voicebot.settings import Settings
from voicebot.store.cases import case_facts, case_replies, find_case
from voicebot.store.facts import CaseFacts
from voicebot.store.models import HandoffTicket, WorkOrder

OPERATOR = require_roles("operator", "admin")
router = APIRouter(prefix="/operator", dependencies=[Depends(OPERATOR)])


def _queue(request: Request, db: Session, user: CurrentUser) -> dict[str, Any]:
    when = now(request)
    waiting = [
        {
            "number": t.number,
            "waited_s": int((when - t.created_at).total_seconds()),
            "language": t.language,
            "intent": t.intent,
            "case_number": t.case_number,
            "verified": t.verified,
        }
        for t in waiting_tickets(db, "handoff")
    ]
    mine = db.execute(
        select(HandoffTicket.number).where(
            HandoffTicket.status == "claimed", HandoffTicket.claimed_by == user.username
        ).order_by(HandoffTicket.claimed_at)
    ).scalars().all()
    return {"now": when.isoformat(), "waiting": waiting, "mine": list(mine)}


@router.get("", response_class=HTMLResponse)
def board(request: Request, user: CurrentUser = Depends(OPERATOR),
          db: Session = Depends(get_db)) -> Response:
    """The live queue (refreshed by a small script polling queue.json)."""
    return render(request, "operator_queue.html", user, queue=_queue(request, db, user))


@router.get("/queue.json")
def queue_json(request: Request, user: CurrentUser = Depends(OPERATOR),
               db: Session = Depends(get_db)) -> JSONResponse:
    """Waiting callers with their waiting time, and the tickets the operator holds."""
    return JSONResponse(_queue(request, db, user), headers={"Cache-Control": "no-store"})


@router.post("/claim-next")
def take_next(request: Request, user: CurrentUser = Depends(OPERATOR),
              db: Session = Depends(get_db)) -> Response:
    """Claim the caller who has waited longest."""
    ticket = claim_next(db, user.username, now(request))
    if ticket is None:
        return redirect("/operator?msg=The+queue+is+empty")
    return redirect(f"/operator/tickets/{ticket.number}")


@router.post("/tickets/{number}/claim")
def take(number: str, request: Request, user: CurrentUser = Depends(OPERATOR),
         db: Session = Depends(get_db)) -> Response:
    """Claim one ticket (a waiting call or a callback)."""
    try:
        claim_ticket(db, number, user.username, now(request))
    except HandoffError as exc:
        return redirect(f"/operator?msg={exc.code}")
    return redirect(f"/operator/tickets/{number}")


def _ticket_facts(db: Session, ticket: HandoffTicket, when: dt.datetime) -> CaseFacts | None:
    """The facts of the caller's case, only when the call verified it."""
    if not (ticket.verified and ticket.case_number):
        return None
    try:
        case = find_case(db, CaseNumber.parse(ticket.case_number))
    except CaseNumberError:
        return None
    return case_facts(case, when, replies=case_replies(db, case)) if case else None


def _ticket_view(request: Request, db: Session, user: CurrentUser, number: str, *,
                 status_code: int = 200, error: str = "", error_detail: str = "",
                 case_text: str | None = None,
                 request_text: str = "") -> Response:
    ticket = get_ticket(db, number)
    when = now(request)
    facts = _ticket_facts(db, ticket, when)
    if ticket.case_number:
        audit(db, actor=user_actor(user.username), action="ticket.view", now=when,
              case_number=ticket.case_number,
              detail=number + (" with case facts" if facts else ""))
        db.commit()
    chosen = request.query_params.get("case", "") if case_text is None else case_text
    return render(request, "operator_ticket.html", user, status_code=status_code, ticket=ticket,
                  mine=ticket.claimed_by == user.username, facts=facts, error=error,
                  error_detail=error_detail, case_text=chosen or ticket.case_number,
                  request_text=request_text)


@router.get("/tickets/{number}", response_class=HTMLResponse)
def ticket_page(number: str, request: Request, user: CurrentUser = Depends(OPERATOR),
                db: Session = Depends(get_db)) -> Response:
    """A ticket's context: transcript, intent, case number, verification, the verified case."""
    return _ticket_view(request, db, user, number)


@router.post("/tickets/{number}/resolve")
def resolve_ticket(number: str, request: Request, note: str = Form(""),
                   user: CurrentUser = Depends(OPERATOR),
                   db: Session = Depends(get_db)) -> Response:
    """Close the call with a note."""
    resolve(db, number, user.username, note.strip(), now(request))
    db.commit()
    return redirect(f"/operator/tickets/{number}?msg=Resolved")


@router.post("/tickets/{number}/work-order")
def make_work_order(number: str, request: Request, background: BackgroundTasks,
                    request_text: str = Form(""), case_number: str = Form(""),
                    user: CurrentUser = Depends(OPERATOR),
                    db: Session = Depends(get_db)) -> Response:
    """Turn the call into a work order for the judge of the case (the ticket's, or the one the
    operator chose or typed); a bad or unknown number shows the form again with the input."""
    settings: Settings = request.app.state.settings
    ticket = get_ticket(db, number)
    if ticket.status == "claimed" and ticket.claimed_by != user.username:
        raise ForbiddenError("claimed by another operator")
    try:
        order = to_work_order(db, number, user.username, request_text.strip(), now(request),
                              load_calendar(db, settings), settings.work_order_days,
                              case_text=case_number, home_court=settings.home_court)
    except InvalidInputError as exc:
        db.rollback()
        cause = exc.__cause__
        return _ticket_view(request, db, user, number, status_code=400, error=str(exc),
                            error_detail=str(cause) if cause else "", case_text=case_number,
                            request_text=request_text)
    db.commit()
    background.add_task(dispatch_pending, request.app.state.sessions, settings, now(request))
    return redirect(f"/operator/tickets/{number}?msg=Work+order+{order.number}")


@router.get("/cases", response_class=HTMLResponse)
def case_search(request: Request, ticket: str = "", user: CurrentUser = Depends(OPERATOR)
                ) -> Response:
    """The case lookup form (``ticket``: the call the case is looked up for)."""
    return render(request, "operator_cases.html", user, ticket=ticket, form={}, result=None,
                  error="", error_detail="", kinds=CHECK_KINDS)


@router.post("/cases", response_class=HTMLResponse)
def case_lookup(request: Request, ticket: str = Form(""), number: str = Form(""),
                party: str = Form(""), check_kind: str = Form("phone4"),
                check_value: str = Form(""), user: CurrentUser = Depends(OPERATOR),
                db: Session = Depends(get_db)) -> Response:
    """Look a case up by number, or by party name plus an identity check; always audited."""
    settings: Settings = request.app.state.settings
    form = {"number": number, "party": party, "check_kind": check_kind}
    error, detail, result, status = "", "", None, 200
    try:
        result = lookup_cases(db, operator=user.username, operator_id=user.id, now=now(request),
                              home_court=settings.home_court, number_text=number, party=party,
                              check_kind=check_kind, check_value=check_value)
    except LookupInputError as exc:
        error, status = str(exc), 400
    except CaseNumberError as exc:
        error, detail, status = UNREADABLE_CASE, str(exc), 400
    db.commit()
    return render(request, "operator_cases.html", user, status_code=status, ticket=ticket,
                  form=form, result=result, error=error, error_detail=detail,
                  kinds=CHECK_KINDS)


@router.get("/callbacks", response_class=HTMLResponse)
def callbacks(request: Request, user: CurrentUser = Depends(OPERATOR),
              db: Session = Depends(get_db)) -> Response:
    """Callers to call back, soonest due first."""
    rows = db.execute(
        select(HandoffTicket).where(HandoffTicket.kind == "callback")
        .order_by(HandoffTicket.status.in_(("resolved",)), HandoffTicket.due_at)
    ).scalars().all()
    return render(request, "operator_callbacks.html", user, tickets=rows)


@router.get("/orders", response_class=HTMLResponse)
def orders(request: Request, user: CurrentUser = Depends(OPERATOR),
           db: Session = Depends(get_db)) -> Response:
    """Open work orders and whom to call next in their contact chain."""
    rows = db.execute(
        select(WorkOrder).where(WorkOrder.status.in_(OPEN_STATUSES)).order_by(WorkOrder.due_at)
    ).scalars().all()
    items = [(o, next_contact(o)) for o in rows]
    return render(request, "operator_orders.html", user, items=items, outcomes=CONTACT_OUTCOMES)


@router.post("/orders/{number}/contact")
def contact(number: str, request: Request, step: str = Form(...), outcome: str = Form(...),
            user: CurrentUser = Depends(OPERATOR), db: Session = Depends(get_db)) -> Response:
    """Log a call to the next person of a work order's contact chain."""
    result = record_contact_attempt(db, number, step, outcome, now(request))
    audit(db, actor=user_actor(user.username), action="work_order.contact", now=now(request),
          detail=f"{number} {step} {outcome}")
    db.commit()
    msg = "Reached" if result.reached else f"Next: {label(result.next_step) or 'none left'}"
    return redirect(f"/operator/orders?{urlencode({'msg': msg})}")
