"""Backup and restore of the whole store (every table) and the recordings folder.

A backup is one ``.tar`` file holding ``manifest.json``, the database (``store.sqlite``, made with
SQLite's online backup, or ``store.pgdump``, a ``pg_dump`` custom-format dump) and
``recordings/``. Restore goes back to the same kind of database it came from.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import URL, make_url

from voicebot.store.db import make_engine

FORMAT = 1
"""Version of the archive layout, kept in the manifest."""


class BackupError(RuntimeError):
    """A backup or restore that cannot be made; nothing was changed."""

    code = "ops.backup"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds (the manifest)."""

    backend: str
    """``sqlite`` or ``postgresql``."""
    created: str
    """UTC time of the backup, ISO 8601."""
    rows: dict[str, int]
    """Rows per table at the time of the backup."""
    recordings: int
    """Files from the recordings folder."""


def table_rows(url: str) -> dict[str, int]:
    """Rows in every table of the database at ``url``."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = sorted(inspect(conn).get_table_names())
            return {n: int(conn.execute(select(func.count()).select_from(table(n))).scalar_one())
                    for n in names}
    finally:
        engine.dispose()


def backup(url: str, recordings_dir: Path, target: Path) -> BackupSummary:
    """Write a backup of the database at ``url`` and of ``recordings_dir`` to ``target``."""
    backend = make_url(url).get_backend_name()
    rows = table_rows(url)
    with tempfile.TemporaryDirectory(prefix="voicebot-backup-") as tmp:
        work = Path(tmp)
        if backend == "sqlite":
            db_name = "store.sqlite"
            _sqlite_copy(_sqlite_path(url), work / db_name)
        elif backend == "postgresql":
            db_name = "store.pgdump"
            _run_pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                     "--file", str(work / db_name)], url)
        else:
            raise BackupError(f"backup of {backend} databases is not supported")
        files = sorted(p for p in recordings_dir.rglob("*") if p.is_file()) \
            if recordings_dir.is_dir() else []
        summary = BackupSummary(backend, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                                rows, len(files))
        manifest = {"format": FORMAT, "database": db_name, **summary.__dict__}
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(work / db_name, arcname=db_name)
            for f in files:
                tar.add(f, arcname=f"recordings/{f.relative_to(recordings_dir).as_posix()}")
        partial.replace(target)
    return summary


def read_manifest(archive: Path) -> dict[str, object]:
    """The manifest of a backup file."""
    try:
        with tarfile.open(archive) as tar:
            member = tar.extractfile("manifest.json")
            if member is None:
                raise KeyError("manifest.json")
            manifest: dict[str, object] = json.loads(member.read())
    except (OSError, KeyError, tarfile.TarError, ValueError) as exc:
        raise BackupError(f"{archive} is not a voicebot backup: {exc}") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} has backup format {manifest.get('format')}, not {FORMAT}")
    return manifest


def restore(archive: Path, url: str, recordings_dir: Path, *,
            force: bool = False) -> dict[str, int]:
    """Put a backup back into the database at ``url`` and ``recordings_dir``; returns the rows
    per table now there. Refuses a database that holds rows unless ``force``."""
    manifest = read_manifest(archive)
    backend = make_url(url).get_backend_name()
    if manifest["backend"] != backend:
        raise BackupError(f"the backup is of a {manifest['backend']} database; restore it into "
                          f"one of the same kind (this is {backend})")
    held = {n: c for n, c in table_rows(url).items() if c and n != "alembic_version"}
    if held and not force:
        raise BackupError(f"the database already holds data ({sum(held.values())} rows); "
                          "restore into an empty database, or pass --force to replace it")
    with tempfile.TemporaryDirectory(prefix="voicebot-restore-") as tmp:
        work = Path(tmp)
        with tarfile.open(archive) as tar:
            _extract(tar, work)
        db_file = work / str(manifest["database"])
        if backend == "sqlite":
            _sqlite_copy(db_file, _sqlite_path(url))
        else:
            _run_pg(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
                     "--single-transaction", str(db_file)], url, dbname_flag=True)
        saved = work / "recordings"
        if saved.is_dir():
            recordings_dir.mkdir(parents=True, exist_ok=True)
            shutil.copytree(saved, recordings_dir, dirs_exist_ok=True)
    return table_rows(url)


def _extract(tar: tarfile.TarFile, into: Path) -> None:
    """Extract only plain files and folders inside ``into`` (no links, no absolute paths)."""
    for member in tar.getmembers():
        target = (into / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(into.resolve()):
            raise BackupError(f"unexpected entry {member.name!r} in the backup")
    if hasattr(tarfile, "data_filter"):
        tar.extractall(into, filter="data")
    else:  # Python before 3.11.4: the entries were checked above
        tar.extractall(into)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Copy a SQLite database with the online backup API (consistent while others write)."""
    if not source.is_file():
        raise BackupError(f"no SQLite database at {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def _run_pg(args: list[str], url: str, *, dbname_flag: bool = False) -> None:
    """Run a PostgreSQL client tool on ``url`` (the password goes in the environment)."""
    if shutil.which(args[0]) is None:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client)")
    parsed: URL = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    libpq = parsed.set(drivername="postgresql", password=None).render_as_string(
        hide_password=False)
    cmd = [*args, f"--dbname={libpq}"] if dbname_flag else [*args, libpq]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{args[0]} failed: {done.stderr.strip()[-500:]}")
