"""A durable local spool for what the caller left while the store was down.

Whatever cannot reach the store (call records, turns, complaints, work orders, callbacks) is
appended to ``data_dir/spool/journal.jsonl``: one JSON line per entry, written with ``O_APPEND``
and fsync'd before the caller is told it is saved. :func:`drain` replays the entries in order
when the store is back, each in one transaction together with its idempotency key in the
``spool_applied`` table, so an entry lands exactly once even if a drain is cut short or two run
at once. Keys replayed are also appended to ``done.jsonl`` so the journal need not be re-read
against the store. Nothing is ever rewritten in place.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Column, DateTime, MetaData, String, Table, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from voicebot.callerid import caller_columns
from voicebot.casenumber import CaseNumber
from voicebot.store.db import session_scope
from voicebot.store.models import CallRecord, CallTurn

log = logging.getLogger(__name__)

SPOOL_OPS = ("call_start", "call_turn", "call_finish", "record", "work_order")
"""Kinds of spooled entry, replayed in journal order."""

_META = MetaData()
APPLIED = Table(
    "spool_applied", _META,
    Column("key", String(40), primary_key=True),
    Column("ref", String(80), nullable=False, default=""),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)
"""Idempotency keys of replayed entries and what each produced (a call id, a record number).
Kept outside the migrated schema: the spool creates it when it first drains."""


class SpoolError(RuntimeError):
    """The spool itself cannot be written (disk full, permissions)."""

    code = "store.spool_failed"


@dataclass(frozen=True)
class SpoolEntry:
    """One journal line."""

    key: str
    """Idempotency key (uuid4 hex)."""
    op: str
    """One of :data:`SPOOL_OPS`."""
    data: dict[str, Any]
    """The op's fields, JSON types only (times as ISO strings)."""


@dataclass(frozen=True)
class DrainResult:
    """What a drain did."""

    applied: int
    """Entries written to the store now."""
    skipped: int
    """Entries the store already had (an earlier, interrupted drain)."""
    pending: int
    """Entries still waiting (the store failed again, or a dependency is missing)."""
    error: str = ""
    """Why the drain stopped early, ``""`` if it did not."""


