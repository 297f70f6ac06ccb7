"""Checks of the settings against the store, made when ``serve`` or the line starts."""

from __future__ import annotations

from sqlalchemy import inspect, select

from voicebot.settings import Settings, SettingsError
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Court


def check_home_court(settings: Settings, *, allow_empty: bool = False) -> str | None:
    """Raise :class:`SettingsError` when the store has no court ``home_court``; with
    ``allow_empty`` a store without any court passes, and a note saying so is returned."""
    url = settings.resolved_database_url
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            if "courts" not in inspect(conn).get_table_names():
                codes: list[str] = []
            else:
                with make_sessionmaker(engine)() as session:
                    codes = list(session.scalars(select(Court.code).order_by(Court.code)))
    finally:
        engine.dispose()
    if settings.home_court in codes:
        return None
    hint = "load court data with `voicebot db import FILE.json` (or `voicebot db demo`)"
    if not codes:
        if allow_empty:
            return f"note: the store has no courts yet (home_court {settings.home_court}); {hint}"
        raise SettingsError(f"setting home_court = {settings.home_court!r}: the store has no "
                            f"courts; {hint}")
    shown = ", ".join(codes[:8]) + (" ..." if len(codes) > 8 else "")
    raise SettingsError(f"setting home_court = {settings.home_court!r}: no such court in the "
                        f"store (it has {shown})")
