"""The case store's tables (SQLAlchemy 2.x typed ORM); the same schema on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from voicebot.store.statuses import (
    CaseStatus,
    RecordKind,
    RecordStatus,
    TicketStatus,
    WorkOrderStatus,
)

CASE_STATUSES = tuple(CaseStatus)
WORK_ORDER_STATUSES = tuple(WorkOrderStatus)
TICKET_STATUSES = tuple(TicketStatus)
RECORD_KINDS = tuple(RecordKind)
RECORD_STATUSES = tuple(RecordStatus)
ROLES = ("operator", "judge", "admin")


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware datetimes stored as UTC; SQLite returns them aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names are fixed, so migrations can name them on SQLite and PostgreSQL alike."""


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Court(Base):
    __tablename__ = "courts"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    departments: Mapped[list[Department]] = relationship(back_populates="court")


class Department(Base):
    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("court_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    head_name: Mapped[str] = mapped_column(String(100), default="")
    head_phone: Mapped[str] = mapped_column(String(40), default="")
    court: Mapped[Court] = relationship(back_populates="departments")


class Judge(Base):
    __tablename__ = "judges"
    id: Mapped[int] = mapped_column(primary_key=True)
    ext_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    work_phone: Mapped[str] = mapped_column(String(40), default="")
    court: Mapped[Court] = relationship()
    department: Mapped[Department | None] = relationship()


class CasePanelMember(Base):
    __tablename__ = "case_panel"
    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    judge_id: Mapped[int] = mapped_column(ForeignKey("judges.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    judge: Mapped[Judge] = relationship()


class Case(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    """Official form, e.g. （2024）京0105民初12345号; the lookup key."""
    year: Mapped[int] = mapped_column(Integer)
    court_id: Mapped[int] = mapped_column(ForeignKey("courts.id"))
    case_type: Mapped[str] = mapped_column(String(8))
    seq: Mapped[int] = mapped_column(Integer)
    cause: Mapped[str] = mapped_column(String(200), default="")
    cause_en: Mapped[str] = mapped_column(String(200), default="")
    filed_on: Mapped[dt.date | None] = mapped_column(Date)
    accepted: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="filed")
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("judges.id"))
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    result_on: Mapped[dt.date | None] = mapped_column(Date)
    result_text: Mapped[str | None] = mapped_column(Text)
    result_text_en: Mapped[str | None] = mapped_column(Text)
    court: Mapped[Court] = relationship()
    judge: Mapped[Judge | None] = relationship()
    panel: Mapped[list[CasePanelMember]] = relationship(
        order_by="CasePanelMember.position", cascade="all, delete-orphan"
    )
    hearings: Mapped[list[Hearing]] = relationship(
        order_by="Hearing.at", cascade="all, delete-orphan", back_populates="case"
    )
    events: Mapped[list[CaseEvent]] = relationship(
        order_by="CaseEvent.at", cascade="all, delete-orphan", back_populates="case"
    )
    parties: Mapped[list[Party]] = relationship(cascade="all, delete-orphan", back_populates="case")


class Hearing(Base):
    __tablename__ = "hearings"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    room: Mapped[str] = mapped_column(String(100), default="")
    room_en: Mapped[str] = mapped_column(String(100), default="")
    case: Mapped[Case] = relationship(back_populates="hearings")


class CaseEvent(Base):
    __tablename__ = "case_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    case: Mapped[Case] = relationship(back_populates="events")


class Party(Base):
    __tablename__ = "parties"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str] = mapped_column(String(40), default="")
    case: Mapped[Case] = relationship(back_populates="parties")


class CallRecord(Base):
    __tablename__ = "calls"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(20), default="audio")
    """How the call came in: ``audio``, ``text`` or ``replay``."""
    language: Mapped[str] = mapped_column(String(8), default="")
    caller_id: Mapped[str] = mapped_column(String(40), default="", index=True)
    """The caller's number, normalized (``voicebot.callerid``); empty when withheld."""
    caller_id_raw: Mapped[str] = mapped_column(String(120), default="")
    """The caller id as signalled, cut to 120 characters with a marker."""
    intent: Mapped[str] = mapped_column(String(40), default="")
    case_number: Mapped[str] = mapped_column(String(64), default="", index=True)
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(30), default="")
    record_ref: Mapped[str] = mapped_column(String(40), default="")
    """Number of the work order, ticket or handoff the call produced."""
    error_code: Mapped[str] = mapped_column(String(60), default="")
    audio_path: Mapped[str] = mapped_column(String(400), default="")
    worker: Mapped[str] = mapped_column(String(80), default="", index=True)
    """The SIP line worker that carried the call (``sip_worker``), ``""`` for other channels."""
    turns: Mapped[list[CallTurn]] = relationship(
        order_by="CallTurn.idx", cascade="all, delete-orphan", back_populates="call"
    )


class CallTurn(Base):
    __tablename__ = "call_turns"
    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    caller_text: Mapped[str] = mapped_column(Text, default="")
    bot_text: Mapped[str] = mapped_column(Text, default="")
    intent: Mapped[str] = mapped_column(String(40), default="")
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    call: Mapped[CallRecord] = relationship(back_populates="turns")


