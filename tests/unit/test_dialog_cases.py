"""Case matters through the dialog, driven from text: numbers, confirmation, passwords, answers."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import (
    Action,
    CreateWorkOrder,
    HangUp,
    Listen,
    LookUpCase,
    RequestHandoff,
    Say,
    VerifyPassword,
)
from voicebot.dialog.events import (
    CallStarted,
    CaseFound,
    Heard,
    Keyed,
    PasswordChecked,
    RecordCreated,
)
from voicebot.dialog.machine import DialogMachine
from voicebot.nlu.types import PartialCaseNumber, Understanding
from voicebot.store.facts import (
    CaseFacts,
    EventFacts,
    HearingFacts,
    PersonFacts,
    ReplyFacts,
    ResultFacts,
)

TZ = ZoneInfo("Asia/Shanghai")
NUMBER = CaseNumber.parse("（2024）京0105民初12345号")
OTHER = CaseNumber.parse("（2024）京0105民初12346号")


def facts(number: CaseNumber = NUMBER, **changes: object) -> CaseFacts:
    base = dict(
        number=number,
        court_name="北京市朝阳区人民法院",
        court_name_en="Beijing Chaoyang District People's Court",
        cause="买卖合同纠纷",
        cause_en="sales contract dispute",
        filed_on=dt.date(2024, 3, 1),
        accepted=True,
        status="in_trial",
        judge=PersonFacts("王明", "Wang Ming"),
        panel=(PersonFacts("王明", "Wang Ming"), PersonFacts("李华", "Li Hua"),
               PersonFacts("张强", "Zhang Qiang")),
        next_hearing=HearingFacts(dt.datetime(2026, 3, 10, 1, 30, tzinfo=dt.UTC),
                                  "第三法庭", "Courtroom 3"),
        last_hearing=None,
        recent_events=(EventFacts(dt.datetime(2026, 2, 20, 2, 0, tzinfo=dt.UTC),
                                  "向被告送达起诉状副本", "complaint served on the defendant"),),
        result=None,
    )
    base.update(changes)
    return CaseFacts(**base)  # type: ignore[arg-type]


def start(language: str = "zh", caller_id: str | None = "13800000001",
          desk_open: bool = True) -> DialogMachine:
    m = DialogMachine(TZ)
    m.handle(CallStarted(language, caller_id, "京0105", "北京市朝阳区人民法院",
                         "Beijing Chaoyang District People's Court", desk_open))
    return m


def heard(m: DialogMachine, text: str, intent: str = "unknown", *, language: str | None = None,
          **kw: object) -> list[Action]:
    u = Understanding(text, language or m.language, intent, 0.9 if intent != "unknown" else 0.1,
                      **kw)  # type: ignore[arg-type]
    return m.handle(Heard(u, text))


def said(actions: list[Action]) -> str:
    return " ".join(a.text for a in actions if isinstance(a, Say))


def listen(actions: list[Action]) -> Listen:
    assert isinstance(actions[-1], Listen), actions
    return actions[-1]


def verify_ok(m: DialogMachine, number: CaseNumber = NUMBER, f: CaseFacts | None = None,
              password: str = "482913") -> list[Action]:
    out = m.handle(Keyed(password + "#"))
    assert out == [VerifyPassword(number, password)]
    out = m.handle(PasswordChecked(True, 3, False))
    notice = not m.case.notice_said or out[0] != LookUpCase(number)
    assert out[-1] == LookUpCase(number, lawful_notice=notice)
    assert ("依法使用" in said(out) or "used only lawfully" in said(out)) == notice
    return all_pages(m, m.handle(CaseFound(f or facts(number))))


def all_pages(m: DialogMachine, out: list[Action]) -> list[Action]:
    """A long answer comes in pages (issue 17.13): press # for each next one."""
    while m.state == "more":
        out = out + m.handle(Keyed("#"))
    return out


def to_password(m: DialogMachine, intent: str = "case_progress") -> None:
    out = heard(m, "查案件 2024年京0105民初12345号", intent, case_number=NUMBER)
    assert "（2024）京0105民初12345号" in said(out)
    assert listen(out).expect == "yesno"
    out = heard(m, "对", yes_no=True)
    assert listen(out).expect == "password" and listen(out).max_digits == 6


def test_progress_reads_back_number_then_verifies_then_answers() -> None:
    m = start()
    to_password(m)
    out = verify_ok(m)
    text = said(out)
    assert "向被告送达起诉状副本" in text and "2026年2月20日" in text
    assert "2026年3月10日9:30" in text and "第三法庭" in text
    assert listen(out).expect == "intent"
    assert (m.intent, m.case_number, m.verified, m.outcome) == (
        "case_progress", NUMBER, True, "answered")
    out = heard(m, "没有了，再见", "goodbye")
    assert out[-1] == HangUp("answered")
    assert m.handle(Keyed("1")) == []


