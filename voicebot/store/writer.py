"""Writing validated records to the store in bulk: upserts by natural keys, Core executemany."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from voicebot.store.models import (
    Base,
    Case,
    CaseEvent,
    CasePanelMember,
    Court,
    Department,
    Hearing,
    Judge,
    Party,
)
from voicebot.store.passwords import hash_password
from voicebot.store.records import CaseRec, CourtRec, ImportFileError, JudgeRec

BATCH = 1000
"""Cases written per round of statements."""


@dataclass
class Refs:
    """Ids of what cases and judges refer to, by natural key."""

    courts: dict[str, int] = field(default_factory=dict)
    departments: dict[tuple[str, str], int] = field(default_factory=dict)
    judges: dict[str, int] = field(default_factory=dict)


def load_refs(session: Session) -> Refs:
    """Courts, departments and judges already in the store."""
    refs = Refs()
    codes: dict[int, str] = {}
    for cid, code in session.execute(select(Court.id, Court.code)):
        refs.courts[code] = cid
        codes[cid] = code
    for did, court_id, name in session.execute(
        select(Department.id, Department.court_id, Department.name)
    ):
        refs.departments[(codes[court_id], name)] = did
    refs.judges = {ext_id: jid for ext_id, jid in session.execute(select(Judge.ext_id, Judge.id))}
    return refs


def check_references(refs: Refs, courts: Sequence[CourtRec], judges: Sequence[JudgeRec],
                     cases: Sequence[CaseRec]) -> None:
    """Raise :class:`ImportFileError` for a court, department or judge neither in the store nor
    in the file."""
    court_codes = set(refs.courts) | {c.code for c in courts}
    departments = set(refs.departments) | {(c.code, d.name) for c in courts for d in c.departments}
    for i, j in enumerate(judges):
        path = f"judges[{i}] {j.ext_id}"
        if j.court not in court_codes:
            raise ImportFileError(f"unknown court {j.court}", path=path, kind="unknown_court")
        if j.department is not None and (j.court, j.department) not in departments:
            raise ImportFileError(f"court {j.court} has no department {j.department}",
                                  path=path, kind="unknown_department")
    judge_ids = set(refs.judges) | {j.ext_id for j in judges}
    for i, c in enumerate(cases):
        path = f"cases[{i}] {c.number}"
        if c.number.court not in court_codes:
            raise ImportFileError(f"unknown court {c.number.court}", path=path,
                                  kind="unknown_court")
        for ext_id in ([c.judge] if c.judge else []) + c.panel:
            if ext_id not in judge_ids:
                raise ImportFileError(f"unknown judge {ext_id}", path=path, kind="unknown_judge")


def upsert_courts(session: Session, courts: Sequence[CourtRec], refs: Refs) -> None:
    """Insert or update courts by code and their departments by (court, name)."""
    for c in courts:
        values = {"name": c.name, "name_en": c.name_en, "aliases": list(c.aliases)}
        if c.code in refs.courts:
            session.execute(update(Court).where(Court.id == refs.courts[c.code]).values(values))
        else:
            refs.courts[c.code] = session.execute(
                insert(Court).values(code=c.code, **values).returning(Court.id)
            ).scalar_one()
        for d in c.departments:
            dvalues = {
                "name_en": d.name_en, "contact_name": d.contact_name,
                "contact_phone": d.contact_phone, "head_name": d.head_name,
                "head_phone": d.head_phone,
            }
            key = (c.code, d.name)
            if key in refs.departments:
                session.execute(update(Department)
                                .where(Department.id == refs.departments[key]).values(dvalues))
            else:
                refs.departments[key] = session.execute(
                    insert(Department)
                    .values(court_id=refs.courts[c.code], name=d.name, **dvalues)
                    .returning(Department.id)
                ).scalar_one()


def upsert_judges(session: Session, judges: Sequence[JudgeRec], refs: Refs) -> None:
    """Insert or update judges by their id (``ext_id``)."""
    for j in judges:
        values = {
            "name": j.name, "name_en": j.name_en, "court_id": refs.courts[j.court],
            "department_id": refs.departments[(j.court, j.department)] if j.department else None,
            "work_phone": j.work_phone,
        }
        if j.ext_id in refs.judges:
            session.execute(update(Judge).where(Judge.id == refs.judges[j.ext_id]).values(values))
        else:
            refs.judges[j.ext_id] = session.execute(
                insert(Judge).values(ext_id=j.ext_id, **values).returning(Judge.id)
            ).scalar_one()


def write_cases(session: Session, cases: Sequence[CaseRec], refs: Refs, *,
                hasher: Callable[[str], str] = hash_password,
                progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Insert new cases and replace existing ones (by number) in batches; returns
    (inserted, updated). A case without a password keeps the hash it has."""
    inserted = updated = 0
    for start in range(0, len(cases), BATCH):
        batch = cases[start:start + BATCH]
        ins, upd = _write_batch(session, batch, refs, hasher)
        inserted, updated = inserted + ins, updated + upd
        if progress is not None:
            progress(len(batch))
    return inserted, updated


