"""Case lookup for operators helping a caller who is not verified on the line.

By case number (any spelling the line accepts), or by a party's name plus the identity check a
desk uses. The store holds, per party, a name, a role and a phone number, and per case the
hashed query password; so the checks are the **last four digits of the party's phone on file**
or the case's **query password**. A number alone finds the case and its routing facts (court,
judge, department: enough to make a work order); the facts a caller may be told (status,
hearings, progress, result, replies) are shown only after a check passed. Every lookup, hit or
miss, is audited with the operator; the audit never holds the password or the digits.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.handoff.audit import audit, user_actor
from voicebot.store.cases import case_facts, case_replies, find_case
from voicebot.store.facts import CaseFacts
from voicebot.store.models import Case, Court, Party
from voicebot.store.passwords import DUMMY_HASH, check_password

CheckKind = Literal["phone4", "password"]
"""Identity checks: last 4 digits of the party's phone on file, or the case's query password."""
CHECK_KINDS: tuple[CheckKind, ...] = ("phone4", "password")
MAX_CANDIDATES = 10
"""Cases of one party name checked at most (a common name must not cost unbounded hashes)."""


class LookupInputError(ValueError):
    """The lookup form cannot be used as filled in; the message says what to change."""

    code = "lookup.invalid"


@dataclass(frozen=True)
class CaseHit:
    """One case a lookup found."""

    number: str
    """Official case number."""
    court: str
    """Court name."""
    judge: str
    """Responsible judge ('' when none)."""
    department: str
    """The judge's department ('' when none)."""
    has_judge: bool
    """Whether a work order can go to a responsible judge."""
    checked: bool
    """True when the identity check passed: ``facts`` may be given to the caller."""
    facts: CaseFacts | None
    """What the caller may be told (only when ``checked``)."""
    parties: tuple[tuple[str, str], ...]
    """(role, name) of the parties, shown with the checked facts only."""


@dataclass(frozen=True)
class Lookup:
    """The outcome of one operator lookup."""

    hits: tuple[CaseHit, ...]
    """Cases found (empty on a miss)."""
    check_failed: bool
    """A case was found by number but the identity check given did not pass."""


def normalize_case_text(text: str) -> str:
    """Full-width forms folded, a bare leading year bracketed: ``2024京0105民初12345``."""
    folded = unicodedata.normalize("NFKC", text).strip()
    folded = folded.replace("(", "（").replace(")", "）")
    return re.sub(r"^\s*(\d{4})\s*(?=[^\d）\s])", r"（\1）", folded)


def read_case_number(text: str, home_court: str,
                     aliases: Mapping[str, str] | None = None) -> CaseNumber:
    """The case number in ``text`` as the line would read it (typed or spoken form, court names,
    the home court filled in); :class:`CaseNumberError` with the reason otherwise."""
    from voicebot.nlu.cases import CaseExtractor

    if not text.strip():
        raise CaseNumberError("empty case number")
    try:
        return CaseNumber.parse(normalize_case_text(text))
    except CaseNumberError as exc:
        first = exc
    extractor = CaseExtractor.build(aliases)
    for language in ("zh", "en"):
        match = extractor.extract(text, language, due=True)
        if match is None or match.before or match.after:
            continue
        try:
            number = match.partial.complete(home_court)
        except CaseNumberError:
            continue
        if number is not None:
            return number
    raise first


def court_aliases(session: Session) -> dict[str, str]:
    """Every court's names and aliases mapped to its code (as the line knows them)."""
    aliases: dict[str, str] = {}
    for court in session.scalars(select(Court)):
        for name in [court.name, court.name_en, *(court.aliases or [])]:
            if name:
                aliases[name] = court.code
    return aliases


def _digits(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())


def _passes(case: Case, party: str, kind: CheckKind, value: str) -> bool:
    if kind == "password":
        stored = case.password_hash or ""
        return check_password(value.strip(), stored or DUMMY_HASH) and bool(stored)
    want = _digits(value)
    if len(want) != 4:
        return False
    name = party.strip().casefold()
    return any(_digits(p.phone)[-4:] == want and len(_digits(p.phone)) >= 4
               and (not name or p.name.strip().casefold() == name) for p in case.parties)


