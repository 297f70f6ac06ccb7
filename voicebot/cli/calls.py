"""``voicebot call``, ``replay`` and ``demo`` (placeholder until implemented)."""

from __future__ import annotations

import typer


def call() -> None:
    """Talk to the line."""
    raise typer.Exit(2)


def replay() -> None:
    """Replay call fixtures."""
    raise typer.Exit(2)


def demo() -> None:
    """Show the line working."""
    raise typer.Exit(2)
