"""Human-readable record numbers from per-day counters: ``WO-20260303-0001``."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from voicebot.handoff.errors import InvalidInputError
from voicebot.store.models import Counter

PREFIXES = {
    "WO": "work order",
    "HT": "handoff ticket",
    "CB": "callback",
    "CR": "complaint, report, suggestion or submitted materials",
}
"""Known number prefixes and what they number."""


def next_number(session: Session, prefix: str, day: dt.date) -> str:
    """The next number for ``prefix`` on ``day``; atomic on SQLite and PostgreSQL (upsert).

    The counter row stays locked until the caller's transaction ends, so two transactions
    never get the same number.
    """
    if prefix not in PREFIXES:
        raise InvalidInputError(f"unknown record prefix {prefix!r}")
    name = f"{prefix}-{day:%Y%m%d}"
    backend = session.get_bind().dialect.name
    if backend == "postgresql":
        pg_stmt = postgresql.insert(Counter).values(name=name, value=1)
        pg_stmt = pg_stmt.on_conflict_do_update(
            index_elements=[Counter.name], set_={"value": Counter.value + 1}
        )
        value = session.execute(pg_stmt.returning(Counter.value)).scalar_one()
    elif backend == "sqlite":
        lite_stmt = sqlite.insert(Counter).values(name=name, value=1)
        lite_stmt = lite_stmt.on_conflict_do_update(
            index_elements=[Counter.name], set_={"value": Counter.value + 1}
        )
        value = session.execute(lite_stmt.returning(Counter.value)).scalar_one()
    else:  # pragma: no cover - other backends are not supported by the store
        row = session.execute(
            select(Counter).where(Counter.name == name).with_for_update()
        ).scalar_one_or_none()
        if row is None:
            row = Counter(name=name, value=0)
            session.add(row)
        row.value += 1
        session.flush()
        value = row.value
    return f"{name}-{value:04d}"
