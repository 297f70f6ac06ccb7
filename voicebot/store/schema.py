"""Create and migrate the case store schema with the Alembic revisions shipped in the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from voicebot.store.db import StoreError, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
"""Alembic script location inside the installed package."""


class SchemaError(StoreError):
    """The database schema cannot be created or migrated."""

    code = "store.schema"


def alembic_config(url: str) -> Config:
    """An Alembic configuration for ``url`` that needs no alembic.ini and works from any folder."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    """The newest revision shipped with the package."""
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    if head is None:
        raise SchemaError("the package ships no migrations")
    return head


def current_revision(url: str) -> str | None:
    """The revision the database at ``url`` is at; None for a database never migrated."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def upgrade(url: str, revision: str = "head") -> str:
    """Migrate the database at ``url`` to ``revision``; returns the revision reached."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        with engine.connect() as conn:
            reached = MigrationContext.configure(conn).get_current_revision()
    except StoreError:
        raise
    except Exception as exc:
        raise SchemaError(f"cannot migrate {safe_url(url)}: {exc}") from exc
    finally:
        engine.dispose()
    return reached or ""


def init(url: str) -> str:
    """Create the schema in a new, empty database at head; refuses a database that has tables."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = inspect(conn).get_table_names()
    except Exception as exc:
        raise SchemaError(f"cannot open {safe_url(url)}: {exc}") from exc
    finally:
        engine.dispose()
    if tables:
        raise SchemaError(
            f"{safe_url(url)} already has tables ({', '.join(sorted(tables)[:5])}...); "
            "use `voicebot db upgrade` to migrate an existing database"
        )
    return upgrade(url)


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def ensure(url: str) -> str | None:
    """Make the store usable: create a new database at head or migrate one Alembic manages;
    a database created without Alembic (tests use ``create_all``) is left as it is."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
    except Exception as exc:
        raise SchemaError(f"cannot open {safe_url(url)}: {exc}") from exc
    finally:
        engine.dispose()
    if not tables or "alembic_version" in tables:
        return upgrade(url)
    return None


def new_revision(message: str) -> str:
    """Autogenerate a revision file for changes in models.py (a developer's tool); returns its
    path. The comparison runs against a scratch SQLite database migrated to head."""
    import tempfile

    from alembic.script import Script

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/scratch.db"
        upgrade(url)
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                cfg = alembic_config(url)
                cfg.attributes["connection"] = conn
                head = head_revision()
                rev_id = f"{int(head) + 1:04d}" if head.isdigit() else None
                script = command.revision(cfg, message=message, autogenerate=True,
                                          rev_id=rev_id)
        finally:
            engine.dispose()
    if not isinstance(script, Script):
        raise SchemaError("alembic did not write a revision")
    return str(script.path)


def has_store(url: str) -> bool:
    """Whether the database at ``url`` has the case store's tables."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return inspect(conn).has_table("cases")
    except Exception as exc:
        raise SchemaError(f"cannot open {safe_url(url)}: {exc}") from exc
    finally:
        engine.dispose()
