"""Import and export against real SQLite and PostgreSQL databases."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.casenumber import CaseNumber
from voicebot.store.cases import find_case
from voicebot.store.db import session_scope
from voicebot.store.export import export_json
from voicebot.store.importer import import_data, import_file
from voicebot.store.models import Base, Case, Court, Department, Judge
from voicebot.store.passwords import check_password
from voicebot.store.records import ImportFileError, parse_import

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def snapshot(sessions: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, for checking that a rejected import changed nothing."""
    with sessions() as s:
        return {
            name: sorted(tuple(map(repr, row)) for row in s.execute(table.select()))
            for name, table in Base.metadata.tables.items()
        }


def load(sessions: sessionmaker[Session], data: dict[str, Any]) -> None:
    with session_scope(sessions) as s:
        import_data(s, parse_import(data))


def test_example_file_imports(sessions: sessionmaker[Session]) -> None:
    with session_scope(sessions) as s:
        summary = import_file(s, EXAMPLE)
    raw = example()
    assert summary.cases_inserted == len(raw["cases"]) and summary.cases_updated == 0
    assert summary.judges == len(raw["judges"])
    with sessions() as s:
        for raw_case in raw["cases"]:
            number = CaseNumber.parse(raw_case["number"])
            case = find_case(s, number)
            assert case is not None and case.number == str(number)
            assert case.password_hash != raw_case["query_password"]
            assert check_password(raw_case["query_password"], case.password_hash)
            assert [m.judge.ext_id for m in case.panel] == raw_case["panel"]
            assert [p.name for p in case.parties] == [p["name"] for p in raw_case["parties"]]
            assert len(case.events) == len(raw_case["events"])
        court = s.scalars(select(Court)).one()
        assert court.aliases == raw["courts"][0]["aliases"]


def test_reimport_updates_instead_of_duplicating(sessions: sessionmaker[Session]) -> None:
    load(sessions, example())
    changed = example()
    changed["cases"][0]["status"] = "adjourned"
    changed["cases"][0]["hearings"] = []
    changed["cases"][0]["query_password"] = "111222"
    del changed["cases"][1]["query_password"]
    changed["judges"][0]["work_phone"] = "010-12345678"
    changed["courts"][0]["departments"][0]["head"]["phone"] = "010-99999999"
    with session_scope(sessions) as s:
        summary = import_data(s, parse_import(changed))
    assert (summary.cases_inserted, summary.cases_updated) == (0, len(changed["cases"]))
    with sessions() as s:
        counts = [s.scalar(select(func.count()).select_from(m)) for m in (Court, Department,
                                                                          Judge, Case)]
        assert counts == [1, len(changed["courts"][0]["departments"]), len(changed["judges"]),
                          len(changed["cases"])]
        first = find_case(s, CaseNumber.parse(changed["cases"][0]["number"]))
        second = find_case(s, CaseNumber.parse(changed["cases"][1]["number"]))
        assert first is not None and second is not None
        assert first.status == "adjourned" and first.hearings == []
        assert check_password("111222", first.password_hash)
        assert check_password(example()["cases"][1]["query_password"], second.password_hash)
        assert first.judge is not None and first.judge.work_phone == "010-12345678"
        assert first.judge.department is not None
        assert first.judge.department.head_phone == "010-99999999"


def _case(i: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["cases"][i].__setitem__(key, value)


MALFORMED: list[tuple[str, Callable[[dict[str, Any]], None], str]] = [
    ("unknown court", lambda d: d["judges"][1].__setitem__("court", "京0199"), "judges[1]"),
    ("unknown court of a case", _case(1, "number", "（2023）京0199执1024号"), "cases[1]"),
    ("invalid case number", _case(1, "number", "2023京0105执1024"), "cases[1]"),
    ("duplicate judge id", lambda d: d["judges"].append(dict(d["judges"][2])), "judges[4]"),
    ("unknown judge in panel", _case(0, "panel", ["J0105-001", "J9999-999"]), "cases[0]"),
    ("unknown responsible judge", _case(1, "judge", "J0105-404"), "cases[1]"),
    ("unknown department", lambda d: d["judges"][3].__setitem__("department", "刑事庭"),
     "judges[3]"),
    ("bad status", _case(1, "status", "done"), "cases[1]"),
    ("bad date", _case(1, "filed_on", "18/09/2023"), "cases[1]"),
]


@pytest.mark.parametrize(("label", "mutate", "path"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_file_leaves_the_database_unchanged(
    sessions: sessionmaker[Session], label: str, mutate: Callable[[dict[str, Any]], None],
    path: str,
) -> None:
    load(sessions, example())
    before = snapshot(sessions)
    bad = copy.deepcopy(example())
    for case in bad["cases"]:
        case["cause"] = "changed by the rejected file"
    bad["cases"].append({"number": "（2026）京0105民初1号", "status": "filed"})
    mutate(bad)
    with pytest.raises(ImportFileError) as info:  # noqa: SIM117
        with session_scope(sessions) as s:
            import_data(s, parse_import(bad))
    assert info.value.path.startswith(path), f"{label}: {info.value}"
    assert snapshot(sessions) == before


def test_export_round_trips_without_passwords(sessions: sessionmaker[Session]) -> None:
    load(sessions, example())
    with sessions() as s:
        buf = io.StringIO()
        assert export_json(s, buf) == len(example()["cases"])
    exported = json.loads(buf.getvalue())
    assert "query_password" not in buf.getvalue()
    assert exported["cases"] == example_cases_normalised()
    assert [j["id"] for j in exported["judges"]] == [j["id"] for j in example()["judges"]]
    with sessions() as s:
        hashes = sorted(s.scalars(select(Case.password_hash)))
    load(sessions, exported)
    with sessions() as s:
        again = io.StringIO()
        export_json(s, again)
        assert sorted(s.scalars(select(Case.password_hash))) == hashes
    assert json.loads(again.getvalue()) == exported


def example_cases_normalised() -> list[dict[str, Any]]:
    """The example's cases as the store gives them back: canonical numbers, no passwords."""
    cases = example()["cases"]
    for raw in cases:
        raw["number"] = str(CaseNumber.parse(raw["number"]))
        del raw["query_password"]
    return cases
