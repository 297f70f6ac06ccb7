"""Console accounts: argon2 password hashes, login with lock-out, the cookie-signing secret."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import time
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import and_, case, null, or_, select, update
from sqlalchemy.orm import Session

from voicebot.handoff.audit import audit, user_actor
from voicebot.settings import Settings
from voicebot.store.models import ROLES, Judge, User

log = logging.getLogger(__name__)
LOCK_MINUTES = 15
"""How long an account stays locked after too many failed logins."""
MIN_PASSWORD = 8
"""Shortest password accepted for a console account."""
SECRET_FILE = "console_secret"
"""File in ``data_dir`` keeping the generated cookie secret (mode 0600)."""

LOGIN_REFUSED = ("wrong user name or password, or the account is locked for a while after too "
                 "many failed logins")
"""The one answer to every refused sign-in (it never tells which user names exist)."""
MIN_SECRET_BYTES = 32
"""Shortest accepted cookie-signing secret."""
MIN_SECRET_SYMBOLS = 10
"""A secret with fewer distinct characters is not random."""

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
    """The user if name and password match. Commits each step, so parallel sign-ins see it.

    Every attempt first takes one of ``max_failures`` tries in one conditional UPDATE; the one
    that takes the last try locks the account before its password is checked, so a burst of
    parallel attempts gets at most ``max_failures`` passwords checked. Unknown, disabled and
    locked accounts cost the same hashing work and raise the same LoginError.
    """
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None or user.disabled:
        _verify(_DUMMY_HASH, password)  # same work as for a real account
        raise LoginError(LOGIN_REFUSED)
    uid = user.id
    session.commit()  # end the read (SQLite cannot turn an old read into a write under load)
    taken = _take_try(session, uid, now, max_failures)
    session.commit()
    if taken is None:
        _verify(_DUMMY_HASH, password)
        audit(session, actor=user_actor(username), action="login.refused", now=now,
              detail="account locked")
        session.commit()
        raise LockedError(LOGIN_REFUSED)
    if not _verify(user.password_hash, password):
        audit(session, actor=user_actor(username), action="login.failed", now=now,
              detail=f"try {taken} of {max_failures}")
        if taken >= max_failures:
            audit(session, actor=user_actor(username), action="login.locked", now=now)
        session.commit()
        raise (LockedError if taken >= max_failures else LoginError)(LOGIN_REFUSED)
    # Reset the tries only if no attempt took one after this one (it may be locking now).
    session.execute(
        update(User).where(User.id == uid, User.failed_logins == taken)
        .values(failed_logins=0, locked_until=None).execution_options(synchronize_session=False)
    )
    session.commit()
    session.refresh(user)
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.flush()
    return user


def _take_try(session: Session, uid: int, now: dt.datetime, max_failures: int) -> int | None:
    """Count one more try for account ``uid``; its number, or None while the account is locked."""
    expired = and_(User.locked_until.is_not(None), User.locked_until <= now)
    count = case((expired, 1), else_=User.failed_logins + 1)
    until = now + dt.timedelta(minutes=LOCK_MINUTES)
    taken = session.execute(
        update(User)
        .where(User.id == uid, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(failed_logins=count,
                locked_until=case((count >= max_failures, until), else_=null()))
        .returning(User.failed_logins)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return int(taken) if taken is not None else None


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


class ConsoleSecretError(AccountError):
    """The cookie-signing secret is too short, not random, or its file is unusable."""

    code = "console.secret"


def check_secret(secret: str, source: str) -> str:
    """``secret`` if it is long and varied enough to sign cookies; else ConsoleSecretError."""
    size = len(secret.encode("utf-8"))
    if size < MIN_SECRET_BYTES or len(set(secret)) < MIN_SECRET_SYMBOLS:
        raise ConsoleSecretError(
            f"{source} is too weak ({size} bytes, {len(set(secret))} distinct characters): "
            f"use at least {MIN_SECRET_BYTES} random bytes, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`, "
            "or leave console_secret empty to have one generated in data_dir"
        )
    return secret


def console_secret(settings: Settings) -> str:
    """``settings.console_secret``, or a random secret generated once in ``data_dir`` (0600).

    Raises ConsoleSecretError for a weak configured secret or an unusable secret file.
    """
    if settings.console_secret:
        return check_secret(settings.console_secret, "console_secret")
    path = Path(settings.data_dir) / SECRET_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            log.warning("%s was readable by others; now owner-only (0600)", path)
            path.chmod(0o600)
        for _ in range(40):  # another worker may be writing it right now
            secret = path.read_text(encoding="ascii", errors="replace").strip()
            if len(secret) >= MIN_SECRET_BYTES:
                return check_secret(secret, str(path))
            time.sleep(0.05)
        raise ConsoleSecretError(f"{path} holds no usable secret; delete it") from None
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return secret
