"""The console's FastAPI application, built by :func:`create_app`."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.middleware.sessions import SessionMiddleware

from voicebot.console import (
    health,
    labels,
    routes_admin,
    routes_audit,
    routes_auth,
    routes_judge,
    routes_metrics,
    routes_operator,
    routes_records,
)
from voicebot.console.deps import (
    AuthRequiredError,
    CSRFError,
    CurrentUser,
    ForbiddenError,
    current_user,
    verify_csrf,
)
from voicebot.console.security import console_secret
from voicebot.console.web import make_templates, redirect, render
from voicebot.handoff import (
    ConflictError,
    HandoffError,
    NotFoundError,
    PermissionDeniedError,
    expire_waiting,
    load_calendar,
    mark_overdue,
)
from voicebot.handoff.notify import dispatch_pending
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker

log = logging.getLogger(__name__)
STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_MAX_AGE_S = 8 * 3600
"""A sign-in lasts one working day."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def housekeeping(sessions: sessionmaker[Session], settings: Settings, when: dt.datetime) -> None:
    """Turn tickets waiting too long into callbacks, mark overdue work orders, notify judges."""
    with sessions() as session:
        calendar = load_calendar(session, settings)
        made = expire_waiting(session, when, settings.handoff_wait_limit_min, calendar)
        overdue = mark_overdue(session, when)
        session.commit()
    if made or overdue:
        log.info("housekeeping: %d callbacks, %d work orders overdue", len(made), len(overdue))
    dispatch_pending(sessions, settings, when)  # judges told of new work orders (line's too)


def create_app(
    settings: Settings,
    sessions: sessionmaker[Session] | None = None,
    *,
    clock: Callable[[], dt.datetime] | None = None,
    housekeeping_s: float | None = 30.0,
) -> FastAPI:
    """The console app on ``sessions`` (default: the settings' database).

    ``clock`` gives the current time (tests pin it); ``housekeeping_s`` is how often expired
    tickets and overdue work orders are processed (None: never).
    """
    if sessions is None:
        sessions = make_sessionmaker(make_engine(settings.resolved_database_url))
    factory = sessions
    now = clock or _utcnow

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        task: asyncio.Task[None] | None = None
        if housekeeping_s:
            task = asyncio.create_task(_loop(factory, settings, now, housekeeping_s))
        try:
            yield
        finally:
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    app = FastAPI(title="voicebot console", docs_url=None, redoc_url=None, openapi_url=None,
                  dependencies=[Depends(verify_csrf)], lifespan=lifespan)
    app.state.settings = settings
    app.state.sessions = factory
    app.state.clock = now
    app.state.templates = make_templates(ZoneInfo(settings.timezone))
    labels.install(app.state.templates)
    app.add_middleware(
        SessionMiddleware, secret_key=console_secret(settings), session_cookie="voicebot_session",
        max_age=SESSION_MAX_AGE_S, same_site="lax", https_only=settings.console_secure_cookies,
    )
    app.middleware("http")(_security_headers)
    for router in (routes_auth.router, routes_operator.router, routes_judge.router,
                   routes_admin.router, routes_metrics.router, routes_metrics.public,
                   routes_records.router, routes_audit.router, health.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    _install_error_pages(app)
    return app


async def _loop(sessions: sessionmaker[Session], settings: Settings,
                now: Callable[[], dt.datetime], every_s: float) -> None:
    while True:
        try:
            await run_in_threadpool(housekeeping, sessions, settings, now())
        except Exception:
            log.exception("console housekeeping failed")
        await asyncio.sleep(every_s)


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    response = await call_next(request)
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
    )
    if response.headers.get("content-type", "").startswith(("text/html", "application/json")):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.endswith(".json") or path.startswith("/api/")


def _signed_in(request: Request) -> CurrentUser | None:
    """The signed-in user for an error page, or None."""
    session: Session = request.app.state.sessions()
    try:
        return current_user(request, session)
    except AuthRequiredError:
        return None
    finally:
        session.close()


def _install_error_pages(app: FastAPI) -> None:
    async def auth_required(request: Request, exc: Exception) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": "auth_required"}, status_code=401)
        target = request.url.path if request.method == "GET" else "/"
        return redirect(f"/login?next={target}")

    def refusal(status: int, text: str) -> Callable[[Request, Exception], Awaitable[Response]]:
        async def handler(request: Request, exc: Exception) -> Response:
            code = getattr(exc, "code", "error")
            log.info("console %s %s refused: %s", request.method, request.url.path, code)
            if _wants_json(request):
                return JSONResponse({"error": code}, status_code=status)
            detail = str(exc) if isinstance(exc, HandoffError) and status != 403 else ""
            user = await run_in_threadpool(_signed_in, request)  # the page keeps its navigation
            return await run_in_threadpool(  # the navigation's badge reads the store
                lambda: render(request, "error.html", user, status_code=status, title=text,
                               detail=detail))

        return handler

    app.add_exception_handler(AuthRequiredError, auth_required)
    app.add_exception_handler(ForbiddenError, refusal(403, "Not allowed"))
    app.add_exception_handler(PermissionDeniedError, refusal(403, "Not allowed"))
    app.add_exception_handler(CSRFError, refusal(403, "Form expired; reload the page"))
    app.add_exception_handler(NotFoundError, refusal(404, "Not found"))
    app.add_exception_handler(ConflictError, refusal(409, "Already changed"))
    app.add_exception_handler(HandoffError, refusal(400, "Cannot do that"))
