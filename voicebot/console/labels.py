"""Readable names for the store's codes on console pages, and the judges' new-orders badge.

Templates show ``{{ _(code|label) }}``: the English name here, translated like any source
string. :func:`install` adds the filters and the badge to the app's templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

LABELS: dict[str, str] = {
    # contact chain steps and outcomes
    "judge": "Judge",
    "department_contact": "Department contact",
    "department_head": "Head of department",
    "reached": "Reached",
    "no_answer": "No answer",
    "busy": "Busy",
    "unreachable": "Unreachable",
    # work-order statuses
    "open": "Open",
    "in_progress": "In progress",
    "answered": "Answered",
    "overdue": "Overdue",
    "closed": "Closed",
    # ticket statuses and kinds
    "waiting": "Waiting",
    "claimed": "Claimed",
    "resolved": "Resolved",
    "callback": "Callback",
    "expired": "Expired",
    "handoff": "Handed over",
    # case statuses
    "filed": "Filed",
    "accepted": "Accepted",
    "not_accepted": "Not accepted",
    "in_trial": "In trial",
    "adjourned": "Adjourned",
    # party roles
    "plaintiff": "Plaintiff",
    "defendant": "Defendant",
    "appellant": "Appellant",
    "appellee": "Appellee",
    "applicant": "Applicant",
    "respondent": "Respondent",
    "third_party": "Third party",
    "prosecutor": "Prosecutor",
    # notification states
    "pending": "Pending",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Failed",
    "off": "Not configured",
}
"""English names of codes shown on pages (unknown codes are shown as they are)."""


def label(code: str | None) -> str:
    """The readable English name of ``code``."""
    return LABELS.get(code or "", code or "")


def from_iso(value: str | dt.datetime | None) -> dt.datetime | None:
    """A datetime from the ISO text kept in JSON columns (contact log times)."""
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def new_work_orders(request: Request, user: Any) -> int:
    """The badge: open work orders the signed-in judge has not opened (an admin: all judges')."""
    from voicebot.handoff.workorders import new_order_count

    if user is None or user.role not in ("judge", "admin"):
        return 0
    if user.role == "judge" and user.judge_id is None:
        return 0
    with request.app.state.sessions() as session:
        return new_order_count(session, user.judge_id if user.role == "judge" else None)


def install(templates: Jinja2Templates) -> None:
    """Add ``label``, ``from_iso`` and ``new_work_orders`` to ``templates``."""
    templates.env.filters["label"] = label
    templates.env.filters["from_iso"] = from_iso
    templates.env.globals["new_work_orders"] = new_work_orders
