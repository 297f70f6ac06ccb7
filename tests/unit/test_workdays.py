import datetime as dt

from voicebot.settings import Settings
from voicebot.workdays import WorkCalendar

CAL = WorkCalendar.from_settings(Settings())


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def test_weekday_hours() -> None:
    assert CAL.desk_open(at("2026-03-03T10:15:00+08:00"))
    assert not CAL.desk_open(at("2026-03-03T08:59:00+08:00"))
    assert not CAL.desk_open(at("2026-03-03T17:00:00+08:00"))
    assert CAL.desk_open(at("2026-03-03T02:15:00+00:00"))  # 10:15 in Beijing


def test_statutory_holiday_and_adjusted_saturday() -> None:
    assert not CAL.desk_open(at("2026-10-01T10:00:00+08:00"))
    assert CAL.desk_open(at("2026-02-28T10:00:00+08:00"))
    assert CAL.day_info(dt.date(2026, 2, 28)).source == "statutory"


def test_next_opening_skips_national_day_week() -> None:
    opening = CAL.next_opening(at("2026-09-30T18:00:00+08:00"))
    assert CAL.is_working_day(opening.date()) and opening.time() == dt.time(9, 0)
    assert opening.date() > dt.date(2026, 10, 3)
    for offset in range((opening.date() - dt.date(2026, 10, 1)).days):
        assert not CAL.is_working_day(dt.date(2026, 10, 1) + dt.timedelta(days=offset))


def test_year_beyond_the_calendar_falls_back() -> None:
    info = CAL.day_info(dt.date(2027, 1, 1))
    assert (info.working, info.source) == (False, "fallback")
    assert CAL.is_working_day(dt.date(2027, 1, 4))
    assert not CAL.is_working_day(dt.date(2027, 1, 9))


def test_overrides_win() -> None:
    cal = WorkCalendar.from_settings(
        Settings(extra_holidays=(dt.date(2026, 3, 3),)), [(dt.date(2026, 3, 7), True)]
    )
    assert not cal.desk_open(at("2026-03-03T10:00:00+08:00"))
    assert cal.desk_open(at("2026-03-07T10:00:00+08:00"))


def test_due_time_counts_working_days() -> None:
    due = CAL.add_working_days(at("2026-09-29T10:00:00+08:00"), 3)
    days = [
        d
        for d in (dt.date(2026, 9, 29) + dt.timedelta(n) for n in range(1, 20))
        if CAL.is_working_day(d)
    ]
    assert due.date() == days[2]
    assert due.time() == dt.time(17, 0)
