"""Operator board: the live queue, claimed calls with their context, callbacks, contact chains."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.console.deps import CurrentUser, ForbiddenError, get_db, now, require_roles
from voicebot.console.web import redirect, render
from voicebot.handoff import (
    HandoffError,
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
from voicebot.handoff.workorders import CONTACT_OUTCOMES, OPEN_STATUSES, next_contact
from voicebot.settings import Settings
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


@router.get("/tickets/{number}", response_class=HTMLResponse)
def ticket_page(number: str, request: Request, user: CurrentUser = Depends(OPERATOR),
                db: Session = Depends(get_db)) -> Response:
    """A ticket's context: transcript, intent, case number, verification."""
    ticket = get_ticket(db, number)
    if ticket.case_number:
        audit(db, actor=user_actor(user.username), action="ticket.view", now=now(request),
              case_number=ticket.case_number, detail=number)
        db.commit()
    return render(request, "operator_ticket.html", user, ticket=ticket,
                  mine=ticket.claimed_by == user.username)


@router.post("/tickets/{number}/resolve")
def resolve_ticket(number: str, request: Request, note: str = Form(""),
                   user: CurrentUser = Depends(OPERATOR),
                   db: Session = Depends(get_db)) -> Response:
    """Close the call with a note."""
    resolve(db, number, user.username, note.strip(), now(request))
    db.commit()
    return redirect(f"/operator/tickets/{number}?msg=Resolved")


@router.post("/tickets/{number}/work-order")
def make_work_order(number: str, request: Request, request_text: str = Form(""),
                    user: CurrentUser = Depends(OPERATOR),
                    db: Session = Depends(get_db)) -> Response:
    """Turn the call into a work order for the case's judge."""
    settings: Settings = request.app.state.settings
    ticket = get_ticket(db, number)
    if ticket.status == "claimed" and ticket.claimed_by != user.username:
        raise ForbiddenError("claimed by another operator")
    order = to_work_order(db, number, user.username, request_text.strip(), now(request),
                          load_calendar(db, settings), settings.work_order_days)
    db.commit()
    return redirect(f"/operator/tickets/{number}?msg=Work+order+{order.number}")


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
    msg = "Reached" if result.reached else f"Next:+{result.next_step or 'none left'}"
    return redirect(f"/operator/orders?msg={msg}")
