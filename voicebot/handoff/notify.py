"""Tell the judge about a new work order: a command (JSON on stdin, no shell) and/or a webhook.

Settings ``notify_command`` and ``notify_webhook`` (either, both or none), ``notify_timeout_s``.
Work orders are created with ``notify_state = pending`` by the line and by operators;
:func:`dispatch_pending` (the console's housekeeping, and right after an operator made one)
claims each pending order, sends the notice off the event loop with the timeout, and records
``sent`` or ``failed`` on the order and in the audit log. A failure is logged with a stable code
and never touches the work order itself. Without a hook the orders are marked ``off``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shlex
import subprocess
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from voicebot.handoff.audit import audit
from voicebot.handoff.hookcheck import hook_problem
from voicebot.settings import Settings
from voicebot.store.models import WorkOrder

log = logging.getLogger(__name__)

FailureCode = Literal["notify.command_missing", "notify.command_failed",
                      "notify.command_timeout", "notify.webhook_status",
                      "notify.webhook_unreachable", "notify.webhook_timeout"]
"""Stable codes of a notification that did not go out."""
BATCH = 20
"""Pending orders notified per dispatch pass."""


@dataclass(frozen=True)
class Notice:
    """The JSON document a hook receives about a new work order."""

    event: str
    """Always ``work_order.created``."""
    work_order: str
    """Work-order number."""
    case_number: str
    """Official case number ('' when none)."""
    judge: str
    """Responsible judge's name."""
    judge_id: str
    """The judge's id from the court's data (``ext_id``)."""
    judge_phone: str
    """The judge's work phone."""
    created_at: str
    """When the order was opened (ISO 8601, UTC)."""
    due_at: str
    """When the reply is due (ISO 8601, UTC)."""
    console_path: str
    """Path of the order on the console, e.g. ``/judge/orders/WO-20260303-0001``."""

    def to_json(self) -> bytes:
        """The document as UTF-8 JSON."""
        return json.dumps(asdict(self), ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class SendResult:
    """What happened to one notice."""

    sent: bool
    """True when every configured hook took it."""
    codes: tuple[FailureCode, ...]
    """Failure codes of the hooks that did not."""
    detail: str
    """A short human-readable account (no caller data)."""


def notice_for(order: WorkOrder) -> Notice:
    """The notice about ``order`` (no caller phone or request text: those stay in the console)."""
    judge = order.judge
    return Notice(
        event="work_order.created", work_order=order.number,
        case_number=order.case.number if order.case else "",
        judge=judge.name if judge else "", judge_id=judge.ext_id if judge else "",
        judge_phone=judge.work_phone if judge else "",
        created_at=order.created_at.isoformat(), due_at=order.due_at.isoformat(),
        console_path=f"/judge/orders/{order.number}",
    )


def enabled(settings: Settings) -> bool:
    """Whether any hook is configured."""
    return bool(settings.notify_command.strip() or settings.notify_webhook.strip())


def settings_problem(settings: Settings) -> tuple[str, str] | None:
    """(setting, why) for a hook setting that cannot work, else None (for ``settings.validate``)."""
    return hook_problem(settings.notify_command, settings.notify_webhook)


def send(notice: Notice, settings: Settings) -> SendResult:
    """Run the command and/or POST the webhook with ``notify_timeout_s`` each (blocking)."""
    body = notice.to_json()
    timeout = settings.notify_timeout_s
    codes: list[FailureCode] = []
    parts: list[str] = []
    command = settings.notify_command.strip()
    if command:
        argv = shlex.split(command)
        try:
            done = subprocess.run(argv, input=body, capture_output=True, timeout=timeout,
                                  check=False, shell=False)
        except subprocess.TimeoutExpired:
            codes.append("notify.command_timeout")
            parts.append(f"command timed out after {timeout} s")
        except OSError as exc:
            codes.append("notify.command_missing")
            parts.append(f"command could not start: {exc.strerror or exc}")
        else:
            if done.returncode != 0:
                codes.append("notify.command_failed")
                parts.append(f"command exited with {done.returncode}")
            else:
                parts.append("command ok")
    hook = settings.notify_webhook.strip()
    if hook:
        req = urllib.request.Request(hook, data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                status = int(response.status)
        except urllib.error.HTTPError as exc:
            status = exc.code
        except TimeoutError:
            status = -1
            codes.append("notify.webhook_timeout")
            parts.append(f"webhook timed out after {timeout} s")
        except (urllib.error.URLError, OSError) as exc:
            status = -1
            reason = getattr(exc, "reason", exc)
            timed_out = isinstance(reason, TimeoutError)
            codes.append("notify.webhook_timeout" if timed_out else "notify.webhook_unreachable")
            parts.append(f"webhook {'timed out' if timed_out else 'unreachable'}: {reason}")
        if status >= 0:
            if 200 <= status < 300:
                parts.append(f"webhook {status}")
            else:
                codes.append("notify.webhook_status")
                parts.append(f"webhook answered {status}")
    return SendResult(not codes, tuple(codes), "; ".join(parts))


def dispatch_pending(sessions: sessionmaker[Session], settings: Settings,
                     now: dt.datetime) -> list[tuple[str, str]]:
    """Notify every pending work order once; returns (number, state) per order handled.

    Each order is claimed (``pending`` -> ``sending``) in its own transaction first, so two
    console processes never notify the same order twice. Blocking: run it off the event loop.
    """
    done: list[tuple[str, str]] = []
    if not enabled(settings):
        with sessions() as session:
            numbers = session.scalars(
                select(WorkOrder.number).where(WorkOrder.notify_state == "pending")).all()
            session.execute(update(WorkOrder).where(WorkOrder.notify_state == "pending")
                            .values(notify_state="off"))
            session.commit()
        return [(n, "off") for n in numbers]
    with sessions() as session:
        ids = session.scalars(select(WorkOrder.id).where(WorkOrder.notify_state == "pending")
                              .order_by(WorkOrder.id).limit(BATCH)).all()
    for order_id in ids:
        with sessions() as session:
            claimed = session.execute(
                update(WorkOrder).where(WorkOrder.id == order_id,
                                        WorkOrder.notify_state == "pending")
                .values(notify_state="sending", notified_at=now))
            session.commit()
            if getattr(claimed, "rowcount", 0) != 1:
                continue
            order = session.get(WorkOrder, order_id)
            if order is None:
                continue
            notice = notice_for(order)
        try:
            result = send(notice, settings)
        except Exception as exc:  # a broken hook must never stop the housekeeping
            log.exception("work order %s: notification crashed", notice.work_order)
            result = SendResult(False, ("notify.command_failed",), f"crashed: {exc}")
        state = "sent" if result.sent else "failed"
        if not result.sent:
            log.warning("work order %s: notification failed [%s]: %s", notice.work_order,
                        ",".join(result.codes), result.detail)
        with sessions() as session:
            session.execute(update(WorkOrder).where(WorkOrder.id == order_id)
                            .values(notify_state=state, notified_at=now))
            audit(session, actor="notify", action=f"work_order.notify_{state}", now=now,
                  case_number=notice.case_number,
                  detail=f"{notice.work_order}: {result.detail}"
                  + (f" [{','.join(result.codes)}]" if result.codes else ""))
            session.commit()
        done.append((notice.work_order, state))
    return done
