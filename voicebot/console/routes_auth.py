"""Sign in and out; the start page sends each role to its own board."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from voicebot.console.accounts import end_sessions
from voicebot.console.deps import CurrentUser, csrf_token, current_user, get_db, now
from voicebot.console.i18n import parse_lang
from voicebot.console.security import LOGIN_REFUSED, LoginError, authenticate
from voicebot.console.web import redirect, remember_lang, render
from voicebot.handoff.audit import audit, user_actor
from voicebot.settings import Settings
from voicebot.store.models import User

log = logging.getLogger(__name__)
router = APIRouter()
HOME = {"operator": "/operator", "judge": "/judge", "admin": "/admin"}
"""Start page of each role."""


def _safe_next(target: str) -> str:
    """Only paths on this site (no ``//host`` or ``/\\host`` that browsers read as another site)."""
    if not target.startswith("/") or target[1:2] in ("/", "\\") or "\n" in target:
        return ""
    return target


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "") -> Response:
    """The sign-in form."""
    return render(request, "login.html", None, next=_safe_next(next), error="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: str = Form(...),
    password: str = Form(...),
    next: str = Form(""),
    db: Session = Depends(get_db),
) -> Response:
    """Check the password; lock the account after too many failures."""
    settings: Settings = request.app.state.settings
    when = now(request)
    try:
        user = authenticate(db, username.strip(), password, when, settings.login_max_failures)
    except LoginError as exc:
        db.commit()
        log.info("console login refused for %r: %s", username[:100], exc.code)
        # one status and one text for unknown, wrong, disabled and locked alike
        return render(request, "login.html", None, status_code=401,
                      next=_safe_next(next), error=LOGIN_REFUSED)
    audit(db, actor=user_actor(user.username), action="login", now=when)
    db.commit()
    request.session.clear()  # a fresh session (and CSRF token) on every sign-in
    request.session.update(uid=user.id, name=user.username, gen=user.session_generation)
    csrf_token(request)
    response = redirect(_safe_next(next) or HOME.get(user.role, "/"))
    saved = parse_lang(user.console_lang)
    if saved is not None:  # pages without a user (errors) follow the account's choice too
        remember_lang(response, saved)
    return response


@router.post("/lang")
def choose_lang(request: Request, lang: str = Form(...), next: str = Form(""),
                db: Session = Depends(get_db)) -> Response:
    """Switch the console language: saved on the account when signed in, and in the browser."""
    chosen = parse_lang(lang)
    target = _safe_next(next) or "/"
    if chosen is None:
        return redirect(target)
    uid, gen = request.session.get("uid"), request.session.get("gen")
    row = db.get(User, uid) if isinstance(uid, int) else None
    if row is not None and row.session_generation == gen and not row.disabled:
        row.console_lang = chosen
        db.commit()
    response = redirect(target)
    remember_lang(response, chosen)
    return response


@router.post("/logout")
def logout(request: Request, db: Session = Depends(get_db)) -> Response:
    """End the session on the server too: the account's older cookies stop working."""
    uid, gen = request.session.get("uid"), request.session.get("gen")
    if isinstance(uid, int) and isinstance(gen, int):
        row = db.get(User, uid)
        if row is not None and row.session_generation == gen:
            name = row.username
            end_sessions(db, uid, gen)
            audit(db, actor=user_actor(name), action="logout", now=now(request))
            db.commit()
    request.session.clear()
    return redirect("/login")


@router.get("/")
def index(user: CurrentUser = Depends(current_user)) -> Response:
    """Send the user to the board of their role."""
    return redirect(HOME.get(user.role, "/login"))
