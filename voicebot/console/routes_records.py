"""Admin pages for what callers left (complaints, reports, suggestions, materials): status
new → handled, and their recordings played through an audited route (never a server path)."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voicebot.console.deps import CurrentUser, get_db, now, require_roles
from voicebot.console.paging import make_pager, page_number
from voicebot.console.web import redirect, render
from voicebot.handoff import NotFoundError
from voicebot.handoff.audit import audit, user_actor
from voicebot.handoff.records import get_record, mark_handled
from voicebot.settings import Settings
from voicebot.store.models import RECORD_STATUSES, CallerRecord

log = logging.getLogger(__name__)
ADMIN = require_roles("admin")
router = APIRouter(prefix="/admin/records", dependencies=[Depends(ADMIN)])
MESSAGE_KINDS = ("complaint", "report", "suggestion", "submit_materials")
"""Record kinds shown here (callbacks are the operators')."""
PAGE_SIZE = 100


@router.get("", response_class=HTMLResponse)
def records(request: Request, status: str = "", page: str = "1",
            user: CurrentUser = Depends(ADMIN), db: Session = Depends(get_db)) -> Response:
    """Complaints, reports, suggestions and submitted materials, newest first; paged."""
    stmt = select(CallerRecord).where(CallerRecord.kind.in_(MESSAGE_KINDS))
    if status in RECORD_STATUSES:
        stmt = stmt.where(CallerRecord.status == status)
    total = db.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    pager = make_pager(request, total, page_number(page), PAGE_SIZE)
    rows = db.execute(
        stmt.order_by(CallerRecord.created_at.desc(), CallerRecord.id.desc())
        .offset(pager.offset).limit(pager.size)
    ).scalars().all()
    audit(db, actor=user_actor(user.username), action="records.view", now=now(request),
          detail=f"{len(rows)} records, page {pager.page}")
    db.commit()
    return render(request, "admin_records.html", user, rows=rows, pager=pager,
                  statuses=RECORD_STATUSES, status=status)


@router.post("/{number}/handled")
def handled(number: str, request: Request, user: CurrentUser = Depends(ADMIN),
            db: Session = Depends(get_db)) -> Response:
    """Mark a record handled (who and when are kept)."""
    record = mark_handled(db, number, by=user.username, now=now(request))
    audit(db, actor=user_actor(user.username), action="record.handled", now=now(request),
          case_number=record.case_number, detail=number)
    db.commit()
    return redirect("/admin/records?msg=Marked+handled")


def recording_file(record: CallerRecord, recordings_dir: Path) -> Path:
    """The record's audio file; NotFoundError when there is none or it lies outside
    ``recordings_dir`` (symbolic links resolved first)."""
    if not record.audio_path:
        raise NotFoundError("no recording")
    root = recordings_dir.resolve()
    path = Path(record.audio_path).resolve()
    if not path.is_relative_to(root):
        log.warning("record %s: audio outside the recordings folder refused", record.number)
        raise NotFoundError("no recording")
    if not path.is_file():
        raise NotFoundError("no recording")
    return path


@router.get("/{number}/audio")
def audio(number: str, request: Request, user: CurrentUser = Depends(ADMIN),
          db: Session = Depends(get_db)) -> Response:
    """Stream a record's recording to the page's player; every playback is audited."""
    settings: Settings = request.app.state.settings
    record = get_record(db, number)
    path = recording_file(record, settings.recordings_dir)
    audit(db, actor=user_actor(user.username), action="record.audio", now=now(request),
          case_number=record.case_number, detail=number)
    db.commit()
    return FileResponse(path, media_type="audio/wav", headers={"Cache-Control": "no-store"})
