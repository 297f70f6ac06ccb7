"""``voicebot db export``: write the store back in the import format, without passwords."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from voicebot.store.models import Case, CasePanelMember, Court, Judge

CHUNK = 1000


def court_dict(court: Court) -> dict[str, Any]:
    """A court in the import format."""
    return {
        "code": court.code, "name": court.name, "name_en": court.name_en,
        "aliases": list(court.aliases or []),
        "departments": [
            {"name": d.name, "name_en": d.name_en,
             "contact": {"name": d.contact_name, "phone": d.contact_phone},
             "head": {"name": d.head_name, "phone": d.head_phone}}
            for d in sorted(court.departments, key=lambda d: d.id)
        ],
    }


def judge_dict(judge: Judge) -> dict[str, Any]:
    """A judge in the import format."""
    return {
        "id": judge.ext_id, "name": judge.name, "name_en": judge.name_en,
        "court": judge.court.code,
        "department": judge.department.name if judge.department else None,
        "work_phone": judge.work_phone,
    }


def case_dict(case: Case, tz: dt.tzinfo) -> dict[str, Any]:
    """A case in the import format, times in ``tz``; never the query password."""
    return {
        "number": case.number, "cause": case.cause, "cause_en": case.cause_en,
        "filed_on": case.filed_on.isoformat() if case.filed_on else None,
        "accepted": case.accepted, "status": case.status,
        "judge": case.judge.ext_id if case.judge else None,
        "panel": [m.judge.ext_id for m in case.panel],
        "hearings": [{"at": h.at.astimezone(tz).isoformat(), "room": h.room, "room_en": h.room_en}
                     for h in case.hearings],
        "events": [{"at": e.at.astimezone(tz).isoformat(), "text": e.text, "text_en": e.text_en}
                   for e in case.events],
        "result": (
            {"on": case.result_on.isoformat(), "text": case.result_text or "",
             "text_en": case.result_text_en or ""}
            if case.result_on is not None else None
        ),
        "parties": [{"name": p.name, "role": p.role, "phone": p.phone}
                    for p in sorted(case.parties, key=lambda p: p.id)],
    }


def iter_cases(session: Session) -> Iterator[Case]:
    """Every case in id order, loaded a chunk at a time."""
    last = 0
    while True:
        chunk = session.scalars(
            select(Case).where(Case.id > last).order_by(Case.id).limit(CHUNK).options(
                joinedload(Case.judge),
                selectinload(Case.panel).joinedload(CasePanelMember.judge),
                selectinload(Case.hearings), selectinload(Case.events),
                selectinload(Case.parties),
            )
        ).unique().all()
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].id
        session.expunge_all()


def export_json(session: Session, out: TextIO, *, timezone: str = "Asia/Shanghai",
                progress: Callable[[int], None] | None = None) -> int:
    """Write the whole store to ``out`` in the import format; returns the number of cases."""
    tz = ZoneInfo(timezone)
    courts = session.scalars(
        select(Court).order_by(Court.id).options(selectinload(Court.departments))
    ).all()
    judges = session.scalars(
        select(Judge).order_by(Judge.id).options(joinedload(Judge.court),
                                                 joinedload(Judge.department))
    ).all()
    dump = _dumper()
    out.write('{"courts": [\n')
    out.write(",\n".join(dump(court_dict(c)) for c in courts))
    out.write('\n],\n"judges": [\n')
    out.write(",\n".join(dump(judge_dict(j)) for j in judges))
    out.write('\n],\n"cases": [')
    count = 0
    for case in iter_cases(session):
        out.write(("\n" if count == 0 else ",\n") + dump(case_dict(case, tz)))
        count += 1
        if progress is not None and count % CHUNK == 0:
            progress(CHUNK)
    out.write("\n]}\n")
    if progress is not None and count % CHUNK:
        progress(count % CHUNK)
    return count


def count_cases(session: Session) -> int:
    """Number of cases in the store."""
    return session.scalar(select(func.count()).select_from(Case)) or 0


def _dumper() -> Callable[[Any], str]:
    return lambda obj: json.dumps(obj, ensure_ascii=False)
