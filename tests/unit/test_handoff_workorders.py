"""Work orders: judge, due time, contact chain, overdue, reply and close, on both backends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff import (
    ConflictError,
    InvalidInputError,
    PermissionDeniedError,
    claim_ticket,
    close,
    create_work_order,
    enqueue_handoff,
    get_ticket,
    get_work_order,
    mark_overdue,
    record_contact_attempt,
    reply,
    to_work_order,
)
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.models import AuditEntry, Case, Court, Department, Judge, User
from voicebot.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
TUESDAY = dt.datetime(2026, 3, 3, 10, 0, tzinfo=TZ)
CAL = WorkCalendar.from_settings(DEFAULT_SETTINGS)
CASE_NO = "（2024）京0105民初12345号"


def seed(s: Session) -> tuple[int, int]:
    """One court, department, two judges and a case of the first judge: (case id, judge id)."""
    court = Court(code="京0105", name="北京市朝阳区人民法院", name_en="Chaoyang")
    dept = Department(court=court, name="民一庭", contact_name="书记员王", contact_phone="010-1001",
                      head_name="庭长李", head_phone="010-1002")
    judge = Judge(ext_id="J0105-001", name="张法官", court=court, department=dept,
                  work_phone="010-1000")
    other = Judge(ext_id="J0105-002", name="赵法官", court=court, department=dept)
    case = Case(number=CASE_NO, year=2024, court=court, case_type="民初", seq=12345,
                judge=judge, status="in_trial")
    s.add_all([court, dept, judge, other, case])
    s.flush()
    s.add_all([
        User(username="zhang", password_hash="x", role="judge", judge_id=judge.id,
             created_at=TUESDAY),
        User(username="zhao", password_hash="x", role="judge", judge_id=other.id,
             created_at=TUESDAY),
    ])
    s.commit()
    return case.id, judge.id


def _order(s: Session, case: int | str) -> str:
    order = create_work_order(
        s, case=case, request_text="请法官回电", caller_phone="13800000001", language="zh",
        call_id=None, now=TUESDAY, calendar=CAL, days=3,
    )
    s.commit()
    return order.number


def _user(s: Session, name: str) -> User:
    return s.execute(select(User).where(User.username == name)).scalar_one()


def test_create_assigns_judge_due_time_and_chain(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        case_id, judge_id = seed(s)
        number = _order(s, case_id)
        by_number = _order(s, CASE_NO)
    with sessions() as s:
        order = get_work_order(s, number)
        assert number == "WO-20260303-0001" and by_number == "WO-20260303-0002"
        assert order.judge_id == judge_id and order.status == "open"
        assert order.due_at == dt.datetime(2026, 3, 6, 17, 0, tzinfo=TZ)
        assert [c["step"] for c in order.contact_chain] == [
            "judge", "department_contact", "department_head"]
        assert [c["phone"] for c in order.contact_chain] == ["010-1000", "010-1001", "010-1002"]
        assert order.contact_chain[2]["name"] == "庭长李"


def test_due_time_skips_holidays(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        case_id, _ = seed(s)
        order = create_work_order(
            s, case=case_id, request_text="", caller_phone="", language="zh", call_id=None,
            now=dt.datetime(2025, 9, 30, 10, 0, tzinfo=TZ), calendar=CAL, days=1,
        )
    assert order.due_at.astimezone(TZ).date() == dt.date(2025, 10, 9)  # National Day 1-8


def test_contact_chain_walks_to_next_step(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        case_id, _ = seed(s)
        number = _order(s, case_id)
        first = record_contact_attempt(s, number, "judge", "no_answer", TUESDAY)
        assert not first.reached and first.next_step == "department_contact"
        assert first.next_phone == "010-1001" and first.status == "open"
        second = record_contact_attempt(s, number, "department_contact", "reached", TUESDAY)
        assert second.reached and second.next_step is None and second.status == "in_progress"
        s.commit()
    with sessions() as s:
        log = get_work_order(s, number).contact_log
        assert [(e["step"], e["outcome"]) for e in log] == [
            ("judge", "no_answer"), ("department_contact", "reached")]
        with pytest.raises(Exception, match="step"):
            record_contact_attempt(s, number, "president", "reached", TUESDAY)


def test_overdue_reply_and_close(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        case_id, _ = seed(s)
        number = _order(s, case_id)
        assert mark_overdue(s, TUESDAY + dt.timedelta(days=1)) == []
        assert mark_overdue(s, TUESDAY + dt.timedelta(days=5)) == [number]
        s.commit()
        assert get_work_order(s, number).status == "overdue"
        with pytest.raises(PermissionDeniedError):
            reply(s, number, _user(s, "zhao"), "not mine", TUESDAY)
        reply(s, number, _user(s, "zhang"), "下周二开庭，请按时到庭。", TUESDAY)
        s.commit()
    with sessions() as s:
        order = get_work_order(s, number)
        assert order.status == "answered" and order.reply_text == "下周二开庭，请按时到庭。"
        close(s, number, _user(s, "zhang"), TUESDAY)
        s.commit()
        assert get_work_order(s, number).status == "closed"
        with pytest.raises(ConflictError):
            close(s, number, _user(s, "zhang"), TUESDAY)
        actions = set(s.execute(
            select(AuditEntry.action).where(AuditEntry.case_number == CASE_NO)).scalars())
        assert {"work_order.reply", "work_order.close"} <= actions


def test_ticket_becomes_work_order(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        _, judge_id = seed(s)
        queued = enqueue_handoff(
            s, language="zh", caller_phone="139", intent="contact_judge", case_number=CASE_NO,
            verified=True, transcript=[{"caller": "我要找法官", "bot": "正在转接"}], call_id=None,
            now=TUESDAY,
        )
        s.commit()
        with pytest.raises(ConflictError):  # only a claimed ticket
            to_work_order(s, queued.number, "op1", "", TUESDAY, CAL, 3)
        claim_ticket(s, queued.number, "op1", TUESDAY)
        with pytest.raises(ConflictError):  # by the operator holding it
            to_work_order(s, queued.number, "op2", "", TUESDAY, CAL, 3)
        order = to_work_order(s, queued.number, "op1", "", TUESDAY, CAL, 3)
        s.commit()
        assert order.judge_id == judge_id and order.request_text == "我要找法官"
        ticket = get_ticket(s, queued.number)
        assert ticket.status == "resolved" and order.number in ticket.note


def test_ticket_without_case_cannot_become_work_order(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        seed(s)
        queued = enqueue_handoff(
            s, language="zh", caller_phone="139", intent="operator", case_number="",
            verified=False, transcript=[], call_id=None, now=TUESDAY,
        )
        s.commit()
        claim_ticket(s, queued.number, "op1", TUESDAY)
        with pytest.raises(InvalidInputError):
            to_work_order(s, queued.number, "op1", "call me", TUESDAY, CAL, 3)
