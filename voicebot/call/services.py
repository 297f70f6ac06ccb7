"""Executes the dialog's backend actions against the store and the handoff services.

Each action runs in its own transaction (a session per action) off the event loop and comes back
as the dialog's result event; any failure becomes ``ActionFailed`` with a stable code. Every
disclosure of case data is written to the audit log as ``call:<id>``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call import handoff_bridge as bridge
from voicebot.call.context import CallContext
from voicebot.call.line import Knows
from voicebot.call.spool_hooks import spool_action
from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import (
    CreateRecord,
    CreateWorkOrder,
    LookUpCase,
    LookUpKnowledge,
    RequestHandoff,
    VerifyPassword,
)
from voicebot.dialog.events import (
    ActionFailed,
    CaseFound,
    CaseNotFound,
    DeskClosed,
    Event,
    HandoffQueued,
    KnowledgeAnswered,
    PasswordChecked,
    RecordCreated,
)
from voicebot.handoff.calendar import load_calendar
from voicebot.settings import Settings
from voicebot.store.cases import (
    add_audit_entry,
    case_facts,
    case_replies,
    case_to_verify,
    find_case,
)
from voicebot.store.cases import verify_password as store_verify
from voicebot.store.db import session_scope
from voicebot.workdays import WorkCalendar

BackendAction = (LookUpCase | VerifyPassword | CreateWorkOrder | CreateRecord | RequestHandoff
                 | LookUpKnowledge)
"""Actions this module executes."""
BACKEND_ACTIONS = (LookUpCase, VerifyPassword, CreateWorkOrder, CreateRecord, RequestHandoff,
                   LookUpKnowledge)
StoreAction = LookUpCase | VerifyPassword | CreateWorkOrder | CreateRecord | RequestHandoff
"""Backend actions that run against the store (in a transaction each)."""


class CallServices:
    """One call's gateway to the store; blocking work runs in worker threads."""

    def __init__(self, sessions: sessionmaker[Session], settings: Settings,
                 clock: Callable[[], dt.datetime], knowledge: Knows | None = None) -> None:
        self._sessions = sessions
        self._knowledge = knowledge
        self._settings = settings
        self._clock = clock
        self._verified: set[str] = set()

    def now(self) -> dt.datetime:
        """The call's time in the court's time zone (record numbers carry the court's date)."""
        return self._clock().astimezone(ZoneInfo(self._settings.timezone))

    def calendar(self) -> WorkCalendar:
        """Working-day calendar with the store's overrides (blocking)."""
        with session_scope(self._sessions) as session:
            return load_calendar(session, self._settings)

    def desk_open(self) -> bool:
        """Whether operators answer at the call's time (blocking)."""
        return self.calendar().desk_open(self.now())

    async def execute(self, action: BackendAction, ctx: CallContext) -> Event:
        """Run ``action``; the result event, or ``ActionFailed`` with a stable code."""
        if isinstance(action, LookUpKnowledge):
            return await self._look_up_knowledge(action)
        try:
            return await asyncio.to_thread(self._run, action, ctx)
        except SQLAlchemyError:  # what the caller left goes to the spool (issue 15.6)
            spooled = await asyncio.to_thread(spool_action, self._settings, action, ctx,
                                              self.now(), self._verified, self._sessions)
            return spooled or ActionFailed(type(action).__name__, "store.unavailable")
        except Exception as exc:
            code = getattr(exc, "code", None)
            return ActionFailed(type(action).__name__,
                                code if isinstance(code, str) and code else "store.failed")

    async def _look_up_knowledge(self, action: LookUpKnowledge) -> Event:
        """The knowledge-base search (spaCy) in a worker thread; no store involved."""
        if self._knowledge is None:
            return KnowledgeAnswered(None)
        try:
            found = await asyncio.to_thread(self._knowledge.answer, action.query, action.language,
                                            action.topic)
        except Exception as exc:
            code = getattr(exc, "code", None)
            return ActionFailed("LookUpKnowledge",
                                code if isinstance(code, str) and code else "knowledge.failed")
        return KnowledgeAnswered(found)

    def _run(self, action: StoreAction, ctx: CallContext) -> Event:
        with session_scope(self._sessions) as session:
            if isinstance(action, VerifyPassword):
                return self._verify(session, action, ctx)
            if isinstance(action, LookUpCase):
                return self._look_up(session, action, ctx)
            calendar = load_calendar(session, self._settings)
            now = self.now()
            if isinstance(action, CreateWorkOrder):
                self._require_verified(action.number)
                ref = bridge.work_order(session, calendar, self._settings, action, ctx, now)
                return RecordCreated("work_order", ref.number, ref.due_at)
            if isinstance(action, CreateRecord):
                ref = bridge.caller_record(session, calendar, action, ctx, now, ctx.intent)
                return RecordCreated(action.kind, ref.number, ref.due_at)
            if not calendar.desk_open(now):
                return DeskClosed(calendar.next_opening(now))
            queued = bridge.enqueue(session, action, ctx, now)
            limit = math.ceil(self._settings.handoff_wait_limit_min)  # said in whole minutes
            return HandoffQueued(queued.number, queued.position,  # never past the callback
                                 min(queued.wait_min, limit))

    def _verify(self, session: Session, action: VerifyPassword, ctx: CallContext) -> Event:
        key = str(action.number)
        now = self.now()
        case = case_to_verify(session, action.number)
        # An unknown number goes through the same attempt counting and lock as a real one.
        outcome = store_verify(session, case if case is not None else key, action.password,
                               caller_id=ctx.caller_id, call_id=ctx.call_id, now=now)
        if outcome.ok:
            self._verified.add(key)
        return PasswordChecked(outcome.ok, outcome.attempts_left, outcome.status == "locked",
                               known=case is not None)

    def _look_up(self, session: Session, action: LookUpCase, ctx: CallContext) -> Event:
        number = action.number
        self._require_verified(number)
        case = find_case(session, number)
        if case is None:
            return CaseNotFound(number)
        now = self.now()
        facts = case_facts(case, now, replies=case_replies(session, case))
        if action.lawful_notice:  # issue 17.15: the notice was said before this disclosure
            add_audit_entry(session, _actor(ctx), "call.lawful_notice", case.number,
                  "lawful-use notice said before the first disclosure", now=now)
        add_audit_entry(session, _actor(ctx), "call.disclose", case.number,
              f"case facts read to verified caller {ctx.caller_id or 'unknown'}", now=now)
        return CaseFound(facts)

    def _require_verified(self, number: CaseNumber) -> None:
        if str(number) not in self._verified:
            raise NotVerifiedError(f"{number} was not verified on this call")


class NotVerifiedError(PermissionError):
    """The dialog asked for case data the caller has not unlocked on this call."""

    code = "call.not_verified"


def _actor(ctx: CallContext) -> str:
    return f"call:{ctx.call_id}" if ctx.call_id is not None else "call:?"
