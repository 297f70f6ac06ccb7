"""``voicebot serve`` (the console) and ``voicebot users`` (console accounts)."""

from __future__ import annotations

import datetime as dt
import os
import sys

import typer
from sqlalchemy import select
from sqlalchemy.engine import make_url

from voicebot.cli.common import DB_OPTION, fail, load_settings
from voicebot.ops.logs import log_config
from voicebot.ops.startup import check_home_court
from voicebot.settings import SettingsError
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import ROLES, Judge, User

users_app = typer.Typer(no_args_is_help=True)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8368, "--port", help="Port to listen on."),
    db: str | None = DB_OPTION,
    workers: int = typer.Option(1, "--workers", min=1, help="Worker processes (PostgreSQL only)."),
) -> None:
    """Start the operator, judge and admin console."""
    import uvicorn

    from voicebot.console import create_app
    from voicebot.console.security import console_secret
    settings = load_settings(ctx, db)
    url = settings.resolved_database_url
    backend = make_url(url).get_backend_name()
    if workers > 1 and backend != "postgresql":
        fail("--workers above 1 needs PostgreSQL (SQLite serves one worker)")
    try:
        _prepare(url)
    except Exception as exc:
        fail(f"cannot prepare the database: {exc}")
    try:
        note = check_home_court(settings, allow_empty=True)
    except SettingsError as exc:
        fail(str(exc))
    if note:
        typer.echo(note, err=True)
    secret = console_secret(settings)  # created once, before workers start
    logs = log_config(settings.log_format, settings.log_level)
    typer.echo(f"console on http://{host}:{port}/login  (create accounts: voicebot users add)",
               err=True)
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=False,
                    log_config=logs)
        return
    os.environ["VOICEBOT_DATABASE_URL"] = url
    os.environ["VOICEBOT_CONSOLE_SECRET"] = secret
    config = (ctx.find_root().obj or {}).get("config")
    if config:
        os.environ["VOICEBOT_CONFIG"] = str(config)
    uvicorn.run("voicebot.cli.serve_cmd:app_from_env", factory=True, host=host, port=port,
                workers=workers, proxy_headers=False, log_config=logs)


def _prepare(url: str) -> None:
    """Migrate the store to the newest schema (a schema made without migrations is left alone)."""
    from sqlalchemy import inspect

    from voicebot.store.schema import current_revision, upgrade

    if current_revision(url) is None:
        engine = make_engine(url)
        try:
            with engine.connect() as conn:
                tables = inspect(conn).get_table_names()
        finally:
            engine.dispose()
        if "users" in tables:
            typer.echo("note: the store has no migration history; schema left as it is", err=True)
            return
    upgrade(url)


def app_from_env() -> object:
    """The console app from the environment (for uvicorn workers)."""
    from voicebot.console import create_app
    from voicebot.settings import Settings

    return create_app(Settings.load())


@users_app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Login name."),
    role: str = typer.Option(..., "--role", help=f"One of {', '.join(ROLES)}."),
    judge: str | None = typer.Option(None, "--judge", help="For judges: the judge id (J0105-001)."),
    password_stdin: bool = typer.Option(False, "--password-stdin",
                                        help="Read the password from standard input."),
    db: str | None = DB_OPTION,
) -> None:
    """Create a console account (the password is prompted for unless --password-stdin)."""
    from voicebot.console.security import AccountError, create_user

    settings = load_settings(ctx, db)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            try:
                user = create_user(session, name, role, password, dt.datetime.now(dt.UTC), judge)
            except AccountError as exc:
                fail(str(exc))
            session.commit()
            typer.echo(f"created {user.username} ({user.role})")
    except typer.Exit:
        raise
    except Exception as exc:
        fail(f"cannot create the account: {exc}")
    finally:
        engine.dispose()


@users_app.command("list")
def list_users(ctx: typer.Context, db: str | None = DB_OPTION) -> None:
    """List console accounts."""
    settings = load_settings(ctx, db)
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_sessionmaker(engine)() as session:
            rows = session.execute(
                select(User.username, User.role, Judge.ext_id, User.locked_until)
                .outerjoin(Judge, Judge.id == User.judge_id)
                .order_by(User.username)
            ).all()
    except Exception as exc:
        fail(f"cannot read accounts: {exc}")
    finally:
        engine.dispose()
    now = dt.datetime.now(dt.UTC)
    for username, role, ext_id, locked in rows:
        lock = " locked" if locked is not None and locked > now else ""
        typer.echo(f"{username}\t{role}\t{ext_id or ''}{lock}")
