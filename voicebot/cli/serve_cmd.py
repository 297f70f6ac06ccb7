"""``voicebot serve``: the operator, judge and admin console."""

from __future__ import annotations

import os

import typer
from sqlalchemy.engine import make_url

from voicebot.cli.common import DB_OPTION, fail, load_settings
from voicebot.ops.logs import log_config
from voicebot.ops.startup import check_home_court
from voicebot.settings import SettingsError
from voicebot.store.db import make_engine


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
    from voicebot.console.security import AccountError
    try:
        secret = console_secret(settings)  # created once, before workers start
    except AccountError as exc:
        fail(str(exc))
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
