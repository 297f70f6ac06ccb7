"""Consultation, records, handoff, callbacks, recovery and language through the dialog."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import (
    Action,
    CreateRecord,
    HangUp,
    Listen,
    LookUpKnowledge,
    RequestHandoff,
    Say,
    StopSpeaking,
    SwitchLanguage,
)
from voicebot.dialog.errors import DialogError
from voicebot.dialog.events import (
    ActionFailed,
    BargeIn,
    CallStarted,
    DeskClosed,
    Event,
    HandoffQueued,
    Heard,
    HungUp,
    Keyed,
    KnowledgeAnswered,
    NoInput,
    RecordCreated,
)
from voicebot.dialog.machine import DialogMachine
from voicebot.nlu.types import Understanding

TZ = ZoneInfo("Asia/Shanghai")
NUMBER = CaseNumber.parse("（2024）京0105民初12345号")
NEXT_OPENING = dt.datetime(2026, 10, 9, 9, 0, tzinfo=TZ)


class StubKnowledge:
    """Answers only questions containing a known word; remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str | None]] = []

    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        self.asked.append((text, language, topic))
        if "上诉" in text or "appeal" in text:
            return "上诉期限为15日。" if language == "zh" else "You have 15 days to appeal."
        return None


class Machine(DialogMachine):
    """The dialog with the loop's part for ``LookUpKnowledge`` done by a stub (or a function)."""

    def __init__(self, tz: ZoneInfo, knowledge: object = None) -> None:
        super().__init__(tz)
        self.knowledge = knowledge
        self.lookups: list[LookUpKnowledge] = []

    def handle(self, event: Event) -> list[Action]:
        out = super().handle(event)
        while out and isinstance(out[-1], LookUpKnowledge):
            ask = out[-1]
            self.lookups.append(ask)
            k = self.knowledge
            found = (None if k is None else k.answer(ask.query, ask.language, ask.topic)
                     if isinstance(k, StubKnowledge) else k(ask.query, ask.language, ask.topic))
            out = out[:-1] + super().handle(KnowledgeAnswered(found))
        return out


def start(language: str = "zh", desk_open: bool = True,
          caller_id: str | None = "13800000001") -> DialogMachine:
    m = Machine(TZ, StubKnowledge())
    out = m.handle(CallStarted(language, caller_id, "京0105", "北京市朝阳区人民法院",
                               "Beijing Chaoyang District People's Court", desk_open))
    assert out[-1] == Listen("intent", language)
    return m


def heard(m: Machine, text: str, intent: str = "unknown", **kw: object) -> list[Action]:
    conf = 0.9 if intent != "unknown" else 0.1
    u = Understanding(text, m.language, intent, conf, **kw)  # type: ignore[arg-type]
    return m.handle(Heard(u, text))


def said(actions: list[Action]) -> str:
    return " ".join(a.text for a in actions if isinstance(a, Say))


def test_greeting_names_line_court_and_language_key() -> None:
    m = Machine(TZ)
    out = m.handle(CallStarted("en", None, "京0105", "北京市朝阳区人民法院",
                               "Beijing Chaoyang District People's Court", True))
    text = said(out)
    assert "12368" in text and "Beijing Chaoyang District People's Court" in text
    assert "按8" in text and "How can I help you?" in text
    zh = Machine(TZ)
    text = said(zh.handle(CallStarted("zh", None, "京0105", "北京市朝阳区人民法院", "x", True)))
    assert "北京市朝阳区人民法院12368" in text and "press 9" in text


def test_events_before_start_raise_with_code() -> None:
    with pytest.raises(DialogError) as info:
        Machine(TZ).handle(NoInput())
    assert info.value.code == "dialog.not_started"


def test_consultation_answers_from_knowledge_with_topic() -> None:
    m = start()
    out = heard(m, "上诉期限是多久", "consultation", topic="appeal")
    assert "15日" in said(out) and out[-1] == Listen("intent", "zh")
    assert m.lookups == [LookUpKnowledge("上诉期限是多久", "zh", "appeal")]
    assert (m.intent, m.outcome) == ("consultation", "answered")


