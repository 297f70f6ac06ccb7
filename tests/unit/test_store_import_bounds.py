"""Import files built to crash or overflow the store are refused before it, naming the record."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from voicebot.store.importer import read_import_file
from voicebot.store.models import Case, Court, Judge, Party
from voicebot.store.records import ImportFileError, parse_import

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"


def example() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    return data


def _read(tmp_path: Path, text: str) -> ImportFileError:
    path = tmp_path / "import.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError) as info:
        read_import_file(path)
    return info.value


def test_deep_nesting_is_a_clear_error(tmp_path: Path) -> None:
    err = _read(tmp_path, '{"cases": ' + "[" * 100_000 + "]" * 100_000 + "}")
    assert err.kind == "bad_json" and "nested too deeply" in str(err)


def test_five_thousand_digit_integer_names_the_record(tmp_path: Path) -> None:
    data = example()
    data["cases"][1]["accepted"] = 7
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace('"accepted": 7', '"accepted": ' + "9" * 5000)
    err = _read(tmp_path, text)
    assert err.path.startswith("cases[1]"), err.path
    assert "9999" not in str(err)


def test_forty_digit_sequence_names_the_record() -> None:
    data = example()
    data["cases"][0]["number"] = "（2024）京0105民初" + "1" * 40 + "号"
    with pytest.raises(ImportFileError) as info:
        parse_import(data)
    assert info.value.kind == "bad_case_number" and info.value.path.startswith("cases[0]")


def test_largest_integer_sequence_is_accepted() -> None:
    data = example()
    data["cases"][0]["number"] = f"（2024）京0105民初{2**31 - 1}号"
    assert parse_import(data).cases[0].number.seq == 2**31 - 1


@pytest.mark.parametrize("password", ["\uff14\uff18\uff12\uff19\uff11\uff13",
                                      "\u0664\u0668\u0662\u0669\u0661\u0663", "48291"])
def test_password_must_be_six_ascii_digits(password: str) -> None:
    data = example()
    data["cases"][0]["query_password"] = password
    with pytest.raises(ImportFileError) as info:
        parse_import(data)
    assert info.value.path.startswith("cases[0]")


def test_duplicate_json_keys_are_rejected_naming_the_record(tmp_path: Path) -> None:
    data = example()
    text = json.dumps(data, ensure_ascii=False, indent=1)
    pw = data["cases"][1]["query_password"]
    twice = f'"query_password": "{pw}", "query_password": "000000"'
    text = text.replace(f'"query_password": "{pw}"', twice, 1)
    assert twice in text
    err = _read(tmp_path, text)
    assert err.kind == "duplicate" and err.path.startswith("cases[1]")
    assert "query_password" in str(err)


LONG = [
    ("court name", lambda d: d["courts"][0], "name", Court.name, "courts[0]"),
    ("judge name", lambda d: d["judges"][0], "name", Judge.name, "judges[0]"),
    ("judge id", lambda d: d["judges"][0], "id", Judge.ext_id, "judges[0]"),
    ("case cause", lambda d: d["cases"][0], "cause", Case.cause, "cases[0]"),
    ("party role", lambda d: d["cases"][0]["parties"][0], "role", Party.role, "cases[0]"),
]


@pytest.mark.parametrize(("label", "where", "key", "column", "path"), LONG,
                         ids=[x[0] for x in LONG])
def test_field_lengths_follow_the_columns(label: str, where: Any, key: str, column: Any,
                                          path: str) -> None:
    width = column.type.length
    fits = copy.deepcopy(example())
    where(fits)[key] = "x" * width
    parse_import(fits)
    data = copy.deepcopy(example())
    where(data)[key] = "x" * (width + 1)
    with pytest.raises(ImportFileError) as info:
        parse_import(data)
    assert info.value.kind == "too_long", label
    assert info.value.path.startswith(path), info.value.path


def test_unbounded_text_columns_have_a_ceiling() -> None:
    data = example()
    data["cases"][0]["events"][0]["text"] = "x" * 100_000
    with pytest.raises(ImportFileError) as info:
        parse_import(data)
    assert info.value.kind == "too_long" and info.value.path.startswith("cases[0]")
