"""How the line performs: counts only, never case details."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voicebot.handoff.workorders import contact_made, is_overdue
from voicebot.store.models import AuditEntry, CallRecord, HandoffTicket, WorkOrder
from voicebot.workdays import WorkCalendar

BOT_ONLY_OUTCOMES = ("answered", "recorded", "not_found", "verification_failed")
"""Outcomes of calls the line handled without a person."""
NOT_VERIFIED = "not_verified"
"""The one public outcome for ``not_found`` and ``verification_failed``: whether a case exists
is never told by a public surface (``/metrics``, the ``voicebot call`` line)."""
_MERGED = {"not_found": NOT_VERIFIED, "verification_failed": NOT_VERIFIED}


def public_outcome(outcome: str) -> str:
    """``outcome`` as public surfaces show it (the existence split merged)."""
    return _MERGED.get(outcome, outcome)


def _merged(counts: dict[str, int]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for outcome, n in counts.items():
        out[public_outcome(outcome)] += n
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Metrics:
    """A snapshot of the line's figures."""

    day: str
    """The court's local date the snapshot was taken (ISO)."""
    calls_today: int
    """Calls started today."""
    calls_per_day: dict[str, int]
    """Calls per local date over the last ``days`` days (oldest first)."""
    calls_total: int
    """All calls stored."""
    bot_only_share: float | None
    """Share of calls answered by the line without a person (None without calls)."""
    outcomes: dict[str, int]
    """Calls per outcome."""
    outcomes_per_intent: dict[str, dict[str, int]]
    """Calls per intent and outcome."""
    work_orders_opened: int
    """All work orders."""
    work_orders_answered: int
    """Work orders the judge answered (including closed ones with a reply)."""
    work_orders_overdue: int
    """Unanswered work orders past their due time."""
    work_orders_by_status: dict[str, int]
    """Work orders per status."""
    contact_rate: float | None
    """Share of work orders where someone of the contact chain was reached."""
    handoffs: int
    """Calls handed to the operator queue."""
    handoffs_waiting: int
    """Callers waiting in the queue now."""
    callbacks_open: int
    """Callbacks not yet taken."""
    wait_avg_s: float | None
    """Average seconds a handed-off caller waited for an operator."""
    wait_p90_s: float | None
    """90th percentile of that wait."""
    case_number_locks: int = 0
    """Case numbers locked for telephone queries by the per-number ceiling (audit
    ``verify.number_lock``)."""

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        return asdict(self)


