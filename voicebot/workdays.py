"""Working days and operator hours: the Chinese statutory calendar plus the court's overrides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import chinese_calendar

from voicebot.settings import Settings

# Fixed-date statutory holidays (national law); used only for years the calendar package does not
# know yet, where the State Council's lunar-holiday and make-up-day notice is not published in it.
# Admins add those days as overrides (settings or the console) once the notice is out.
_FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 2), (10, 1), (10, 2), (10, 3))


@dataclass(frozen=True)
class DayInfo:
    """Whether a date is a working day, and how that was decided."""

    day: dt.date
    """The date."""
    working: bool
    """True on working days."""
    source: str
    """``override``, ``statutory`` or ``fallback`` (year unknown to the statutory calendar)."""


@dataclass(frozen=True)
class WorkCalendar:
    """Answers "is the operator desk open?" and counts working days."""

    tz: ZoneInfo
    """Court time zone."""
    start: dt.time
    """Desk opens."""
    end: dt.time
    """Desk closes."""
    holidays: frozenset[dt.date] = frozenset()
    """Extra days off (overrides win over the statutory calendar)."""
    workdays: frozenset[dt.date] = frozenset()
    """Extra working days (overrides win over the statutory calendar)."""

    @classmethod
    def from_settings(
        cls, settings: Settings, overrides: Iterable[tuple[dt.date, bool]] = ()
    ) -> WorkCalendar:
        """Calendar from settings plus (date, working) overrides kept in the store."""
        holidays = set(settings.extra_holidays)
        workdays = set(settings.extra_workdays)
        for day, working in overrides:
            (workdays if working else holidays).add(day)
            (holidays if working else workdays).discard(day)
        return cls(
            ZoneInfo(settings.timezone),
            settings.work_start,
            settings.work_end,
            frozenset(holidays),
            frozenset(workdays),
        )

    def day_info(self, day: dt.date) -> DayInfo:
        """Whether ``day`` is a working day and why."""
        if day in self.workdays:
            return DayInfo(day, True, "override")
        if day in self.holidays:
            return DayInfo(day, False, "override")
        try:
            return DayInfo(day, bool(chinese_calendar.is_workday(day)), "statutory")
        except NotImplementedError:
            working = day.weekday() < 5 and (day.month, day.day) not in _FIXED_HOLIDAYS
            return DayInfo(day, working, "fallback")

    def is_working_day(self, day: dt.date) -> bool:
        """True if operators work on ``day``."""
        return self.day_info(day).working

    def local(self, when: dt.datetime) -> dt.datetime:
        """``when`` in the court's time zone (naive values are taken as court time)."""
        return when.replace(tzinfo=self.tz) if when.tzinfo is None else when.astimezone(self.tz)

    def desk_open(self, when: dt.datetime) -> bool:
        """True if a caller at ``when`` can be handed to an operator."""
        local = self.local(when)
        return self.is_working_day(local.date()) and self.start <= local.time() < self.end

    def next_opening(self, when: dt.datetime) -> dt.datetime:
        """The next moment the desk opens after ``when`` (``when`` itself if it is open)."""
        local = self.local(when)
        if self.desk_open(local):
            return local
        day = local.date()
        if self.is_working_day(day) and local.time() < self.start:
            return dt.datetime.combine(day, self.start, self.tz)
        day = self.next_working_day(day)
        return dt.datetime.combine(day, self.start, self.tz)

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day after ``day``."""
        day += dt.timedelta(days=1)
        for _ in range(60):
            if self.is_working_day(day):
                return day
            day += dt.timedelta(days=1)
        raise ValueError(f"no working day within 60 days after {day}")

    def add_working_days(self, when: dt.datetime, days: int) -> dt.datetime:
        """End of desk hours on the ``days``-th working day after ``when`` (a due time)."""
        day = self.local(when).date()
        for _ in range(days):
            day = self.next_working_day(day)
        return dt.datetime.combine(day, self.end, self.tz)