def _hit(session: Session, case: Case, checked: bool, now: dt.datetime) -> CaseHit:
    judge = case.judge
    facts = case_facts(case, now, replies=case_replies(session, case)) if checked else None
    return CaseHit(
        number=case.number, court=case.court.name, judge=judge.name if judge else "",
        department=judge.department.name if judge and judge.department else "",
        has_judge=judge is not None, checked=checked, facts=facts,
        parties=tuple((p.role, p.name) for p in case.parties) if checked else (),
    )


def lookup_cases(
    session: Session,
    *,
    operator: str,
    now: dt.datetime,
    home_court: str,
    operator_id: int | None = None,
    number_text: str = "",
    party: str = "",
    check_kind: str = "phone4",
    check_value: str = "",
) -> Lookup:
    """Find cases for an operator; audits the lookup (``case.lookup``). Flushes.

    ``number_text`` alone: the case with its routing facts. With ``check_value`` (and for
    ``phone4`` the ``party`` name): the full facts when the check passes. ``party`` without a
    number needs a check, and finds the cases where that party passes it.
    Raises :class:`LookupInputError` for a form that cannot be used, :class:`CaseNumberError`
    for a number that cannot be read (both audited as misses).
    """
    actor = user_actor(operator)
    kind: CheckKind = "password" if check_kind == "password" else "phone4"
    who = f"operator {operator_id} " if operator_id is not None else ""
    mode = f"{who}number={'yes' if number_text.strip() else 'no'} party={'yes' if party else 'no'}"
    mode += f" check={kind if check_value.strip() else 'none'}"

    def record(result: str, case_number: str = "") -> None:
        audit(session, actor=actor, action="case.lookup", now=now, case_number=case_number,
              detail=f"{mode}: {result}")
        session.flush()

    party = party.strip()
    try:
        if check_kind not in CHECK_KINDS:
            raise LookupInputError("Choose one of the identity checks.")
        if not number_text.strip() and not party:
            raise LookupInputError("Enter a case number, or a party's name with a check.")
        if kind == "phone4" and check_value.strip() and len(_digits(check_value)) != 4:
            raise LookupInputError("The phone check is the last 4 digits of the party's phone.")
        if kind == "phone4" and check_value.strip() and not party:
            raise LookupInputError("The phone check needs the party's name.")
        if not number_text.strip() and not check_value.strip():
            raise LookupInputError("A party's name needs an identity check.")
        number = (read_case_number(number_text, home_court, court_aliases(session))
                  if number_text.strip() else None)
    except (LookupInputError, CaseNumberError) as exc:
        record(f"refused ({exc})"[:300])
        raise
    if number is not None:
        case = find_case(session, number)
        if case is None:
            record("miss", str(number))
            return Lookup((), False)
        if not check_value.strip():
            record("hit, identity not checked", case.number)
            return Lookup((_hit(session, case, False, now),), False)
        ok = _passes(case, party, kind, check_value)
        record("hit, check passed" if ok else "hit, check failed", case.number)
        return Lookup((_hit(session, case, ok, now),), not ok)
    ids = session.scalars(
        select(Party.case_id).where(func.lower(func.trim(Party.name)) == party.casefold())
        .distinct().order_by(Party.case_id).limit(MAX_CANDIDATES)
    ).all()
    hits = []
    for case_id in ids:
        row = session.get(Case, case_id)
        case = find_case(session, CaseNumber.parse(row.number)) if row else None
        if case is not None and _passes(case, party, kind, check_value):
            hits.append(_hit(session, case, True, now))
    record(f"{len(hits)} found of {len(ids)} with that name: "
           + ", ".join(h.number for h in hits), hits[0].number if hits else "")
    return Lookup(tuple(hits), False)
