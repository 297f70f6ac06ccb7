"""``voicebot db`` (create, migrate, import, export, demo data) and ``voicebot case show``."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.cli.common import DB_OPTION, fail, load_settings
from voicebot.settings import Settings
from voicebot.store import schema
from voicebot.store.cases import add_audit_entry, find_case
from voicebot.store.db import StoreError, make_engine, make_sessionmaker, session_scope
from voicebot.store.demo import DEFAULT_CASES, DEFAULT_SEED, build_demo
from voicebot.store.export import count_cases, export_json
from voicebot.store.importer import import_data, read_import_file
from voicebot.store.models import Case
from voicebot.store.records import ImportFileError

app = typer.Typer(no_args_is_help=True)
case_app = typer.Typer(no_args_is_help=True)
console = Console(highlight=False)


@contextmanager
def _store(settings: Settings, *, ensure: bool = True) -> Iterator[Session]:
    """A transaction on the configured store (schema created or migrated first); errors of the
    store become a clear message and exit code 1."""
    url = settings.resolved_database_url
    try:
        if ensure:
            schema.ensure(url)
        elif not schema.has_store(url):
            fail(f"{schema.safe_url(url)} has no case store yet; run `voicebot db init` "
                 "(or `voicebot db demo`) first")
        engine = make_engine(url)
    except StoreError as exc:
        fail(str(exc))
    try:
        with session_scope(make_sessionmaker(engine)) as session:
            yield session
    except ImportFileError as exc:
        fail(f"import rejected, nothing was written: {exc}")
    except SQLAlchemyError as exc:
        fail(f"database error: {exc.__class__.__name__}: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()


@contextmanager
def _progress(label: str, total: int, quiet: bool) -> Iterator[Callable[[int], None]]:
    if quiet:
        yield lambda _n: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)


@app.command("init")
def init_cmd(ctx: typer.Context, db: str | None = DB_OPTION) -> None:
    """Create the schema in a new database (at the newest migration)."""
    url = load_settings(ctx, db).resolved_database_url
    try:
        revision = schema.init(url)
    except StoreError as exc:
        fail(str(exc))
    console.print(f"created the case store at revision {revision}")


@app.command("upgrade")
def upgrade_cmd(ctx: typer.Context, db: str | None = DB_OPTION,
                revision: str = typer.Option("head", help="Target revision.")) -> None:
    """Migrate the database to the newest schema (or to --revision)."""
    url = load_settings(ctx, db).resolved_database_url
    try:
        reached = schema.upgrade(url, revision)
    except StoreError as exc:
        fail(str(exc))
    console.print(f"the case store is at revision {reached}")


@app.command("revision")
def revision_cmd(message: str = typer.Argument(..., help="What the change is.")) -> None:
    """Write a new migration for changes made to voicebot/store/models.py (for developers)."""
    try:
        path = schema.new_revision(message)
    except StoreError as exc:
        fail(str(exc))
    console.print(f"wrote {path}; review it before committing")


@app.command("import")
def import_cmd(ctx: typer.Context, file: Path = typer.Argument(..., help="JSON file to load."),
               db: str | None = DB_OPTION,
               quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar.")) -> None:
    """Load courts, departments, judges and cases from FILE (see docs/import-format.md)."""
    settings = load_settings(ctx, db)
    try:
        data = read_import_file(file)
    except ImportFileError as exc:
        fail(f"import rejected, nothing was written: {exc}")
    with _store(settings) as session, _progress("importing cases", len(data.cases), quiet) as tick:
        summary = import_data(session, data, tick)
    console.print(
        f"imported {summary.courts} courts, {summary.departments} departments, "
        f"{summary.judges} judges; cases: {summary.cases_inserted} new, "
        f"{summary.cases_updated} updated"
    )


@app.command("export")
def export_cmd(ctx: typer.Context, db: str | None = DB_OPTION,
               out: Path | None = typer.Option(None, "--out", "-o", help="File (default stdout)."),
               quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar.")) -> None:
    """Write the store in the import format (query passwords are never exported)."""
    settings = load_settings(ctx, db)
    with _store(settings, ensure=False) as session:
        total = count_cases(session)
        with _progress("exporting cases", total, quiet or out is None) as tick:
            if out is None:
                export_json(session, sys.stdout, timezone=settings.timezone, progress=tick)
                return
            tmp = out.with_name(out.name + ".part")
            with tmp.open("w", encoding="utf-8") as fh:
                count = export_json(session, fh, timezone=settings.timezone, progress=tick)
            tmp.replace(out)
    Console(stderr=True).print(f"exported {count} cases to {out}")


@app.command("demo")
def demo_cmd(ctx: typer.Context, db: str | None = DB_OPTION,
             seed: int = typer.Option(DEFAULT_SEED, help="Random seed (same seed, same data)."),
             cases: int = typer.Option(DEFAULT_CASES, help="Number of cases, showcase included."),
             quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar.")) -> None:
    """Fill the store with a realistic demo data set and print cases to try the line with."""
    settings = load_settings(ctx, db)
    with _store(settings) as session, _progress("writing demo cases", cases, quiet) as tick:
        summary = build_demo(session, seed=seed, cases=cases, progress=tick)
    console.print(f"demo data: {summary.courts} courts, {summary.judges} judges, "
                  f"{summary.cases} cases (seed {seed})")
    table = Table("case number", "query password", title="try these on the line")
    for number, password in summary.samples:
        table.add_row(number, password)
    console.print(table)


@app.command("drain-spool")
def drain_spool_cmd(ctx: typer.Context, db: str | None = DB_OPTION) -> None:
    """Replay what calls left in the local spool while the store was down (exactly once)."""
    from voicebot.store.spool import drain, spool_for

    settings = load_settings(ctx, db)
    spool = spool_for(settings.data_dir)
    waiting = len(spool.pending())
    if not waiting:
        console.print(f"the spool {spool.folder} is empty")
        return
    url = settings.resolved_database_url
    try:
        schema.ensure(url)
        engine = make_engine(url)
    except StoreError as exc:
        fail(f"{exc}; {waiting} spooled entries kept in {spool.journal}")
    try:
        result = drain(spool, make_sessionmaker(engine), settings)
    finally:
        engine.dispose()
    console.print(f"spool: {result.applied} written, {result.skipped} already in the store, "
                  f"{result.pending} still waiting")
    if result.pending:
        fail(f"the store refused an entry: {result.error}; kept in {spool.journal}")


@case_app.command("show")
def show_cmd(ctx: typer.Context, number: str = typer.Argument(..., help="Case number, e.g. "
             "（2024）京0105民初12345号"), db: str | None = DB_OPTION) -> None:
    """Print a case as an operator sees it (the look-up is written to the audit log)."""
    settings = load_settings(ctx, db)
    try:
        parsed = CaseNumber.parse(number)
    except CaseNumberError as exc:
        fail(f"invalid case number: {exc}")
    with _store(settings, ensure=False) as session:
        case = find_case(session, parsed)
        if case is None:
            fail(f"no case {parsed} in the store")
        _print_case(case, ZoneInfo(settings.timezone))
        add_audit_entry(session, "cli", "case.show", case.number, "printed by voicebot case show")


def _print_case(case: Case, tz: dt.tzinfo) -> None:
    def when(at: dt.datetime) -> str:
        return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")

    head = Table(show_header=False, title=case.number, title_style="bold")
    judge = case.judge
    rows = [
        ("court", f"{case.court.name} ({case.court.name_en})"),
        ("cause", f"{case.cause} ({case.cause_en})"),
        ("filed", case.filed_on.isoformat() if case.filed_on else "-"),
        ("accepted", "yes" if case.accepted else "no"),
        ("status", case.status),
        ("judge", f"{judge.name} ({judge.name_en}) {judge.ext_id}, work phone {judge.work_phone}"
         if judge else "-"),
        ("panel", "、".join(m.judge.name for m in case.panel) or "-"),
        ("query password", "set (hashed)" if case.password_hash else "not set"),
    ]
    if judge and judge.department:
        d = judge.department
        rows.insert(6, ("department", f"{d.name}: contact {d.contact_name} {d.contact_phone}, "
                                      f"head {d.head_name} {d.head_phone}"))
    if case.result_on:
        rows.append(("result", f"{case.result_on}: {case.result_text} ({case.result_text_en})"))
    for key, value in rows:
        head.add_row(key, value)
    console.print(head)
    hearings = Table("hearing", "room", title="hearings")
    for h in case.hearings:
        hearings.add_row(when(h.at), f"{h.room} ({h.room_en})")
    events = Table("time", "event", title="progress")
    for e in case.events:
        events.add_row(when(e.at), f"{e.text} ({e.text_en})" if e.text_en else e.text)
    parties = Table("party", "role", "phone", title="parties")
    for p in case.parties:
        parties.add_row(p.name, p.role, p.phone)
    for table in (hearings, events, parties):
        if table.row_count:
            console.print(table)