def _write_batch(session: Session, batch: Sequence[CaseRec], refs: Refs,
                 hasher: Callable[[str], str]) -> tuple[int, int]:
    numbers = [str(c.number) for c in batch]
    existing: dict[str, int] = {
        number: cid for number, cid in
        session.execute(select(Case.number, Case.id).where(Case.number.in_(numbers)))
    }
    new_rows: list[dict[str, Any]] = []
    upd_rows: list[dict[str, Any]] = []
    for c, number in zip(batch, numbers, strict=True):
        row = _case_row(c, number, refs)
        if c.query_password is not None:
            row["password_hash"] = hasher(c.query_password)
        if number in existing:
            row["id"] = existing[number]
            upd_rows.append(row)
        else:
            row.setdefault("password_hash", "")
            new_rows.append(row)
    if existing:
        ids = list(existing.values())
        for model in (CasePanelMember, Hearing, CaseEvent, Party):
            session.execute(delete(model).where(model.case_id.in_(ids)))
        for keys in {frozenset(r) for r in upd_rows}:
            rows = [r for r in upd_rows if frozenset(r) == keys]
            session.execute(update(Case), rows)
    ids_by_number = dict(existing)
    if new_rows:
        table = _table(Case)
        result = session.connection().execute(
            insert(table).returning(table.c.number, table.c.id, sort_by_parameter_order=True),
            new_rows,
        )
        ids_by_number.update((number, cid) for number, cid in result)
    _insert_children(session, batch, numbers, ids_by_number, refs)
    return len(new_rows), len(upd_rows)


def _case_row(c: CaseRec, number: str, refs: Refs) -> dict[str, Any]:
    return {
        "number": number, "year": c.number.year, "court_id": refs.courts[c.number.court],
        "case_type": c.number.case_type, "seq": c.number.seq, "cause": c.cause,
        "cause_en": c.cause_en, "filed_on": c.filed_on, "accepted": c.accepted,
        "status": c.status, "judge_id": refs.judges[c.judge] if c.judge else None,
        "result_on": c.result.on if c.result else None,
        "result_text": c.result.text if c.result else None,
        "result_text_en": c.result.text_en if c.result else None,
    }


def _insert_children(session: Session, batch: Sequence[CaseRec], numbers: Sequence[str],
                     ids: dict[str, int], refs: Refs) -> None:
    panel: list[dict[str, Any]] = []
    hearings: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    parties: list[dict[str, Any]] = []
    for c, number in zip(batch, numbers, strict=True):
        cid = ids[number]
        panel += [{"case_id": cid, "judge_id": refs.judges[j], "position": k}
                  for k, j in enumerate(c.panel)]
        hearings += [{"case_id": cid, "at": h.at, "room": h.room, "room_en": h.room_en}
                     for h in c.hearings]
        events += [{"case_id": cid, "at": e.at, "text": e.text, "text_en": e.text_en}
                   for e in c.events]
        parties += [{"case_id": cid, "name": p.name, "role": p.role, "phone": p.phone}
                    for p in c.parties]
    conn = session.connection()
    for model, rows in ((CasePanelMember, panel), (Hearing, hearings), (CaseEvent, events),
                        (Party, parties)):
        if rows:
            conn.execute(insert(_table(model)), rows)


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]
