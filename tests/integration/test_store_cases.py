"""Case services: lookup, query-password lockout, audit log and the facts snapshot."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.casenumber import CaseNumber
from voicebot.store.cases import (
    FAILURE_WINDOW,
    LOCK_DURATION,
    MAX_FAILURES,
    VerifyOutcome,
    add_audit_entry,
    case_facts,
    case_replies,
    find_case,
    verify_password,
)
from voicebot.store.db import session_scope
from voicebot.store.importer import import_file
from voicebot.store.models import AuditEntry, Case, VerificationAttempt, WorkOrder

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"
RAW: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
OPEN = RAW["cases"][0]
CLOSED = RAW["cases"][1]
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_scope(sessions) as s:
        import_file(s, EXAMPLE)
    return sessions


def _case(s: Session, raw: dict[str, Any]) -> Case:
    case = find_case(s, CaseNumber.parse(raw["number"]))
    assert case is not None
    return case


def test_find_case_loads_what_an_answer_needs(store: sessionmaker[Session]) -> None:
    with store() as s:
        case = _case(s, OPEN)
        s.expunge_all()  # everything below must already be loaded
    assert case.court.code == CaseNumber.parse(OPEN["number"]).court
    assert case.judge is not None and case.judge.ext_id == OPEN["judge"]
    assert case.judge.department is not None
    assert [m.judge.ext_id for m in case.panel] == OPEN["panel"]
    assert len(case.hearings) == len(OPEN["hearings"])
    assert [e.text for e in case.events] == [e["text"] for e in OPEN["events"]]
    assert {p.name for p in case.parties} == {p["name"] for p in OPEN["parties"]}
    with store() as s:
        assert find_case(s, CaseNumber(2024, "京0105", "民初", 99999)) is None


def verify(s: Session, case: Case, password: str, at: dt.datetime,
           caller: str = "13900001111") -> VerifyOutcome:
    return verify_password(s, case, password, caller_id=caller, call_id=None, now=at)


def test_right_password_and_wrong_ones_counted(store: sessionmaker[Session]) -> None:
    with session_scope(store) as s:
        case = _case(s, OPEN)
        first = verify(s, case, "000000", T0)
        assert (first.status, first.attempts_left) == ("wrong", MAX_FAILURES - 1)
        assert verify(s, case, OPEN["query_password"], T0 + dt.timedelta(minutes=1)).ok
        # a success starts the count again
        again = verify(s, case, "000001", T0 + dt.timedelta(minutes=2))
        assert (again.status, again.attempts_left) == ("wrong", MAX_FAILURES - 1)
    with store() as s:
        outcomes = s.scalars(select(VerificationAttempt.outcome).order_by(VerificationAttempt.id))
        assert list(outcomes) == ["wrong", "ok", "wrong"]
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["verify.wrong", "verify.wrong"]


def test_three_failures_lock_the_case_for_that_caller(store: sessionmaker[Session]) -> None:
    right = OPEN["query_password"]
    with session_scope(store) as s:
        case = _case(s, OPEN)
        outcomes = [verify(s, case, f"00000{i}", T0 + dt.timedelta(minutes=5 * i))
                    for i in range(MAX_FAILURES)]
        assert [o.status for o in outcomes] == ["wrong"] * (MAX_FAILURES - 1) + ["locked"]
        lock_start = T0 + dt.timedelta(minutes=5 * (MAX_FAILURES - 1))
        assert outcomes[-1].locked_until == lock_start + LOCK_DURATION
        during = verify(s, case, right, lock_start + LOCK_DURATION - dt.timedelta(seconds=1))
        assert during.status == "locked" and not during.ok
        assert verify(s, case, right, lock_start + dt.timedelta(minutes=1), caller="other").ok
        assert verify(s, case, right, lock_start + LOCK_DURATION).ok
    with store() as s:
        rows = s.execute(select(VerificationAttempt.outcome, VerificationAttempt.caller_id)
                         .order_by(VerificationAttempt.id)).all()
        assert [r[0] for r in rows] == ["wrong"] * MAX_FAILURES + ["refused", "ok", "ok"]
        actions = list(s.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions.count("verify.lock") == 1 and actions.count("verify.refused") == 1
        assert all(a.case_number == _case(s, OPEN).number for a in s.scalars(select(AuditEntry)))


def test_failures_spread_beyond_the_window_do_not_lock(store: sessionmaker[Session]) -> None:
    step = FAILURE_WINDOW * 2 / 3
    with session_scope(store) as s:
        case = _case(s, OPEN)
        outcomes = [verify(s, case, "999999", T0 + step * i) for i in range(MAX_FAILURES + 1)]
        assert all(o.status == "wrong" for o in outcomes)
        assert verify(s, case, OPEN["query_password"], T0 + step * (MAX_FAILURES + 1)).ok


def test_a_case_without_password_never_verifies(store: sessionmaker[Session]) -> None:
    with session_scope(store) as s:
        case = _case(s, OPEN)
        case.password_hash = ""
        assert verify(s, case, OPEN["query_password"], T0).status == "wrong"


def test_audit_writes_an_entry(store: sessionmaker[Session]) -> None:
    with session_scope(store) as s:
        add_audit_entry(s, "user:wang", "case.view", OPEN["number"], "opened in the console",
                        now=T0)
    with store() as s:
        entry = s.scalars(select(AuditEntry)).one()
        assert (entry.actor, entry.action, entry.at) == ("user:wang", "case.view", T0)


def test_case_facts_as_of_a_time(store: sessionmaker[Session]) -> None:
    hearing_at = dt.datetime.fromisoformat(OPEN["hearings"][0]["at"])
    with store() as s:
        case = _case(s, OPEN)
        before = case_facts(case, hearing_at - dt.timedelta(days=1))
        after = case_facts(case, hearing_at + dt.timedelta(hours=1))
        closed = case_facts(_case(s, CLOSED), T0)
    assert str(before.number) == case.number and before.status == OPEN["status"]
    assert before.next_hearing is not None and before.next_hearing.at == hearing_at
    assert before.next_hearing.room == OPEN["hearings"][0]["room"]
    assert before.last_hearing is None
    assert after.next_hearing is None and after.last_hearing is not None
    assert before.judge is not None and before.judge.name_en
    assert len(before.panel) == len(OPEN["panel"])
    events = sorted(OPEN["events"], key=lambda e: e["at"], reverse=True)[:3]
    assert [e.text for e in before.recent_events] == [e["text"] for e in events]
    assert before.result is None
    assert closed.result is not None and closed.result.text == CLOSED["result"]["text"]
    assert closed.result.on == dt.date.fromisoformat(CLOSED["result"]["on"])
    first = min(dt.datetime.fromisoformat(e["at"]) for e in OPEN["events"])
    with store() as s:
        early = case_facts(_case(s, OPEN), first + dt.timedelta(seconds=1))
    assert [e.at for e in early.recent_events] == [first]  # later events are not told yet


def test_replies_from_answered_work_orders(store: sessionmaker[Session]) -> None:
    with session_scope(store) as s:
        case = _case(s, OPEN)
        for n, replied in enumerate((T0, T0 + dt.timedelta(days=1), None)):
            s.add(WorkOrder(number=f"WO-TEST-{n}", case_id=case.id, created_at=T0, due_at=T0,
                            reply_text=None if replied is None else f"reply {n}",
                            replied_at=replied, status="answered" if replied else "open"))
    with store() as s:
        case = _case(s, OPEN)
        replies = case_replies(s, case)
        facts = case_facts(case, T0, replies=replies)
    assert [r.work_order for r in facts.replies] == ["WO-TEST-1", "WO-TEST-0"]
