"""Console accounts: argon2 password hashes, login with lock-out, the cookie-signing secret."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import time
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from voicebot.handoff.audit import audit, user_actor
from voicebot.settings import Settings
from voicebot.store.models import ROLES, Judge, User

LOCK_MINUTES = 15
"""How long an account stays locked after too many failed logins."""
MIN_PASSWORD = 8
"""Shortest password accepted for a console account."""
SECRET_FILE = "console_secret"
"""File in ``data_dir`` keeping the generated cookie secret (mode 0600)."""

_HASHER = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
"""argon2id with the OWASP-recommended cost (19 MiB, 2 passes); older hashes are upgraded."""
_DUMMY_HASH = _HASHER.hash("not a real password")


class AccountError(ValueError):
    """An account cannot be created or used."""

    code = "console.account"


class LoginError(AccountError):
    """Wrong name or password (the message never says which)."""

    code = "console.login_failed"


class LockedError(LoginError):
    """Too many failed logins; the account is locked for a while."""

    code = "console.locked"


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _HASHER.hash(password)


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str,
    now: dt.datetime,
    judge_ext_id: str | None = None,
) -> User:
    """Add a console account; judges are linked to a judge (``J0105-001``). Flushes."""
    username = username.strip()
    if not username or len(username) > 100:
        raise AccountError("the user name must be 1 to 100 characters")
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password must have at least {MIN_PASSWORD} characters")
    if session.execute(select(User.id).where(User.username == username)).first():
        raise AccountError(f"user {username!r} exists already")
    judge_id: int | None = None
    if role == "judge":
        if not judge_ext_id:
            raise AccountError("a judge account needs --judge with the judge's id")
        judge_id = session.execute(
            select(Judge.id).where(Judge.ext_id == judge_ext_id)
        ).scalar_one_or_none()
        if judge_id is None:
            raise AccountError(f"no judge {judge_ext_id!r} in the store")
    elif judge_ext_id:
        raise AccountError("only judge accounts are linked to a judge")
    user = User(username=username, password_hash=hash_password(password), role=role,
                judge_id=judge_id, failed_logins=0, created_at=now)
    session.add(user)
    session.flush()
    return user


def authenticate(
    session: Session, username: str, password: str, now: dt.datetime, max_failures: int
) -> User:
    """The user if name and password match; counts failures and locks the account. Flushes.

    Raises LockedError while locked (the password is not checked), LoginError otherwise.
    """
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        _verify(_DUMMY_HASH, password)  # same work as for a real account
        raise LoginError("wrong user name or password")
    if user.locked_until is not None and user.locked_until > now:
        raise LockedError("this account is locked after too many failed logins; try later")
    if not _verify(user.password_hash, password):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= max_failures:
            user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
            user.failed_logins = 0
            audit(session, actor=user_actor(username), action="login.locked", now=now)
            session.flush()
            raise LockedError("this account is locked after too many failed logins; try later")
        session.flush()
        raise LoginError("wrong user name or password")
    user.failed_logins = 0
    user.locked_until = None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    session.flush()
    return user


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def console_secret(settings: Settings) -> str:
    """``settings.console_secret``, or a random secret generated once in ``data_dir`` (0600)."""
    if settings.console_secret:
        return settings.console_secret
    path = Path(settings.data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(40):  # another worker may be writing it right now
            secret = path.read_text(encoding="ascii").strip()
            if len(secret) >= 32:
                return secret
            time.sleep(0.05)
        raise AccountError(f"{path} holds no usable secret; delete it") from None
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret + "\n")
    return secret
