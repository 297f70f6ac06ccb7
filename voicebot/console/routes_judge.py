"""Judge board: my work orders (overdue ones highlighted), reply and close."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from voicebot.console.deps import CurrentUser, ForbiddenError, get_db, load_user, now, require_roles
from voicebot.console.web import redirect, render
from voicebot.handoff import InvalidInputError, close, get_work_order, reply
from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.workorders import is_overdue, mark_seen, orders_for_judge
from voicebot.store.models import WorkOrder

JUDGE = require_roles("judge", "admin")
router = APIRouter(prefix="/judge", dependencies=[Depends(JUDGE)])


def _own(order: WorkOrder, user: CurrentUser) -> None:
    if user.role != "admin" and (user.judge_id is None or order.judge_id != user.judge_id):
        raise ForbiddenError("not your work order")


@router.get("", response_class=HTMLResponse)
def board(request: Request, user: CurrentUser = Depends(JUDGE),
          db: Session = Depends(get_db)) -> Response:
    """The judge's work orders; an admin sees all."""
    if user.role == "judge" and user.judge_id is None:
        raise ForbiddenError("this judge account is not linked to a judge")
    orders = orders_for_judge(db, None if user.role == "admin" else user.judge_id)
    when = now(request)
    rows = [(o, is_overdue(o, when) or o.status == "overdue") for o in orders]
    return render(request, "judge_orders.html", user, rows=rows)


def _order_view(request: Request, db: Session, user: CurrentUser, number: str, *,
                status_code: int = 200, error: str = "", close_note: str = "") -> Response:
    order = get_work_order(db, number)
    _own(order, user)
    when = now(request)
    audit(db, actor=user_actor(user.username), action="work_order.view", now=when,
          case_number=order.case.number if order.case else "", detail=number)
    mark_seen(order, load_user(db, user), when)
    db.commit()
    overdue = is_overdue(order, when) or order.status == "overdue"
    return render(request, "judge_order.html", user, status_code=status_code, order=order,
                  overdue=overdue, error=error, close_note=close_note)


@router.get("/orders/{number}", response_class=HTMLResponse)
def order_page(number: str, request: Request, user: CurrentUser = Depends(JUDGE),
               db: Session = Depends(get_db)) -> Response:
    """One work order: the caller's request, the case, the contact log, the reply form."""
    return _order_view(request, db, user, number)


@router.post("/orders/{number}/reply")
def reply_order(number: str, request: Request, text: str = Form(...),
                user: CurrentUser = Depends(JUDGE), db: Session = Depends(get_db)) -> Response:
    """Answer the caller; the line reads the answer to them after verification."""
    _own(get_work_order(db, number), user)
    reply(db, number, load_user(db, user), text, now(request))
    db.commit()
    return redirect(f"/judge/orders/{number}?msg=Reply+saved")


@router.post("/orders/{number}/close")
def close_order(number: str, request: Request, note: str = Form(""),
                user: CurrentUser = Depends(JUDGE), db: Session = Depends(get_db)) -> Response:
    """Close the work order; without a reply a note must say why (else the form comes back)."""
    _own(get_work_order(db, number), user)
    try:
        close(db, number, load_user(db, user), now(request), note)
    except InvalidInputError as exc:
        db.rollback()
        return _order_view(request, db, user, number, status_code=400, error=str(exc),
                           close_note=note)
    db.commit()
    return redirect(f"/judge?msg=Closed+{number}")
