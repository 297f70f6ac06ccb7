"""Judge board: my work orders (overdue ones highlighted), reply and close."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from voicebot.console.deps import CurrentUser, ForbiddenError, get_db, load_user, now, require_roles
from voicebot.console.web import redirect, render
from voicebot.handoff import close, get_work_order, reply
from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.workorders import is_overdue, orders_for_judge
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


@router.get("/orders/{number}", response_class=HTMLResponse)
def order_page(number: str, request: Request, user: CurrentUser = Depends(JUDGE),
               db: Session = Depends(get_db)) -> Response:
    """One work order: the caller's request, the case, the contact log, the reply form."""
    order = get_work_order(db, number)
    _own(order, user)
    audit(db, actor=user_actor(user.username), action="work_order.view", now=now(request),
          case_number=order.case.number if order.case else "", detail=number)
    db.commit()
    overdue = is_overdue(order, now(request)) or order.status == "overdue"
    return render(request, "judge_order.html", user, order=order, overdue=overdue)


@router.post("/orders/{number}/reply")
def reply_order(number: str, request: Request, text: str = Form(...),
                user: CurrentUser = Depends(JUDGE), db: Session = Depends(get_db)) -> Response:
    """Answer the caller; the line reads the answer to them after verification."""
    _own(get_work_order(db, number), user)
    reply(db, number, load_user(db, user), text, now(request))
    db.commit()
    return redirect(f"/judge/orders/{number}?msg=Reply+saved")


@router.post("/orders/{number}/close")
def close_order(number: str, request: Request, user: CurrentUser = Depends(JUDGE),
                db: Session = Depends(get_db)) -> Response:
    """Close the work order."""
    _own(get_work_order(db, number), user)
    close(db, number, load_user(db, user), now(request))
    db.commit()
    return redirect(f"/judge?msg=Closed+{number}")
