"""Text for the synthesizer to speak: digits one by one, case numbers, phone numbers, dates, times.

In Mandarin digit strings (telephone, case, password and record numbers) one is 幺, as Chinese
service lines say it; years keep 一 (二零二六年) and zero is 零. Groups are separated by "，" /
", " because espeak-ng pauses at commas but not at spaces.
"""

from __future__ import annotations

import datetime as dt
import re

from voicebot.casenumber import CaseNumber

ZH_DIGITS = "零一二三四五六七八九"
"""Mandarin digit characters, index = digit."""
EN_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
"""English digit words, index = digit."""
_EN_TEENS = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_ZH_WEEKDAYS = "一二三四五六日"
_SEPARATORS = re.compile(r"[\s\-–—/.()（）]+")


def _check_language(language: str) -> None:
    if language not in ("zh", "en"):
        raise ValueError(f"no spoken forms for language {language!r} (zh or en)")


def digits_zh(text: str, yao: bool = False) -> str:
    """Every digit as its own character: ``"482913"`` → ``"四八二九一三"`` (``幺`` with ``yao``)."""
    out = "".join(ZH_DIGITS[int(c)] if c.isdigit() else c for c in text)
    return out.replace("一", "幺") if yao else out


def digits_en(text: str) -> str:
    """Every digit as its own word: ``"482913"`` → ``"four eight two nine one three"``."""
    return " ".join(EN_DIGITS[int(c)] if c.isdigit() else c for c in text if not c.isspace())


def say_digits(text: str, language: str) -> str:
    """Digits one by one in ``language`` (``zh`` or ``en``; 幺 for one in Mandarin)."""
    _check_language(language)
    return digits_zh(text, yao=True) if language == "zh" else digits_en(text)


def number_zh(n: int) -> str:
    """A cardinal number in Mandarin: 15 → 十五, 105 → 一百零五, 2026 → 两千零二十六."""
    if n < 0:
        return "负" + number_zh(-n)
    if n < 10:
        return ZH_DIGITS[n]
    if n >= 10**8:
        return digits_zh(str(n))
    high, low = divmod(n, 10000)
    if high:
        head = "两" if high == 2 else number_zh(high)
        if not low:
            return head + "万"
        return head + "万" + ("零" if low < 1000 else "") + _below_10000(low)
    text = _below_10000(n)
    if text.startswith("二千"):
        return "两" + text[1:]
    return text[1:] if text.startswith("一十") else text


def _below_10000(n: int) -> str:
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ZH_DIGITS[d] + unit
    return out or "零"