def _p90(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def compute_metrics(
    session: Session, now: dt.datetime, calendar: WorkCalendar, days: int = 14
) -> Metrics:
    """Figures over the whole store, with per-day counts for the last ``days`` days."""
    today = calendar.local(now).date()
    calls = session.execute(
        select(CallRecord.started_at, CallRecord.intent, CallRecord.outcome)
    ).all()
    per_day = {(today - dt.timedelta(days=i)).isoformat(): 0 for i in range(days - 1, -1, -1)}
    outcomes: Counter[str] = Counter()
    per_intent: dict[str, Counter[str]] = {}
    for started, intent, outcome in calls:
        key = calendar.local(started).date().isoformat()
        if key in per_day:
            per_day[key] += 1
        outcomes[outcome or "unknown"] += 1
        per_intent.setdefault(intent or "unknown", Counter())[outcome or "unknown"] += 1
    bot_only = sum(outcomes[o] for o in BOT_ONLY_OUTCOMES)
    orders = session.execute(select(WorkOrder)).scalars().all()
    statuses = Counter(o.status for o in orders)
    answered = sum(1 for o in orders if o.reply_text)
    overdue = sum(1 for o in orders if is_overdue(o, now))
    contacted = sum(1 for o in orders if contact_made(o))
    tickets = session.execute(
        select(HandoffTicket.kind, HandoffTicket.status, HandoffTicket.created_at,
               HandoffTicket.claimed_at, HandoffTicket.resolved_at)
    ).all()
    handoffs = [t for t in tickets if t.kind == "handoff"]
    waits: list[float] = []
    for t in handoffs:
        if t.claimed_at is not None:
            waits.append((t.claimed_at - t.created_at).total_seconds())
        elif t.status == "callback" and t.resolved_at is not None:
            waits.append((t.resolved_at - t.created_at).total_seconds())
    return Metrics(
        day=today.isoformat(),
        calls_today=per_day.get(today.isoformat(), 0),
        calls_per_day=per_day,
        calls_total=len(calls),
        bot_only_share=bot_only / len(calls) if calls else None,
        outcomes=dict(sorted(outcomes.items())),
        outcomes_per_intent={k: dict(sorted(v.items())) for k, v in sorted(per_intent.items())},
        work_orders_opened=len(orders),
        work_orders_answered=answered,
        work_orders_overdue=overdue,
        work_orders_by_status=dict(sorted(statuses.items())),
        contact_rate=contacted / len(orders) if orders else None,
        handoffs=len(handoffs),
        handoffs_waiting=sum(1 for t in handoffs if t.status == "waiting"),
        callbacks_open=sum(
            1 for t in tickets if t.kind == "callback" and t.status in ("waiting", "callback")
        ),
        wait_avg_s=sum(waits) / len(waits) if waits else None,
        wait_p90_s=_p90(waits),
        case_number_locks=session.scalar(
            select(func.count()).select_from(AuditEntry)
            .where(AuditEntry.action == "verify.number_lock")) or 0,
    )


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def prometheus_text(m: Metrics) -> str:
    """The snapshot in Prometheus text exposition format (counters and gauges only).

    Public: ``not_found`` and ``verification_failed`` are one outcome here (``not_verified``).
    """
    lines: list[str] = []

    def metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> None:
        lines.append(f"# HELP {name} {help_text}")
        lines.append(f"# TYPE {name} {kind}")
        for labels, value in samples:
            lines.append(f"{name}{labels} {value:g}")

    metric("voicebot_calls_total", "counter", "Calls by outcome.",
           [(f'{{outcome="{_label(k)}"}}', v) for k, v in _merged(m.outcomes).items()])
    metric("voicebot_calls_today", "gauge", "Calls started today (court time).",
           [("", m.calls_today)])
    metric("voicebot_calls_by_intent_total", "counter", "Calls by intent and outcome.",
           [(f'{{intent="{_label(i)}",outcome="{_label(o)}"}}', v)
            for i, per in m.outcomes_per_intent.items() for o, v in _merged(per).items()])
    if m.bot_only_share is not None:
        metric("voicebot_bot_only_share", "gauge", "Share of calls answered without a person.",
               [("", m.bot_only_share)])
    metric("voicebot_work_orders", "gauge", "Work orders by status.",
           [(f'{{status="{_label(k)}"}}', v) for k, v in m.work_orders_by_status.items()])
    metric("voicebot_work_orders_overdue", "gauge", "Unanswered work orders past due.",
           [("", m.work_orders_overdue)])
    if m.contact_rate is not None:
        metric("voicebot_judge_contact_rate", "gauge", "Share of work orders with contact made.",
               [("", m.contact_rate)])
    metric("voicebot_handoffs_total", "counter", "Calls handed to an operator.",
           [("", m.handoffs)])
    metric("voicebot_handoff_queue_waiting", "gauge", "Callers waiting for an operator.",
           [("", m.handoffs_waiting)])
    metric("voicebot_callbacks_open", "gauge", "Callbacks not yet taken.",
           [("", m.callbacks_open)])
    metric("voicebot_case_number_locks_total", "counter",
           "Case numbers locked for telephone queries after too many wrong passwords.",
           [("", m.case_number_locks)])
    if m.wait_avg_s is not None and m.wait_p90_s is not None:
        metric("voicebot_handoff_wait_seconds", "gauge", "Wait for an operator (avg, p90).",
               [('{stat="avg"}', m.wait_avg_s), ('{stat="p90"}', m.wait_p90_s)])
    return "\n".join(lines) + "\n"
