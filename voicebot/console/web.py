"""Page rendering: the package's Jinja2 templates with the user, CSRF token and court time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from voicebot.console.deps import CurrentUser, csrf_token
from voicebot.console.i18n import DEFAULT_LANG, HTML_LANG, ConsoleLang, translate

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


def make_templates(tz: ZoneInfo) -> Jinja2Templates:
    """Templates with filters for court-local times and durations."""
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

    def local(value: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
        return value.astimezone(tz).strftime(fmt) if value is not None else ""

    def duration(seconds: float | None) -> str:
        if seconds is None:
            return "–"
        seconds = max(0, int(seconds))
        return f"{seconds // 60}:{seconds % 60:02d}"

    def percent(value: float | None) -> str:
        return "–" if value is None else f"{100 * value:.1f}%"

    templates.env.filters["local"] = local
    templates.env.filters["duration"] = duration
    templates.env.filters["percent"] = percent
    return templates


def render(
    request: Request,
    name: str,
    user: CurrentUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``name`` with the user and a CSRF token for its forms."""
    templates: Jinja2Templates = request.app.state.templates
    lang: ConsoleLang = DEFAULT_LANG
    context.update(
        user=user,
        csrf=csrf_token(request),
        msg=request.query_params.get("msg", ""),
        lang=lang,
        html_lang=HTML_LANG[lang],
        _=lambda text: translate(text, lang),
    )
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (after a POST, or to the login page)."""
    return RedirectResponse(url, status_code=303)
