"""Answers about a verified case, built from :class:`CaseFacts` in the caller's language."""

from __future__ import annotations

from types import MappingProxyType
from zoneinfo import ZoneInfo

from voicebot.dialog.prompts import case_number_text, date_text, datetime_text, list_text
from voicebot.store.facts import CaseFacts, PersonFacts

_STATUS = MappingProxyType({
    "filed": ("已收到立案材料，正在进行立案审查", "is under filing review"),
    "accepted": ("已立案受理，等待审理", "has been accepted and is waiting to be heard"),
    "not_accepted": ("经审查不予受理", "was not accepted after review"),
    "in_trial": ("正在审理中", "is being heard"),
    "adjourned": ("已中止或延期审理", "has been adjourned"),
    "closed": ("已审结", "has been concluded"),
})


def _name(person: PersonFacts, language: str) -> str:
    return person.name_en if language == "en" else person.name


def _status(facts: CaseFacts, language: str) -> str:
    zh, en = _STATUS.get(facts.status, (facts.status, facts.status))
    return en if language == "en" else zh


def acceptance(facts: CaseFacts, language: str) -> str:
    """Whether the case was accepted, when, cause and judge."""
    number = case_number_text(facts.number, language)
    en = language == "en"
    if facts.accepted:
        when = ""
        if facts.filed_on is not None:
            when = (f" on {date_text(facts.filed_on, language)}" if en
                    else f"于{date_text(facts.filed_on, language)}")
        judge = ""
        if facts.judge is not None:
            judge = (f" The responsible judge is {_name(facts.judge, language)}." if en
                     else f"承办法官是{_name(facts.judge, language)}。")
        if en:
            court = facts.court_name_en
            return f"Case {number}, {facts.cause_en}, was accepted by {court}{when}.{judge}"
        return f"案件{number}，案由{facts.cause}，已{when}由{facts.court_name}立案受理。{judge}"
    if en:
        return f"Case {number}, {facts.cause_en}, {_status(facts, language)}."
    return f"案件{number}，案由{facts.cause}，{_status(facts, language)}。"


def panel(facts: CaseFacts, language: str) -> str:
    """Collegial-panel members, presiding judge first, or the sole judge."""
    en = language == "en"
    if facts.panel:
        names = [_name(p, language) for p in facts.panel]
        if en:
            rest = f", with {list_text(names[1:], language)}" if len(names) > 1 else ""
            return f"The collegial panel: presiding judge {names[0]}{rest}."
        rest = f"，成员{list_text(names[1:], language)}" if len(names) > 1 else ""
        return f"本案合议庭审判长为{names[0]}{rest}。"
    if facts.judge is not None:
        name = _name(facts.judge, language)
        return (f"The case is heard by judge {name} sitting alone." if en
                else f"本案由{name}法官独任审理。")
    return "The panel has not been formed yet." if en else "本案合议庭尚未组成。"


def hearing(facts: CaseFacts, tz: ZoneInfo, language: str) -> str:
    """Next hearing time and courtroom, or that none is scheduled."""
    en = language == "en"
    h = facts.next_hearing
    if h is not None:
        when = datetime_text(h.at, tz, language)
        return (f"The next hearing is on {when} in {h.room_en}." if en
                else f"下次开庭时间为{when}，地点{h.room}。")
    text = "No hearing is scheduled at present." if en else "目前没有安排开庭。"
    if facts.last_hearing is not None:
        last = datetime_text(facts.last_hearing.at, tz, language)
        text += (f" The last hearing was on {last}." if en else f"最近一次开庭是{last}。")
    return text


def events(facts: CaseFacts, tz: ZoneInfo, language: str) -> str:
    """The latest progress events, newest first ("" if none)."""
    en = language == "en"
    if not facts.recent_events:
        return ""
    items = [
        f"{date_text(e.at.astimezone(tz).date(), language)}, {e.text_en}" if en
        else f"{date_text(e.at.astimezone(tz).date(), language)}，{e.text}"
        for e in facts.recent_events
    ]
    return ("Latest progress: " + "; ".join(items) + "." if en
            else "最新进展：" + "；".join(items) + "。")


def progress(facts: CaseFacts, tz: ZoneInfo, language: str) -> str:
    """Status plus the latest progress events."""
    number = case_number_text(facts.number, language)
    if language == "en":
        head = f"Case {number} {_status(facts, language)}."
        latest = events(facts, tz, language)
        return f"{head} {latest}" if latest else head
    return f"案件{number}{_status(facts, language)}。" + events(facts, tz, language)


def result(facts: CaseFacts, language: str) -> str:
    """The result, or that the case is still pending."""
    en = language == "en"
    r = facts.result
    if r is not None:
        day = date_text(r.on, language)
        return (f"The case was decided on {day}: {r.text_en}." if en
                else f"本案已于{day}审结，结果：{r.text}。")
    return (f"There is no result yet; the case {_status(facts, language)}." if en
            else f"本案尚未审结，目前{_status(facts, language)}。")


def replies(facts: CaseFacts, tz: ZoneInfo, language: str) -> str:
    """The judge's answers to the caller's work orders, if any."""
    en = language == "en"
    parts = []
    for r in facts.replies:
        when = datetime_text(r.replied_at, tz, language)
        parts.append(f"On {when} the judge replied to work order {r.work_order}: {r.text}" if en
                     else f"法官于{when}答复了工单{r.work_order}：{r.text}")
    if not parts:
        return ""
    return " ".join(p.rstrip("。.") + "." for p in parts) if en else "".join(
        p.rstrip("。.") + "。" for p in parts)


def answer(intent: str, facts: CaseFacts, tz: ZoneInfo, language: str) -> str:
    """The answer for a case intent (``overview`` = everything), with any judge replies."""
    parts: list[str]
    if intent == "case_acceptance":
        parts = [acceptance(facts, language)]
    elif intent == "case_panel":
        parts = [panel(facts, language)]
    elif intent == "hearing_time":
        parts = [hearing(facts, tz, language)]
    elif intent == "case_progress":
        parts = [progress(facts, tz, language)]
        if facts.next_hearing is not None:
            parts.append(hearing(facts, tz, language))
    elif intent == "case_result":
        parts = [result(facts, language)]
    else:
        parts = [acceptance(facts, language)]
        if facts.panel:
            parts.append(panel(facts, language))
        parts.append(hearing(facts, tz, language))
        parts.append(events(facts, tz, language) if facts.result is None
                     else result(facts, language))
    parts.append(replies(facts, tz, language))
    sep = " " if language == "en" else ""
    return sep.join(p for p in parts if p)


__all__ = ["acceptance", "answer", "events", "hearing", "panel", "progress", "replies", "result"]
