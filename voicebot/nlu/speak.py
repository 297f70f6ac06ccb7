"""Saying numbers and case numbers the way callers do (for generated data and tests)."""

from __future__ import annotations

import random

from voicebot.casenumber import CASE_TYPES, PROVINCES

ZH_DIGIT_WORDS = "零一二三四五六七八九"
EN_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_EN_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
             "seventeen", "eighteen", "nineteen")
_EN_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def zh_digits(digits: str, rng: random.Random | None = None) -> str:
    """Digit by digit: 0105 -> 零一零五 (with 〇/洞/幺/拐 variants when ``rng`` is given)."""
    out = []
    for d in digits:
        word = ZH_DIGIT_WORDS[int(d)]
        if rng is not None:
            if d == "0":
                word = rng.choice("零零〇洞")
            elif d == "1":
                word = rng.choice("一一一幺")
            elif d == "7":
                word = rng.choice("七七七拐")
        out.append(word)
    return "".join(out)


def zh_value(n: int) -> str:
    """Mandarin number words by value: 12345 -> 一万二千三百四十五."""
    if n == 0:
        return "零"
    if n >= 10_000:
        high, low = divmod(n, 10_000)
        rest = "" if low == 0 else ("零" if low < 1000 else "") + zh_value(low)
        return zh_value(high) + "万" + rest
    out = ""
    zero = False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d, n = divmod(n, unit)
        if d:
            if zero:
                out += "零"
            out += ("" if (name == "十" and d == 1 and not out) else ZH_DIGIT_WORDS[d]) + name
            zero = False
        elif out:
            zero = True
    return out


def en_digits(digits: str, rng: random.Random | None = None) -> str:
    """Digit by digit: 0105 -> zero one zero five (oh / double when ``rng`` is given)."""
    words: list[str] = []
    i = 0
    while i < len(digits):
        d = digits[i]
        if rng is not None and i + 1 < len(digits) and digits[i + 1] == d and rng.random() < 0.3:
            words += ["double", EN_DIGIT_WORDS[int(d)]]
            i += 2
            continue
        words.append("oh" if d == "0" and rng is not None and rng.random() < 0.3 else
                     EN_DIGIT_WORDS[int(d)])
        i += 1
    return " ".join(words)


def en_value(n: int) -> str:
    """English cardinal: 12345 -> twelve thousand three hundred forty five."""
    if n == 0:
        return "zero"
    parts: list[str] = []
    if n >= 1000:
        parts.append(en_value(n // 1000) + " thousand")
        n %= 1000
    if n >= 100:
        parts.append(EN_DIGIT_WORDS[n // 100] + " hundred")
        n %= 100
    if n >= 20:
        parts.append(_EN_TENS[n // 10] + ("" if n % 10 == 0 else " " + EN_DIGIT_WORDS[n % 10]))
    elif n >= 10:
        parts.append(_EN_TEENS[n - 10])
    elif n > 0:
        parts.append(EN_DIGIT_WORDS[n])
    return " ".join(parts)


def en_year(year: int, rng: random.Random) -> str:
    """A year as said: twenty twenty four, two thousand twenty four, two oh two four."""
    style = rng.randrange(3)
    if style == 0 and year % 100:
        high, low = divmod(year, 100)
        tail = f"oh {EN_DIGIT_WORDS[low]}" if low < 10 else en_value(low)
        return f"{en_value(high)} {tail}"
    if style == 1:
        return en_value(year)
    return en_digits(str(year))


def zh_case(year: int | None, court: str | None, case_type: str, seq: int,
            rng: random.Random) -> str:
    """A case number as a Mandarin caller says it (parts that are None are left out)."""
    parts: list[str] = []
    if year is not None:
        parts.append(zh_digits(str(year), rng) + rng.choice(("年", "年", "")))
    if court is not None:
        parts.append(court[0] + zh_digits(court[1:], rng))
    parts.append(case_type)
    seq_text = zh_digits(str(seq), rng) if rng.random() < 0.7 else zh_value(seq)
    parts.append(seq_text + rng.choice(("号", "号", "")))
    return rng.choice(("", " ")).join(parts)


def en_case(year: int | None, court: str | None, case_type: str, seq: int,
            rng: random.Random) -> str:
    """A case number as an English caller says it."""
    parts: list[str] = []
    if year is not None:
        parts.append(en_year(year, rng))
    if court is not None:
        parts.append(f"{PROVINCES[court[0]].lower()} {en_digits(court[1:], rng)}".strip())
    parts.append(CASE_TYPES[case_type])
    if rng.random() < 0.3:
        parts.append("number")
    parts.append(en_digits(str(seq), rng) if rng.random() < 0.6 else en_value(seq))
    return " ".join(parts)


def written_case(year: int, court: str, case_type: str, seq: int, rng: random.Random) -> str:
    """The official written form, with ASCII or full-width brackets, 号 or not."""
    left, right = rng.choice((("（", "）"), ("(", ")")))
    return f"{left}{year}{right}{court}{case_type}{seq}{rng.choice(('号', '号', ''))}"
