"""Shared fixtures: the store on real SQLite and on real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Base

PG_ADMIN_URL = os.environ.get(
    "VOICEBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (parallel runs do not collide)."""
    name = f"vb_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(
                text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name},
            )
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(params=[
    "sqlite",
    # the PostgreSQL variant needs the server: never part of the hermetic unit tier
    pytest.param("postgres", marks=[pytest.mark.integration, pytest.mark.postgres]),
])
def db_url(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[str]:
    """An empty store database URL, once on SQLite and once on PostgreSQL (marked
    ``integration`` and ``postgres``)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/store.db"
        return
    url: str = request.getfixturevalue("pg_url")
    engine = create_engine(url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:  # left by Alembic when a test migrated the database
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    yield url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """An engine on :func:`db_url` with the schema created."""
    eng = make_engine(db_url)
    Base.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    """A session factory on :func:`engine`."""
    return make_sessionmaker(engine)


@pytest.fixture
def sqlite_sessions(tmp_path: os.PathLike[str]) -> Iterator[sessionmaker[Session]]:
    """A session factory on a fresh SQLite file (for tests that need only one backend)."""
    eng = make_engine(f"sqlite:///{tmp_path}/one.db")
    Base.metadata.create_all(eng)
    yield make_sessionmaker(eng)
    eng.dispose()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With VOICEBOT_NO_SKIP=1 (set by CI) a skipped test fails: CI must exercise every engine."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    strict = os.environ.get("VOICEBOT_NO_SKIP") == "1"
    if strict and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"skipped where CI needs it to run: {report.longrepr}"
