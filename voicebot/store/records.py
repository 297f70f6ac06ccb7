"""Court data as validated records: what an import file holds and what the demo generates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from voicebot.casenumber import CaseNumber, CaseNumberError, validate_court_code
from voicebot.store.jsonin import LongNumber
from voicebot.store.models import (
    CASE_STATUSES,
    Case,
    Court,
    Department,
    Hearing,
    Judge,
    Party,
)

PASSWORD_PATTERN = re.compile(r"[0-9]{6}", re.ASCII)
"""Six ASCII digits, the only thing a keypad can type (fullwidth digits are refused)."""

TEXT_MAX = 4000
"""Longest text accepted where the column itself is unbounded (events, results)."""

SEQ_MAX = 2**31 - 1
"""Largest case sequence number the ``cases.seq`` INTEGER column holds on every database."""


def _width(column: Any) -> int:
    """Length of a ``String(n)`` column, the same bound on SQLite as on PostgreSQL."""
    length = getattr(column.type, "length", None)
    return int(length) if length else TEXT_MAX


def _widths(**columns: Any) -> dict[str, int]:
    return {key: _width(col) for key, col in columns.items()}


COURT_WIDTHS = _widths(code=Court.code, name=Court.name, name_en=Court.name_en)
DEPARTMENT_WIDTHS = _widths(name=Department.name, name_en=Department.name_en)
PERSON_WIDTHS = _widths(name=Department.contact_name, phone=Department.contact_phone)
JUDGE_WIDTHS = _widths(id=Judge.ext_id, name=Judge.name, name_en=Judge.name_en,
                       court=Court.code, department=Department.name,
                       work_phone=Judge.work_phone)
CASE_WIDTHS = _widths(number=Case.number, cause=Case.cause, cause_en=Case.cause_en,
                      status=Case.status, judge=Judge.ext_id)
HEARING_WIDTHS = _widths(room=Hearing.room, room_en=Hearing.room_en)
PARTY_WIDTHS = _widths(name=Party.name, role=Party.role, phone=Party.phone)


class ImportFileError(ValueError):
    """An import file that cannot be loaded; the message names the record and the reason."""

    code = "store.import_invalid"

    def __init__(self, message: str, *, path: str = "", kind: str = "invalid") -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        """Where in the file, e.g. ``cases[17] （2024）京0105民初12345号``."""
        self.kind = kind
        """Finer reason: bad_json, invalid, unknown_court, bad_case_number, duplicate,
        unknown_judge, unknown_department, bad_status, bad_date."""


@dataclass
class DepartmentRec:
    """A division of a court with its contact person and head."""

    name: str
    name_en: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    head_name: str = ""
    head_phone: str = ""


@dataclass
class CourtRec:
    """A court with its departments."""

    code: str
    name: str
    name_en: str = ""
    aliases: list[str] = field(default_factory=list)
    departments: list[DepartmentRec] = field(default_factory=list)


@dataclass
class JudgeRec:
    """A judge, keyed by the court's own judge id."""

    ext_id: str
    name: str
    court: str
    name_en: str = ""
    department: str | None = None
    work_phone: str = ""


@dataclass
class HearingRec:
    at: dt.datetime
    room: str = ""
    room_en: str = ""


@dataclass
class EventRec:
    at: dt.datetime
    text: str
    text_en: str = ""


@dataclass
class PartyRec:
    name: str
    role: str
    phone: str = ""


@dataclass
class ResultRec:
    on: dt.date
    text: str
    text_en: str = ""


@dataclass
class CaseRec:
    """A case with everything the line can tell about it."""

    number: CaseNumber
    cause: str = ""
    cause_en: str = ""
    filed_on: dt.date | None = None
    accepted: bool = False
    status: str = "filed"
    judge: str | None = None
    panel: list[str] = field(default_factory=list)
    hearings: list[HearingRec] = field(default_factory=list)
    events: list[EventRec] = field(default_factory=list)
    result: ResultRec | None = None
    query_password: str | None = None
    """Plain password from the file; None keeps the stored hash on re-import."""
    parties: list[PartyRec] = field(default_factory=list)


@dataclass
class ImportData:
    """A whole import file, validated on its own (references to the database not yet checked)."""

    courts: list[CourtRec] = field(default_factory=list)
    judges: list[JudgeRec] = field(default_factory=list)
    cases: list[CaseRec] = field(default_factory=list)


