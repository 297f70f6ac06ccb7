"""Case services for the call loop and the console: lookup, query-password checks, audit, facts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload, selectinload

from voicebot.casenumber import CaseNumber
from voicebot.store.facts import (
    CaseFacts,
    EventFacts,
    HearingFacts,
    PersonFacts,
    ReplyFacts,
    ResultFacts,
)
from voicebot.store.models import (
    AuditEntry,
    Case,
    CasePanelMember,
    Hearing,
    Judge,
    VerificationAttempt,
    VerificationGuard,
    WorkOrder,
)
from voicebot.store.passwords import DUMMY_HASH, check_password

MAX_FAILURES = 3
"""Wrong passwords within :data:`FAILURE_WINDOW` that lock a case for the caller."""
FAILURE_WINDOW = dt.timedelta(minutes=30)
LOCK_DURATION = dt.timedelta(minutes=30)
NUMBER_CEILING = 10
"""Wrong passwords for one case number from all callers within :data:`NUMBER_WINDOW` that lock
the number for telephone queries (every caller) until the oldest of them is that old."""
NUMBER_WINDOW = dt.timedelta(hours=24)
RECENT_EVENTS = 3


@dataclass(frozen=True)
class VerifyOutcome:
    """Result of one query-password attempt."""

    status: Literal["ok", "wrong", "locked"]
    """``ok``; ``wrong`` (more tries left); ``locked`` (this try locked the case, or it was)."""
    attempts_left: int
    """Wrong tries the caller has before the lock (0 when locked)."""
    locked_until: dt.datetime | None = None
    """End of the lock, when locked."""

    @property
    def ok(self) -> bool:
        """Whether the password was right."""
        return self.status == "ok"


def find_case(session: Session, number: CaseNumber) -> Case | None:
    """The case with this number (an indexed point query), with court, judges, hearings,
    events and parties loaded; None if the store has no such case."""
    stmt = (
        select(Case)
        .where(Case.number == str(number))
        .options(
            joinedload(Case.court),
            joinedload(Case.judge).joinedload(Judge.department),
            selectinload(Case.panel).joinedload(CasePanelMember.judge),
            selectinload(Case.hearings),
            selectinload(Case.events),
            selectinload(Case.parties),
        )
    )
    return session.scalars(stmt).unique().one_or_none()


def case_to_verify(session: Session, number: CaseNumber) -> Case | None:
    """The case with this number and nothing else loaded: one indexed point query whether or not
    the case exists, so the time a password check takes tells nothing (its facts are loaded only
    after the caller is verified, by :func:`find_case`)."""
    return session.scalars(select(Case).where(Case.number == str(number))).one_or_none()


def add_audit_entry(session: Session, actor: str, action: str, case_number: str,
                    detail: str = "", *, now: dt.datetime | None = None) -> AuditEntry:
    """Add an audit-log entry (flushed with the session; the caller commits)."""
    entry = AuditEntry(
        at=now or dt.datetime.now(dt.UTC), actor=actor, action=action,
        case_number=case_number, detail=detail,
    )
    session.add(entry)
    return entry


def lock_state(session: Session, number: str, caller_id: str, now: dt.datetime,
               call_id: int | None = None) -> tuple[dt.datetime | None, int]:
    """(end of the caller's lock on case ``number`` or None, wrong tries counted towards a lock).

    A withheld caller (``caller_id`` empty) is one caller per call (``call_id``): withheld
    callers do not share a lock; the per-number ceiling (:func:`number_lock`) bounds them all.
    """
    since = now - FAILURE_WINDOW - LOCK_DURATION
    who = [VerificationAttempt.caller_id == caller_id]
    if not caller_id and call_id is not None:
        who.append(VerificationAttempt.call_id == call_id)
    rows = session.execute(
        select(VerificationAttempt.at, VerificationAttempt.outcome, VerificationAttempt.success)
        .where(
            VerificationAttempt.case_number == number,
            *who,
            VerificationAttempt.at >= since,
            VerificationAttempt.at <= now,
        )
        .order_by(VerificationAttempt.at, VerificationAttempt.id)
    ).all()
    failures: list[dt.datetime] = []
    locked_until: dt.datetime | None = None
    for at, outcome, success in rows:
        if outcome == "refused" or (locked_until is not None and at < locked_until):
            continue
        if success:
            failures = []
            continue
        failures = [t for t in failures if t > at - FAILURE_WINDOW] + [at]
        if len(failures) >= MAX_FAILURES:
            locked_until, failures = at + LOCK_DURATION, []
    if locked_until is not None and now < locked_until:
        return locked_until, MAX_FAILURES
    return None, len([t for t in failures if t > now - FAILURE_WINDOW])


def number_lock(session: Session, number: str, now: dt.datetime) -> dt.datetime | None:
    """End of the lock on case ``number`` for every telephone caller, or None.

    Locked while :data:`NUMBER_CEILING` wrong passwords from any callers fall within the last
    :data:`NUMBER_WINDOW`; tries refused while locked do not count.
    """
    wrong = session.scalars(
        select(VerificationAttempt.at)
        .where(VerificationAttempt.case_number == number, VerificationAttempt.outcome == "wrong",
               VerificationAttempt.at > now - NUMBER_WINDOW, VerificationAttempt.at <= now)
        .order_by(VerificationAttempt.at)
    ).all()
    if len(wrong) < NUMBER_CEILING:
        return None
    return wrong[len(wrong) - NUMBER_CEILING] + NUMBER_WINDOW


def guard_number(session: Session, number: str) -> None:
    """Serialize password checks of ``number``: the first write of the check's transaction.

    Inserts the number's guard row if missing and updates it, which takes its row lock on
    PostgreSQL and the database write lock on SQLite until the caller commits; every other check
    of the number waits there, then reads the attempts this one recorded.
    """
    dialect = session.get_bind().dialect.name
    values = {"case_number": number, "checks": 0}
    if dialect == "postgresql":
        session.execute(postgresql.insert(VerificationGuard).values(**values)
                        .on_conflict_do_nothing(index_elements=["case_number"]))
    elif dialect == "sqlite":
        session.execute(sqlite.insert(VerificationGuard).values(**values)
                        .on_conflict_do_nothing(index_elements=["case_number"]))
    elif session.get(VerificationGuard, number) is None:
        session.add(VerificationGuard(**values))
        session.flush()
    session.execute(update(VerificationGuard).where(VerificationGuard.case_number == number)
                    .values(checks=VerificationGuard.checks + 1))


def verify_password(session: Session, case: Case | str, password: str, *, caller_id: str,
                    call_id: int | None, now: dt.datetime) -> VerifyOutcome:
    """Check a caller's query password for ``case``, record the attempt and apply the lockout.

    Three wrong passwords for a case number from the same ``caller_id`` (a withheld caller: the
    same call) within 30 minutes lock it for that caller for 30 minutes; :data:`NUMBER_CEILING`
    wrong passwords from all callers in 24 hours lock it for every telephone caller
    (``verify.number_lock`` in the audit log). While locked the password is not even checked.
    Check and record are one step: :func:`guard_number` runs first, so parallel calls cannot
    all read "no failures yet"; the caller must commit promptly. An unknown number or a case
    without a password costs one hash like a real one, so timing tells nothing. ``case``
    may be a number the store does not hold (its official string): every password is then wrong
    and the attempts count and lock exactly as for a real case, so neither the answers nor the
    lock reveal whether the case exists. Failures and locks go to the audit log (the detail
    says when the number is unknown). The session is flushed, not committed.
    """
    known = case if isinstance(case, Case) else None
    number = known.number if known else str(case)
    who = f"caller {caller_id or 'unknown'}"
    actor = f"call:{call_id}" if call_id is not None else f"caller:{caller_id or 'unknown'}"
    attempt = _Attempt(session, number, known.id if known else None, caller_id, call_id, now)
    guard_number(session, number)
    locked_until, failures = lock_state(session, number, caller_id, now, call_id)
    number_until = number_lock(session, number, now)
    if number_until is not None and (locked_until is None or number_until > locked_until):
        attempt.add("refused")
        add_audit_entry(session, actor, "verify.refused", number,
              f"{who}: the number is locked for telephone queries until "
              f"{number_until.isoformat()}", now=now)
        session.flush()
        return VerifyOutcome("locked", 0, number_until)
    if locked_until is not None:
        attempt.add("refused")
        add_audit_entry(session, actor, "verify.refused", number,
              f"{who} is locked until {locked_until.isoformat()}", now=now)
        session.flush()
        return VerifyOutcome("locked", 0, locked_until)
    stored = known.password_hash if known and known.password_hash else ""
    right = check_password(password.strip(), stored or DUMMY_HASH) and bool(stored)
    if right:
        attempt.add("ok")
        session.flush()
        return VerifyOutcome("ok", MAX_FAILURES)
    attempt.add("wrong")
    failures += 1
    unknown = "" if known else "; no such case in the store"
    add_audit_entry(session, actor, "verify.wrong", number,
          f"wrong query password from {who} ({failures}/{MAX_FAILURES}){unknown}", now=now)
    session.flush()
    if (number_until := number_lock(session, number, now)) is not None:
        add_audit_entry(session, actor, "verify.number_lock", number,
              f"{NUMBER_CEILING} wrong passwords from all callers in "
              f"{NUMBER_WINDOW.total_seconds() / 3600:g} h: telephone queries locked until "
              f"{number_until.isoformat()}{unknown}", now=now)
        session.flush()
        return VerifyOutcome("locked", 0, number_until)
    if failures >= MAX_FAILURES:
        until = now + LOCK_DURATION
        add_audit_entry(session, actor, "verify.lock", number,
              f"{who} locked until {until.isoformat()}{unknown}", now=now)
        session.flush()
        return VerifyOutcome("locked", 0, until)
    session.flush()
    return VerifyOutcome("wrong", MAX_FAILURES - failures)


@dataclass(frozen=True)
class _Attempt:
    session: Session
    number: str
    case_id: int | None
    caller_id: str
    call_id: int | None
    at: dt.datetime

    def add(self, outcome: str) -> None:
        self.session.add(VerificationAttempt(
            case_number=self.number, case_id=self.case_id, caller_id=self.caller_id,
            call_id=self.call_id, at=self.at, success=outcome == "ok", outcome=outcome,
        ))


def case_replies(session: Session, case: Case) -> tuple[ReplyFacts, ...]:
    """Answered work orders about ``case``, newest reply first."""
    rows = session.execute(
        select(WorkOrder.number, WorkOrder.reply_text, WorkOrder.replied_at)
        .where(WorkOrder.case_id == case.id, WorkOrder.reply_text.is_not(None),
               WorkOrder.replied_at.is_not(None))
        .order_by(WorkOrder.replied_at.desc())
    ).all()
    return tuple(ReplyFacts(n, text or "", at) for n, text, at in rows if at is not None)


def case_facts(case: Case, now: dt.datetime, *, replies: Sequence[ReplyFacts] = ()) -> CaseFacts:
    """The snapshot an answer about ``case`` may draw on, as of ``now`` (timezone-aware)."""
    hearings = sorted(case.hearings, key=lambda h: h.at)
    upcoming = [h for h in hearings if h.at >= now]
    past = [h for h in hearings if h.at < now]
    happened = [e for e in case.events if e.at <= now]
    events = sorted(happened, key=lambda e: e.at, reverse=True)[:RECENT_EVENTS]
    result = None
    if case.result_on is not None and case.result_text:
        result = ResultFacts(case.result_on, case.result_text, case.result_text_en or "")
    return CaseFacts(
        number=CaseNumber.parse(case.number),
        court_name=case.court.name,
        court_name_en=case.court.name_en,
        cause=case.cause,
        cause_en=case.cause_en,
        filed_on=case.filed_on,
        accepted=case.accepted,
        status=case.status,
        judge=_person(case.judge),
        panel=tuple(p for m in case.panel if (p := _person(m.judge)) is not None),
        next_hearing=_hearing(upcoming[0]) if upcoming else None,
        last_hearing=_hearing(past[-1]) if past else None,
        recent_events=tuple(EventFacts(e.at, e.text, e.text_en) for e in events),
        result=result,
        replies=tuple(replies),
    )


def _person(judge: Judge | None) -> PersonFacts | None:
    return None if judge is None else PersonFacts(judge.name, judge.name_en)


def _hearing(h: Hearing) -> HearingFacts:
    return HearingFacts(h.at, h.room, h.room_en)
