"""``voicebot serve`` and ``voicebot users`` (placeholder until implemented)."""

from __future__ import annotations

import typer

users_app = typer.Typer(no_args_is_help=True)


def serve() -> None:
    """Start the console."""
    raise typer.Exit(2)
