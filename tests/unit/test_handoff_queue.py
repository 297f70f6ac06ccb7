"""Handoff queue, callbacks and record numbers on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff import (
    ConflictError,
    QueuedTicket,
    claim_next,
    claim_ticket,
    create_caller_record,
    enqueue_handoff,
    expire_waiting,
    get_ticket,
    next_number,
    queue_status,
    request_callback,
    resolve,
)
from voicebot.handoff.errors import NotFoundError
from voicebot.handoff.records import mark_handled
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.models import AuditEntry, HandoffTicket
from voicebot.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
TUESDAY = dt.datetime(2026, 3, 3, 10, 0, tzinfo=TZ)
CAL = WorkCalendar.from_settings(DEFAULT_SETTINGS)


def _enqueue(
    s: Session, now: dt.datetime, case: str = "", phone: str = "13800000001"
) -> QueuedTicket:
    return enqueue_handoff(
        s, language="zh", caller_phone=phone, intent="operator", case_number=case,
        verified=bool(case), transcript=[{"caller": "转人工", "bot": "好的"}],
        call_id=None, now=now,
    )


def test_numbers_count_per_prefix_and_day(sessions: sessionmaker[Session]) -> None:
    day = dt.date(2026, 3, 3)
    with sessions() as s:
        assert next_number(s, "WO", day) == "WO-20260303-0001"
        assert next_number(s, "WO", day) == "WO-20260303-0002"
        assert next_number(s, "HT", day) == "HT-20260303-0001"
        assert next_number(s, "WO", day + dt.timedelta(days=1)) == "WO-20260304-0001"
        s.commit()
    with sessions() as s:
        assert next_number(s, "WO", day) == "WO-20260303-0003"


def test_enqueue_gives_place_and_wait(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        first = _enqueue(s, TUESDAY)
        second = _enqueue(s, TUESDAY + dt.timedelta(minutes=1))
        s.commit()
    assert first.number.startswith("HT-20260303-")
    assert (first.position, second.position) == (1, 2)
    assert second.wait_min > first.wait_min >= 1
    with sessions() as s:
        ticket = get_ticket(s, first.number)
        assert ticket.transcript == [{"caller": "转人工", "bot": "好的"}]
        assert ticket.status == "waiting"


def test_wait_follows_recent_handling_time(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        done = _enqueue(s, TUESDAY)
        s.commit()
        claim_next(s, "op1", TUESDAY + dt.timedelta(minutes=1))
        resolve(s, done.number, "op1", "ok", TUESDAY + dt.timedelta(minutes=21))
        s.commit()
        queued = _enqueue(s, TUESDAY + dt.timedelta(minutes=30))
    assert queued.position == 1
    assert queued.wait_min == 20


def test_claim_order_and_resolve(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        a = _enqueue(s, TUESDAY, case="（2024）京0105民初12345号")
        b = _enqueue(s, TUESDAY + dt.timedelta(minutes=1))
        s.commit()
    with sessions() as s:
        got = claim_next(s, "op1", TUESDAY + dt.timedelta(minutes=2))
        assert got is not None and got.number == a.number and got.claimed_by == "op1"
        got2 = claim_next(s, "op2", TUESDAY + dt.timedelta(minutes=2))
        assert got2 is not None and got2.number == b.number
        assert claim_next(s, "op3", TUESDAY) is None
        with pytest.raises(ConflictError):
            claim_ticket(s, a.number, "op2", TUESDAY)
        with pytest.raises(ConflictError):
            resolve(s, a.number, "op2", "not mine", TUESDAY)
        resolve(s, a.number, "op1", "told the hearing date", TUESDAY + dt.timedelta(minutes=5))
        s.commit()
    with sessions() as s:
        t = get_ticket(s, a.number)
        assert t.status == "resolved" and "hearing date" in t.note
        actions = s.execute(
            select(AuditEntry.action).where(AuditEntry.case_number == "（2024）京0105民初12345号")
        ).scalars().all()
        assert "ticket.claim" in actions and "ticket.resolve" in actions


def test_expire_turns_old_tickets_into_callbacks(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        old = _enqueue(s, TUESDAY)
        fresh = _enqueue(s, TUESDAY + dt.timedelta(minutes=10))
        s.commit()
        made = expire_waiting(s, TUESDAY + dt.timedelta(minutes=16), 15, CAL)
        s.commit()
    assert len(made) == 1 and made[0].number.startswith("CB-20260303-")
    with sessions() as s:
        t = get_ticket(s, old.number)
        assert t.status == "callback" and made[0].number in t.note
        assert get_ticket(s, fresh.number).status == "waiting"
        cb = get_ticket(s, made[0].number)
        assert cb.kind == "callback" and cb.caller_phone == "13800000001"
        assert cb.transcript == t.transcript
        # a callback is claimed by number, not by claim_next on the live queue
        assert claim_ticket(s, cb.number, "op1", TUESDAY).status == "claimed"


def test_a_withheld_callers_ticket_expires_without_an_empty_callback(
    sessions: sessionmaker[Session],
) -> None:
    with sessions() as s:
        withheld = _enqueue(s, TUESDAY, phone="")
        s.commit()
        made = expire_waiting(s, TUESDAY + dt.timedelta(minutes=16), 15, CAL)
        s.commit()
    assert made == []
    with sessions() as s:
        t = get_ticket(s, withheld.number)
        assert t.status == "expired" and "no number to call back" in t.note
        assert s.scalars(select(HandoffTicket).where(HandoffTicket.kind == "callback")).all() == []


def test_callback_after_hours_is_due_next_working_day(sessions: sessionmaker[Session]) -> None:
    friday_night = dt.datetime(2026, 3, 6, 20, 0, tzinfo=TZ)
    with sessions() as s:
        cb = request_callback(
            s, language="en", caller_phone="139", intent="operator", case_number="",
            verified=False, transcript=[], call_id=None, now=friday_night, calendar=CAL,
        )
        in_hours = request_callback(
            s, language="en", caller_phone="139", intent="operator", case_number="",
            verified=False, transcript=[], call_id=None, now=TUESDAY, calendar=CAL,
        )
        s.commit()
    assert cb.due_at == dt.datetime(2026, 3, 9, 9, 0, tzinfo=TZ)
    assert in_hours.due_at == dt.datetime(2026, 3, 3, 17, 0, tzinfo=TZ)
    with sessions() as s:
        row = s.execute(select(HandoffTicket).where(HandoffTicket.number == cb.number)).scalar_one()
        assert row.due_at == cb.due_at


def test_caller_records(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        rec = create_caller_record(
            s, kind="complaint", message="书记员态度不好", case_number="", caller_phone="137",
            language="zh", audio_path="rec/1.wav", call_id=None, now=TUESDAY,
        )
        s.commit()
        assert rec.number == "CR-20260303-0001" and rec.status == "new"
        done = mark_handled(s, rec.number, by="admin1", now=TUESDAY)
        assert (done.status, done.handled_by, done.handled_at) == ("handled", "admin1", TUESDAY)
        with pytest.raises(ConflictError):
            mark_handled(s, rec.number, by="admin2", now=TUESDAY)
        with pytest.raises(NotFoundError):
            mark_handled(s, "CR-nope", by="admin1", now=TUESDAY)
        with pytest.raises(Exception, match="kind"):
            create_caller_record(
                s, kind="praise", message="", case_number="", caller_phone="", language="zh",
                audio_path="", call_id=None, now=TUESDAY,
            )


def test_queue_status_follows_the_ticket(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        first = _enqueue(s, TUESDAY)
        second = _enqueue(s, TUESDAY + dt.timedelta(minutes=1))
        s.commit()
        st = queue_status(s, second.number, TUESDAY + dt.timedelta(minutes=2))
        assert (st.status, st.position, st.operator) == ("waiting", 2, None)
        assert st.wait_min == second.wait_min
        claim_next(s, "op7", TUESDAY + dt.timedelta(minutes=2))
        st = queue_status(s, first.number, TUESDAY)
        assert (st.status, st.position, st.operator) == ("claimed", None, "op7")
        assert queue_status(s, second.number, TUESDAY).position == 1
        made = expire_waiting(s, TUESDAY + dt.timedelta(minutes=30), 15, CAL)
        s.commit()
        st = queue_status(s, second.number, TUESDAY + dt.timedelta(minutes=30))
        assert st.status == "callback" and st.callback_number == made[0].number
        assert st.callback_due == made[0].due_at
