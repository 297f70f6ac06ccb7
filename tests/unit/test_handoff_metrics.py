"""Line metrics from calls, tickets and work orders, on both backends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff import (
    claim_next,
    create_work_order,
    enqueue_handoff,
    record_contact_attempt,
    reply,
)
from voicebot.handoff.metrics import compute_metrics, prometheus_text
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.models import CallRecord, Case, Court, Judge, User
from voicebot.workdays import WorkCalendar

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 3, 16, 0, tzinfo=TZ)
CAL = WorkCalendar.from_settings(DEFAULT_SETTINGS)
CASE_NO = "（2024）京0105民初12345号"


def _calls(s: Session) -> None:
    rows = [
        (NOW, "hearing_time", "answered"),
        (NOW, "hearing_time", "answered"),
        (NOW, "case_result", "verification_failed"),
        (NOW, "operator", "handoff"),
        (NOW - dt.timedelta(days=1), "complaint", "recorded"),
        (NOW - dt.timedelta(days=1), "contact_judge", "work_order"),
        (dt.datetime(2026, 3, 3, 0, 30, tzinfo=TZ), "case_progress", "not_found"),
        (dt.datetime(2026, 3, 2, 23, 59, tzinfo=TZ), "unknown", "unresolved"),
    ]
    for at, intent, outcome in rows:
        s.add(CallRecord(started_at=at, intent=intent, outcome=outcome, case_number=CASE_NO,
                         caller_id="13800000001"))


def test_metrics_figures(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        _calls(s)
        court = Court(code="京0105", name="朝阳法院")
        judge = Judge(ext_id="J1", name="张", court=court, work_phone="1")
        case = Case(number=CASE_NO, year=2024, court=court, case_type="民初", seq=12345,
                    judge=judge)
        s.add_all([court, judge, case])
        s.flush()
        user = User(username="z", password_hash="x", role="judge", judge_id=judge.id,
                    created_at=NOW)
        s.add(user)
        orders = [
            create_work_order(s, case=case, request_text="r", caller_phone="", language="zh",
                              call_id=None, now=NOW - dt.timedelta(days=d), calendar=CAL, days=1)
            for d in (0, 7)
        ]
        record_contact_attempt(s, orders[0].number, "judge", "reached", NOW)
        reply(s, orders[0].number, user, "答复", NOW)
        waits = [60, 120, 180, 240, 300, 360, 420, 480, 540, 600]
        for wait in waits:
            enqueue_handoff(s, language="zh", caller_phone="", intent="operator", case_number="",
                            verified=False, transcript=[], call_id=None,
                            now=NOW - dt.timedelta(seconds=wait))
        s.commit()
        for _ in waits:
            assert claim_next(s, "op", NOW) is not None
        enqueue_handoff(s, language="zh", caller_phone="", intent="operator", case_number="",
                        verified=False, transcript=[], call_id=None, now=NOW)
        s.commit()
        m = compute_metrics(s, NOW, CAL, days=3)
    assert m.calls_total == 8
    assert m.calls_today == 5  # 00:30 Beijing time is still today; 23:59 the day before is not
    assert m.calls_per_day == {"2026-03-01": 0, "2026-03-02": 3, "2026-03-03": 5}
    assert m.bot_only_share == 5 / 8
    assert m.outcomes_per_intent["hearing_time"] == {"answered": 2}
    assert (m.work_orders_opened, m.work_orders_answered, m.work_orders_overdue) == (2, 1, 1)
    assert m.contact_rate == 0.5
    assert (m.handoffs, m.handoffs_waiting) == (11, 1)
    assert m.wait_avg_s is not None and abs(m.wait_avg_s - 330.0) < 1e-6
    assert m.wait_p90_s == 540.0
    text = prometheus_text(m)
    assert 'voicebot_calls_total{outcome="answered"} 2' in text
    assert "voicebot_judge_contact_rate 0.5" in text
    assert "voicebot_handoff_queue_waiting 1" in text
    assert CASE_NO not in text and "13800000001" not in text
