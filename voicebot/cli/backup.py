"""``voicebot db backup`` and ``voicebot db restore``: every table and the recordings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from voicebot.cli.common import DB_OPTION, fail, load_settings
from voicebot.ops.backup import BackupError, backup, restore
from voicebot.store.schema import safe_url


def register(app: typer.Typer) -> None:
    """Add the two commands to the ``db`` group."""
    app.command("backup")(backup_cmd)
    app.command("restore")(restore_cmd)


def backup_cmd(
    ctx: typer.Context,
    out: Path | None = typer.Argument(
        None, help="Backup file (default: data_dir/backups/voicebot-UTCTIME.tar)."),
    db: str | None = DB_OPTION,
) -> None:
    """Back up the whole store (calls, tickets, work orders, users, audit, cases...) and the
    recordings into one .tar file, while the line and console keep running."""
    settings = load_settings(ctx, db)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = out or settings.data_dir / "backups" / f"voicebot-{stamp}.tar"
    try:
        summary = backup(settings.resolved_database_url, settings.recordings_dir, target)
    except BackupError as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"backup failed, nothing written: {exc.__class__.__name__}: {exc}")
    typer.echo(f"backup of {safe_url(settings.resolved_database_url)} written to {target}: "
               f"{sum(summary.rows.values())} rows in {len(summary.rows)} tables, "
               f"{summary.recordings} recordings")


def restore_cmd(
    ctx: typer.Context,
    archive: Path = typer.Argument(..., exists=True, dir_okay=False,
                                   help="A file written by `voicebot db backup`."),
    force: bool = typer.Option(False, "--force", help="Replace a database that holds data."),
    db: str | None = DB_OPTION,
) -> None:
    """Restore a backup into the configured database (empty, unless --force) and recordings.
    Stop `voicebot serve` and the line first."""
    settings = load_settings(ctx, db)
    try:
        rows = restore(archive, settings.resolved_database_url, settings.recordings_dir,
                       force=force)
    except BackupError as exc:
        fail(str(exc))
    except Exception as exc:
        fail(f"restore failed: {exc.__class__.__name__}: {exc}")
    typer.echo(f"restored {archive} into {safe_url(settings.resolved_database_url)}: "
               f"{sum(rows.values())} rows in {len(rows)} tables")
