"""The audit log page: who viewed or changed what, filtered by actor, action and date; paged."""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voicebot.console.deps import CurrentUser, get_db, now, require_roles
from voicebot.console.paging import make_pager, page_number
from voicebot.console.web import render
from voicebot.handoff import load_calendar
from voicebot.handoff.audit import audit, user_actor
from voicebot.settings import Settings
from voicebot.store.models import AuditEntry

ADMIN = require_roles("admin")
router = APIRouter(prefix="/admin", dependencies=[Depends(ADMIN)])
PAGE_SIZE = 100


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, actor: str = "", action: str = "", start: str = "",
               end: str = "", page: str = "1", user: CurrentUser = Depends(ADMIN),
               db: Session = Depends(get_db)) -> Response:
    """Audit entries newest first; ``actor`` matches in part, ``start``/``end`` are local dates."""
    settings: Settings = request.app.state.settings
    stmt = select(AuditEntry)
    if actor.strip():
        stmt = stmt.where(AuditEntry.actor.contains(actor.strip(), autoescape=True))
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    error = ""
    try:
        tz = load_calendar(db, settings).tz
        if start:
            first = dt.datetime.combine(dt.date.fromisoformat(start), dt.time(0), tz)
            stmt = stmt.where(AuditEntry.at >= first)
        if end:
            last = dt.datetime.combine(dt.date.fromisoformat(end), dt.time(0), tz)
            stmt = stmt.where(AuditEntry.at < last + dt.timedelta(days=1))
    except ValueError:
        error = "Dates look like 2026-03-03"
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pager = make_pager(request, total, page_number(page), PAGE_SIZE)
    rows = db.execute(
        stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(pager.offset).limit(pager.size)
    ).scalars().all()
    actions = db.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)
                         ).scalars().all()
    # reading the audit log is itself audited (it names case numbers)
    audit(db, actor=user_actor(user.username), action="audit.view", now=now(request),
          detail=f"actor={actor[:100]} action={action[:60]} start={start[:10]} end={end[:10]} "
                 f"page={pager.page}")
    db.commit()
    return render(request, "admin_audit.html", user, rows=rows, pager=pager, actions=actions,
                  error=error, q={"actor": actor, "action": action, "start": start, "end": end})
