"""Calls a dead worker left open: how a worker knows, and how they are closed.

Each ``voicebot sip serve`` worker has a stable name (``sip_worker``, default ``HOST:PORT``),
tags the call records it carries with it and writes a heartbeat row (``line_workers``) every
``sip_heartbeat_s``. Turns are written as they happen, so an open record already holds the call
so far. A record with no end is orphaned when its worker is this worker at start-up (its
previous life died) or a worker whose heartbeat is older than three beats (a survivor sweeps).
Orphans are closed as ``interrupted`` with ``sip.worker_lost``; their turns stay. Blocking.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from voicebot.store.db import session_scope
from voicebot.store.models import CallRecord, LineWorker

log = logging.getLogger(__name__)

INTERRUPTED = "interrupted"
"""Outcome of a call whose worker died mid-call."""
LOST_CODE = "sip.worker_lost"
"""Error code on such a call's record."""
STALE_BEATS = 3
"""Heartbeats a worker may miss before its open calls are orphans."""


def tag(sessions: sessionmaker[Session], record_id: int, worker: str) -> None:
    """Name ``worker`` as the carrier of call ``record_id``."""
    with session_scope(sessions) as session:
        session.execute(update(CallRecord).where(CallRecord.id == record_id)
                        .values(worker=worker))


def beat(sessions: sessionmaker[Session], worker: str, now: dt.datetime, *,
         starting: bool = False) -> None:
    """Write ``worker``'s heartbeat (its start time too when ``starting``)."""
    with session_scope(sessions) as session:
        row = session.get(LineWorker, worker)
        if row is None:
            session.add(LineWorker(name=worker, started_at=now, heartbeat_at=now))
        else:
            row.heartbeat_at = now
            if starting:
                row.started_at = now


def _close(session: Session, workers: list[str], now: dt.datetime) -> list[int]:
    if not workers:
        return []
    ids = list(session.scalars(select(CallRecord.id).where(
        CallRecord.ended_at.is_(None), CallRecord.worker.in_(workers))))
    if ids:
        session.execute(update(CallRecord).where(CallRecord.id.in_(ids)).values(
            ended_at=now, outcome=INTERRUPTED, error_code=LOST_CODE))
    return ids


def close_own(sessions: sessionmaker[Session], worker: str, now: dt.datetime) -> list[int]:
    """At start-up, before taking calls: close what this worker's previous life left open."""
    with session_scope(sessions) as session:
        ids = _close(session, [worker], now)
    if ids:
        log.warning("closed %d call(s) of this worker's previous run as interrupted: %s",
                    len(ids), ids)
    return ids


def close_dead(sessions: sessionmaker[Session], me: str, now: dt.datetime,
               heartbeat_s: int) -> list[int]:
    """Close the open calls of every other worker silent for ``STALE_BEATS`` beats."""
    cutoff = now - dt.timedelta(seconds=STALE_BEATS * heartbeat_s)
    with session_scope(sessions) as session:
        dead = list(session.scalars(select(LineWorker.name).where(
            LineWorker.heartbeat_at < cutoff, LineWorker.name != me)))
        ids = _close(session, dead, now)
    if ids:
        log.warning("closed %d call(s) of lost worker(s) %s as interrupted: %s",
                    len(ids), dead, ids)
    return ids
