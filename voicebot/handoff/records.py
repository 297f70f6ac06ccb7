"""Complaints, reports, suggestions, submitted materials and callbacks left on the line."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.handoff.errors import InvalidInputError
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
        status="open",
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
