"""Audit log: who viewed or changed case data, what, and when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from voicebot.store.cases import add_audit_entry


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    now: dt.datetime,
    case_number: str = "",
    detail: str = "",
) -> None:
    """Add one audit entry (``actor`` like ``user:alice``); never holds query passwords."""
    add_audit_entry(session, actor[:100], action[:60], case_number[:64], detail, now=now)


def user_actor(username: str) -> str:
    """The audit actor for a console user."""
    return f"user:{username}"
