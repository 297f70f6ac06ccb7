"""The real store fails mid-call (SQLite made read-only, PostgreSQL cut off and refusing
connections); what the caller left goes to the spool and is replayed exactly once after."""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from typer.testing import CliRunner

from voicebot.call.line import Line
from voicebot.call.setup import ensure_demo, load_line
from voicebot.cli.main import app
from voicebot.replay.fixture import load_fixture
from voicebot.replay.replay import replay_fixture
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.models import Base, CallerRecord, CallRecord, CallTurn
from voicebot.store.spool import drain, spool_for

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "calls" / "zh_complaint_text"
MESSAGE = "窗口工作人员态度很差"
PG_ADMIN_URL = os.environ.get(
    "VOICEBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


class _BreakOn:
    """The line's understander, breaking the store when the complaint's text is heard."""

    def __init__(self, inner: Any, brk: Callable[[], None]) -> None:
        self.inner, self.brk, self.broken = inner, brk, False

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def parse(self, text_: str, *args: Any, **kwargs: Any) -> Any:
        if MESSAGE in text_ and not self.broken:
            self.broken = True
            self.brk()
        return self.inner.parse(text_, *args, **kwargs)


def _sqlite_files(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def _chattr(flag: str, files: list[Path]) -> None:
    """Read-only for root too: chmod does not stop root, the immutable attribute does."""
    if flag == "+i":
        for f in files:
            f.chmod(0o444)
    subprocess.run(["chattr", flag, *map(str, files)], check=True)
    if flag == "-i":
        for f in files:
            f.chmod(0o644)


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Settings]:
    nlu = Settings.load().nlu_model_dir.resolve()
    (tmp_path / "nlu").symlink_to(nlu)
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/store.db"
    else:
        url = request.getfixturevalue("pg_url")
        engine = make_engine(url)
        Base.metadata.drop_all(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS spool_applied")
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        engine.dispose()
    s = Settings.load().replace(data_dir=tmp_path, database_url=url)
    ensure_demo(s, 20)
    yield s
    if request.param == "sqlite":
        files = _sqlite_files(tmp_path / "store.db")
        subprocess.run(["chattr", "-i", *map(str, files)], check=False)
        return
    engine = make_engine(url)  # leave the session's database as other tests expect it
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS spool_applied")
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()


def _breaker(settings: Settings, line: Line) -> tuple[Callable[[], None], Callable[[], None]]:
    engine = line.sessions.kw["bind"]
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        db = Path(url.removeprefix("sqlite:///"))

        def brk() -> None:
            engine.dispose()
            _chattr("+i", _sqlite_files(db))

        def fix() -> None:
            _chattr("-i", _sqlite_files(db))
        return brk, fix
    name = url.rsplit("/", 1)[1]
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")

    def pg_brk() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": name})

    def pg_fix() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()
    return pg_brk, pg_fix


def _counts(settings: Settings) -> tuple[int, int, list[CallRecord]]:
    engine = make_engine(settings.resolved_database_url)
    try:
        with session_scope(make_sessionmaker(engine)) as s:
            records = s.execute(select(func.count()).select_from(CallerRecord)
                                .where(CallerRecord.message.contains(MESSAGE))).scalar_one()
            turns = s.execute(select(func.count()).select_from(CallTurn)).scalar_one()
            calls = list(s.execute(select(CallRecord)).scalars())
            s.expunge_all()
        return records, turns, calls
    finally:
        engine.dispose()


@pytest.mark.parametrize("settings", ["sqlite", pytest.param("postgres",
                                                              marks=pytest.mark.postgres)],
                         indirect=True)
def test_store_fails_mid_call_and_the_spool_replays_once(settings: Settings) -> None:
    line = load_line(settings, speech=False)
    brk, fix = _breaker(settings, line)
    proxy = _BreakOn(line.understander, brk)
    line = replace(line, understander=proxy)
    try:
        result = asyncio.run(replay_fixture(line, load_fixture(FIXTURE)))
    finally:
        fix() if proxy.broken else None
    assert proxy.broken
    said = " ".join(result.bot_texts)
    assert "留言已保存" in said, said
    assert "投诉已记录" not in said
    spool = spool_for(settings.data_dir)
    ops = [e.op for e in spool.pending()]
    assert "record" in ops and "call_finish" in ops, ops
    assert any(MESSAGE in str(e.data.get("message", "")) for e in spool.pending())

    records, turns_before, _ = _counts(settings)
    assert records == 0  # the store really had failed

    # the store is back: the next call drains the spool before it starts
    proxy.broken = True  # no second failure
    second = asyncio.run(replay_fixture(line, load_fixture(FIXTURE)))
    assert second.passed, second.failures
    assert spool.pending() == []
    records, turns, calls = _counts(settings)
    assert records == 2  # the spooled complaint and the second call's, each once
    assert turns == len(result.call.turns) + len(second.call.turns) > turns_before
    assert sorted(c.outcome for c in calls) == ["recorded", "recorded"]
    assert all(c.ended_at is not None for c in calls)

    # an interrupted drain (store written, done-list lost) must not write twice
    spool.done_file.unlink()
    env = {"VOICEBOT_DATA_DIR": str(settings.data_dir),
           "VOICEBOT_DATABASE_URL": settings.resolved_database_url}
    res = CliRunner().invoke(app, ["db", "drain-spool"], env=env)
    assert res.exit_code == 0, res.output
    assert f"0 written, {len(ops)} already in the store, 0 still waiting" in res.output
    assert _counts(settings)[:2] == (2, turns)
    again = drain(spool, make_sessionmaker(make_engine(settings.resolved_database_url)), settings)
    assert (again.applied, again.skipped, again.pending) == (0, 0, 0)
    res = CliRunner().invoke(app, ["db", "drain-spool"], env=env)
    assert res.exit_code == 0 and "empty" in res.output
