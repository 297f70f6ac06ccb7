"""No consequential step on one doubtful hearing (issue 12.3): a language switch by speech is
asked back and taken only on a clear yes; a doubtful goodbye is asked back; keys act at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import Action, HangUp, Listen, RequestHandoff, Say, SwitchLanguage
from voicebot.dialog.events import CallStarted, DeskClosed, Heard, Keyed
from voicebot.dialog.machine import DialogMachine
from voicebot.nlu.types import Understanding

TZ = ZoneInfo("Asia/Shanghai")


def start(language: str = "en", desk_open: bool = True) -> DialogMachine:
    m = DialogMachine(TZ)
    m.handle(CallStarted(language, "13800000001", "京0105", "北京市朝阳区人民法院",
                         "Beijing Chaoyang District People's Court", desk_open))
    return m


def heard(m: DialogMachine, text: str, intent: str = "unknown", doubtful: bool = False,
          **kw: object) -> list[Action]:
    u = Understanding(text, m.language, intent, 0.9 if intent != "unknown" else 0.1,
                      **kw)  # type: ignore[arg-type]
    return m.handle(Heard(u, text, doubtful=doubtful))


def ends(out: list[Action]) -> bool:
    return any(isinstance(a, HangUp) for a in out)


def switches(out: list[Action]) -> bool:
    return any(isinstance(a, SwitchLanguage) for a in out)


def test_yes_chinese_at_the_callback_offer_neither_switches_nor_ends() -> None:
    m = start(desk_open=False)
    heard(m, "operator", "operator")
    m.handle(DeskClosed(dt.datetime(2026, 10, 9, 9, tzinfo=TZ)))
    assert m.state == "offer_callback"
    out = heard(m, "yes chinese", yes_no=True, language_switch="zh")  # "yes please" misheard
    assert not switches(out) and not ends(out) and m.language == "en"
    assert m.state != "offer_callback"  # taken as the yes it is


def test_a_misheard_language_word_is_asked_back_and_a_no_keeps_the_language() -> None:
    m = start()
    out = heard(m, "chinese", language_switch="zh")
    assert not switches(out) and m.language == "en"
    assert out[-1] == Listen("yesno", "zh") and isinstance(out[0], Say) and out[0].language == "zh"
    out = heard(m, "no", yes_no=False)  # the caller never asked for it
    assert not switches(out) and m.language == "en" and out[-1] == Listen("intent", "en")
    assert not switches(heard(m, "chinese", language_switch="zh", doubtful=True))


def test_the_keypad_switches_at_once() -> None:
    m = start()
    out = m.handle(Keyed("8"))
    assert isinstance(out[0], SwitchLanguage) and m.language == "zh"


def test_a_doubtful_goodbye_is_asked_back_a_clear_one_ends() -> None:
    m2 = start()
    heard(m2, "check my case", "case_progress")
    out = heard(m2, "goodbye", "goodbye", doubtful=True)
    assert not ends(out) and out[-1] == Listen("yesno", "en")
    assert "end the call" in " ".join(a.text for a in out if isinstance(a, Say))
    out = heard(m2, "no", yes_no=False)  # not leaving: the question in force again
    assert not ends(out) and out[-1] == Listen("case_number", "en")
    heard(m2, "goodbye", "goodbye", doubtful=True)
    assert ends(m2.handle(Keyed("1")))
    m3 = start()
    heard(m3, "check my case", "case_progress")
    assert ends(heard(m3, "goodbye", "goodbye"))  # a confident goodbye ends the call


def test_yes_please_read_as_a_weak_operator_request_confirms_a_sure_one_hands_off() -> None:
    number = CaseNumber.parse("（2024）京0105民初12345号")
    m = start()
    heard(m, "case progress", "case_progress", case_number=number)
    assert m.state == "confirm_number"
    u = Understanding("yes please", "en", "operator", 0.28, yes_no=True)
    out = m.handle(Heard(u, "yes please"))
    assert not any(isinstance(a, RequestHandoff) for a in out) and m.intent == "case_progress"
    assert m.state != "confirm_number"  # taken as the yes it is
    m2 = start()
    heard(m2, "case progress", "case_progress", case_number=number)
    out = heard(m2, "no, put me through to an operator", "operator", yes_no=False)
    assert any(isinstance(a, RequestHandoff) for a in out)


def test_a_doubtful_operator_reading_is_offered_not_taken() -> None:
    m = start()
    out = heard(m, "i think else thanks", "operator", doubtful=True)  # the list's stand-in
    assert not any(isinstance(a, RequestHandoff) for a in out)
    assert out[-1] == Listen("yesno", "en") and m.state == "offer_operator"
    out = heard(m, "no", yes_no=False)
    assert not any(isinstance(a, RequestHandoff) for a in out)
    m2 = start()
    out = heard(m2, "operator", "operator")  # a clear reading hands off at once
    assert any(isinstance(a, RequestHandoff) for a in out)
    m3 = start()
    heard(m3, "operator please", "operator", doubtful=True)
    out = heard(m3, "yes", yes_no=True)
    assert any(isinstance(a, RequestHandoff) for a in out) and m3.intent == "operator"
