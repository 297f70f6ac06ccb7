"""Spoken forms of digits, case numbers, phone numbers, dates and times."""

from __future__ import annotations

import datetime as dt

import pytest

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.tts.verbalize import (
    case_number_en,
    number_en,
    number_zh,
    say_case_number,
    say_date,
    say_datetime,
    say_digits,
    say_phone,
    say_time,
    year_en,
)


def test_digits_one_by_one() -> None:
    assert say_digits("482913", "zh") == "四八二九幺三"
    assert say_digits("482913", "en") == "four eight two nine one three"
    assert say_digits("1010", "zh") == "幺零幺零"
    with pytest.raises(ValueError):
        say_digits("1", "fr")


@pytest.mark.parametrize(
    ("n", "zh"),
    [
        (0, "零"),
        (7, "七"),
        (10, "十"),
        (15, "十五"),
        (20, "二十"),
        (30, "三十"),
        (59, "五十九"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (1050, "一千零五十"),
        (2026, "两千零二十六"),
        (12000, "一万二千"),
        (10005, "一万零五"),
        (20000, "两万"),
        (123456, "十二万三千四百五十六"),
    ],
)
def test_mandarin_cardinals(n: int, zh: str) -> None:
    assert number_zh(n) == zh


@pytest.mark.parametrize(
    ("n", "en"),
    [
        (0, "zero"),
        (13, "thirteen"),
        (40, "forty"),
        (42, "forty-two"),
        (105, "one hundred five"),
        (2026, "two thousand twenty-six"),
        (1_000_001, "one million one"),
    ],
)
def test_english_cardinals(n: int, en: str) -> None:
    assert number_en(n) == en


@pytest.mark.parametrize(
    ("year", "en"),
    [
        (2024, "twenty twenty-four"),
        (2005, "two thousand five"),
        (2010, "twenty ten"),
        (1999, "nineteen ninety-nine"),
        (1905, "nineteen oh five"),
        (1900, "nineteen hundred"),
    ],
)
def test_years_in_english(year: int, en: str) -> None:
    assert year_en(year) == en


def test_case_number_in_both_languages() -> None:
    case = CaseNumber.parse("（2024）京0105民初12345号")
    assert say_case_number(case, "zh") == "二零二四年，京零幺零五，民初，幺二三四五号"
    assert say_case_number("(2024)京0105民初12345", "en") == (
        "twenty twenty-four, Jing, zero one zero five, civil first instance, "
        "number one two three four five"
    )
    assert (
        case_number_en(case, spoken=False) == "2024, Jing 0105, civil first instance, number 12345"
    )
    assert say_case_number("（2023）沪执恢7号", "en") == (
        "twenty twenty-three, Hu, resumed enforcement, number seven"
    )
    with pytest.raises(CaseNumberError):
        say_case_number("2024 nonsense", "zh")


def test_phone_numbers_in_groups() -> None:
    assert say_phone("13812345678", "zh") == "幺三八，幺二三四，五六七八"
    assert (
        say_phone("138 1234 5678", "en")
        == "one three eight, one two three four, five six seven eight"
    )
    assert say_phone("010-62345678", "zh") == "零幺零，六二三四，五六七八"
    assert say_phone("12368", "en") == "one two three six eight"
    assert say_phone("+86 10 6234 5678", "en").startswith("plus, eight six, one zero")
    with pytest.raises(ValueError):
        say_phone("call me", "en")


def test_dates_and_times() -> None:
    moment = dt.datetime(2026, 12, 15, 9, 30)
    assert say_datetime(moment, "zh") == "二零二六年十二月十五日上午九点三十分"
    assert say_datetime(moment, "en") == "December 15, 2026 at 9:30 a.m."
    assert say_date(dt.date(2026, 12, 15), "en", weekday=True) == "Tuesday, December 15, 2026"
    assert say_date(dt.date(2026, 1, 1), "zh", weekday=True) == "二零二六年一月一日，星期四"
    assert say_time(dt.time(14, 5), "zh") == "下午两点零五分"
    assert say_time(dt.time(12, 0), "zh") == "中午十二点"
    assert say_time(dt.time(0, 40), "zh") == "凌晨十二点四十分"
    assert say_time(dt.time(19, 10), "zh") == "晚上七点十分"
    assert say_time(dt.time(14, 0), "en") == "2 p.m."
    assert say_time(dt.time(0, 5), "en") == "12:05 a.m."
