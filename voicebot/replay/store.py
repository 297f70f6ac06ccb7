"""A fresh seeded store per replayed fixture: the demo data built once into a template SQLite
file, copied for each fixture, so no lock-out, record or queue entry leaks between fixtures or
runs. The fixture's line also gets its own ``data_dir`` (spool, recordings) in the run folder."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.line import Line
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker


class SeededStores:
    """Template store with the demo data (``voicebot db demo``), copied per fixture.

    Use as a context manager: the run folder and every copy are removed on exit.
    """

    def __init__(self, settings: Settings, *, cases: int | None = None,
                 root: Path | None = None) -> None:
        self._settings = settings
        self._cases = cases
        self._root_given = root
        self._root: Path | None = None
        self._count = 0
        self._engines: list[Engine] = []

    def __enter__(self) -> SeededStores:
        from voicebot.call.setup import ensure_demo
        from voicebot.store.demo import DEFAULT_CASES

        self._root = Path(tempfile.mkdtemp(prefix="voicebot-replay-", dir=self._root_given))
        template = self.settings_for("template")
        ensure_demo(template, self._cases if self._cases is not None else DEFAULT_CASES)
        return self

    def __exit__(self, *exc: object) -> None:
        for engine in self._engines:
            engine.dispose()
        self._engines.clear()
        if self._root is not None:
            shutil.rmtree(self._root, ignore_errors=True)
            self._root = None

    @property
    def root(self) -> Path:
        """The run folder (template and per-fixture stores)."""
        if self._root is None:
            raise RuntimeError("SeededStores used outside its with block")
        return self._root

    def settings_for(self, name: str) -> Settings:
        """Settings of the store ``name`` in the run folder: its SQLite file and data folder.

        The models, NLU and speech cache stay where the line loaded them from (loaded once)."""
        folder = self.root / name
        folder.mkdir(mode=0o700, exist_ok=True)
        return self._settings.replace(database_url=f"sqlite:///{folder / 'store.db'}",
                                      data_dir=folder)

    @property
    def template_url(self) -> str:
        """Database URL of the seeded template store."""
        return self.settings_for("template").database_url

    def template_sessions(self) -> sessionmaker[Session]:
        """Sessions on the seeded template store: load the line with these (it reads the
        courts from it), then run each fixture on :meth:`fresh`. Disposed on exit."""
        engine = make_engine(self.template_url)
        self._engines.append(engine)
        return make_sessionmaker(engine)

    @contextmanager
    def fresh(self, line: Line) -> Iterator[Line]:
        """``line`` on a new copy of the template store, disposed afterwards."""
        self._count += 1
        settings = self.settings_for(f"call-{self._count:03d}")
        with closing(sqlite3.connect(self.root / "template" / "store.db")) as src, \
                closing(sqlite3.connect(settings.data_dir / "store.db")) as dst:
            src.backup(dst)  # a consistent copy whatever the template's journal holds
        engine = make_engine(settings.database_url)
        sessions: sessionmaker[Session] = make_sessionmaker(engine)
        try:
            yield replace(line, settings=settings, sessions=sessions)
        finally:
            engine.dispose()
            shutil.rmtree(settings.data_dir, ignore_errors=True)