@pytest.mark.parametrize(
    ("intent", "expected"),
    [
        ("case_acceptance", ["已于2024年3月1日由北京市朝阳区人民法院立案受理", "买卖合同纠纷"]),
        ("case_panel", ["审判长为王明", "李华、张强"]),
        ("hearing_time", ["2026年3月10日9:30", "第三法庭"]),
        ("case_result", ["尚未审结"]),
    ],
)
def test_each_case_intent_answers_its_question(intent: str, expected: list[str]) -> None:
    m = start()
    to_password(m, intent)
    text = said(verify_ok(m))
    for piece in expected:
        assert piece in text
    assert m.intent == intent


def test_result_and_judge_replies_in_english() -> None:
    m = start("en")
    out = heard(m, "what was the result of my case", "case_result", case_number=NUMBER)
    assert "(2024) Jing 0105 civil first instance No. 12345" in said(out)
    heard(m, "yes", yes_no=True)
    f = facts(status="closed", result=ResultFacts(dt.date(2026, 1, 5), "判决被告支付货款", "the "
              "defendant must pay for the goods"),
              replies=(ReplyFacts("GD20260101001", "已安排下周开庭",
                                  dt.datetime(2026, 1, 3, 2, 0, tzinfo=dt.UTC)),))
    text = said(verify_ok(m, f=f))
    assert "decided on January 5, 2026" in text and "defendant must pay" in text
    assert "GD20260101001" in text and "已安排下周开庭" in text
    assert all(a.language == "en" for a in m.handle(Keyed("*")) if isinstance(a, Say))


def test_partial_number_gets_home_court_and_asks_for_missing_sequence() -> None:
    m = start()
    out = heard(m, "我想问开庭时间，2024年民初的案子", "hearing_time",
                partial_case_number=PartialCaseNumber(2024, None, "民初", None))
    assert "案件序号" in said(out) and "立案年份" not in said(out)
    assert listen(out).expect == "case_number"
    out = heard(m, "12345", digits="12345")
    assert "（2024）京0105民初12345号" in said(out)
    assert listen(out).expect == "yesno"


def test_no_with_digits_replaces_the_sequence_number() -> None:
    m = start()
    heard(m, "案件进度 2024年京0105民初12345号", "case_progress", case_number=NUMBER)
    out = heard(m, "不对，是12346", yes_no=False, digits="12346")
    assert "（2024）京0105民初12346号" in said(out)
    out = heard(m, "对", yes_no=True)
    assert listen(out).expect == "password"
    assert "案件（2024）京0105民初12346号" in said(verify_ok(m, OTHER))
    assert m.case_number == OTHER


def test_no_with_new_number_and_plain_no() -> None:
    m = start("en")
    heard(m, "case progress", "case_progress", case_number=NUMBER)
    out = heard(m, "no it is 12346", yes_no=False, case_number=OTHER)
    assert "No. 12346" in said(out)
    out = heard(m, "no", yes_no=False)
    # two read-backs said no to: every part by keypad (a third spoken try would be heard as
    # badly as the first two)
    assert "key in the 4-digit year" in said(out) and listen(out) == Listen("digits", "en", 4)
    m.handle(Keyed("2024#"))
    m.handle(Keyed("1"))
    out = m.handle(Keyed("12345#"))
    assert "No. 12345" in said(out) and listen(out).expect == "yesno"


def test_after_a_no_the_next_reading_of_the_repeat_is_read_back() -> None:
    # the recognizer heard 12345 twice; its second-best reading of the repeat was 12346
    m = start("en")
    heard(m, "check my case 12345", "case_progress", case_number=NUMBER)
    out = heard(m, "no", yes_no=False)
    assert listen(out).expect == "case_number"
    alternative = Understanding("one two three four six", "en", "unknown", 0.1, digits="12346")
    u = Understanding("one two three four five", "en", "unknown", 0.1, digits="12345",
                      case_number=NUMBER)
    out = m.handle(Heard(u, u.text, (alternative,)))
    assert "No. 12346" in said(out) and listen(out).expect == "yesno"
    out = heard(m, "yes", yes_no=True)
    assert listen(out).expect == "password"


def test_a_rejected_reading_heard_again_without_another_goes_to_the_keypad() -> None:
    m = start("en")
    heard(m, "check my case 12345", "case_progress", case_number=NUMBER)
    heard(m, "no", yes_no=False)
    out = heard(m, "12345", case_number=NUMBER)
    assert "still did not catch" in said(out) and "key in the sequence number" in said(out)
    assert listen(out) == Listen("digits", "en", None)
    out = m.handle(Keyed("12346#"))
    assert "No. 12346" in said(out)