class WorkOrder(Base):
    __tablename__ = "work_orders"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("judges.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="zh")
    caller_phone: Mapped[str] = mapped_column(String(40), default="")
    request_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    contact_chain: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    """Whom to contact in order: judge's work phone, department contact, department head."""
    contact_log: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    """Contact attempts made, each with step, phone, outcome and time."""
    reply_text: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    case: Mapped[Case | None] = relationship()
    judge: Mapped[Judge | None] = relationship()
    # console ops (issue 17.6)
    notify_state: Mapped[str] = mapped_column(String(10), default="", server_default="")
    """Judge notification: ``pending``, ``sending``, ``sent``, ``failed``, ``off`` (no hook
    configured); empty for orders from before the hook existed."""
    notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When the notification was attempted."""
    seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When the responsible judge first opened the order (unseen open orders make the badge)."""
    close_note: Mapped[str | None] = mapped_column(Text)
    """The judge's note on closing (closing needs a reply or a note)."""


class HandoffTicket(Base):
    __tablename__ = "handoff_tickets"
    __table_args__ = (Index("ix_handoff_status_created", "status", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="handoff")
    """``handoff`` (caller waiting on the line) or ``callback`` (call the caller back)."""
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    status: Mapped[str] = mapped_column(String(20), default="waiting")
    language: Mapped[str] = mapped_column(String(8), default="zh")
    caller_phone: Mapped[str] = mapped_column(String(40), default="")
    intent: Mapped[str] = mapped_column(String(40), default="")
    case_number: Mapped[str] = mapped_column(String(64), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    transcript: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    """The call so far: a list of {"caller": ..., "bot": ...} turns."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """For callbacks: when the caller should be called back at the latest."""
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class CallerRecord(Base):
    """A complaint, report, suggestion or submitted material left on the line."""

    __tablename__ = "caller_records"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    language: Mapped[str] = mapped_column(String(8), default="zh")
    caller_phone: Mapped[str] = mapped_column(String(40), default="")
    case_number: Mapped[str] = mapped_column(String(64), default="")
    message: Mapped[str] = mapped_column(Text, default="")
    audio_path: Mapped[str] = mapped_column(String(400), default="")
    status: Mapped[str] = mapped_column(String(20), default="new")
    """One of RECORD_STATUSES: ``new`` until an admin marks it ``handled``."""
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    handled_by: Mapped[str | None] = mapped_column(String(100))
    """Console user who marked the record handled."""
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    """When it was marked handled."""


class VerificationAttempt(Base):
    """One query-password attempt; three failures in 30 minutes lock the number for the caller.

    Attempts on numbers the store does not hold are kept too (``case_id`` empty), so an unknown
    number locks exactly like a real one and the lock reveals nothing about existence.
    """

    __tablename__ = "verification_attempts"
    __table_args__ = (Index("ix_verif_number_caller_at", "case_number", "caller_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(String(64), default="")
    """The number as the caller gave it (official form)."""
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    caller_id: Mapped[str] = mapped_column(String(40), default="")
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    success: Mapped[bool] = mapped_column(Boolean)
    outcome: Mapped[str] = mapped_column(String(10), default="")
    """``ok``, ``wrong`` or ``refused`` (tried while locked; the password was not checked)."""


class VerificationGuard(Base):
    """One row per case number tried; updated first in every password check, so checks of one
    number run one after the other (a row lock on PostgreSQL, the write lock on SQLite)."""

    __tablename__ = "verification_guards"
    case_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    checks: Mapped[int] = mapped_column(Integer, default=0)
    """Password checks made for the number (tried while locked included)."""


class AuditEntry(Base):
    """Every disclosure or change of case data, by the line or by a person."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    """``call:<id>``, ``user:<name>`` or ``cli``."""
    action: Mapped[str] = mapped_column(String(60))
    case_number: Mapped[str] = mapped_column(String(64), default="", index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    judge_id: Mapped[int | None] = mapped_column(ForeignKey("judges.id"))
    """For judges: which judge's work orders this account sees."""
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # console sessions and account states (issue 15)
    session_generation: Mapped[int] = mapped_column(Integer, default=0)
    """Raised on sign-out, password reset and disabling: older session cookies stop working."""
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    """A disabled account cannot sign in and its sessions end."""
    console_lang: Mapped[str | None] = mapped_column(String(8))
    """The console language the user chose (``zh``/``en``); None: the default (issue 17)."""
    sip_uri: Mapped[str] = mapped_column(String(200), default="")
    """Operators: where the SIP line transfers a caller they take (``sip:op1@pbx``)."""


class LineWorker(Base):
    """A SIP line worker's heartbeat: a worker silent too long is gone, its open calls orphaned."""

    __tablename__ = "line_workers"
    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)


class CalendarOverride(Base):
    """An admin's change to the working-day calendar (a holiday or an adjusted working day)."""

    __tablename__ = "calendar_overrides"
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(String(200), default="")


class Counter(Base):
    """Per-day sequence counters for human-readable record numbers (WO-20260303-0001)."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