def test_consultation_asks_question_then_offers_operator() -> None:
    m = start()
    out = heard(m, "我想咨询一下", "consultation")
    assert "咨询什么问题" in said(out)
    out = heard(m, "天上的星星有几颗")
    assert "无法回答" in said(out) and out[-1] == Listen("yesno", "zh")
    out = heard(m, "好的", yes_no=True)
    assert out[-1] == RequestHandoff("consultation", None, False, "no_answer")


def test_keypad_consultation_then_question() -> None:
    m = start("en")
    out = m.handle(Keyed("3"))
    assert "What would you like to know?" in said(out)
    out = heard(m, "how long to appeal")
    assert "15 days" in said(out)


@pytest.mark.parametrize("kind", ["complaint", "report", "suggestion", "submit_materials"])
def test_records_take_a_message_and_read_back_the_number(kind: str) -> None:
    m = start()
    out = heard(m, "我要留言", kind)
    assert out[-1] == Listen("message", "zh")
    out = heard(m, "法院门口停车太难了")
    assert out == [CreateRecord(kind, "法院门口停车太难了", None, "13800000001")]
    out = m.handle(RecordCreated(kind, "TS20260303007", None))
    assert "TS20260303007" in said(out)
    assert (m.intent, m.outcome, m.record_ref) == (kind, "recorded", "TS20260303007")


def test_operator_in_hours_queues_and_hangs_up_with_handoff() -> None:
    m = start("en")
    out = heard(m, "operator please", "operator")
    assert "Transferring" in said(out)
    assert out[-1] == RequestHandoff("operator", None, False, "asked")
    out = m.handle(HandoffQueued("H20260303001", 3, 6))
    assert "number 3" in said(out) and "6 minutes" in said(out)
    assert out[-1] == HangUp("handoff") and m.record_ref == "H20260303001"


def test_operator_out_of_hours_books_callback_next_working_day() -> None:
    m = start(desk_open=False)
    out = heard(m, "转人工", "operator")
    assert "转接" not in said(out)
    out = m.handle(DeskClosed(NEXT_OPENING))
    assert "2026年10月9日9:00" in said(out) and out[-1] == Listen("menu", "zh")
    out = m.handle(Keyed("1"))
    assert "13800000001" in said(out)
    out = heard(m, "对", yes_no=True)
    assert len(out) == 1 and isinstance(out[0], CreateRecord)
    assert (out[0].kind, out[0].phone) == ("callback", "13800000001")
    out = m.handle(RecordCreated("callback", "HB001", NEXT_OPENING))
    assert "HB001" in said(out) and m.outcome == "callback"
    out = heard(m, "不用了", yes_no=False)
    assert out[-1] == HangUp("callback")


def test_unknown_twice_leads_to_operator_offer() -> None:
    m = start()
    out = heard(m, "呃那个什么")
    assert "按1" in said(out) and out[-1] == Listen("intent", "zh")
    out = heard(m, "哗啦哗啦")
    assert out[-1] == RequestHandoff("unknown", None, False, "not_understood")
    assert m.intent == "unknown"
    out = m.handle(DeskClosed(NEXT_OPENING))
    assert "回电" in said(out)


def test_silence_reprompts_then_says_goodbye() -> None:
    m = start()
    out = m.handle(NoInput())
    assert "还在听吗" in said(out) and "有什么可以帮您" in said(out)
    assert out[-1] == Listen("intent", "zh")
    out = m.handle(NoInput())
    assert out[-1] == HangUp("unresolved") and m.ended


def test_speech_resets_the_silence_count() -> None:
    m = start()
    m.handle(NoInput())
    heard(m, "嗯")
    out = m.handle(NoInput())
    assert not any(isinstance(a, HangUp) for a in out)