def test_the_same_number_repeated_at_the_read_back_is_not_a_rejection() -> None:
    m = start("en")
    heard(m, "check my case 12345", "case_progress", case_number=NUMBER)
    out = heard(m, "yes 12345", yes_no=True, case_number=NUMBER)
    assert listen(out).expect == "password"
    assert not m.case.rejected


def test_readings_that_add_no_part_count_as_misses_and_lead_to_the_keypad() -> None:
    m = start("en")
    heard(m, "was my filing accepted", "case_acceptance")
    misheard = PartialCaseNumber(None, None, None, 25)  # "seven seven" heard as "25th"
    out = heard(m, "25th evil", partial_case_number=misheard)
    assert listen(out).expect == "case_number" and "year" in said(out)
    out = heard(m, "25th evil heaven", partial_case_number=misheard)  # no part gained
    assert "did not catch" in said(out) and listen(out).expect == "case_number"
    out = heard(m, "25th evil", partial_case_number=misheard)
    assert "year" in said(out) and listen(out) == Listen("digits", "en", 4)
    m.handle(Keyed("2025#"))
    out = m.handle(Keyed("1"))
    assert "sequence number" in said(out)  # the misheard 25 is not used
    out = m.handle(Keyed("77#"))
    assert "No. 77" in said(out) and m.state == "confirm_number"


def test_keypad_entry_after_two_misses() -> None:
    m = start()
    out = heard(m, "我要查案子", "case_progress")
    assert listen(out).expect == "case_number"
    out = heard(m, "嗯嗯那个")
    assert "没有听清楚" in said(out)
    out = heard(m, "啊")
    assert "键盘" in said(out) and "年份" in said(out)
    assert listen(out) == Listen("digits", "zh", 4)
    out = m.handle(Keyed("2024#"))
    assert "民初请按1" in said(out)
    out = m.handle(Keyed("1"))
    assert "序号" in said(out)
    out = m.handle(Keyed("12345#"))
    assert "（2024）京0105民初12345号" in said(out)
    out = m.handle(Keyed("1"))
    assert listen(out).expect == "password"


def test_three_wrong_passwords_lock_and_fail_verification() -> None:
    m = start()
    to_password(m)
    texts = []
    for left in (2, 1):
        assert m.handle(Keyed("000000#")) == [VerifyPassword(NUMBER, "000000")]
        out = m.handle(PasswordChecked(False, left, False))
        texts.append(said(out))
        assert f"还可以再试{left}次" in said(out)
    m.handle(Keyed("111111"))
    out = m.handle(PasswordChecked(False, 0, True))
    assert "暂停30分钟" in said(out)
    assert m.outcome == "verification_failed" and not m.verified
    assert not any(isinstance(a, LookUpCase) for a in out)
    assert listen(out).expect == "intent"


def _failures(known: bool) -> list[str]:
    m = start()
    to_password(m)
    texts = []
    for left in (2, 1, 0):
        m.handle(Keyed("123456#"))
        # the loop may count differently for unknown numbers; the dialog counts too
        texts.append(said(m.handle(PasswordChecked(False, 3 if not known else left, left == 0,
                                                  known=known))))
    texts.append(m.outcome)
    return texts


def test_unknown_number_sounds_like_a_wrong_password_but_outcome_differs() -> None:
    known = _failures(True)
    unknown = _failures(False)
    assert known[:-1] == unknown[:-1]
    assert (known[-1], unknown[-1]) == ("verification_failed", "not_found")


def test_second_question_about_verified_case_needs_no_password() -> None:
    m = start()
    to_password(m)
    verify_ok(m)
    out = heard(m, "合议庭成员是谁", "case_panel")
    assert "审判长为王明" in said(out)
    assert not any(isinstance(a, VerifyPassword | LookUpCase) for a in out)


def test_contact_judge_work_order_with_caller_id() -> None:
    m = start()
    to_password(m, "contact_judge")
    out = verify_ok(m)
    assert "王明" in said(out) and listen(out).expect == "message"
    out = m.handle(Heard(Understanding("请法官尽快安排调解", "zh"), "请法官尽快安排调解"))
    assert "13800000001" in said(out) and listen(out).expect == "yesno"
    out = heard(m, "对", yes_no=True)
    assert out == [CreateWorkOrder(NUMBER, "请法官尽快安排调解", "13800000001")]
    due = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)
    out = m.handle(RecordCreated("work_order", "GD20260303001", due))
    assert "GD20260303001" in said(out) and "2026年3月6日17:00" in said(out)
    assert (m.outcome, m.record_ref) == ("work_order", "GD20260303001")


