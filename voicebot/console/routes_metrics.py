"""Metrics: a page with a per-day chart and JSON for admins, Prometheus text for scrapers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from sqlalchemy.orm import Session

from voicebot.console.chart import build_chart, date_range
from voicebot.console.deps import CurrentUser, get_db, now, require_roles
from voicebot.console.web import redirect, render
from voicebot.handoff import load_calendar
from voicebot.handoff.metrics import Metrics, compute_metrics, prometheus_text
from voicebot.settings import Settings

ADMIN = require_roles("admin")
router = APIRouter()
public = APIRouter()


def _metrics(request: Request, db: Session) -> Metrics:
    settings: Settings = request.app.state.settings
    return compute_metrics(db, now(request), load_calendar(db, settings))


@router.get("/admin/metrics", response_class=HTMLResponse)
def metrics_page(request: Request, start: str = "", end: str = "",
                 user: CurrentUser = Depends(ADMIN), db: Session = Depends(get_db)) -> Response:
    """The line's figures, with a chart of calls, handoffs and containment per day from
    ``start`` to ``end`` (court-local ISO dates; default the last two weeks)."""
    settings: Settings = request.app.state.settings
    calendar = load_calendar(db, settings)
    today = calendar.local(now(request)).date()
    error = ""
    try:
        first, last = date_range(start, end, today)
    except ValueError:
        error = "Dates look like 2026-03-03"
        first, last = date_range("", "", today)
    return render(request, "metrics.html", user, m=_metrics(request, db), error=error,
                  chart=build_chart(db, calendar, first, last))


@router.get("/metrics-page", dependencies=[Depends(ADMIN)])
def metrics_alias() -> Response:
    """Old address of the metrics page."""
    return redirect("/admin/metrics")


@router.get("/api/metrics", dependencies=[Depends(ADMIN)])
def metrics_json(request: Request, db: Session = Depends(get_db)) -> JSONResponse:
    """The figures as JSON (admins only)."""
    return JSONResponse(_metrics(request, db).as_dict())


@public.get("/metrics", response_class=PlainTextResponse)
def metrics_prometheus(request: Request, db: Session = Depends(get_db)) -> PlainTextResponse:
    """Prometheus text format; counts only, no case or caller details, so no sign-in."""
    return PlainTextResponse(prometheus_text(_metrics(request, db)),
                             media_type="text/plain; version=0.0.4")
