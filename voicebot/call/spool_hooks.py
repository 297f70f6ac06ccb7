"""Where a call meets the spool: what cannot reach the store is journalled, never dropped.

:class:`SpooledRecorder` is the call record writer with a fallback to the spool, and it drains
the spool whenever a call starts on a working store. :func:`spool_action` turns a complaint,
callback or work order the store refused into a spooled entry and a ``RecordCreated`` with
``spooled=True``, so the dialog says "saved and will be passed on" only when it is.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.record import CallRecorder, CallSummary, TurnLog
from voicebot.dialog.actions import CreateRecord, CreateWorkOrder
from voicebot.dialog.events import RecordCreated
from voicebot.settings import Settings
from voicebot.store.db import StoreError
from voicebot.store.spool import Spool, SpoolError, case_text, drain, iso, spool_for

if TYPE_CHECKING:
    from voicebot.call.services import CallContext

log = logging.getLogger(__name__)

STORE_ERRORS = (SQLAlchemyError, StoreError)
"""Failures that mean "the store is unavailable", as opposed to bad input."""


def reset_connections(sessions: sessionmaker[Session] | None) -> None:
    """Drop pooled connections after a store failure: one opened while the store was broken
    (e.g. SQLite falling back to read-only) must not outlive the repair."""
    engine = sessions.kw.get("bind") if sessions is not None else None
    if engine is not None and hasattr(engine, "dispose"):
        engine.dispose()


class SpooledRecorder(CallRecorder):
    """A :class:`CallRecorder` whose writes go to the spool when the store fails."""

    def __init__(self, sessions: sessionmaker[Session], recordings_dir: Path, *,
                 keep_audio: bool, settings: Settings) -> None:
        super().__init__(sessions, recordings_dir, keep_audio=keep_audio)
        self._settings = settings
        self.spool: Spool = spool_for(settings.data_dir)
        self.call_key = ""
        """Spool key of this call's record when its start was spooled."""

    def start(self, *, started_at: dt.datetime, channel: str, language: str,
              caller_id: str) -> int:
        """Create the call record, or spool it (returns -1 then); drains a waiting spool."""
        try:
            call_id = super().start(started_at=started_at, channel=channel, language=language,
                                    caller_id=caller_id)
        except STORE_ERRORS:
            reset_connections(self._sessions)
            self.call_id = None
            self.call_key = self.spool.append("call_start", {
                "started_at": iso(started_at), "channel": channel, "language": language,
                "caller_id": caller_id})
            return -1
        try:
            if self.spool.pending():
                result = drain(self.spool, self._sessions, self._settings)
                log.info("spool drained at call start: %s", result)
        except Exception:  # draining is a courtesy here; the CLI and the next call retry
            log.exception("spool drain failed")
        return call_id

    def _ref(self) -> dict[str, object]:
        return {"call_id": self.call_id, "call_key": self.call_key}

    def add_turn(self, turn: TurnLog, at: dt.datetime) -> None:
        if self.call_id is not None and not self.call_key:
            try:
                super().add_turn(turn, at)
                return
            except STORE_ERRORS:
                reset_connections(self._sessions)
        elif not self.call_key:
            return
        self.spool.append("call_turn", {
            **self._ref(), "idx": self._turns, "at": iso(at), "caller": turn.caller,
            "bot": turn.bot, "intent": turn.intent, "latency_ms": turn.latency_ms})
        self._turns += 1

    def finish(self, summary: CallSummary, ended_at: dt.datetime) -> None:
        if self.call_id is not None and not self.call_key:
            try:
                super().finish(summary, ended_at)
                return
            except STORE_ERRORS:
                reset_connections(self._sessions)
        elif not self.call_key:
            return
        self.spool.append("call_finish", {
            **self._ref(), "ended_at": iso(ended_at), "outcome": summary.outcome or "unresolved",
            "intent": summary.intent, "case_number": summary.case_number,
            "verified": summary.verified, "record_ref": summary.record_ref,
            "error_code": summary.error_code, "language": summary.language,
            "audio_path": self._audio_path})


def spool_action(settings: Settings, action: object, ctx: CallContext, now: dt.datetime,
                 verified: Collection[str], sessions: sessionmaker[Session] | None = None,
                 ) -> RecordCreated | None:
    """Spool a record or work order the store refused; None for other actions (or when the
    spool cannot be written either, so the caller hears the apology, not a false promise).
    ``sessions``: the failed store's connections are dropped."""
    reset_connections(sessions)
    data: dict[str, object]
    if isinstance(action, CreateWorkOrder):
        if str(action.number) not in verified:
            return None
        op, kind = "work_order", "work_order"
        data = {"case_number": str(action.number), "message": action.request,
                "phone": action.callback_phone}
    elif isinstance(action, CreateRecord):
        op, kind = "record", action.kind
        data = {"kind": action.kind, "message": action.message,
                "case_number": case_text(action.number),
                "phone": action.phone or ctx.caller_id, "audio_path": ctx.audio_path,
                "intent": ctx.intent,
                "transcript": [{"caller": c, "bot": b} for c, b in ctx.transcript]}
    else:
        return None
    data |= {"call_id": ctx.call_id if ctx.call_id is not None and ctx.call_id >= 0 else None,
             "language": ctx.language, "now": iso(now)}
    try:
        spool_for(settings.data_dir).append(op, data)
    except SpoolError:
        log.exception("the spool failed too: %s not saved", op)
        return None
    return RecordCreated(kind, "", None, spooled=True)