class _Obj:
    """Typed access to one JSON object, with errors naming its path."""

    def __init__(self, value: Any, path: str, allowed: set[str],
                 widths: dict[str, int] | None = None) -> None:
        if not isinstance(value, dict):
            raise ImportFileError(f"expected an object, got {_kind(value)}", path=path)
        repeated = getattr(value, "repeated", ())
        if repeated:
            raise ImportFileError(f"field(s) given twice: {', '.join(sorted(repeated))}",
                                  path=path, kind="duplicate")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ImportFileError(f"unknown field(s) {', '.join(unknown)}", path=path)
        self.value, self.path = value, path
        self.widths = widths or {}

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.value.get(key)
        if value is None:
            if required:
                raise ImportFileError(f"field {key!r} is required", path=self.path)
            return default
        if not isinstance(value, str):
            raise ImportFileError(f"{key!r} must be a string, got {_kind(value)}", path=self.path)
        if required and not value.strip():
            raise ImportFileError(f"field {key!r} must not be empty", path=self.path)
        width = self.widths.get(key, TEXT_MAX)
        if len(value.strip()) > width:
            raise ImportFileError(f"{key!r} is longer than {width} characters "
                                  f"({len(value.strip())})", path=self.path, kind="too_long")
        return value.strip()

    def opt_str(self, key: str) -> str | None:
        return self.text(key) if self.value.get(key) is not None else None

    def items(self, key: str) -> list[Any]:
        value = self.value.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise ImportFileError(f"{key!r} must be a list, got {_kind(value)}", path=self.path)
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.value.get(key, default)
        if not isinstance(value, bool):
            raise ImportFileError(f"{key!r} must be true or false, got {_kind(value)}",
                                  path=self.path)
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        text = self.text(key, required=required)
        if not text:
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ImportFileError(
                f"{key!r} is not a date like 2024-03-01: {text!r}", path=self.path, kind="bad_date"
            ) from None

    def datetime(self, key: str) -> dt.datetime:
        text = self.text(key, required=True)
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ImportFileError(
                f"{key!r} is not a time like 2024-05-10T09:30:00+08:00: {text!r}",
                path=self.path, kind="bad_date",
            ) from None
        if value.tzinfo is None:
            raise ImportFileError(
                f"{key!r} needs a UTC offset such as +08:00: {text!r}", path=self.path,
                kind="bad_date",
            )
        return value


def parse_import(data: Any) -> ImportData:
    """Validate a decoded import file; raises :class:`ImportFileError` naming the bad record."""
    top = _Obj(data, "file", {"courts", "judges", "cases"})
    out = ImportData()
    for i, raw in enumerate(top.items("courts")):
        court = _court(raw, f"courts[{i}]")
        if any(c.code == court.code for c in out.courts):
            raise ImportFileError(f"duplicate court code {court.code}", path=f"courts[{i}]",
                                  kind="duplicate")
        out.courts.append(court)
    seen_judges: set[str] = set()
    for i, raw in enumerate(top.items("judges")):
        judge = _judge(raw, f"judges[{i}]")
        if judge.ext_id in seen_judges:
            raise ImportFileError(f"duplicate judge id {judge.ext_id}",
                                  path=f"judges[{i}] {judge.ext_id}", kind="duplicate")
        seen_judges.add(judge.ext_id)
        out.judges.append(judge)
    seen_cases: set[str] = set()
    for i, raw in enumerate(top.items("cases")):
        case = parse_case(raw, f"cases[{i}]")
        if str(case.number) in seen_cases:
            raise ImportFileError(f"duplicate case number {case.number}",
                                  path=f"cases[{i}] {case.number}", kind="duplicate")
        seen_cases.add(str(case.number))
        out.cases.append(case)
    return out


def _court(raw: Any, path: str) -> CourtRec:
    obj = _Obj(raw, path, {"code", "name", "name_en", "aliases", "departments"}, COURT_WIDTHS)
    code = obj.text("code", required=True)
    try:
        validate_court_code(code)
    except CaseNumberError as exc:
        raise ImportFileError(str(exc), path=path, kind="unknown_court") from None
    path = f"{path} {code}"
    aliases = obj.items("aliases")
    if not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ImportFileError("'aliases' must be a list of non-empty strings", path=path)
    if any(len(a.strip()) > COURT_WIDTHS["name"] for a in aliases):
        raise ImportFileError(f"an alias is longer than {COURT_WIDTHS['name']} characters",
                              path=path, kind="too_long")
    court = CourtRec(code, obj.text("name", required=True), obj.text("name_en"),
                     [a.strip() for a in aliases])
    for j, dep_raw in enumerate(obj.items("departments")):
        dpath = f"{path} departments[{j}]"
        dep = _Obj(dep_raw, dpath, {"name", "name_en", "contact", "head"}, DEPARTMENT_WIDTHS)
        contact = _person(dep.value.get("contact"), f"{dpath} contact")
        head = _person(dep.value.get("head"), f"{dpath} head")
        rec = DepartmentRec(dep.text("name", required=True), dep.text("name_en"), *contact, *head)
        if any(d.name == rec.name for d in court.departments):
            raise ImportFileError(f"duplicate department {rec.name}", path=dpath, kind="duplicate")
        court.departments.append(rec)
    return court


