"""Orphaned SIP calls: own open calls at a restart, a silent worker's from a survivor."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.sip import orphans
from voicebot.store.db import session_scope
from voicebot.store.models import CallRecord, CallTurn

T0 = dt.datetime(2026, 12, 2, 5, 0, tzinfo=dt.UTC)


def _open_call(sessions: sessionmaker[Session], worker: str, *, ended: bool = False) -> int:
    with session_scope(sessions) as session:
        row = CallRecord(started_at=T0, channel="sip", outcome="", worker=worker,
                         ended_at=T0 if ended else None)
        session.add(row)
        session.flush()
        session.add(CallTurn(call_id=row.id, idx=0, at=T0, caller_text="", bot_text="Hello"))
        return row.id


def _rows(sessions: sessionmaker[Session]) -> dict[int, tuple[str, str, int]]:
    with session_scope(sessions) as session:
        return {r.id: (r.outcome, r.error_code, len(r.turns))
                for r in session.scalars(select(CallRecord))}


def test_a_restarted_worker_closes_only_its_own_open_calls(
        sqlite_sessions: sessionmaker[Session]) -> None:
    mine = _open_call(sqlite_sessions, "w1")
    done = _open_call(sqlite_sessions, "w1", ended=True)
    other = _open_call(sqlite_sessions, "w2")
    assert orphans.close_own(sqlite_sessions, "w1", T0) == [mine]
    rows = _rows(sqlite_sessions)
    assert rows[mine] == ("interrupted", "sip.worker_lost", 1)  # its turns stay
    assert rows[done][0] == "" and rows[other][0] == ""


def test_a_survivor_closes_the_calls_of_a_silent_worker(
        sqlite_sessions: sessionmaker[Session]) -> None:
    orphans.beat(sqlite_sessions, "w1", T0, starting=True)
    orphans.beat(sqlite_sessions, "w2", T0, starting=True)
    lost = _open_call(sqlite_sessions, "w2")
    live = _open_call(sqlite_sessions, "w1")
    orphans.tag(sqlite_sessions, live, "w1")
    later = T0 + dt.timedelta(seconds=10)
    orphans.beat(sqlite_sessions, "w1", later)
    assert orphans.close_dead(sqlite_sessions, "w1", later, heartbeat_s=5) == []  # 2 beats
    later = T0 + dt.timedelta(seconds=16)
    orphans.beat(sqlite_sessions, "w1", later)
    assert orphans.close_dead(sqlite_sessions, "w1", later, heartbeat_s=5) == [lost]
    rows = _rows(sqlite_sessions)
    assert rows[lost][0] == "interrupted" and rows[live][0] == ""
    # the survivor never closes its own live calls, however old its own row looks
    assert orphans.close_dead(sqlite_sessions, "w1", later + dt.timedelta(hours=1), 5) == []
