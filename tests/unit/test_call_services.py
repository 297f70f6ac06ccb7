"""Call services on a small store: verification first, calendar overrides, audit, failures."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.services import CallContext, CallServices
from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import LookUpCase, RequestHandoff, VerifyPassword
from voicebot.dialog.events import (
    ActionFailed,
    CaseFound,
    DeskClosed,
    HandoffQueued,
    PasswordChecked,
)
from voicebot.settings import Settings
from voicebot.store.db import session_scope
from voicebot.store.demo import build_demo
from voicebot.store.models import AuditEntry, CalendarOverride, CallRecord

CST = dt.timezone(dt.timedelta(hours=8))
TUESDAY = dt.datetime(2026, 3, 3, 10, 15, tzinfo=CST)
SHOWCASE = CaseNumber.parse("（2024）京0105民初12345号")
CTX = CallContext(call_id=1, caller_id="13800000001", language="zh")


def services(sessions: sessionmaker[Session], at: dt.datetime) -> CallServices:
    with session_scope(sessions) as session:
        build_demo(session, cases=3)
        session.add(CallRecord(id=1, started_at=at, channel="text"))
    return CallServices(sessions, Settings(), lambda: at)


def test_case_data_only_after_the_password(sqlite_sessions: sessionmaker[Session]) -> None:
    svc = services(sqlite_sessions, TUESDAY)
    early = asyncio.run(svc.execute(LookUpCase(SHOWCASE), CTX))
    assert early == ActionFailed("LookUpCase", "call.not_verified")
    wrong = asyncio.run(svc.execute(VerifyPassword(SHOWCASE, "000000"), CTX))
    assert wrong == PasswordChecked(False, 2, False)
    ok = asyncio.run(svc.execute(VerifyPassword(SHOWCASE, "482913"), CTX))
    assert ok.ok if isinstance(ok, PasswordChecked) else False
    found = asyncio.run(svc.execute(LookUpCase(SHOWCASE), CTX))
    assert isinstance(found, CaseFound) and found.facts.judge is not None
    assert found.facts.judge.name == "张伟"
    with session_scope(sqlite_sessions) as session:
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.actor == "call:1"))
        assert "call.disclose" in list(actions)


def test_unknown_cases_answer_like_wrong_passwords(sqlite_sessions: sessionmaker[Session]) -> None:
    svc = services(sqlite_sessions, TUESDAY)
    missing = CaseNumber.parse("（2024）京0105民初99999号")
    answers = [asyncio.run(svc.execute(VerifyPassword(missing, "123456"), CTX))
               for _ in range(3)]
    assert answers == [PasswordChecked(False, 2, False, known=False),
                       PasswordChecked(False, 1, False, known=False),
                       PasswordChecked(False, 0, True, known=False)]


def test_calendar_overrides_decide_the_desk(sqlite_sessions: sessionmaker[Session]) -> None:
    svc = services(sqlite_sessions, TUESDAY)
    handoff = RequestHandoff("operator", None, False, "asked")
    assert isinstance(asyncio.run(svc.execute(handoff, CTX)), HandoffQueued)
    with session_scope(sqlite_sessions) as session:
        session.add(CalendarOverride(day=TUESDAY.date(), working=False, note="court closed"))
    assert not svc.desk_open()
    closed = asyncio.run(svc.execute(handoff, CTX))
    assert isinstance(closed, DeskClosed)
    assert closed.next_opening.date() == dt.date(2026, 3, 4)


def test_store_failures_become_action_failed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from voicebot.store.db import make_engine, make_sessionmaker

    broken = make_sessionmaker(make_engine(f"sqlite:///{tmp_path}/empty.db"))  # no tables
    svc = CallServices(broken, Settings(), lambda: TUESDAY)
    failed = asyncio.run(svc.execute(VerifyPassword(SHOWCASE, "482913"), CTX))
    assert failed == ActionFailed("VerifyPassword", "store.unavailable")


def test_unknown_and_real_numbers_lock_alike_across_calls(
    sqlite_sessions: sessionmaker[Session],
) -> None:
    """A later call hears the same lock for a real case and an unknown one: no existence leak."""
    svc = services(sqlite_sessions, TUESDAY)
    missing = CaseNumber.parse("（2024）京0105民初99999号")
    for number in (SHOWCASE, missing):
        for _ in range(3):
            asyncio.run(svc.execute(VerifyPassword(number, "000000"), CTX))
    later = CallServices(sqlite_sessions, Settings(), lambda: TUESDAY + dt.timedelta(minutes=10))
    next_call = CallContext(call_id=None, caller_id=CTX.caller_id, language="zh")
    real = asyncio.run(later.execute(VerifyPassword(SHOWCASE, "482913"), next_call))
    unknown = asyncio.run(later.execute(VerifyPassword(missing, "482913"), next_call))
    assert isinstance(real, PasswordChecked) and isinstance(unknown, PasswordChecked)
    assert (real.ok, real.attempts_left, real.locked) == (False, 0, True)
    assert (unknown.ok, unknown.attempts_left, unknown.locked) == (False, 0, True)


def test_wait_told_never_exceeds_the_callback_limit(
        sqlite_sessions: sessionmaker[Session]) -> None:
    services(sqlite_sessions, TUESDAY)
    limit = 3
    svc = CallServices(sqlite_sessions, Settings(handoff_wait_limit_min=limit), lambda: TUESDAY)
    handoff = RequestHandoff("operator", None, False, "asked")
    waits = []
    for _ in range(6):
        queued = asyncio.run(svc.execute(handoff, CTX))
        assert isinstance(queued, HandoffQueued)
        waits.append(queued.wait_min)
    assert max(waits) == limit and min(waits) >= 1  # the estimate itself grows past the limit


class _Kb:
    """A knowledge base that records the thread it ran on."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.threads: list[int] = []

    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        import threading

        self.threads.append(threading.get_ident())
        if self.fail:
            raise RuntimeError("index broken")
        return f"{language}:{topic}:{text}" if "appeal" in text else None


