"""Case numbers in what callers say or type, whole or in part, in Mandarin and English."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from voicebot.casenumber import CASE_TYPES, PROVINCES
from voicebot.nlu.numbers import clean_text, normalize_en, normalize_zh
from voicebot.nlu.types import PartialCaseNumber

DEFAULT_COURT_ALIASES: Mapping[str, str] = {
    "北京市朝阳区人民法院": "京0105", "朝阳区人民法院": "京0105", "朝阳区法院": "京0105",
    "朝阳法院": "京0105", "chaoyang district court": "京0105", "chaoyang court": "京0105",
    "北京市东城区人民法院": "京0101", "东城区法院": "京0101", "东城法院": "京0101",
    "dongcheng court": "京0101", "dongcheng district court": "京0101",
    "北京市海淀区人民法院": "京0108", "海淀区法院": "京0108", "海淀法院": "京0108",
    "haidian court": "京0108", "haidian district court": "京0108",
    "北京市第一中级人民法院": "京01", "北京一中院": "京01", "一中院": "京01",
    "beijing first intermediate court": "京01", "beijing no 1 intermediate court": "京01",
    "first intermediate court": "京01",
}
"""Built-in demo aliases; the call loop passes the store's aliases instead."""

ZH_TYPE_WORDS: Mapping[str, str] = {
    **{code: code for code in CASE_TYPES},
    "民事一审": "民初", "民事初审": "民初", "民一审": "民初", "民事二审": "民终",
    "民事终审": "民终",
    "民事再审": "民再", "民事申请再审": "民申", "民事申诉": "民申", "民事特别程序": "民特",
    "诉前调解": "民诉前调", "刑事一审": "刑初", "刑事二审": "刑终", "刑事再审": "刑再",
    "刑事申诉": "刑申", "刑事复核": "刑复", "减刑": "刑更", "行政一审": "行初", "行政二审": "行终",
    "行政再审": "行再", "行政申诉": "行申", "执行": "执", "恢复执行": "执恢", "执行恢复": "执恢",
    "执行保全": "执保", "执行异议": "执异", "执行复议": "执复", "执行监督": "执监",
    "财产保全": "财保", "破产申请": "破申", "破产": "破", "国家赔偿": "赔",
}
"""Mandarin words for case types (the codes themselves and their spoken long forms)."""

EN_TYPE_WORDS: Mapping[str, str] = {
    **{name: code for code, name in CASE_TYPES.items()},
    **{code: code for code in CASE_TYPES},
    "civil first-instance": "民初", "first instance civil": "民初",
    "civil case first instance": "民初",
    "civil appeal": "民终", "civil second-instance": "民终", "criminal appeal": "刑终",
    "administrative appeal": "行终", "execution": "执", "enforcement case": "执",
    "min chu": "民初", "min zhong": "民终", "xing chu": "刑初", "xing zhong": "刑终",
    "xing chu zi": "刑初", "min chu zi": "民初", "zhi": "执",
    # how Whisper tiny.en's free reading spells a spoken "civil first instance" (open prompts,
    # asr README): never the words of another type, so nothing else is read as 民初
    "civil first since": "民初", "civil for instance": "民初", "civil first in stance": "民初",
    "civil first instant": "民初", "civil first instants": "民初", "simple first instance": "民初",
    "civil per since": "民初", "civil first stance": "民初",
}
"""English words for case types: the published names, common variants, and pinyin."""

EN_PROVINCES: Mapping[str, str] = {
    **{pinyin.lower(): abbr for abbr, pinyin in reversed(PROVINCES.items())},
    "beijing": "京", "shanghai": "沪", "tianjin": "津", "chongqing": "渝", "guangdong": "粤",
}
"""Spoken province names for English court codes (ambiguous pinyin goes to the first listed)."""

ZH_FILLERS = ("嗯", "呃", "啊", "额", "哦", "那个", "这个", "就是", "然后", "我的", "案号")
EN_FILLERS = ("um", "uh", "er", "erm", "ah", "hmm", "like", "well")
_MARK = "\ue000"
_MARK_BASE = 0xE100
_PROV = "".join(PROVINCES)