def test_barge_in_stops_speech_and_keeps_listening() -> None:
    m = start()
    heard(m, "我要投诉", "complaint")
    assert m.handle(BargeIn()) == [StopSpeaking(), Listen("message", "zh")]
    out = heard(m, "投诉内容")
    assert isinstance(out[0], CreateRecord)
    assert m.handle(BargeIn()) == [StopSpeaking()]


def test_action_failure_apologises_and_offers_operator_then_callback() -> None:
    m = start()
    heard(m, "我要投诉", "complaint")
    heard(m, "投诉内容")
    out = m.handle(ActionFailed("CreateRecord", "store.unavailable"))
    assert "抱歉" in said(out) and out[-1] == Listen("yesno", "zh")
    out = m.handle(Keyed("1"))
    assert isinstance(out[-1], RequestHandoff) and out[-1].reason == "error"
    out = m.handle(ActionFailed("RequestHandoff", "handoff.unavailable"))
    assert "回电" in said(out) and out[-1] == Listen("menu", "zh")
    m.handle(Keyed("1"))
    m.handle(Keyed("1"))
    out = m.handle(ActionFailed("CreateRecord", "store.unavailable"))
    assert isinstance(out[-1], HangUp) and "12368" in said(out)


def test_stage_failure_is_never_a_dead_end() -> None:
    m = start("en")
    out = m.handle(ActionFailed("asr", "asr.failed"))
    assert "Sorry" in said(out) and isinstance(out[-1], Listen)
    out = heard(m, "no", yes_no=False)
    assert "anything else" in said(out)


def test_language_switch_by_speech_and_by_key() -> None:
    m = start()
    out = heard(m, "English please", language_switch="en")  # asked back, in English
    assert not any(isinstance(a, SwitchLanguage) for a in out) and out[-1] == Listen("yesno", "en")
    out = heard(m, "yes", yes_no=True)
    assert out[0] == SwitchLanguage("en") and "How can I help you?" in said(out)
    assert m.language == "en" and out[-1] == Listen("intent", "en")
    out = m.handle(Keyed("8"))
    assert out[0] == SwitchLanguage("zh") and "有什么可以帮您" in said(out)


def test_switch_mid_question_reasks_in_new_language() -> None:
    m = start()
    heard(m, "案件进度", "case_progress", case_number=NUMBER)
    heard(m, "English", language_switch="en")
    out = m.handle(Keyed("1"))  # yes to "continue in English?"
    assert out[0] == SwitchLanguage("en")
    assert "(2024) Jing 0105 civil first instance No. 12345" in said(out)
    assert out[-1] == Listen("yesno", "en")


def test_goodbye_and_hang_up() -> None:
    m = start()
    out = heard(m, "再见", "goodbye")
    assert out[-1] == HangUp("unresolved")
    m2 = start()
    assert m2.handle(HungUp()) == [] and m2.ended
    assert m2.handle(NoInput()) == []


def test_new_request_in_the_middle_of_a_slot() -> None:
    m = start()
    heard(m, "查案子", "case_progress")
    out = heard(m, "我要投诉", "complaint")
    assert out[-1] == Listen("message", "zh") and m.intent == "complaint"


def test_asking_for_an_operator_again_when_the_desk_is_closed_repeats_the_offer() -> None:
    m = start(desk_open=False)
    heard(m, "转人工", "operator")
    m.handle(DeskClosed(NEXT_OPENING))
    out = heard(m, "我要人工", "operator")
    assert not any(isinstance(a, RequestHandoff) for a in out)
    assert "回电" in said(out) and out[-1] == Listen("menu", "zh")
    out = heard(m, "不用了", yes_no=False)
    assert out[-1] == Listen("intent", "zh")


def test_keys_at_anything_else_are_yes_and_no() -> None:
    m = start()
    heard(m, "上诉期限", "consultation")
    out = m.handle(Keyed("1"))
    assert out[-1] == Listen("intent", "zh") and m.state == "intent"
    out = m.handle(Keyed("4"))
    assert out[-1] == Listen("message", "zh")
    m2 = start()
    heard(m2, "上诉期限", "consultation")
    assert m2.handle(Keyed("2#"))[-1] == HangUp("answered")


