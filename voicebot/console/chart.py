"""The metrics chart: calls, handoffs and containment per day over a date range, laid out for
an inline SVG the page draws itself (offline: no script, no chart library)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.handoff.metrics import BOT_ONLY_OUTCOMES
from voicebot.store.models import CallRecord, HandoffTicket
from voicebot.workdays import WorkCalendar

DEFAULT_DAYS = 14
"""Days shown when the page names no range."""
MAX_DAYS = 366
"""Longest range drawn (a longer one is cut to its last MAX_DAYS days)."""
WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 40, 680, 12, 230
"""The plot area inside the SVG (room for axis labels on both sides and below)."""


@dataclass(frozen=True)
class DayFigures:
    """One day of the chart."""

    day: str
    """Court-local date (ISO)."""
    calls: int
    """Calls started that day."""
    contained: int
    """Of those, calls the line finished without a person."""
    handoffs: int
    """Callers handed to the operator queue that day."""
    rate: float | None
    """``contained / calls`` (None without calls)."""
    x: float
    """Left edge of the day's bars."""
    calls_y: float
    """Top of the calls bar."""
    calls_h: float
    """Height of the calls bar."""
    handoffs_y: float
    """Top of the handoffs bar."""
    handoffs_h: float
    """Height of the handoffs bar."""
    rate_y: float | None
    """Height of the containment point (None without calls)."""
    label: str
    """Axis label under the day ("" for days left unlabelled in long ranges)."""


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line: a count on the left axis, a percentage on the right one."""

    y: float
    """Its height in the SVG."""
    count: int
    """Calls at that height."""
    percent: int
    """Containment rate at that height."""


@dataclass(frozen=True)
class Chart:
    """Everything the metrics page needs to draw the chart."""

    start: str
    """First day shown (ISO)."""
    end: str
    """Last day shown (ISO)."""
    days: tuple[DayFigures, ...]
    """The days, oldest first."""
    ticks: tuple[Tick, ...]
    """Grid lines."""
    bar: float
    """Width of one bar (two per day)."""
    rate_points: str
    """The containment line as SVG polyline points."""
    width: int = WIDTH
    """SVG width."""
    height: int = HEIGHT
    """SVG height."""
    left: int = LEFT
    """Left edge of the plot area."""
    right: int = RIGHT
    """Right edge of the plot area."""
    bottom: int = BOTTOM
    """Bottom of the plot area."""


def date_range(start: str, end: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The range from the page's ``start``/``end`` (ISO, either may be empty); ValueError for a
    date that does not parse. Swapped ends are put in order; too long a range is cut."""
    last = dt.date.fromisoformat(end) if end else today
    first = dt.date.fromisoformat(start) if start else last - dt.timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        first, last = last, first
    if (last - first).days >= MAX_DAYS:
        first = last - dt.timedelta(days=MAX_DAYS - 1)
    return first, last


def axis_top(value: int) -> int:
    """The count at the top of the axis: four grid steps of 1, 2, 5, 10, 20, 50, ... calls."""
    step, mantissa = 1, 0
    while 4 * step < value:
        mantissa = (mantissa + 1) % 3
        step = step * 5 // 2 if mantissa == 2 else step * 2
    return 4 * step


def build_chart(session: Session, calendar: WorkCalendar, first: dt.date,
                last: dt.date) -> Chart:
    """Count calls, contained calls and handoffs per local day from ``first`` to ``last``."""
    tz = calendar.tz
    since = dt.datetime.combine(first, dt.time(0), tz)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tz)
    n_days = (last - first).days + 1
    keys = [(first + dt.timedelta(days=i)).isoformat() for i in range(n_days)]
    calls = dict.fromkeys(keys, 0)
    contained = dict.fromkeys(keys, 0)
    handoffs = dict.fromkeys(keys, 0)
    for started, outcome in session.execute(
        select(CallRecord.started_at, CallRecord.outcome)
        .where(CallRecord.started_at >= since, CallRecord.started_at < until)
    ).all():
        key = calendar.local(started).date().isoformat()
        if key in calls:
            calls[key] += 1
            contained[key] += outcome in BOT_ONLY_OUTCOMES
    for (created,) in session.execute(
        select(HandoffTicket.created_at).where(
            HandoffTicket.kind == "handoff", HandoffTicket.created_at >= since,
            HandoffTicket.created_at < until)
    ).all():
        key = calendar.local(created).date().isoformat()
        if key in handoffs:
            handoffs[key] += 1
    top = axis_top(max([*calls.values(), *handoffs.values(), 1]))
    plot_h = BOTTOM - TOP
    slot = (RIGHT - LEFT) / n_days
    bar = max(0.5, slot * 0.4)
    every = max(1, -(-n_days // 12))  # at most about a dozen date labels

    def y_of(count: int) -> float:
        return round(BOTTOM - plot_h * count / top, 1)

    days = []
    for i, key in enumerate(keys):
        x = round(LEFT + i * slot + (slot - 2 * bar) / 2, 1)
        rate = contained[key] / calls[key] if calls[key] else None
        days.append(DayFigures(
            day=key, calls=calls[key], contained=contained[key], handoffs=handoffs[key],
            rate=rate, x=x, calls_y=y_of(calls[key]), calls_h=round(BOTTOM - y_of(calls[key]), 1),
            handoffs_y=y_of(handoffs[key]),
            handoffs_h=round(BOTTOM - y_of(handoffs[key]), 1),
            rate_y=None if rate is None else round(BOTTOM - plot_h * rate, 1),
            label=key[5:] if i % every == 0 else "",
        ))
    points = " ".join(f"{d.x + bar:.1f},{d.rate_y:.1f}" for d in days if d.rate_y is not None)
    ticks = tuple(Tick(y=y_of(top * k // 4), count=top * k // 4, percent=25 * k)
                  for k in range(5))
    return Chart(start=first.isoformat(), end=last.isoformat(), days=tuple(days), ticks=ticks,
                 bar=round(bar, 1), rate_points=points)
