"""Admin pages: accounts, line settings and holiday overrides, the call log."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from voicebot.console import accounts
from voicebot.console.deps import CurrentUser, get_db, now, require_roles
from voicebot.console.paging import make_pager, page_number
from voicebot.console.security import AccountError, create_user
from voicebot.console.web import redirect, render
from voicebot.handoff import NotFoundError, load_calendar
from voicebot.handoff.audit import audit, user_actor
from voicebot.settings import Settings
from voicebot.store.models import ROLES, CalendarOverride, CallRecord, Judge, User

ADMIN = require_roles("admin")
router = APIRouter(prefix="/admin", dependencies=[Depends(ADMIN)])
CALL_LOG_LIMIT = 200
MAX_ROW_ID = 2**31 - 1
"""Largest row id (a 32-bit INTEGER on PostgreSQL); larger ids in a URL are simply not found."""
OUTCOMES = ("answered", "work_order", "recorded", "handoff", "callback", "not_found",
            "verification_failed", "unresolved")


@router.get("")
def home() -> Response:
    """Admins start at the call log."""
    return redirect("/admin/calls")


@router.get("/users", response_class=HTMLResponse)
def users(request: Request, user: CurrentUser = Depends(ADMIN),
          db: Session = Depends(get_db), error: str = "") -> Response:
    """Console accounts (never their password hashes)."""
    rows = db.execute(select(User).order_by(User.username)).scalars().all()
    judges = {jid: ext for jid, ext in db.execute(select(Judge.id, Judge.ext_id)).all()}
    return render(request, "admin_users.html", user, rows=rows, judges=judges, roles=ROLES,
                  error=error, when=now(request))


@router.post("/users")
def add_user(request: Request, username: str = Form(...), role: str = Form(...),
             password: str = Form(...), judge: str = Form(""),
             user: CurrentUser = Depends(ADMIN), db: Session = Depends(get_db)) -> Response:
    """Create an account."""
    try:
        create_user(db, username, role, password, now(request), judge.strip() or None)
    except AccountError as exc:
        db.rollback()
        return users(request, user, db, error=str(exc))
    audit(db, actor=user_actor(user.username), action="user.create", now=now(request),
          detail=f"{username} ({role})")
    db.commit()
    return redirect("/admin/users?msg=User+created")


def _account(db: Session, uid: int) -> User:
    """The account with id ``uid``; 404 for any id the store cannot hold."""
    row = db.get(User, uid) if 1 <= uid <= MAX_ROW_ID else None
    if row is None:
        raise NotFoundError("no such user")
    return row


@router.post("/users/{uid}/unlock")
def unlock(uid: int, request: Request, user: CurrentUser = Depends(ADMIN),
           db: Session = Depends(get_db)) -> Response:
    """Lift a lock-out."""
    accounts.unlock(db, _account(db, uid), user_actor(user.username), now(request))
    db.commit()
    return redirect("/admin/users?msg=Unlocked")


@router.post("/users/{uid}/disable")
def disable(uid: int, request: Request, disabled: str = Form("1"),
            user: CurrentUser = Depends(ADMIN), db: Session = Depends(get_db)) -> Response:
    """Disable (``disabled=1``) or enable (``0``) an account; never one's own."""
    row = _account(db, uid)
    if row.id == user.id:
        return users(request, user, db, error="You cannot disable your own account")
    accounts.set_disabled(db, row, disabled == "1", user_actor(user.username), now(request))
    db.commit()
    return redirect("/admin/users?msg=" + ("Disabled" if disabled == "1" else "Enabled"))


@router.post("/users/{uid}/delete")
def delete(uid: int, request: Request, user: CurrentUser = Depends(ADMIN),
           db: Session = Depends(get_db)) -> Response:
    """Delete an account; never one's own."""
    row = _account(db, uid)
    if row.id == user.id:
        return users(request, user, db, error="You cannot delete your own account")
    accounts.delete_user(db, row, user_actor(user.username), now(request))
    db.commit()
    return redirect("/admin/users?msg=Deleted")


@router.post("/users/{uid}/password")
def reset_password(uid: int, request: Request, password: str = Form(...),
                   user: CurrentUser = Depends(ADMIN),
                   db: Session = Depends(get_db)) -> Response:
    """Set a new password (the account's sessions end, its lock is lifted)."""
    row = _account(db, uid)
    try:
        accounts.reset_password(db, row, password, user_actor(user.username), now(request))
    except AccountError as exc:
        db.rollback()
        return users(request, user, db, error=str(exc))
    db.commit()
    return redirect("/admin/users?msg=Password+reset")