def test_contact_judge_asks_for_phone_without_caller_id() -> None:
    m = start("en", caller_id=None)
    out = heard(m, "I need to talk to the judge", "contact_judge", case_number=NUMBER)
    heard(m, "yes", yes_no=True)
    verify_ok(m)
    m.handle(Heard(Understanding("please call me about the hearing", "en"),
                   "please call me about the hearing"))
    assert m.state == "ask_phone"
    out = m.handle(Keyed("12#"))
    assert "7 to 15 digits" in said(out)
    out = m.handle(Keyed("13912345678#"))
    assert "13912345678" in said(out) and m.state == "confirm_keyed_phone"  # read back first
    out = m.handle(Keyed("1"))
    assert out == [CreateWorkOrder(NUMBER, "please call me about the hearing", "13912345678")]


def test_keyed_two_at_confirmation_is_no_not_a_sequence_number() -> None:
    m = start()
    heard(m, "案件进度", "case_progress", case_number=NUMBER)
    out = m.handle(Keyed("2#"))
    assert listen(out).expect == "case_number" and m.case_number is None


def test_digits_alone_at_confirmation_correct_the_sequence_number() -> None:
    m = start()
    heard(m, "案件进度", "case_progress", case_number=NUMBER)
    out = heard(m, "12346", digits="12346")
    assert "（2024）京0105民初12346号" in said(out) and listen(out).expect == "yesno"
    out = m.handle(Keyed("12347#"))
    assert "（2024）京0105民初12347号" in said(out)


def test_a_different_number_at_the_password_prompt_is_confirmed_first() -> None:
    m = start()
    to_password(m)
    out = heard(m, "不是这个案子，是12346号", case_number=OTHER)
    assert "12346" in said(out) and listen(out).expect == "yesno"
    heard(m, "对", yes_no=True)
    assert m.handle(Keyed("482913")) == [VerifyPassword(OTHER, "482913")]


def test_a_doubtful_spoken_password_is_asked_for_by_keypad_once() -> None:
    m = start()
    to_password(m)
    u = Understanding("四八二九一三", "zh", "unknown", 0.1, digits="482913")
    out = m.handle(Heard(u, u.text, doubtful=True))
    assert not any(isinstance(a, VerifyPassword) for a in out)  # no attempt spent
    assert "不确定" in said(out) and "键盘" in said(out)
    assert listen(out) == Listen("password", "zh", 6)
    # said again, doubtful again: the line goes on with it rather than ask forever
    assert m.handle(Heard(u, u.text, doubtful=True)) == [VerifyPassword(NUMBER, "482913")]


def test_a_sure_spoken_password_is_checked_at_once() -> None:
    m = start()
    to_password(m)
    u = Understanding("四八二九一三", "zh", "unknown", 0.1, digits="482913")
    assert m.handle(Heard(u, u.text)) == [VerifyPassword(NUMBER, "482913")]


def test_digits_in_the_request_are_the_sequence_number() -> None:
    m = start("en")
    out = heard(m, "what is the status of case 12345", "case_progress", digits="12345")
    assert "year of filing" in said(out) and "sequence number" not in said(out)
    out = heard(m, "2024 civil first instance",
                partial_case_number=PartialCaseNumber(2024, None, "民初", None))
    assert "(2024) Jing 0105 civil first instance No. 12345" in said(out)


def test_keypad_overview_says_everything_once() -> None:
    m = start()
    m.handle(Keyed("1"))
    heard(m, "2024年京0105民初12345号", case_number=NUMBER)
    m.handle(Keyed("1"))
    text = said(verify_ok(m))
    assert text.count("立案受理") == 1 and text.count("审判长为王明") == 1
    assert "第三法庭" in text and "向被告送达起诉状副本" in text
    assert m.intent == "case_progress"


def test_password_not_understood_offers_keypad_then_escalates() -> None:
    m = start()
    to_password(m)
    out = heard(m, "嗯那个")
    assert "没有听清楚" in said(out)
    out = heard(m, "八八", digits="88")
    assert "查询密码是6位数字" in said(out)
    out = heard(m, "啊")
    assert isinstance(out[-1], RequestHandoff) and out[-1].reason == "not_understood"
    assert out[-1].number == NUMBER and out[-1].verified is False


def test_second_miss_on_a_phone_number_offers_the_keypad() -> None:
    m = start("en", caller_id=None)
    m.handle(Keyed("2"))
    heard(m, "case", case_number=NUMBER)
    heard(m, "yes", yes_no=True)
    verify_ok(m)
    m.handle(Heard(Understanding("call me", "en"), "call me"))
    heard(m, "mm")
    out = heard(m, "hmm")
    assert "still did not catch" in said(out) and "key in your phone number" in said(out)
    assert listen(out).expect == "phone"
