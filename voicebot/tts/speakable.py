"""Turn a prompt as written (what the transcript shows) into what the voice should read.

Written prompts carry case numbers, passwords and record numbers in figures; read as they
stand, espeak-ng says 12345 as "twelve thousand ..." (一万两千...), which a caller cannot copy
down. Here such numbers become digit-by-digit spoken forms, and a prompt mixing scripts (an
English greeting offering 普通话服务) is split so each part gets its own voice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from voicebot.casenumber import CASE_TYPES, PROVINCES, CaseNumber, CaseNumberError
from voicebot.tts.verbalize import (
    case_number_en,
    case_number_zh,
    clock_zh,
    digits_zh,
    number_zh,
    say_digits,
    say_phone,
    time_zh,
)

_TYPES_ZH = "|".join(sorted(map(re.escape, CASE_TYPES), key=len, reverse=True))
_TYPES_EN = "|".join(sorted(map(re.escape, CASE_TYPES.values()), key=len, reverse=True))
_PROVINCE_EN = {v: k for k, v in reversed(PROVINCES.items())}
_CASE_ZH = re.compile(rf"[（(]\d{{4}}[）)][{''.join(PROVINCES)}]\d*(?:{_TYPES_ZH})\d+号?")
_CASE_EN = re.compile(rf"\((\d{{4}})\) ([A-Z][a-z]*) ?(\d*) ({_TYPES_EN}) No\. ?(\d+)")
_RECORD = re.compile(r"(?<![A-Za-z0-9])([A-Z]{2})-(\d{8})-(\d{4})(?!\d)")
_DATE_ZH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_HOUR_ZH = re.compile(r"(?<![\d:])([01]?\d|2[0-3])点(?:([0-5]?\d)分)?")
_DAY_PARTS = frozenset(("凌晨", "早上", "上午", "中午", "下午", "晚上"))
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_PHONE = re.compile(
    r"(?<![\d\-])(?:\+?86[\s\-]?)?(?:1[3-9]\d{9}|1[3-9]\d-\d{4}-\d{4}|0\d{2,3}-\d{7,8}|0\d{2,3}-\d{4}-\d{4})"
    r"(?![\d\-])"
)
_DIGIT_RUN = re.compile(r"(?<![\d:.,])\d{5,}(?![\d:])")
_NUMBER = re.compile(r"(?<![\d:.,])\d{1,4}(?![\d:])")
_MEASURE = frozenset("次位个天分小秒件名周年")
"""Measure words after which a count of two is 两 (再试两次, 两分钟); ordinals (第二位) keep 二."""
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


@dataclass(frozen=True)
class Segment:
    """A stretch of a prompt read with one voice."""

    text: str
    """What the voice reads."""
    language: str
    """``zh`` or ``en``: which voice reads it."""


def speakable(text: str, language: str) -> list[Segment]:
    """``text`` as segments to synthesize in order, numbers spelled for listening."""
    text = _CASE_ZH.sub(lambda m: _zh_case(m.group(0)), text)
    text = _CASE_EN.sub(_en_case, text)
    text = _RECORD.sub(lambda m: _record(m, language), text)
    text = _PHONE.sub(lambda m: " " + say_phone(m.group(0), language) + " ", text)
    if language == "zh":
        text = _DATE_ZH.sub(_zh_date, text)
        text = _CLOCK.sub(_zh_clock, text)
        text = _HOUR_ZH.sub(_zh_clock, text)
    text = _DIGIT_RUN.sub(lambda m: " " + say_digits(m.group(0), language) + " ", text)
    if language == "zh":  # counts, keys, hours: 第3位 → 第三位, 24小时 → 二十四小时
        text = _NUMBER.sub(_zh_number, text)
    return [s for s in _split_scripts(text, language) if s.text.strip(" ,.，。")]


def _zh_case(written: str) -> str:
    try:
        return case_number_zh(CaseNumber.parse(written))
    except CaseNumberError:
        return written


def _zh_clock(match: re.Match[str]) -> str:
    """9:00 / 9点 → 上午九点, 17点 → 下午五点: the twelve-hour day as people say it on the phone;
    十七点 heard with a weak 十 (shí, like 是) becomes 七点, 下午五点 cannot."""
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if match.string[max(match.start() - 2, 0) : match.start()] in _DAY_PARTS:
        return clock_zh(hour, minute)  # 下午3点 already says which half of the day
    return time_zh(dt.time(hour, minute))


def _zh_number(match: re.Match[str]) -> str:
    """A count as said: 2 before a measure word (not after 第) is 两 — 二次 is not Mandarin,
    and 两 (liǎng) does not sound like 一/七 or 十 on a poor line."""
    n, at, text = int(match.group(0)), match.start(), match.string
    after = text[match.end() : match.end() + 1]
    if n == 2 and after in _MEASURE and text[at - 1 : at] != "第":
        return "两"
    return number_zh(n)


def _zh_date(match: re.Match[str]) -> str:
    year, month, day = match.groups()
    return f"{digits_zh(year)}年{number_zh(int(month))}月{number_zh(int(day))}日"


def _record(match: re.Match[str], language: str) -> str:
    prefix, day, seq = match.groups()
    sep = "，" if language == "zh" else ", "
    return sep.join((" ".join(prefix), say_digits(day, language), say_digits(seq, language)))


def _en_case(match: re.Match[str]) -> str:
    year, province, digits, type_en, seq = match.groups()
    code = next((k for k, v in CASE_TYPES.items() if v == type_en), None)
    prov = _PROVINCE_EN.get(province)
    if code is None or prov is None:
        return match.group(0)
    try:
        return case_number_en(CaseNumber(int(year), prov + digits, code, int(seq)))
    except CaseNumberError:
        return match.group(0)


def _split_scripts(text: str, language: str) -> list[Segment]:
    """Runs of Chinese characters go to the zh voice; Latin words in a zh prompt stay zh
    (the Mandarin voice reads them), but Chinese inside an English prompt gets the zh voice."""
    if language == "zh" or not _CJK.search(text):
        return [Segment(text.strip(), language)]
    segments: list[Segment] = []
    current, current_lang = "", language
    for char in text:
        lang = "zh" if _CJK.match(char) else (current_lang if not char.isalpha() else "en")
        if lang != current_lang and current.strip():
            segments.append(Segment(current.strip(), current_lang))
            current = ""
        current_lang = lang
        current += char
    if current.strip():
        segments.append(Segment(current.strip(), current_lang))
    return segments