def _person(raw: Any, path: str) -> tuple[str, str]:
    if raw is None:
        return "", ""
    obj = _Obj(raw, path, {"name", "phone"}, PERSON_WIDTHS)
    return obj.text("name"), obj.text("phone")


def _judge(raw: Any, path: str) -> JudgeRec:
    obj = _Obj(raw, path, {"id", "name", "name_en", "court", "department", "work_phone"},
               JUDGE_WIDTHS)
    ext_id = obj.text("id", required=True)
    obj.path = f"{path} {ext_id}"
    return JudgeRec(ext_id, obj.text("name", required=True), obj.text("court", required=True),
                    obj.text("name_en"), obj.opt_str("department") or None, obj.text("work_phone"))


CASE_FIELDS = {"number", "cause", "cause_en", "filed_on", "accepted", "status", "judge", "panel",
               "hearings", "events", "result", "query_password", "parties"}


def parse_case(raw: Any, path: str) -> CaseRec:
    """One case object of an import file."""
    obj = _Obj(raw, path, CASE_FIELDS, CASE_WIDTHS)
    text = obj.text("number", required=True)
    try:
        number = CaseNumber.parse(text)
    except (CaseNumberError, ValueError) as exc:
        raise ImportFileError(f"invalid case number: {exc}", path=path,
                              kind="bad_case_number") from None
    if number.seq > SEQ_MAX:
        raise ImportFileError(f"invalid case number: sequence {len(str(number.seq))} digits "
                              f"long, at most {SEQ_MAX}", path=path, kind="bad_case_number")
    obj.path = path = f"{path} {number}"
    status = obj.text("status", default="filed")
    if status not in CASE_STATUSES:
        raise ImportFileError(f"status {status!r} is not one of {', '.join(CASE_STATUSES)}",
                              path=path, kind="bad_status")
    accepted = obj.flag("accepted", default=status not in ("filed", "not_accepted"))
    if status == "not_accepted" and accepted:
        raise ImportFileError("status not_accepted contradicts accepted: true", path=path,
                              kind="bad_status")
    if status in ("in_trial", "adjourned", "closed") and not accepted:
        raise ImportFileError(f"status {status} needs accepted: true", path=path,
                              kind="bad_status")
    panel = obj.items("panel")
    if not all(isinstance(j, str) and j and len(j) <= CASE_WIDTHS["judge"] for j in panel):
        raise ImportFileError("'panel' must be a list of judge ids of at most "
                              f"{CASE_WIDTHS['judge']} characters", path=path)
    password = obj.opt_str("query_password")
    if password is not None and not PASSWORD_PATTERN.fullmatch(password):
        raise ImportFileError("query_password must be six ASCII digits 0-9", path=path)
    case = CaseRec(number, obj.text("cause"), obj.text("cause_en"), obj.date("filed_on"),
                   accepted, status, obj.opt_str("judge") or None, list(panel),
                   query_password=password)
    if len(set(panel)) != len(panel):
        raise ImportFileError("a judge appears twice in 'panel'", path=path, kind="duplicate")
    for k, h in enumerate(obj.items("hearings")):
        hobj = _Obj(h, f"{path} hearings[{k}]", {"at", "room", "room_en"},
                    HEARING_WIDTHS)
        room, room_en = hobj.text("room"), hobj.text("room_en")
        case.hearings.append(HearingRec(hobj.datetime("at"), room, room_en))
    for k, e in enumerate(obj.items("events")):
        eobj = _Obj(e, f"{path} events[{k}]", {"at", "text", "text_en"})
        case.events.append(EventRec(eobj.datetime("at"), eobj.text("text", required=True),
                                    eobj.text("text_en")))
    for k, p in enumerate(obj.items("parties")):
        pobj = _Obj(p, f"{path} parties[{k}]", {"name", "role", "phone"}, PARTY_WIDTHS)
        case.parties.append(PartyRec(pobj.text("name", required=True),
                                     pobj.text("role", required=True), pobj.text("phone")))
    if obj.value.get("result") is not None:
        robj = _Obj(obj.value["result"], f"{path} result", {"on", "text", "text_en"})
        on = robj.date("on", required=True)
        assert on is not None
        case.result = ResultRec(on, robj.text("text", required=True), robj.text("text_en"))
    return case


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "true/false",
            type(None): "null", int: "a number", float: "a number",
            LongNumber: "a number"}.get(type(value), type(value).__name__)
