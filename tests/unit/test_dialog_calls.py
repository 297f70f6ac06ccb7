"""Whole calls from a list of caller turns, with a fake back end answering the dialog's actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import (
    Action,
    CreateRecord,
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
    DeskClosed,
    Event,
    HandoffQueued,
    Heard,
    Keyed,
    NoInput,
    PasswordChecked,
    RecordCreated,
)
from voicebot.dialog.machine import DialogMachine
from voicebot.nlu.types import Understanding
from voicebot.store.facts import CaseFacts, PersonFacts

TZ = ZoneInfo("Asia/Shanghai")
NUMBER = CaseNumber.parse("（2024）京0105民初12345号")
UNKNOWN = CaseNumber.parse("（2024）京0105民初99999号")
PASSWORD = "482913"


def facts() -> CaseFacts:
    return CaseFacts(NUMBER, "北京市朝阳区人民法院", "Beijing Chaoyang District People's Court",
                     "买卖合同纠纷", "sales contract dispute", dt.date(2024, 3, 1), True,
                     "accepted", PersonFacts("王明", "Wang Ming"), (), None, None, (), None)


@dataclass
class FakeBackend:
    """Answers the dialog's backend actions like the call loop's services would."""

    desk_open: bool
    tries: dict[CaseNumber, int] = field(default_factory=dict)
    done: list[Action] = field(default_factory=list)

    def run(self, action: Action) -> Event:
        self.done.append(action)
        if isinstance(action, VerifyPassword):
            known = action.number == NUMBER
            if known and action.password == PASSWORD:
                return PasswordChecked(True, 3, False)
            self.tries[action.number] = self.tries.get(action.number, 0) + 1
            left = max(3 - self.tries[action.number], 0)
            return PasswordChecked(False, left, left == 0, known=known)
        if isinstance(action, LookUpCase):
            return CaseFound(facts())
        if isinstance(action, CreateWorkOrder):
            return RecordCreated("work_order", "GD001", dt.datetime(2026, 3, 6, 17, tzinfo=TZ))
        if isinstance(action, CreateRecord):
            return RecordCreated(action.kind, "R001", None)
        if isinstance(action, RequestHandoff):
            if self.desk_open:
                return HandoffQueued("H001", 2, 4)
            return DeskClosed(dt.datetime(2026, 10, 9, 9, tzinfo=TZ))
        raise AssertionError(f"not a backend action: {action}")


Turn = Understanding | str | None
"""Speech, keys (a str), or silence (None)."""


def call(turns: list[Turn], *, language: str = "zh", desk_open: bool = True,
         caller_id: str | None = "13800000001") -> tuple[DialogMachine, list[str], FakeBackend]:
    m = DialogMachine(TZ)
    backend = FakeBackend(desk_open)
    bot: list[str] = []
    pending = list(turns)
    actions = m.handle(CallStarted(language, caller_id, "京0105", "北京市朝阳区人民法院",
                                   "Beijing Chaoyang District People's Court", desk_open))
    for _ in range(100):
        next_event: Event | None = None
        for action in actions:
            if isinstance(action, Say):
                bot.append(action.text)
            elif isinstance(action, Listen):
                assert pending, f"the dialog listens but the caller has nothing more: {bot[-1]}"
                turn = pending.pop(0)
                next_event = (NoInput() if turn is None else Keyed(turn) if isinstance(turn, str)
                              else Heard(turn, turn.text))
            elif isinstance(action, HangUp):
                assert not pending, f"hung up with turns left: {pending}"
                return m, bot, backend
            elif not isinstance(action, Say):
                next_event = backend.run(action)
        assert next_event is not None, actions
        actions = m.handle(next_event)
    raise AssertionError("the call did not end")


def u(text: str, intent: str = "unknown", language: str = "zh", **kw: object) -> Understanding:
    return Understanding(text, language, intent, 0.9 if intent != "unknown" else 0.1,
                         **kw)  # type: ignore[arg-type]


BYE = u("没有了，谢谢", yes_no=False)


def test_progress_by_voice_and_keyed_password() -> None:
    first = u("是否立案了 2024年京0105民初12345号", "case_acceptance", case_number=NUMBER)
    m, bot, _ = call([first, u("对", yes_no=True), PASSWORD + "#", BYE])
    assert (m.intent, m.case_number, m.outcome) == ("case_acceptance", NUMBER, "answered")
    assert any("12345" in t for t in bot)


def test_unknown_number_three_tries_outcome_not_found_no_lookup() -> None:
    m, bot, backend = call([u("查案子", "case_progress", case_number=UNKNOWN),
                            u("对", yes_no=True), "111111", "222222", "333333", BYE])
    assert m.outcome == "not_found"
    assert not any(isinstance(a, LookUpCase) for a in backend.done)
    asked = next(i for i, t in enumerate(bot) if "6位查询密码" in t)
    assert "99999" in " ".join(bot[:asked]) and "99999" not in " ".join(bot[asked:])


def test_garbled_input_reaches_an_operator_in_hours() -> None:
    m, bot, _ = call([u("咕噜咕噜"), u("哗啦哗啦")])
    assert (m.outcome, m.record_ref) == ("handoff", "H001")
    assert "第2位" in bot[-1]


def test_night_operator_request_books_callback() -> None:
    m, bot, backend = call([u("转人工", "operator"), "1", "1", BYE], desk_open=False)
    assert m.outcome == "callback"
    record = [a for a in backend.done if isinstance(a, CreateRecord)]
    assert record and record[0].kind == "callback" and record[0].phone == "13800000001"
    assert any("2026年10月9日9:00" in t for t in bot)


def test_work_order_out_of_hours_after_verification_in_english() -> None:
    turns: list[Turn] = [
        u("when is my hearing", "hearing_time", "en", case_number=NUMBER),
        u("yes", language="en", yes_no=True), PASSWORD,
        u("operator", "operator", "en"), "3",
        u("please ask the judge to call me", language="en"),
        u("yes", language="en", yes_no=True),
        u("no thanks", language="en", yes_no=False),
    ]
    m, bot, backend = call(turns, language="en", desk_open=False)
    assert (m.outcome, m.record_ref) == ("work_order", "GD001")
    assert any("GD001" in t and "March 6, 2026 at 17:00" in t for t in bot)
    assert any(isinstance(a, CreateWorkOrder) for a in backend.done)


def test_silence_ends_the_call_unresolved() -> None:
    m, bot, _ = call([None, None])
    assert m.outcome == "unresolved" and m.ended
    assert "12368" in bot[-1]


def test_complaint_is_recorded_and_read_back() -> None:
    m, bot, backend = call([u("我要投诉", "complaint"), u("书记员态度不好"), BYE])
    assert (m.outcome, m.record_ref) == ("recorded", "R001")
    assert backend.done == [CreateRecord("complaint", "书记员态度不好", None, "13800000001")]
    assert any("R001" in t for t in bot)
