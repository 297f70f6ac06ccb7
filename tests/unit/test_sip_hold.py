"""The SIP line's hold fallback: an operator who does not answer the transfer."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff import enqueue_handoff, get_ticket
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.sip import hold
from voicebot.store.models import HandoffTicket

NOW = dt.datetime(2026, 3, 3, 2, 15, tzinfo=dt.UTC)  # Tuesday 10:15 in Beijing


def _ticket(s: Session, phone: str) -> str:
    return enqueue_handoff(s, language="zh", caller_phone=phone, intent="operator",
                           case_number="", verified=False,
                           transcript=[{"caller": "转人工", "bot": "好的"}],
                           call_id=None, now=NOW).number


def test_a_missed_transfer_books_a_callback_with_the_calls_context(
        sqlite_sessions: sessionmaker[Session]) -> None:
    with sqlite_sessions() as s:
        number = _ticket(s, "13800000001")
        s.commit()
    callback = hold.operator_missed(sqlite_sessions, DEFAULT_SETTINGS, number, NOW, "no answer")
    with sqlite_sessions() as s:
        assert get_ticket(s, number).status == "callback"
        cb = get_ticket(s, callback)
        assert cb.kind == "callback" and cb.caller_phone == "13800000001"
        assert cb.transcript == [{"caller": "转人工", "bot": "好的"}]


def test_a_withheld_caller_gets_no_callback_nobody_could_make(
        sqlite_sessions: sessionmaker[Session]) -> None:
    with sqlite_sessions() as s:
        number = _ticket(s, "")
        s.commit()
    assert hold.operator_missed(sqlite_sessions, DEFAULT_SETTINGS, number, NOW, "no answer") == ""
    with sqlite_sessions() as s:
        assert get_ticket(s, number).status == "expired"
        assert s.scalars(select(HandoffTicket).where(HandoffTicket.kind == "callback")).all() == []