def test_goodbye_with_a_no_answers_a_yes_no_question() -> None:
    m = start()
    heard(m, "想问点别的", "consultation")
    out = heard(m, "星星有几颗", "consultation")
    assert out[-1] == Listen("yesno", "zh")
    out = heard(m, "没有", "goodbye", yes_no=False)
    assert out[-1] == Listen("intent", "zh") and not m.ended


def test_no_at_the_menu_after_an_answer_ends_the_call() -> None:
    m = start()
    heard(m, "上诉期限", "consultation")
    heard(m, "天气怎么样")
    out = heard(m, "不用了", yes_no=False)
    assert out[-1] == HangUp("answered")


def test_queue_limit_is_told_when_known() -> None:
    m = start()
    heard(m, "转人工", "operator")
    out = m.handle(HandoffQueued("H1", 1, 2, callback_after_min=15))
    assert "第1位" in said(out) and "15分钟内未能接通" in said(out)


def test_knowledge_may_be_a_plain_function() -> None:
    def answer(text: str, language: str, topic: str | None) -> str | None:
        return f"answer about {topic}" if topic else None

    m = Machine(TZ, answer)
    m.handle(CallStarted("en", None, "京0105", "x", "y", True))
    out = heard(m, "fees please", "consultation", topic="fees")
    assert "answer about fees" in said(out)


def test_one_minute_of_waiting_is_singular_in_english() -> None:
    m = start("en")
    heard(m, "operator please", "operator")
    out = said(m.handle(HandoffQueued("H1", 1, 1)))
    assert "about 1 minute." in out and "minutes" not in out
    m = start("en")
    heard(m, "operator please", "operator")
    assert "about 4 minutes." in said(m.handle(HandoffQueued("H2", 2, 4)))


@pytest.mark.parametrize("kind", ["complaint", "callback"])
def test_a_spooled_record_is_promised_as_saved_not_as_numbered(kind: str) -> None:
    m = start()
    heard(m, "我要留言", "complaint")
    heard(m, "法院门口停车太难了")
    out = m.handle(RecordCreated(kind, "", None, spooled=True))
    assert "留言已保存" in said(out) and "编号" not in said(out).replace("无法登记编号", "")
    assert m.outcome in ("recorded", "callback")
    m = start("en")
    heard(m, "I want to complain", "complaint")
    heard(m, "the parking is terrible")
    out = m.handle(RecordCreated(kind, "", None, spooled=True))
    assert "your message is saved and will be passed on" in said(out)


def test_consultation_is_a_lookup_action_answered_by_an_event() -> None:
    m = DialogMachine(TZ)
    m.handle(CallStarted("zh", None, "京0105", "x", "y", True))
    u = Understanding("上诉期限是多久", "zh", "consultation", 0.9, topic="appeal")
    out = m.handle(Heard(u, u.text))
    assert out == [LookUpKnowledge("上诉期限是多久", "zh", "appeal")] and m.state == "consulting"
    assert m.handle(NoInput()) == [] and m.handle(RecordCreated("complaint", "R1")) == []
    out = m.handle(KnowledgeAnswered("上诉期限为15日。"))
    assert "15日" in said(out) and out[-1] == Listen("intent", "zh")
    assert m.handle(KnowledgeAnswered("stray")) == []  # not waiting for one any more


def test_a_failed_knowledge_lookup_apologises_and_offers_a_person() -> None:
    m = DialogMachine(TZ)
    m.handle(CallStarted("en", None, "京0105", "x", "y", True))
    u = Understanding("how do I appeal", "en", "consultation", 0.9)
    m.handle(Heard(u, u.text))
    out = m.handle(ActionFailed("LookUpKnowledge", "knowledge.failed"))
    assert out[-1] == Listen("yesno", "en") and m.state == "offer_operator"
