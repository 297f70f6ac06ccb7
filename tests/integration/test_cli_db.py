"""``voicebot db ...`` and ``voicebot case show`` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from voicebot.cli.main import app
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.demo import SHOWCASE
from voicebot.store.models import AuditEntry, Case

pytestmark = pytest.mark.integration
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"


def run(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "200"})


def said(result: Any) -> str:
    """The command's output with line wrapping undone."""
    return " ".join(str(result.output).split())


def count(db_url: str, model: type[Case] | type[AuditEntry]) -> int:
    engine = make_engine(db_url)
    try:
        with make_sessionmaker(engine)() as s:
            return s.scalar(select(func.count()).select_from(model)) or 0
    finally:
        engine.dispose()


def test_init_twice_fails_and_upgrade_succeeds(db_url: str) -> None:
    assert run("db", "init", "--db", db_url).exit_code == 0
    second = run("db", "init", "--db", db_url)
    assert second.exit_code != 0 and "already has tables" in said(second)
    assert run("db", "upgrade", "--db", db_url).exit_code == 0


def test_demo_then_show_a_case(db_url: str) -> None:
    result = run("db", "demo", "--db", db_url, "--cases", "60", "--seed", "5", "-q")
    assert result.exit_code == 0, result.output
    for number, password in SHOWCASE:
        assert number in result.output and password in result.output
    assert count(db_url, Case) == 60
    shown = run("case", "show", SHOWCASE[0][0], "--db", db_url)
    assert shown.exit_code == 0, shown.output
    for text in ("张伟", "Zhang Wei", "010-65000001", "王芳", "010-65000100", "第三法庭", "李明"):
        assert text in shown.output
    assert SHOWCASE[0][1] not in shown.output
    assert count(db_url, AuditEntry) == 1


def test_show_unknown_or_invalid_number_fails(db_url: str) -> None:
    empty = run("case", "show", SHOWCASE[0][0], "--db", db_url)
    assert empty.exit_code != 0 and "no case store yet" in said(empty)
    run("db", "init", "--db", db_url)
    unknown = run("case", "show", "（2024）京0105民初99999号", "--db", db_url)
    assert unknown.exit_code != 0 and "no case" in said(unknown)
    invalid = run("case", "show", "2024京0105民初99999", "--db", db_url)
    assert invalid.exit_code != 0 and "invalid case number" in said(invalid)


BAD_FILES = {
    "bad json": '{"courts": [',
    "unknown court": json.dumps({"cases": [{"number": "（2024）京0199民初1号"}]}),
    "invalid case number": json.dumps({"cases": [{"number": "（2024）京0105XY1号"}]}),
}


@pytest.mark.parametrize("label", list(BAD_FILES))
def test_import_rejects_malformed_files(db_url: str, tmp_path: Path, label: str) -> None:
    assert run("db", "import", str(EXAMPLE), "--db", db_url, "-q").exit_code == 0
    before = count(db_url, Case)
    bad = tmp_path / "bad.json"
    bad.write_text(BAD_FILES[label], encoding="utf-8")
    result = run("db", "import", str(bad), "--db", db_url, "-q")
    assert result.exit_code != 0
    assert "nothing was written" in said(result)
    if label != "bad json":
        assert "cases[0]" in said(result)
    assert count(db_url, Case) == before


def test_import_export_import(db_url: str, tmp_path: Path) -> None:
    first = run("db", "import", str(EXAMPLE), "--db", db_url, "-q")
    assert first.exit_code == 0, first.output
    out = tmp_path / "export.json"
    assert run("db", "export", "--db", db_url, "--out", str(out), "-q").exit_code == 0
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert len(exported["cases"]) == count(db_url, Case)
    assert "query_password" not in out.read_text(encoding="utf-8")
    again = run("db", "import", str(out), "--db", db_url, "-q")
    assert again.exit_code == 0 and f"{len(exported['cases'])} updated" in said(again)