@router.get("/settings", response_class=HTMLResponse)
def line_settings(request: Request, user: CurrentUser = Depends(ADMIN),
                  db: Session = Depends(get_db)) -> Response:
    """Desk hours and limits from the settings; working-day overrides from the store."""
    settings: Settings = request.app.state.settings
    overrides = db.execute(select(CalendarOverride).order_by(CalendarOverride.day)).scalars().all()
    calendar = load_calendar(db, settings)
    when = now(request)
    return render(request, "admin_settings.html", user, settings=settings, overrides=overrides,
                  desk_open=calendar.desk_open(when), next_opening=calendar.next_opening(when))


@router.post("/calendar")
def add_override(request: Request, day: str = Form(...), working: str = Form(...),
                 note: str = Form(""), user: CurrentUser = Depends(ADMIN),
                 db: Session = Depends(get_db)) -> Response:
    """Add or change a holiday / adjusted working day."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        return redirect("/admin/settings?msg=Bad+date")
    row = db.get(CalendarOverride, date) or CalendarOverride(day=date)
    row.working = working == "1"
    row.note = note.strip()[:200]
    db.add(row)
    audit(db, actor=user_actor(user.username), action="calendar.set", now=now(request),
          detail=f"{date} working={row.working}")
    db.commit()
    return redirect("/admin/settings?msg=Saved")


@router.post("/calendar/{day}/delete")
def remove_override(day: str, request: Request, user: CurrentUser = Depends(ADMIN),
                    db: Session = Depends(get_db)) -> Response:
    """Remove an override (the statutory calendar applies again)."""
    try:
        row = db.get(CalendarOverride, dt.date.fromisoformat(day))
    except ValueError:
        row = None
    if row is None:
        raise NotFoundError("no such override")
    db.delete(row)
    audit(db, actor=user_actor(user.username), action="calendar.remove", now=now(request),
          detail=day)
    db.commit()
    return redirect("/admin/settings?msg=Removed")


@router.get("/calls", response_class=HTMLResponse)
def calls(request: Request, case: str = "", caller: str = "", date: str = "",
          outcome: str = "", page: str = "1", user: CurrentUser = Depends(ADMIN),
          db: Session = Depends(get_db)) -> Response:
    """The call log, searchable by case number, caller number, date and outcome; paged."""
    settings: Settings = request.app.state.settings
    stmt = select(CallRecord)
    if case.strip():
        stmt = stmt.where(CallRecord.case_number.contains(case.strip(), autoescape=True))
    if caller.strip():
        stmt = stmt.where(CallRecord.caller_id.contains(caller.strip(), autoescape=True))
    if outcome:
        stmt = stmt.where(CallRecord.outcome == outcome)
    error = ""
    if date:
        try:
            day = dt.date.fromisoformat(date)
            tz = load_calendar(db, settings).tz
            start = dt.datetime.combine(day, dt.time(0), tz)
            stmt = stmt.where(CallRecord.started_at >= start,
                              CallRecord.started_at < start + dt.timedelta(days=1))
        except ValueError:
            error = "Dates look like 2026-03-03"
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pager = make_pager(request, total, page_number(page), CALL_LOG_LIMIT)
    rows = db.execute(
        stmt.order_by(CallRecord.started_at.desc(), CallRecord.id.desc())
        .offset(pager.offset).limit(pager.size)
    ).scalars().all()
    if case.strip() or any(r.case_number for r in rows):
        audit(db, actor=user_actor(user.username), action="call_log.search", now=now(request),
              case_number=case.strip()[:64],
              detail=f"caller={caller} date={date} outcome={outcome} page={pager.page}")
        db.commit()
    return render(request, "admin_calls.html", user, rows=rows, outcomes=OUTCOMES, error=error,
                  pager=pager,
                  q={"case": case, "caller": caller, "date": date, "outcome": outcome})


@router.get("/calls/{call_id}", response_class=HTMLResponse)
def call_page(call_id: int, request: Request, user: CurrentUser = Depends(ADMIN),
              db: Session = Depends(get_db)) -> Response:
    """One call with its turns."""
    call = db.execute(
        select(CallRecord).where(CallRecord.id == call_id).options(selectinload(CallRecord.turns))
    ).scalar_one_or_none() if 1 <= call_id <= MAX_ROW_ID else None
    if call is None:
        raise NotFoundError("no such call")
    audit(db, actor=user_actor(user.username), action="call.view", now=now(request),
          case_number=call.case_number, detail=f"call {call_id}")
    db.commit()
    return render(request, "admin_call.html", user, call=call)