def number_en(n: int) -> str:
    """A cardinal number in English words (0 to 999,999,999)."""
    if n < 0:
        return "minus " + number_en(-n)
    if n < 10:
        return EN_DIGITS[n]
    if n < 20:
        return _EN_TEENS[n - 10]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{EN_DIGITS[ones]}" if ones else "")
    for size, word in ((10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head, rest = divmod(n, size)
            return f"{number_en(head)} {word}" + (f" {number_en(rest)}" if rest else "")
    raise ValueError(n)  # pragma: no cover


def year_en(year: int) -> str:
    """A year as English speakers say it: 2024 → twenty twenty-four, 2005 → two thousand five."""
    if 2000 <= year < 2010:
        return number_en(year)
    century, rest = divmod(year, 100)
    if rest == 0:
        return f"{number_en(century)} hundred"
    return f"{number_en(century)} {number_en(rest) if rest >= 10 else 'oh ' + number_en(rest)}"


def _case(case: CaseNumber | str) -> CaseNumber:
    return case if isinstance(case, CaseNumber) else CaseNumber.parse(case)


def case_number_zh(case: CaseNumber | str) -> str:
    """（2024）京0105民初12345号 → ``二零二四年，京零幺零五，民初，幺二三四五号``."""
    c = _case(case)
    return (
        f"{digits_zh(str(c.year))}年，{c.court[0]}{digits_zh(c.court[1:], yao=True)}，"
        f"{c.case_type}，{digits_zh(str(c.seq), yao=True)}号"
    )


def case_number_en(case: CaseNumber | str, spoken: bool = True) -> str:
    """English form: ``twenty twenty-four, Jing, zero one zero five, civil first instance,
    number one two three four five``; with ``spoken=False`` the written form
    ``2024, Jing 0105, civil first instance, number 12345``."""
    c = _case(case)
    province, court_digits = c.court_en.split(" ")[0], c.court[1:]
    if not spoken:
        return f"{c.year}, {c.court_en}, {c.type_name_en}, number {c.seq}"
    court = f"{province}, {digits_en(court_digits)}" if court_digits else province
    return f"{year_en(c.year)}, {court}, {c.type_name_en}, number {digits_en(str(c.seq))}"


def say_case_number(case: CaseNumber | str, language: str) -> str:
    """A case number as the line speaks it in ``language``."""
    _check_language(language)
    return case_number_zh(case) if language == "zh" else case_number_en(case)


def phone_groups(number: str) -> list[str]:
    """Digit groups to pause between: the caller's own separators, else 3-4-4 for mobiles and
    4-4 for eight-digit local numbers (also after an area code: 010-8529-1234)."""
    plus = number.strip().startswith("+")
    groups = [g for g in _SEPARATORS.split(number.strip().lstrip("+")) if g]
    if any(not g.isdigit() for g in groups):
        raise ValueError(f"{number!r} is not a telephone number")
    if len(groups) == 1:
        d = groups[0]
        if len(d) == 11 and d.startswith("1"):
            groups = [d[:3], d[3:7], d[7:]]
        elif len(d) == 8:
            groups = [d[:4], d[4:]]
    groups = [part for g in groups for part in ([g[:4], g[4:]] if len(g) == 8 else [g])]
    return (["+"] if plus else []) + groups


def say_phone(number: str, language: str) -> str:
    """A telephone number digit by digit in groups: 13812345678 → 幺三八，幺二三四，五六七八."""
    _check_language(language)
    groups = phone_groups(number)
    if language == "zh":
        return "，".join("加" if g == "+" else digits_zh(g, yao=True) for g in groups)
    return ", ".join("plus" if g == "+" else digits_en(g) for g in groups)


def date_zh(day: dt.date, weekday: bool = False) -> str:
    """2026-12-15 → 二零二六年十二月十五日 (with 星期二 if asked)."""
    text = f"{digits_zh(str(day.year))}年{number_zh(day.month)}月{number_zh(day.day)}日"
    return text + (f"，星期{_ZH_WEEKDAYS[day.weekday()]}" if weekday else "")


def time_zh(t: dt.time) -> str:
    """09:30 → 上午九点三十分, 14:05 → 下午两点零五分, 12:00 → 中午十二点."""
    h, m = t.hour, t.minute
    if h < 5:
        part = "凌晨"
    elif h < 12:
        part = "上午"
    elif h < 13:
        part = "中午"
    elif h < 18:
        part = "下午"
    else:
        part = "晚上"
    h12 = h % 12 or 12
    hour = "两" if h12 == 2 else number_zh(h12)
    minutes = "" if m == 0 else ("零" if m < 10 else "") + number_zh(m) + "分"
    return f"{part}{hour}点{minutes}"


def clock_zh(hour: int, minute: int) -> str:
    """A 24-hour clock time as a schedule reads it: 9:00 → 九点, 14:05 → 十四点零五分, 2:30 →
    两点三十分."""
    head = "两" if hour == 2 else number_zh(hour)
    return f"{head}点" + (
        "" if minute == 0 else ("零" if minute < 10 else "") + number_zh(minute) + "分"
    )


def date_en(day: dt.date, weekday: bool = False) -> str:
    """2026-12-15 → December 15, 2026 (with the weekday first if asked)."""
    text = f"{_EN_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{_EN_WEEKDAYS[day.weekday()]}, {text}" if weekday else text


def time_en(t: dt.time) -> str:
    """09:30 → 9:30 a.m., 14:00 → 2 p.m."""
    suffix = "a.m." if t.hour < 12 else "p.m."
    h12 = t.hour % 12 or 12
    return f"{h12}:{t.minute:02d} {suffix}" if t.minute else f"{h12} {suffix}"


def say_date(day: dt.date, language: str, weekday: bool = False) -> str:
    """A date in ``language``."""
    _check_language(language)
    return date_zh(day, weekday) if language == "zh" else date_en(day, weekday)


def say_time(t: dt.time, language: str) -> str:
    """A time of day in ``language``."""
    _check_language(language)
    return time_zh(t) if language == "zh" else time_en(t)


def say_datetime(moment: dt.datetime, language: str, weekday: bool = False) -> str:
    """2026-12-15 09:30 → 二零二六年十二月十五日上午九点三十分 / December 15, 2026 at 9:30 a.m."""
    _check_language(language)
    if language == "zh":
        return date_zh(moment.date(), weekday) + time_zh(moment.time())
    return f"{date_en(moment.date(), weekday)} at {time_en(moment.time())}"
