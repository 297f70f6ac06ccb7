"""Alembic migrations produce exactly the schema of models.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from voicebot.store import schema
from voicebot.store.db import make_engine
from voicebot.store.models import Base

pytestmark = pytest.mark.integration


def test_migrations_match_models(db_url: str) -> None:
    reached = schema.init(db_url)
    assert reached == schema.head_revision()
    assert schema.current_revision(db_url) == reached
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(ctx, Base.metadata)
            tables = set(inspect(conn).get_table_names())
    finally:
        engine.dispose()
    assert diff == [], f"models.py differs from the migrations; run `voicebot db revision`: {diff}"
    assert set(Base.metadata.tables) <= tables


def test_init_refuses_a_database_with_tables_and_upgrade_is_repeatable(db_url: str) -> None:
    schema.init(db_url)
    with pytest.raises(schema.SchemaError, match="already has tables") as info:
        schema.init(db_url)
    assert info.value.code == "store.schema"
    assert schema.upgrade(db_url) == schema.head_revision()
    assert schema.ensure(db_url) == schema.head_revision()


def test_ensure_creates_a_new_database(db_url: str) -> None:
    assert schema.current_revision(db_url) is None
    assert schema.ensure(db_url) == schema.head_revision()


def test_migrations_work_from_another_directory(db_url: str, tmp_path: object,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(str(tmp_path))
    assert schema.upgrade(db_url) == schema.head_revision()


def test_unreachable_database_gives_a_schema_error() -> None:
    with pytest.raises(schema.SchemaError):
        schema.upgrade("postgresql+psycopg://nobody@127.0.0.1:1/none")
