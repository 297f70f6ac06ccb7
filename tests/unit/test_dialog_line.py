"""What the line says about itself and about locks and lawful use (issue 17.4, 17.14, 17.15)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import Action, LookUpCase, LookUpKnowledge, Say, VerifyPassword
from voicebot.dialog.events import (
    CallStarted,
    CaseFound,
    DeskClosed,
    Heard,
    KnowledgeAnswered,
    PasswordChecked,
)
from voicebot.dialog.linefacts import LineFacts
from voicebot.dialog.machine import DialogMachine
from voicebot.knowledge.base import KnowledgeBase
from voicebot.nlu.types import Understanding
from voicebot.settings import Settings
from voicebot.store.facts import CaseFacts, PersonFacts

TZ = ZoneInfo("Asia/Shanghai")
NUMBER = CaseNumber.parse("（2024）京0105民初12345号")
OTHER = CaseNumber.parse("（2024）京0105民初777号")
EARLY = LineFacts.from_settings(Settings(work_start=dt.time(8, 30), work_end=dt.time(17, 30)))


def start(language: str = "zh", facts: LineFacts | None = None) -> DialogMachine:
    m = DialogMachine(TZ, facts)
    m.handle(CallStarted(language, "13800000001", "京0105", "北京市朝阳区人民法院",
                         "Beijing Chaoyang District People's Court", True))
    return m


def heard(m: DialogMachine, text: str, intent: str = "unknown", **kw: object) -> list[Action]:
    u = Understanding(text, m.language, intent, 0.9 if intent != "unknown" else 0.1,
                      **kw)  # type: ignore[arg-type]
    return m.handle(Heard(u, text))


def said(actions: list[Action]) -> str:
    return " ".join(a.text for a in actions if isinstance(a, Say))


def facts(number: CaseNumber = NUMBER) -> CaseFacts:
    return CaseFacts(number, "北京市朝阳区人民法院", "Beijing Chaoyang District People's Court",
                     "买卖合同纠纷", "sales contract dispute", dt.date(2024, 3, 1), True,
                     "accepted", PersonFacts("王明", "Wang Ming"), (), None, None, (), None)


def to_password(m: DialogMachine, number: CaseNumber = NUMBER) -> None:
    heard(m, "查案件进展", "case_progress", case_number=number)
    heard(m, "对", yes_no=True)


# 17.4 ----------------------------------------------------------------------------------------

def test_desk_hours_said_out_of_hours_come_from_the_settings() -> None:
    for language, opens, closes in (("zh", "8点30分", "17点30分"), ("en", "8:30", "17:30")):
        m = start(language, EARLY)
        heard(m, "operator", "operator")
        text = said(m.handle(DeskClosed(dt.datetime(2026, 10, 9, 8, 30, tzinfo=TZ))))
        assert opens in text and closes in text, text
        assert "9点" not in text and "9:00" not in text


def test_knowledge_base_hours_answer_is_filled_from_the_settings() -> None:
    kb = KnowledgeBase.load()
    for language, question, opens in (("zh", "人工服务什么时候上班", "8点30分"),
                                      ("en", "what are the operator hours", "8:30")):
        m = start(language, EARLY)
        out = heard(m, question, "consultation", topic="hours")
        ask = out[-1]
        assert isinstance(ask, LookUpKnowledge)
        raw = kb.answer(ask.query, ask.language, ask.topic)
        assert raw is not None and "{desk_open}" in raw  # the KB holds a placeholder
        text = said(m.handle(KnowledgeAnswered(raw)))
        assert opens in text and "{" not in text and "9点" not in text and "9:00" not in text


def test_default_facts_are_the_settings_defaults() -> None:
    assert LineFacts.from_settings(Settings()) == LineFacts()


# 17.14 ---------------------------------------------------------------------------------------

def test_a_lock_from_earlier_calls_is_told_as_such_on_the_first_try() -> None:
    for language, words in (("zh", "此前多次"), ("en", "earlier attempts")):
        m = start(language)
        to_password(m)
        m.handle(Heard(Understanding("", language, "unknown", 0.1, digits="111111"), "111111"))
        text = said(m.handle(PasswordChecked(False, 0, True)))
        assert words in text and "本次通话" not in text and "in this call" not in text


def test_a_lock_after_failures_in_this_call_says_so() -> None:
    m = start("en")
    to_password(m)
    for left in (2, 1):
        m.handle(Heard(Understanding("", "en", "unknown", 0.1, digits="111111"), "111111"))
        assert f"Attempts left: {left}" in said(m.handle(PasswordChecked(False, left, False)))
    m.handle(Heard(Understanding("", "en", "unknown", 0.1, digits="111111"), "111111"))
    text = said(m.handle(PasswordChecked(False, 0, True)))
    assert "several times in this call" in text and "earlier" not in text
    assert "30 minutes" in text


# 17.15 ---------------------------------------------------------------------------------------

def test_lawful_use_notice_once_before_the_first_disclosure() -> None:
    for language, notice in (("zh", "仅限依法使用"), ("en", "used only lawfully")):
        m = start(language)
        to_password(m)
        assert m.handle(Heard(Understanding("", language, "unknown", 0.1, digits="482913"),
                              "482913")) == [VerifyPassword(NUMBER, "482913")]
        out = m.handle(PasswordChecked(True, 3, False))
        assert notice in said(out) and out[-1] == LookUpCase(NUMBER, lawful_notice=True)
        assert isinstance(out[0], Say)  # said before the lookup, so before any fact
        answer = m.handle(CaseFound(facts()))
        assert notice not in said(answer)
        # a second case in the same call: no second notice
        to_password(m, OTHER)
        m.handle(Heard(Understanding("", language, "unknown", 0.1, digits="123456"), "123456"))
        again = m.handle(PasswordChecked(True, 3, False))
        assert again == [LookUpCase(OTHER)]
