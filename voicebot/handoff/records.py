"""Complaints, reports, suggestions, submitted materials and callbacks left on the line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from voicebot.handoff.errors import ConflictError, InvalidInputError, NotFoundError
from voicebot.handoff.numbers import next_number
from voicebot.store.models import RECORD_KINDS, CallerRecord


def create_caller_record(
    session: Session,
    *,
    kind: str,
    message: str,
    case_number: str,
    caller_phone: str,
    language: str,
    audio_path: str,
    call_id: int | None,
    now: dt.datetime,
) -> CallerRecord:
    """Record what the caller left (``kind`` one of RECORD_KINDS); number ``CR-...``. Flushes."""
    if kind not in RECORD_KINDS:
        raise InvalidInputError(f"unknown record kind {kind!r}")
    record = CallerRecord(
        number=next_number(session, "CB" if kind == "callback" else "CR", now.date()),
        kind=kind,
        call_id=call_id,
        language=language,
        caller_phone=caller_phone,
        case_number=case_number,
        message=message,
        audio_path=audio_path,
        status="new",
        created_at=now,
    )
    session.add(record)
    session.flush()
    return record


def list_records(session: Session, kinds: tuple[str, ...] = RECORD_KINDS) -> list[CallerRecord]:
    """Caller records of ``kinds``, newest first."""
    return list(
        session.execute(
            select(CallerRecord)
            .where(CallerRecord.kind.in_(kinds))
            .order_by(CallerRecord.created_at.desc(), CallerRecord.id.desc())
        ).scalars()
    )


def get_record(session: Session, number: str) -> CallerRecord:
    """The caller record numbered ``number``."""
    record = session.execute(
        select(CallerRecord).where(CallerRecord.number == number)
    ).scalar_one_or_none()
    if record is None:
        raise NotFoundError(f"no record {number}")
    return record


def mark_handled(session: Session, number: str, *, by: str, now: dt.datetime) -> CallerRecord:
    """Mark record ``number`` handled by console user ``by``; flushes.

    Only a ``new`` record can be marked (two admins at once: the second gets a ConflictError).
    """
    record = get_record(session, number)
    done = session.execute(
        update(CallerRecord)
        .where(CallerRecord.id == record.id, CallerRecord.status != "handled")
        .values(status="handled", handled_by=by, handled_at=now)
        .execution_options(synchronize_session=False)
    )
    if getattr(done, "rowcount", 0) != 1:
        raise ConflictError(f"record {number} is handled already")
    session.refresh(record)
    return record