def test_knowledge_lookups_run_off_the_event_loop_and_answer_an_event() -> None:
    import threading

    from voicebot.dialog.actions import LookUpKnowledge
    from voicebot.dialog.events import KnowledgeAnswered

    kb = _Kb()
    svc = CallServices(None, Settings(), lambda: TUESDAY, kb)  # type: ignore[arg-type]
    found = asyncio.run(svc.execute(LookUpKnowledge("how to appeal", "en", "appeal"), CTX))
    assert found == KnowledgeAnswered("en:appeal:how to appeal")
    assert kb.threads and kb.threads[0] != threading.get_ident()
    none = asyncio.run(svc.execute(LookUpKnowledge("weather", "en"), CTX))
    assert none == KnowledgeAnswered(None)
    broken = CallServices(None, Settings(), lambda: TUESDAY, _Kb(fail=True))  # type: ignore[arg-type]
    failed = asyncio.run(broken.execute(LookUpKnowledge("how to appeal", "en"), CTX))
    assert failed == ActionFailed("LookUpKnowledge", "knowledge.failed")


def test_the_lawful_use_notice_is_audited_with_the_disclosure(
        sqlite_sessions: sessionmaker[Session]) -> None:
    svc = services(sqlite_sessions, TUESDAY)
    asyncio.run(svc.execute(VerifyPassword(SHOWCASE, "482913"), CTX))
    asyncio.run(svc.execute(LookUpCase(SHOWCASE, lawful_notice=True), CTX))
    asyncio.run(svc.execute(LookUpCase(SHOWCASE), CTX))
    with session_scope(sqlite_sessions) as session:
        actions = list(session.scalars(select(AuditEntry.action)
                                       .where(AuditEntry.actor == "call:1")
                                       .order_by(AuditEntry.id)))
    assert actions.count("call.lawful_notice") == 1 and actions.count("call.disclose") == 2
    assert actions.index("call.lawful_notice") < actions.index("call.disclose")