class Spool:
    """The journal folder under ``data_dir``; every method is blocking file I/O."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.journal = self.folder / "journal.jsonl"
        self.done_file = self.folder / "done.jsonl"

    def append(self, op: str, data: dict[str, Any], key: str | None = None) -> str:
        """Write one entry durably (fsync of file and folder); returns its key."""
        if op not in SPOOL_OPS:
            raise ValueError(f"unknown spool op {op!r}")
        key = key or uuid.uuid4().hex
        line = json.dumps({"key": key, "op": op, "data": data}, ensure_ascii=False) + "\n"
        try:
            _append_line(self.folder, self.journal, line)
        except OSError as exc:
            raise SpoolError(f"cannot write the spool {self.journal}: {exc}") from exc
        log.warning("store unavailable: %s %s spooled to %s", op, key, self.journal)
        return key

    def entries(self) -> list[SpoolEntry]:
        """Every complete journal line in order (a torn last line was never acknowledged)."""
        return list(_read(self.journal, entry=True))  # type: ignore[arg-type]

    def done(self) -> set[str]:
        """Keys already replayed."""
        return {str(k) for k in _read(self.done_file, entry=False)}

    def pending(self) -> list[SpoolEntry]:
        """Entries not yet replayed, in journal order."""
        done = self.done()
        return [e for e in self.entries() if e.key not in done]

    def mark_done(self, key: str) -> None:
        """Record that ``key`` is in the store."""
        _append_line(self.folder, self.done_file, json.dumps(key) + "\n")


def spool_for(data_dir: Path) -> Spool:
    """The spool of a ``data_dir``."""
    return Spool(Path(data_dir) / "spool")


def _append_line(folder: Path, path: Path, line: str) -> None:
    new = not path.exists()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    if new:
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def _read(path: Path, *, entry: bool) -> Iterator[SpoolEntry | str]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    for n, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
            yield SpoolEntry(str(value["key"]), str(value["op"]), dict(value["data"])) \
                if entry else str(value)
        except (ValueError, KeyError, TypeError):
            log.error("%s line %d is torn or unreadable; left alone", path, n)


def _time(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def iso(value: dt.datetime | None) -> str | None:
    """A time for a spool entry."""
    return value.isoformat() if value is not None else None


def drain(spool: Spool, sessions: sessionmaker[Session], settings: Any) -> DrainResult:
    """Replay pending entries into the store, in order, each exactly once.

    Stops at the first entry the store refuses (it stays pending, as do those after it).
    """
    pending = spool.pending()
    if not pending:
        return DrainResult(0, 0, 0)
    with session_scope(sessions) as session:
        APPLIED.create(session.connection(), checkfirst=True)
    applied = skipped = 0
    for i, entry in enumerate(pending):
        try:
            with session_scope(sessions) as session:
                if session.execute(select(APPLIED.c.key).where(APPLIED.c.key == entry.key)
                                   ).first() is not None:
                    done_now = False
                else:
                    ref = _apply(session, entry, settings)
                    session.execute(insert(APPLIED).values(
                        key=entry.key, ref=ref, applied_at=dt.datetime.now(dt.UTC)))
                    done_now = True
        except IntegrityError:  # another drain wrote it first
            done_now = False
        except Exception as exc:
            log.warning("spool drain stopped at %s %s: %s", entry.op, entry.key, exc)
            return DrainResult(applied, skipped, len(pending) - i,
                               f"{entry.op} {entry.key}: {type(exc).__name__}: {exc}")
        spool.mark_done(entry.key)
        applied, skipped = applied + done_now, skipped + (not done_now)
    return DrainResult(applied, skipped, 0)


def _call_id(session: Session, data: dict[str, Any]) -> int | None:
    """The call an entry belongs to: its id, or the id its spooled start got on replay."""
    if data.get("call_id") is not None:
        return int(data["call_id"])
    key = data.get("call_key")
    if not key:
        return None
    ref = session.execute(select(APPLIED.c.ref).where(APPLIED.c.key == key)).scalar_one_or_none()
    if ref is None:
        raise LookupError(f"the call {key} is not in the store yet")
    return int(ref)


def _apply(session: Session, entry: SpoolEntry, settings: Any) -> str:
    from voicebot import handoff
    from voicebot.handoff.calendar import load_calendar

    d = entry.data
    if entry.op == "call_start":
        row = CallRecord(started_at=_time(d["started_at"]), channel=d["channel"],
                         language=d["language"], **caller_columns(d["caller_id"]), outcome="")
        session.add(row)
        session.flush()
        return str(row.id)
    call_id = _call_id(session, d)
    if entry.op == "call_turn":
        if call_id is None:
            return ""
        session.add(CallTurn(call_id=call_id, idx=d["idx"], at=_time(d["at"]),
                             caller_text=d["caller"], bot_text=d["bot"], intent=d["intent"],
                             latency_ms=d["latency_ms"]))
        return ""
    if entry.op == "call_finish":
        call = session.get(CallRecord, call_id) if call_id is not None else None
        if call is None:
            return ""
        call.ended_at = _time(d["ended_at"])
        for name in ("outcome", "intent", "case_number", "verified", "record_ref", "error_code"):
            setattr(call, name, d[name])
        call.language = d["language"] or call.language
        call.audio_path = d["audio_path"] or call.audio_path
        return str(call_id)
    now = _time(d["now"])
    assert now is not None
    calendar = load_calendar(session, settings)
    if entry.op == "work_order":
        order = handoff.create_work_order(
            session, case=d["case_number"], request_text=d["message"],
            caller_phone=d["phone"], language=d["language"], call_id=call_id, now=now,
            calendar=calendar, days=settings.work_order_days, actor=f"call:{call_id}")
        return order.number
    if d["kind"] == "callback":
        ticket = handoff.request_callback(
            session, language=d["language"], caller_phone=d["phone"], intent=d["intent"],
            case_number=d["case_number"], verified=False, transcript=d["transcript"],
            call_id=call_id, now=now, calendar=calendar, note=d["message"])
        return ticket.number
    record = handoff.create_caller_record(
        session, kind=d["kind"], message=d["message"], case_number=d["case_number"],
        caller_phone=d["phone"], language=d["language"], audio_path=d["audio_path"],
        call_id=call_id, now=now)
    return record.number


def case_text(number: CaseNumber | None) -> str:
    """A case number as spooled."""
    return str(number) if number is not None else ""
