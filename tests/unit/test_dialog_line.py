"""What the line says about itself and about locks and lawful use (issue 17.4, 17.14, 17.15)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import (
    Action,
    CreateRecord,
    CreateWorkOrder,
    LookUpCase,
    LookUpKnowledge,
    RequestHandoff,
    Say,
    VerifyPassword,
)
from voicebot.dialog.events import (
    CallStarted,
    CaseFound,
    DeskClosed,
    HandoffQueued,
    Heard,
    Keyed,
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


# 12.2: "I don't know my case number" ---------------------------------------------------------

def test_a_caller_without_the_case_number_hears_where_it_is_printed_and_the_ways_on() -> None:
    for language, text, words in (("zh", "我不知道案号", ("受理通知书", "传票", "8点30分")),
                                  ("en", "I lost it", ("acceptance notice", "summons", "8:30"))):
        m = start(language, EARLY)
        heard(m, "check my case", "case_progress")
        assert m.state == "case_number"
        out = heard(m, text, "no_case_number", yes_no=False)
        spoken = said(out)
        assert all(w in spoken for w in words), spoken
        assert m.state == "no_number" and out[-1].expect == "intent"  # type: ignore[union-attr]
        assert "12345号" not in spoken.replace("民初12345号", "")  # only the format example
        assert not any(isinstance(a, (LookUpCase, VerifyPassword)) for a in out)


def test_no_number_menu_keys_lead_on() -> None:
    m = start("zh")
    heard(m, "我不知道案号", "no_case_number")
    assert m.state == "no_number"
    out = m.handle(Keyed("0"))
    assert isinstance(out[-1], RequestHandoff) and out[-1].reason == "asked"
    m = start("zh")
    heard(m, "我想查案子，但是案号找不到了", "no_case_number")
    out = m.handle(Keyed("3"))
    assert m.state == "ask_question" and "咨询什么问题" in said(out)
    m = start("en")
    heard(m, "I don't have it", "no_case_number")
    out = m.handle(Keyed("1"))
    assert m.state == "case_number" and "case number" in said(out)
    out = heard(m, "it is 12345", case_number=NUMBER)
    assert m.state == "confirm_number"
    m = start("en")
    heard(m, "I don't have it", "no_case_number")
    m.handle(Keyed("2"))
    assert m.state == "anything_else"


def test_the_number_found_later_goes_on_with_the_case_question() -> None:
    m = start("zh")
    heard(m, "开庭时间是什么时候", "hearing_time")
    heard(m, "案号我忘了", "no_case_number")
    out = heard(m, "找到了，（2024）京0105民初12345号", case_number=NUMBER)
    assert m.state == "confirm_number" and m.intent == "hearing_time" and "12345" in said(out)


# 17.3: a withheld caller and the callback number ---------------------------------------------

def closed_start(language: str = "zh", caller_id: str | None = None) -> DialogMachine:
    m = DialogMachine(TZ)
    m.handle(CallStarted(language, caller_id, "京0105", "北京市朝阳区人民法院", "x", False))
    heard(m, "转人工", "operator")
    m.handle(DeskClosed(dt.datetime(2026, 10, 9, 9, tzinfo=TZ)))
    heard(m, "好的", yes_no=True)  # accepts the callback offer
    return m


def test_a_withheld_caller_is_asked_for_a_number_read_back_and_confirmed() -> None:
    m = closed_start()
    assert m.state == "ask_phone"
    out = m.handle(Keyed("13912345678#"))
    assert "13912345678" in said(out) and m.state == "confirm_keyed_phone"
    assert not any(isinstance(a, CreateRecord) for a in out)
    out = m.handle(Keyed("2"))  # wrong: asked again
    assert m.state == "ask_phone"
    m.handle(Keyed("13700001111#"))
    out = m.handle(Keyed("1"))
    assert isinstance(out[-1], CreateRecord) and out[-1].kind == "callback"
    assert out[-1].phone == "13700001111"


def test_a_withheld_caller_without_a_number_gets_no_empty_callback() -> None:
    for language, words in (("zh", "无法为您预约回电"), ("en", "cannot book a callback")):
        m = closed_start(language)
        out = m.handle(Keyed("2"))
        assert words in said(out) and m.state == "anything_else"
        assert not any(isinstance(a, CreateRecord) for a in out)
        m = closed_start(language)
        out = heard(m, "没有" if language == "zh" else "no", yes_no=False)
        assert words in said(out)


def test_a_judge_request_without_a_number_becomes_a_work_order_with_the_reply_on_next_call(
) -> None:
    m = DialogMachine(TZ)
    m.handle(CallStarted("en", None, "京0105", "x", "y", True))
    heard(m, "I need the judge", "contact_judge", case_number=NUMBER)
    heard(m, "yes", yes_no=True)
    m.handle(Heard(Understanding("", "en", "unknown", 0.1, digits="482913"), "482913"))
    m.handle(PasswordChecked(True, 3, False))
    m.handle(CaseFound(facts()))
    m.handle(Heard(Understanding("please postpone", "en"), "please postpone"))
    out = m.handle(Keyed("2"))
    assert "next time you call" in said(out)
    assert out[-1] == CreateWorkOrder(NUMBER, "please postpone", "")


def test_a_withheld_caller_in_the_queue_is_not_promised_a_callback() -> None:
    m = DialogMachine(TZ)
    m.handle(CallStarted("en", None, "京0105", "x", "y", True))
    heard(m, "operator", "operator")
    text = said(m.handle(HandoffQueued("H1", 1, 2, callback_after_min=15)))
    assert "call you back" not in text and "call again later" in text
    m = start("en")
    heard(m, "operator", "operator")
    assert "call you back" in said(m.handle(HandoffQueued("H1", 1, 2, callback_after_min=15)))
