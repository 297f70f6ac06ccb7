"""Console account changes: disable, enable, delete, reset a password, unlock, end sessions.

Each change is written to the audit log under the ``actor`` who made it (``user:<name>`` or
``cli``); the caller commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from voicebot.console.security import MIN_PASSWORD, AccountError, hash_password
from voicebot.handoff.audit import audit
from voicebot.store.models import User


def find_user(session: Session, username: str) -> User:
    """The account named ``username``; AccountError if there is none."""
    user = session.execute(
        select(User).where(User.username == username.strip())
    ).scalar_one_or_none()
    if user is None:
        raise AccountError(f"no user {username.strip()!r}")
    return user


def end_sessions(session: Session, user_id: int, generation: int | None = None) -> None:
    """Make every session cookie of account ``user_id`` invalid (of ``generation`` only, if given).

    Runs as one UPDATE, so parallel sign-outs never undo each other.
    """
    stmt = update(User).where(User.id == user_id)
    if generation is not None:
        stmt = stmt.where(User.session_generation == generation)
    session.execute(stmt.values(session_generation=User.session_generation + 1)
                    .execution_options(synchronize_session=False))
    session.expire_all()


def set_disabled(session: Session, user: User, disabled: bool, actor: str,
                 now: dt.datetime) -> None:
    """Disable (ending its sessions) or enable an account."""
    user.disabled = disabled
    session.flush()
    if disabled:
        end_sessions(session, user.id)
    audit(session, actor=actor, action="user.disable" if disabled else "user.enable", now=now,
          detail=user.username)


def delete_user(session: Session, user: User, actor: str, now: dt.datetime) -> None:
    """Remove an account (its audit history stays)."""
    name, role = user.username, user.role
    session.delete(user)
    session.flush()
    audit(session, actor=actor, action="user.delete", now=now, detail=f"{name} ({role})")


def reset_password(session: Session, user: User, password: str, actor: str,
                   now: dt.datetime) -> None:
    """Give an account a new password, lift its lock and end its sessions."""
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    session.flush()
    end_sessions(session, user.id)
    audit(session, actor=actor, action="user.password_reset", now=now, detail=user.username)


def unlock(session: Session, user: User, actor: str, now: dt.datetime) -> None:
    """Lift a lock-out."""
    user.locked_until = None
    user.failed_logins = 0
    session.flush()
    audit(session, actor=actor, action="user.unlock", now=now, detail=user.username)
