"""The demo data set written to real databases: counts, re-runs and the showcase case."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.casenumber import CaseNumber
from voicebot.store.cases import case_facts, find_case, verify_password
from voicebot.store.db import session_scope
from voicebot.store.demo import SHOWCASE, build_demo
from voicebot.store.models import Case, Judge, Party

pytestmark = pytest.mark.integration


def test_demo_writes_the_requested_cases_and_reruns_in_place(
    sessions: sessionmaker[Session],
) -> None:
    with session_scope(sessions) as s:
        summary = build_demo(s, seed=11, cases=250)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == summary.cases == 250
        assert s.scalar(select(func.count()).select_from(Judge)) == summary.judges
        parties = s.scalar(select(func.count()).select_from(Party))
        numbers = set(s.scalars(select(Case.number)))
    with session_scope(sessions) as s:
        build_demo(s, seed=11, cases=250)
    with sessions() as s:
        assert set(s.scalars(select(Case.number))) == numbers
        assert s.scalar(select(func.count()).select_from(Party)) == parties


def test_showcase_case_answers(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as s:
        build_demo(s, seed=1, cases=20)
    number, password = SHOWCASE[0]
    now = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
    with session_scope(sessions) as s:
        case = find_case(s, CaseNumber.parse(number))
        assert case is not None
        assert verify_password(s, case, password, caller_id="x", call_id=None, now=now).ok
        facts = case_facts(case, now)
    assert facts.judge is not None and facts.judge.name == "张伟"
    assert facts.next_hearing is not None
    assert facts.next_hearing.at == dt.datetime.fromisoformat("2026-12-15T09:30:00+08:00")
    assert facts.next_hearing.room_en == "Courtroom 3"
    assert facts.panel[0].name == "张伟" and len(facts.panel) == 3