def _alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@dataclass(frozen=True)
class CaseMatch:
    """A case number found in an utterance, and the utterance without it."""

    partial: PartialCaseNumber
    before: str
    """Normalised text before the case number (fillers dropped, court names as codes)."""
    after: str
    """Normalised text after the case number."""


@dataclass(frozen=True)
class CaseExtractor:
    """Finds case numbers; built once per set of court aliases."""

    courts: tuple[str, ...]
    alias_pattern: re.Pattern[str] | None
    aliases: Mapping[str, str]
    zh_pattern: re.Pattern[str]
    en_pattern: re.Pattern[str]
    zh_types: re.Pattern[str]
    en_types: Mapping[str, str]

    @classmethod
    def build(cls, court_aliases: Mapping[str, str] | None = None) -> CaseExtractor:
        """An extractor that knows ``court_aliases`` (alias text -> court code)."""
        source = DEFAULT_COURT_ALIASES if court_aliases is None else court_aliases
        aliases = {
            _alias_key(clean_text(k, "en" if k.isascii() else "zh")): v
            for k, v in source.items()
            if k.strip()
        }
        courts = tuple(sorted(set(aliases.values())))
        alias_pattern = (
            re.compile(_alternation(list(aliases)), re.IGNORECASE) if aliases else None
        )
        court = rf"(?:{_MARK}.|[{_PROV}](?:\d{{4}}|\d{{2}})?(?!\d))"
        zh_sep = r"(?:\s|[,，.。:：的是、]|第)*"
        zh = re.compile(
            rf"(?:(?P<court0>{court}){zh_sep})?"
            rf"(?:[(（]?\s*(?P<year>\d{{4}}|\d{{2}}(?=\s*年))\s*[)）]?\s*(?:年度?)?{zh_sep})?"
            rf"(?:(?P<court>{court}){zh_sep})?"
            rf"(?P<type>{_alternation(list(ZH_TYPE_WORDS))})\s*字?{zh_sep}"
            r"(?:(?P<seq>\d+)(?!\d|\s*年)\s*号?)?"
        )
        en_types = {_alias_key(k): v for k, v in EN_TYPE_WORDS.items()}
        en_sep = r"(?:[\s,.:()（）]|\b(?:the|case|number|no|is|it's|of|from|at|in|year|court)\b)*"
        provs = _alternation(list(EN_PROVINCES))
        en_court = rf"(?:{court}|(?<![a-z])(?P<prov>{provs})(?![a-z])\s*(?P<pdig>\d{{4}}|\d{{2}})?)"
        en_court0 = en_court.replace("prov>", "prov0>").replace("pdig>", "pdig0>")
        en = re.compile(
            rf"(?:(?P<court0>{en_court0}){en_sep})?"
            rf"(?:(?:[(（]\s*)?(?P<year>\d{{4}})(?:\s*[)）])?{en_sep})?"
            rf"(?:(?P<court>{en_court}){en_sep})?"
            rf"(?<![a-z])(?P<type>{_alternation(list(en_types))})(?![a-z]){en_sep}"
            r"(?:(?:#\s*)?(?P<seq>\d+)(?!\d)(?:\s*号|\s+hao\b)?)?",
            re.IGNORECASE,
        )
        with_digits = [w for w in ZH_TYPE_WORDS if re.search("[一二三四五六七八九十]", w)]
        zh_types = re.compile(_alternation(with_digits))
        return cls(courts, alias_pattern, aliases, zh, en, zh_types, en_types)

    def view(self, text: str, language: str) -> str:
        """The text prepared for matching: fillers dropped, court aliases marked, digits Arabic."""
        cleaned = clean_text(text, language)
        if language == "zh":
            for filler in ZH_FILLERS:
                cleaned = cleaned.replace(filler, "")
        else:
            cleaned = re.sub(rf"\b(?:{'|'.join(EN_FILLERS)})\b", " ", cleaned)
        if self.alias_pattern is not None:
            cleaned = self.alias_pattern.sub(self._mark, cleaned)
        if language == "zh":
            cleaned = self.zh_types.sub(lambda m: f" {ZH_TYPE_WORDS[m.group(0)]} ", cleaned)
            return normalize_zh(cleaned, singles=True)
        return normalize_en(cleaned)

    def _mark(self, match: re.Match[str]) -> str:
        code = self.aliases[_alias_key(match.group(0))]
        return f" {_MARK}{chr(_MARK_BASE + self.courts.index(code))} "

    def extract(self, text: str, language: str, *, due: bool = False) -> CaseMatch | None:
        """The first case number said in ``text`` (needs a type and a sequence or year).

        ``due``: a case number was asked for, so a case type or a court alone counts too.
        """
        view = self.view(text, language)
        pattern = self.zh_pattern if language == "zh" else self.en_pattern
        for match in pattern.finditer(view):
            if match["seq"] is None and match["year"] is None and not due:
                continue
            raw_type = match["type"]
            words = ZH_TYPE_WORDS if language == "zh" else self.en_types
            case_type = words[raw_type if language == "zh" else _alias_key(raw_type)]
            court = self._court(match)
            if match["year"] is None and court is None and not (due or _marked(match, raw_type)):
                continue  # "申请执行三万块" / "enforcement of 30000": not a case number
            partial = PartialCaseNumber(
                year=_year(match["year"]),
                court=court,
                case_type=case_type,
                seq=int(match["seq"]) if match["seq"] else None,
            )
            return self._found(partial, view, match.start(), match.end())
        return self._court_alone(view, language) if due else None

    def _court_alone(self, view: str, language: str) -> CaseMatch | None:
        """Just a court (朝阳法院, 京0105, "jing zero one zero five"), when a number is due."""
        provs = _alternation(list(EN_PROVINCES))
        code = rf"[{_PROV}](?:\d{{4}}|\d{{2}})(?!\d)" if language == "zh" else (
            rf"(?<![a-z])(?P<prov>{provs})\s*(?P<pdig>\d{{4}}|\d{{2}})(?!\d)")
        match = re.search(rf"{_MARK}.|{code}", view)
        if match is None:
            return None
        raw = match.group(0)
        if raw.startswith(_MARK):
            court = self.courts[ord(raw[1]) - _MARK_BASE]
        elif match.groupdict().get("prov"):
            court = EN_PROVINCES[_alias_key(match["prov"])] + match["pdig"]
        else:
            court = raw
        return self._found(PartialCaseNumber(None, court, None, None), view, *match.span())

    def _found(self, partial: PartialCaseNumber, view: str, start: int, end: int) -> CaseMatch:
        before, after = view[:start], view[end:]
        return CaseMatch(partial, self._unmark(before).strip(), self._unmark(after).strip())

    def _court(self, match: re.Match[str]) -> str | None:
        groups = match.groupdict()
        for suffix in ("", "0"):
            raw = groups.get("court" + suffix)
            if raw is None:
                continue
            raw = raw.strip()
            if raw.startswith(_MARK):
                return self.courts[ord(raw[1]) - _MARK_BASE]
            if groups.get("prov" + suffix):
                prov = EN_PROVINCES[_alias_key(groups["prov" + suffix])]
                return prov + (groups["pdig" + suffix] or "")
            return raw
        return None

    def _unmark(self, text: str) -> str:
        return re.sub(
            f"{_MARK}(.)", lambda m: self.courts[ord(m.group(1)) - _MARK_BASE], text
        )


WEAK_TYPE_WORDS = frozenset(
    {"执行", "破产", "减刑", "执", "破", "赔", "enforcement", "execution", "bankruptcy", "zhi",
     "enforcement case", "state compensation"}
)
"""Type words that are everyday words too: without year or court they need 号 / "number"."""


def _marked(match: re.Match[str], raw_type: str) -> bool:
    """Whether a number with neither year nor court is still clearly a case number."""
    if _alias_key(raw_type) not in WEAK_TYPE_WORDS:
        return True
    if match["seq"] is None:
        return False
    between = match.string[match.end("type") : match.start("seq")]
    after = match.string[match.end("seq") : match.end()]
    return bool(re.search(r"number|\bno\b|#|第|号", between) or "号" in after or "hao" in after)


def _alias_key(text: str) -> str:
    return re.sub(r"[\s-]+", " ", text.strip().lower())


def _year(raw: str | None) -> int | None:
    if raw is None:
        return None
    year = int(raw)
    return 2000 + year if len(raw) == 2 else year
