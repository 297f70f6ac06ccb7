"""Page rendering: the Jinja2 templates with the user, CSRF token, language and court time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from voicebot.console.deps import CurrentUser, csrf_token
from voicebot.console.i18n import (
    DEFAULT_LANG,
    HTML_LANG,
    LANG_COOKIE,
    LANG_NAMES,
    ConsoleLang,
    parse_lang,
    translate,
    translate_message,
)
from voicebot.nlu.types import INTENTS

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LANG_COOKIE_MAX_AGE_S = 365 * 24 * 3600
"""The browser keeps its language choice for a year."""
MESSAGE_KEYS = ("msg", "error", "detail")
"""Context entries holding messages made in Python: translated like the templates' strings."""


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


def request_lang(request: Request, user: CurrentUser | None) -> ConsoleLang:
    """The page language: the user's saved choice, else ``?lang=``, else the cookie, else zh."""
    if user is not None and user.lang is not None:
        return user.lang
    return (parse_lang(request.query_params.get("lang"))
            or parse_lang(request.cookies.get(LANG_COOKIE)) or DEFAULT_LANG)


def here(request: Request) -> str:
    """This page's path and query without ``lang`` and ``msg`` (where the switch returns);
    the start page for a page that answered a form (its address takes no GET)."""
    if request.method != "GET":
        return "/"
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "msg")]
    return request.url.path + ("?" + urlencode(query) if query else "")


def remember_lang(response: HTMLResponse | RedirectResponse, lang: ConsoleLang) -> None:
    """Keep ``lang`` in the browser's language cookie."""
    response.set_cookie(LANG_COOKIE, lang, max_age=LANG_COOKIE_MAX_AGE_S, samesite="lax",
                        httponly=True)


def render(
    request: Request,
    name: str,
    user: CurrentUser | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render ``name`` with the user, a CSRF token for its forms and the page's language."""
    templates: Jinja2Templates = request.app.state.templates
    lang = request_lang(request, user)
    context.setdefault("msg", request.query_params.get("msg", ""))
    for key in MESSAGE_KEYS:
        if isinstance(context.get(key), str):
            context[key] = translate_message(context[key], lang)
    context.update(
        user=user,
        csrf=csrf_token(request),
        lang=lang,
        html_lang=HTML_LANG[lang],
        html_langs=HTML_LANG,
        lang_names=LANG_NAMES,
        here=here(request),
        intent_labels={intent: translate(intent, lang) for intent in INTENTS},
        _=lambda text: "" if text is None else translate(str(text), lang),
    )
    response = templates.TemplateResponse(request, name, context, status_code=status_code)
    if parse_lang(request.query_params.get("lang")) == lang:
        remember_lang(response, lang)  # ?lang= on the login page sticks
    return response


def redirect(url: str) -> RedirectResponse:
    """A 303 redirect (after a POST, or to the login page)."""
    return RedirectResponse(url, status_code=303)
