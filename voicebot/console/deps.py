"""Request dependencies: the database session, the signed-in user, role checks, CSRF."""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from voicebot.console.i18n import ConsoleLang, parse_lang
from voicebot.store.models import User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class AuthRequiredError(Exception):
    """No one is signed in."""

    code = "console.auth_required"


class ForbiddenError(Exception):
    """The signed-in user's role may not use this page."""

    code = "console.forbidden"


class CSRFError(Exception):
    """A form came without the session's CSRF token."""

    code = "console.csrf"


@dataclass(frozen=True)
class CurrentUser:
    """The signed-in console user."""

    id: int
    """Account id."""
    username: str
    """Login name."""
    role: str
    """operator, judge or admin."""
    judge_id: int | None
    """For judges: the judge whose work orders the account sees."""
    lang: ConsoleLang | None = None
    """The console language the user chose (None: the default)."""


def get_db(request: Request) -> Iterator[Session]:
    """A session for the request (routes commit their changes)."""
    session: Session = request.app.state.sessions()
    try:
        yield session
    finally:
        session.rollback()
        session.close()


def now(request: Request) -> dt.datetime:
    """The app clock (timezone-aware)."""
    clock: Callable[[], dt.datetime] = request.app.state.clock
    return clock()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or len(token) < 20:
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def verify_csrf(request: Request) -> None:
    """Reject any unsafe request whose form field (or header) lacks the session's token."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise CSRFError("missing or wrong CSRF token")


def current_user(request: Request, db: Session = Depends(get_db)) -> CurrentUser:
    """The signed-in user, re-read from the store on every request."""
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        raise AuthRequiredError("sign in first")
    user = db.get(User, uid)
    if (user is None or user.username != request.session.get("name") or user.disabled
            or request.session.get("gen") != user.session_generation):
        request.session.clear()  # signed out, disabled, deleted or password reset since
        raise AuthRequiredError("sign in first")
    if user.locked_until is not None and user.locked_until > now(request):
        request.session.clear()
        raise AuthRequiredError("account locked")
    return CurrentUser(user.id, user.username, user.role, user.judge_id,
                       parse_lang(user.console_lang))


def require_roles(*roles: str) -> Callable[..., CurrentUser]:
    """A dependency admitting only users with one of ``roles``."""

    def check(user: CurrentUser = Depends(current_user)) -> CurrentUser:
        if user.role not in roles:
            raise ForbiddenError(f"{user.role} may not use this page")
        return user

    return check


def load_user(db: Session, user: CurrentUser) -> User:
    """The ORM row of the signed-in user."""
    row = db.get(User, user.id)
    if row is None:
        raise AuthRequiredError("sign in first")
    return row
