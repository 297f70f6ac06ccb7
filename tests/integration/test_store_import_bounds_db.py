"""Overflowing import records are refused the same way on SQLite and PostgreSQL, naming the
record, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.store.db import session_scope
from voicebot.store.importer import import_file
from voicebot.store.models import Case

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"


def _bad(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    if kind == "long_party":
        data["cases"][1]["parties"][0]["name"] = "张" * 300
    else:
        data["cases"][1]["number"] = "（2024）京0105民初" + "7" * 40 + "号"
    return data


@pytest.mark.parametrize("kind", ["long_party", "long_seq"])
def test_overflow_is_named_before_the_store(sessions: sessionmaker[Session], tmp_path: Path,
                                            kind: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(_bad(kind), ensure_ascii=False), encoding="utf-8")
    with pytest.raises(Exception) as info, session_scope(sessions) as s:
        import_file(s, path)
    assert type(info.value).__name__ == "ImportFileError", repr(info.value)
    assert str(info.value).startswith("cases[1]")
    with sessions() as s:
        assert s.execute(select(func.count()).select_from(Case)).scalar_one() == 0
