"""Many operators claiming at once: every ticket is claimed exactly once."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff import claim_next, enqueue_handoff, next_number
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Base, HandoffTicket

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)


def _fill(sessions: sessionmaker[Session], count: int) -> None:
    with sessions() as s:
        for i in range(count):
            enqueue_handoff(
                s, language="zh", caller_phone=f"138{i:08d}", intent="operator", case_number="",
                verified=False, transcript=[{"caller": f"call {i}", "bot": "请稍候"}],
                call_id=None, now=NOW + dt.timedelta(seconds=i),
            )
        s.commit()


def _race(sessions: sessionmaker[Session], workers: int) -> dict[str, list[str]]:
    """Each worker claims until the queue is empty; returns the numbers each one got."""
    got: dict[str, list[str]] = {f"op{i}": [] for i in range(workers)}
    errors: list[BaseException] = []
    start = threading.Barrier(workers)

    def work(name: str) -> None:
        try:
            start.wait()
            with sessions() as s:
                while (ticket := claim_next(s, name, NOW)) is not None:
                    got[name].append(ticket.number)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(name,)) for name in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    return got


def _check(sessions: sessionmaker[Session], got: dict[str, list[str]], count: int) -> None:
    claimed = Counter(n for numbers in got.values() for n in numbers)
    assert len(claimed) == count
    assert max(claimed.values()) == 1, [n for n, c in claimed.items() if c > 1]
    with sessions() as s:
        rows = s.execute(select(HandoffTicket.number, HandoffTicket.claimed_by,
                                HandoffTicket.status)).all()
    assert all(r.status == "claimed" for r in rows)
    owner = {n: name for name, numbers in got.items() for n in numbers}
    assert {r.number: r.claimed_by for r in rows} == owner
    assert sum(1 for numbers in got.values() if numbers) > 1  # really concurrent


@pytest.mark.postgres
def test_twenty_operators_500_tickets_postgres(pg_url: str) -> None:
    setup = create_engine(pg_url)
    Base.metadata.drop_all(setup)
    Base.metadata.create_all(setup)
    setup.dispose()
    engine = create_engine(pg_url, pool_size=20, max_overflow=5)  # a connection per operator
    sessions = make_sessionmaker(engine)
    try:
        _fill(sessions, 500)
        got = _race(sessions, 20)
        _check(sessions, got, 500)
    finally:
        engine.dispose()


def test_eight_operators_120_tickets_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/race.db")
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    try:
        _fill(sessions, 120)
        got = _race(sessions, 8)
        _check(sessions, got, 120)
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_numbers_unique_under_concurrency(backend: str, tmp_path: Path,
                                          request: pytest.FixtureRequest) -> None:
    url = f"sqlite:///{tmp_path}/n.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    numbers: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(25):
            with sessions() as s:
                n = next_number(s, "WO", dt.date(2026, 3, 3))
                s.commit()
            with lock:
                numbers.append(n)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    engine.dispose()
    assert len(numbers) == 200 and len(set(numbers)) == 200
    assert max(numbers) == "WO-20260303-0200"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_expiry_and_claims_never_overlap(backend: str, tmp_path: Path,
                                         request: pytest.FixtureRequest) -> None:
    from voicebot.handoff import expire_waiting
    from voicebot.settings import DEFAULT_SETTINGS
    from voicebot.workdays import WorkCalendar

    url = f"sqlite:///{tmp_path}/x.db" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    _fill(sessions, 150)
    calendar = WorkCalendar.from_settings(DEFAULT_SETTINGS)
    later = NOW + dt.timedelta(hours=1)
    errors: list[BaseException] = []
    start = threading.Barrier(5)

    def expirer() -> None:
        try:
            start.wait()
            for _ in range(30):
                with sessions() as s:
                    for attempt in range(50):
                        try:
                            expire_waiting(s, later, 15, calendar)
                            s.commit()
                            break
                        except Exception as exc:  # SQLite busy: try again
                            s.rollback()
                            if "locked" not in str(exc) or attempt == 49:
                                raise
        except BaseException as exc:
            errors.append(exc)

    got = {f"op{i}": [] for i in range(4)}

    def claimer(name: str) -> None:
        try:
            start.wait()
            with sessions() as s:
                while (ticket := claim_next(s, name, later)) is not None:
                    got[name].append(ticket.number)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=expirer)]
    threads += [threading.Thread(target=claimer, args=(n,)) for n in got]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    with sessions() as s:
        expire_waiting(s, later, 15, calendar)
        s.commit()
        rows = s.execute(select(HandoffTicket.number, HandoffTicket.kind, HandoffTicket.status,
                                HandoffTicket.claimed_by, HandoffTicket.note)).all()
    engine.dispose()
    assert not errors, errors
    handoffs = [r for r in rows if r.kind == "handoff"]
    callbacks = [r for r in rows if r.kind == "callback"]
    claimed = [n for numbers in got.values() for n in numbers]
    assert len(claimed) == len(set(claimed))
    by_number = {r.number: r for r in handoffs}
    assert all(by_number[n].status == "claimed" for n in claimed)
    expired = [r for r in handoffs if r.status == "callback"]
    assert len(expired) + len(claimed) == 150
    assert len(callbacks) == len(expired)
    sources = Counter(c.note.split(":")[0].removeprefix("from ") for c in callbacks)
    assert set(sources) == {r.number for r in expired} and max(sources.values(), default=1) == 1
