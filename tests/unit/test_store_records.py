"""Validation of import files, record by record (no database involved)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from voicebot.casenumber import CaseNumber
from voicebot.store.importer import read_import_file
from voicebot.store.records import ImportFileError, parse_import

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def test_example_file_is_valid_and_canonicalises_case_numbers() -> None:
    data = parse_import(example())
    raw_numbers = [c["number"] for c in example()["cases"]]
    assert any(raw != str(CaseNumber.parse(raw)) for raw in raw_numbers)
    assert [str(c.number) for c in data.cases] == [str(CaseNumber.parse(r)) for r in raw_numbers]
    assert data.courts[0].aliases == example()["courts"][0]["aliases"]
    first = data.cases[0]
    assert first.hearings[0].at.utcoffset() is not None
    assert first.query_password == example()["cases"][0]["query_password"]


def _mutate(fn: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    data = copy.deepcopy(example())
    fn(data)
    return data


def _set_case(index: int, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda d: d["cases"][index].__setitem__(key, value)


BAD: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("invalid case number", _set_case(1, "number", "（2024）京0105XX12号"), "bad_case_number",
     "cases[1]"),
    ("bad status", _set_case(0, "status", "pending"), "bad_status", "cases[0]"),
    ("bad filing date", _set_case(0, "filed_on", "2024-13-01"), "bad_date", "cases[0]"),
    ("naive hearing time", lambda d: d["cases"][0]["hearings"][0].__setitem__(
        "at", "2024-05-10T09:30:00"), "bad_date", "cases[0]"),
    ("bad result date", _set_case(1, "result", {"on": "soon", "text": "x"}), "bad_date",
     "cases[1]"),
    ("duplicate judge id", lambda d: d["judges"].append(dict(d["judges"][0])), "duplicate",
     "judges[4] J0105-001"),
    ("duplicate case", lambda d: d["cases"].append(dict(d["cases"][0])), "duplicate", "cases[2]"),
    ("status contradicts accepted", _set_case(0, "accepted", False), "bad_status", "cases[0]"),
    ("password not six digits", _set_case(0, "query_password", "12ab"), "invalid", "cases[0]"),
    ("unknown field", _set_case(0, "stauts", "closed"), "invalid", "cases[0]"),
    ("bad court code", lambda d: d["courts"][0].__setitem__("code", "X0105"), "unknown_court",
     "courts[0]"),
    ("panel not a list", _set_case(0, "panel", "J0105-001"), "invalid", "cases[0]"),
]


@pytest.mark.parametrize(("label", "mutate", "kind", "path"), BAD, ids=[b[0] for b in BAD])
def test_bad_records_are_named(label: str, mutate: Callable[[dict[str, Any]], None], kind: str,
                               path: str) -> None:
    with pytest.raises(ImportFileError) as info:
        parse_import(_mutate(mutate))
    assert info.value.kind == kind, label
    assert info.value.path.startswith(path), info.value.path
    assert str(info.value).startswith(path)
    assert info.value.code == "store.import_invalid"


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"courts": [\n  {"code": "京0105",,}\n]}', encoding="utf-8")
    with pytest.raises(ImportFileError) as info:
        read_import_file(path)
    assert info.value.kind == "bad_json"
    assert "line 2" in str(info.value)


def test_top_level_must_be_an_object() -> None:
    with pytest.raises(ImportFileError, match="expected an object"):
        parse_import([])
