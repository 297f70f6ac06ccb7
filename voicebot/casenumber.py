"""Court case numbers (案号) as a type: ``（2024）京0105民初12345号``."""

from __future__ import annotations

import re
from dataclasses import dataclass


class CaseNumberError(ValueError):
    """A case number that cannot be read; the message names what is wrong."""

    code = "casenumber.invalid"


PROVINCES: dict[str, str] = {
    "京": "Jing",
    "津": "Jin",
    "沪": "Hu",
    "渝": "Yu",
    "冀": "Ji",
    "豫": "Yu",
    "云": "Yun",
    "辽": "Liao",
    "黑": "Hei",
    "湘": "Xiang",
    "皖": "Wan",
    "鲁": "Lu",
    "新": "Xin",
    "苏": "Su",
    "浙": "Zhe",
    "赣": "Gan",
    "鄂": "E",
    "桂": "Gui",
    "甘": "Gan",
    "晋": "Jin",
    "蒙": "Meng",
    "陕": "Shan",
    "吉": "Ji",
    "闽": "Min",
    "贵": "Gui",
    "粤": "Yue",
    "青": "Qing",
    "藏": "Zang",
    "川": "Chuan",
    "宁": "Ning",
    "琼": "Qiong",
    "兵": "Bing",
}
"""Province abbreviations that open a court code, with their pinyin for English speech."""

CASE_TYPES: dict[str, str] = {
    "民初": "civil first instance",
    "民终": "civil second instance",
    "民再": "civil retrial",
    "民申": "civil retrial application",
    "民特": "civil special procedure",
    "民催": "civil public summons",
    "民督": "civil payment order",
    "民辖": "civil jurisdiction",
    "民撤": "civil third-party revocation",
    "民诉前调": "civil pre-litigation mediation",
    "刑初": "criminal first instance",
    "刑终": "criminal second instance",
    "刑再": "criminal retrial",
    "刑申": "criminal retrial application",
    "刑复": "criminal review",
    "刑更": "criminal sentence commutation",
    "行初": "administrative first instance",
    "行终": "administrative second instance",
    "行再": "administrative retrial",
    "行申": "administrative retrial application",
    "行审": "administrative non-litigation review",
    "执": "enforcement",
    "执恢": "resumed enforcement",
    "执保": "preservation enforcement",
    "执异": "enforcement objection",
    "执复": "enforcement review",
    "执监": "enforcement supervision",
    "执协": "enforcement coordination",
    "财保": "property preservation",
    "破申": "bankruptcy application",
    "破": "bankruptcy",
    "破终": "bankruptcy second instance",
    "赔": "state compensation",
}
"""Case-type codes from the published table, with the English name used in speech."""

_TYPE_ALTERNATION = "|".join(sorted(map(re.escape, CASE_TYPES), key=len, reverse=True))
_PATTERN = re.compile(
    r"^\s*[（(]\s*(?P<year>\d{4})\s*[）)]\s*"
    r"(?P<prov>\S)(?P<digits>\d*)\s*"
    rf"(?P<type>{_TYPE_ALTERNATION})\s*"
    r"(?P<seq>\d+)\s*号?\s*$"
)
_SHAPE = re.compile(r"^\s*[（(]?\s*(\d{4})?\s*[）)]?\s*(\D)?(\d*)(\D+?)?(\d+)?\s*号?\s*$")


@dataclass(frozen=True, order=True)
class CaseNumber:
    """A parsed case number."""

    year: int
    """Year the case was filed, e.g. 2024."""
    court: str
    """Court code: province abbreviation plus digits, e.g. ``京0105``."""
    case_type: str
    """Case-type code, e.g. ``民初``."""
    seq: int
    """Sequence number within the court, year and type."""

    def __post_init__(self) -> None:
        if not 1949 <= self.year <= 2100:
            raise CaseNumberError(f"year {self.year} is not a plausible filing year")
        validate_court_code(self.court)
        if self.case_type not in CASE_TYPES:
            raise CaseNumberError(f"unknown case type {self.case_type!r}")
        if self.seq <= 0:
            raise CaseNumberError("the sequence number must be positive")

    @classmethod
    def parse(cls, text: str) -> CaseNumber:
        """Read the official form; ASCII brackets and a missing 号 are accepted."""
        match = _PATTERN.match(text)
        if match is None:
            raise CaseNumberError(_explain(text))
        court = match["prov"] + match["digits"]
        return cls(int(match["year"]), court, match["type"], int(match["seq"]))

    def __str__(self) -> str:
        return f"（{self.year}）{self.court}{self.case_type}{self.seq}号"

    @property
    def type_name_en(self) -> str:
        """English name of the case type."""
        return CASE_TYPES[self.case_type]

    @property
    def court_en(self) -> str:
        """Court code with the province in pinyin, e.g. ``Jing 0105``."""
        return f"{PROVINCES[self.court[0]]} {self.court[1:]}".strip()


def validate_court_code(code: str) -> str:
    """Return ``code`` if it is a province abbreviation followed by 0, 2 or 4 digits."""
    if not code or code[0] not in PROVINCES:
        raise CaseNumberError(f"court code {code!r} must start with a province abbreviation")
    digits = code[1:]
    if (not digits.isdigit() and digits != "") or len(digits) not in (0, 2, 4):
        raise CaseNumberError(f"court code {code!r} must be a province abbreviation and 4 digits")
    return code


def _explain(text: str) -> str:
    shape = _SHAPE.match(text)
    if not text.strip():
        return "empty case number"
    if shape is None or shape.group(1) is None:
        return f"{text!r}: the year in brackets is missing, as in （2024）京0105民初12345号"
    prov = shape.group(2)
    if prov is None or prov not in PROVINCES:
        return f"{text!r}: the court code must start with a province abbreviation such as 京"
    kind = shape.group(4)
    if kind is None or kind.strip() not in CASE_TYPES:
        return f"{text!r}: unknown case type {kind!r}"
    if shape.group(5) is None:
        return f"{text!r}: the sequence number is missing"
    return f"{text!r} is not a case number like （2024）京0105民初12345号"
