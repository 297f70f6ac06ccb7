"""The password lock under races (real processes), per caller and per number; equal work."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.casenumber import CaseNumber
from voicebot.handoff.metrics import prometheus_text
from voicebot.store import passwords
from voicebot.store.cases import MAX_FAILURES, NUMBER_CEILING, find_case, verify_password
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.importer import import_file
from voicebot.store.models import AuditEntry, VerificationAttempt

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"
OPEN: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))["cases"][0]
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
WORKERS = 6


@pytest.fixture
def store(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_scope(sessions) as s:
        import_file(s, EXAMPLE)
    return sessions


def _try_wrong(url: str, number: str, barrier: Any, results: Any) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as s:  # connect before the race
            case = find_case(s, CaseNumber.parse(number))
        barrier.wait(60)
        with session_scope(sessions) as s:
            case = find_case(s, CaseNumber.parse(number))
            assert case is not None
            out = verify_password(s, case, "000000", caller_id="13800000001", call_id=None,
                                  now=T0)
        results.put(out.status)
    except BaseException as exc:  # reported by the parent
        results.put(f"error: {exc!r}")
    finally:
        engine.dispose()


def test_parallel_calls_get_no_more_than_three_tries(store: sessionmaker[Session],
                                                     db_url: str) -> None:
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [ctx.Process(target=_try_wrong, args=(db_url, OPEN["number"], barrier, results))
             for _ in range(WORKERS)]
    for p in procs:
        p.start()
    statuses = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
    assert not [s for s in statuses if s.startswith("error")], statuses
    with store() as s:
        checked = s.scalars(select(VerificationAttempt.outcome)).all()
    assert len(checked) == WORKERS
    assert checked.count("wrong") == MAX_FAILURES, checked  # the others refused, unchecked
    assert sorted(statuses) == sorted(["wrong"] * (MAX_FAILURES - 1) + ["locked"] * 4)


def test_withheld_callers_do_not_share_a_lock(store: sessionmaker[Session]) -> None:
    with session_scope(store) as s:
        case = find_case(s, CaseNumber.parse(OPEN["number"]))
        assert case is not None
        first = [verify_password(s, case, "000000", caller_id="", call_id=None, now=T0).status
                 for _ in range(MAX_FAILURES)]
        assert first[-1] == "locked"
        other = verify_password(s, case, OPEN["query_password"], caller_id="", call_id=None,
                                now=T0)
        assert other.status == "locked"  # without a call id the withheld lock is still shared


def _calls(s: Session, count: int) -> list[int]:
    from voicebot.store.models import CallRecord

    rows = [CallRecord(started_at=T0, channel="audio", language="zh", caller_id="", outcome="")
            for _ in range(count)]
    s.add_all(rows)
    s.flush()
    return [r.id for r in rows]


def test_withheld_calls_each_get_their_own_tries(store: sessionmaker[Session]) -> None:
    with session_scope(store) as s:
        case = find_case(s, CaseNumber.parse(OPEN["number"]))
        assert case is not None
        a, b = _calls(s, 2)
        locked = [verify_password(s, case, "000000", caller_id="", call_id=a, now=T0).status
                  for _ in range(MAX_FAILURES)]
        assert locked[-1] == "locked"
        assert verify_password(s, case, OPEN["query_password"], caller_id="", call_id=b,
                               now=T0).ok


def test_a_ceiling_over_all_callers_locks_the_number_and_tells_the_court(
        store: sessionmaker[Session]) -> None:
    from voicebot.handoff import load_calendar
    from voicebot.handoff.metrics import compute_metrics
    from voicebot.settings import Settings

    with session_scope(store) as s:
        case = find_case(s, CaseNumber.parse(OPEN["number"]))
        assert case is not None
        calls = _calls(s, NUMBER_CEILING + 1)
        statuses = []
        for i in range(NUMBER_CEILING):
            at = T0 + dt.timedelta(minutes=i)
            caller = f"1380000{i:04d}" if i % 2 else ""
            statuses.append(verify_password(s, case, "000000", caller_id=caller,
                                            call_id=calls[i], now=at).status)
        assert statuses == ["wrong"] * (NUMBER_CEILING - 1) + ["locked"]
        later = T0 + dt.timedelta(hours=1)
        fresh = verify_password(s, case, OPEN["query_password"], caller_id="13999999999",
                                call_id=calls[-1], now=later)
        assert fresh.status == "locked" and fresh.locked_until == T0 + dt.timedelta(hours=24)
        day_after = T0 + dt.timedelta(hours=24, minutes=1)
        assert verify_password(s, case, OPEN["query_password"], caller_id="13999999999",
                               call_id=None, now=day_after).ok
        locks = s.scalar(select(func.count()).select_from(AuditEntry)
                         .where(AuditEntry.action == "verify.number_lock"))
        assert locks == 1
        text = prometheus_text(compute_metrics(s, later, load_calendar(s, Settings())))
    assert "voicebot_case_number_locks_total 1" in text


def test_an_unknown_number_costs_the_same_hashing(store: sessionmaker[Session],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = hashlib.pbkdf2_hmac

    def counting(name: str, password: bytes, salt: bytes, iterations: int) -> bytes:
        calls.append(iterations)
        return real(name, password, salt, iterations)

    monkeypatch.setattr(passwords.hashlib, "pbkdf2_hmac", counting)
    with session_scope(store) as s:
        case = find_case(s, CaseNumber.parse(OPEN["number"]))
        assert case is not None
        verify_password(s, case, "000000", caller_id="1", call_id=None, now=T0)
        known = list(calls)
        calls.clear()
        verify_password(s, "(2024)京0105民初99999号", "000000", caller_id="1", call_id=None,
                        now=T0)
        unknown = list(calls)
    assert known and unknown == known  # same number of hashes, same iterations


def test_a_password_check_queries_the_same_for_a_real_and_an_unknown_case(
        store: sessionmaker[Session], tmp_path: Path) -> None:
    """The check runs the same statements whether the case exists (its facts are loaded only
    once the caller is verified), so its timing does not tell (issue 15.19)."""
    from sqlalchemy import event

    from voicebot.call.context import CallContext
    from voicebot.call.services import CallServices
    from voicebot.dialog.actions import VerifyPassword
    from voicebot.settings import Settings

    engine = store.kw["bind"]
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0].upper())

    services = CallServices(store, Settings(data_dir=tmp_path), lambda: T0)
    real = CaseNumber.parse(OPEN["number"])
    unknown = CaseNumber.parse("(2024)京0105民初99999号")
    event.listen(engine, "before_cursor_execute", count)
    try:
        by_case = []
        for number, caller in [(real, "13800000011"), (unknown, "13800000012")]:
            statements.clear()
            out = services._run(VerifyPassword(number, "000000"), CallContext(None, caller, "zh"))
            assert not out.ok  # type: ignore[attr-defined]
            by_case.append(sorted(statements))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert by_case[0] == by_case[1]
