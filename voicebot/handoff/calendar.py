"""The working-day calendar as the line sees it: settings plus the admins' overrides."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.settings import Settings
from voicebot.store.models import CalendarOverride
from voicebot.workdays import WorkCalendar


def load_calendar(session: Session, settings: Settings) -> WorkCalendar:
    """Calendar from ``settings`` and the CalendarOverride rows in the store."""
    rows = session.execute(select(CalendarOverride.day, CalendarOverride.working)).all()
    return WorkCalendar.from_settings(settings, [(r.day, r.working) for r in rows])
