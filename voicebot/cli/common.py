"""What every command shares: loading the settings, opening the store, printing errors."""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console

from voicebot.settings import Settings, SettingsError

err_console = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``message`` on stderr and exit with ``code``."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def load_settings(ctx: typer.Context, db: str | None = None) -> Settings:
    """Settings from the global ``--config`` option and the environment, with ``--db`` applied."""
    config: Path | None = (ctx.find_root().obj or {}).get("config") if ctx else None
    try:
        settings = Settings.load(config)
    except SettingsError as exc:
        fail(str(exc))
    if db:
        settings = settings.replace(database_url=db)
    return settings


DB_OPTION = typer.Option(
    None, "--db", help="Database URL (default: VOICEBOT_DATABASE_URL or SQLite)."
)
