"""Adapter from the dialog's record and handoff actions to ``voicebot.handoff``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from voicebot import handoff
from voicebot.call.context import CallContext
from voicebot.dialog.actions import CreateRecord, CreateWorkOrder, RequestHandoff
from voicebot.settings import Settings
from voicebot.workdays import WorkCalendar


@dataclass(frozen=True)
class Ref:
    """A record the call produced."""

    number: str
    """Its human-readable number."""
    due_at: dt.datetime | None = None
    """When the caller can expect an answer or a callback."""


def _transcript(ctx: CallContext) -> list[dict[str, str]]:
    return [{"caller": c, "bot": b} for c, b in ctx.transcript]


def work_order(session: Session, calendar: WorkCalendar, settings: Settings,
               action: CreateWorkOrder, ctx: CallContext, now: dt.datetime) -> Ref:
    """Open a work order to the case's responsible judge."""
    order = handoff.create_work_order(
        session, case=str(action.number), request_text=action.request,
        caller_phone=action.callback_phone, language=ctx.language, call_id=ctx.call_id,
        now=now, calendar=calendar, days=settings.work_order_days,
        actor=f"call:{ctx.call_id}")
    return Ref(order.number, order.due_at)


def caller_record(session: Session, calendar: WorkCalendar, action: CreateRecord,
                  ctx: CallContext, now: dt.datetime, intent: str) -> Ref:
    """Record a complaint, report, suggestion or materials; callbacks go to the callback queue."""
    phone = action.phone or ctx.caller_id
    number = str(action.number) if action.number is not None else ""
    if action.kind == "callback":
        ticket = handoff.request_callback(
            session, language=ctx.language, caller_phone=phone, intent=intent,
            case_number=number, verified=False, transcript=_transcript(ctx),
            call_id=ctx.call_id, now=now, calendar=calendar, note=action.message)
        return Ref(ticket.number, ticket.due_at)
    record = handoff.create_caller_record(
        session, kind=action.kind, message=action.message, case_number=number,
        caller_phone=phone, language=ctx.language, audio_path=ctx.audio_path,
        call_id=ctx.call_id, now=now)
    return Ref(record.number, None)


def enqueue(session: Session, action: RequestHandoff, ctx: CallContext,
            now: dt.datetime) -> handoff.QueuedTicket:
    """Queue the call for an operator (the desk is open)."""
    return handoff.enqueue_handoff(
        session, language=ctx.language, caller_phone=ctx.caller_id, intent=action.intent,
        case_number=str(action.number) if action.number is not None else "",
        verified=action.verified, transcript=_transcript(ctx), call_id=ctx.call_id, now=now)
