"""``voicebot db backup`` / ``restore`` round trip on real SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner

from voicebot.cli.main import app
from voicebot.ops.backup import table_rows
from voicebot.store import schema
from voicebot.store.cases import add_audit_entry
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.demo import build_demo
from voicebot.store.models import (
    CallRecord,
    CallTurn,
    Case,
    HandoffTicket,
    User,
    WorkOrder,
)

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
KEPT = ("calls", "call_turns", "work_orders", "handoff_tickets", "users", "audit_log", "cases",
        "courts", "judges")


def _fill(url: str) -> None:
    schema.init(url)
    engine = make_engine(url)
    with session_scope(make_sessionmaker(engine)) as s:
        build_demo(s, cases=12)
        case = s.scalars(select(Case).limit(1)).one()
        call = CallRecord(started_at=NOW, ended_at=NOW, language="zh", caller_id="13800000000",
                          intent="case_status", case_number=case.number, outcome="handoff")
        s.add(call)
        s.flush()
        s.add_all([
            CallTurn(call_id=call.id, idx=0, at=NOW, caller_text="案件进度", bot_text="请说案号"),
            WorkOrder(number="GD-1", call_id=call.id, case_id=case.id, created_at=NOW,
                      due_at=NOW + dt.timedelta(days=3), request_text="请法官回电"),
            HandoffTicket(number="ZX-1", call_id=call.id, created_at=NOW, transcript=[]),
            User(username="alice", password_hash="$argon2id$x", role="operator", created_at=NOW),
        ])
        add_audit_entry(s, "cli", "case.view", case.number, now=NOW)
    engine.dispose()


def _recreate_empty(url: str) -> None:
    """Drop every table (PostgreSQL) or the file (SQLite): a new, empty database."""
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink()
        return
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def test_backup_and_restore_round_trip(db_url: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("VOICEBOT_DATA_DIR", str(data))
    recording = data / "recordings" / "2026" / "call-1.wav"
    recording.parent.mkdir(parents=True)
    recording.write_bytes(b"RIFF-not-really-audio")
    _fill(db_url)
    before = table_rows(db_url)
    assert all(before[t] > 0 for t in KEPT), before
    runner = CliRunner()
    archive = tmp_path / "b.tar"
    made = runner.invoke(app, ["db", "backup", str(archive), "--db", db_url])
    assert made.exit_code == 0, made.output
    assert "1 recordings" in made.output

    refused = runner.invoke(app, ["db", "restore", str(archive), "--db", db_url])
    assert refused.exit_code == 1 and "already holds data" in refused.output

    _recreate_empty(db_url)
    recording.unlink()
    assert table_rows(db_url).get("calls", 0) == 0
    done = runner.invoke(app, ["db", "restore", str(archive), "--db", db_url])
    assert done.exit_code == 0, done.output
    assert table_rows(db_url) == before
    assert recording.read_bytes() == b"RIFF-not-really-audio"
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        order = s.scalars(select(WorkOrder)).one()
        assert order.request_text == "请法官回电" and order.due_at == NOW + dt.timedelta(days=3)
    engine.dispose()
    assert schema.current_revision(db_url) is not None  # migration history came back too

    again = runner.invoke(app, ["db", "restore", str(archive), "--db", db_url, "--force"])
    assert again.exit_code == 0, again.output
    assert table_rows(db_url) == before


@pytest.mark.postgres
def test_restore_refuses_another_kind_of_database(tmp_path: Path, pg_url: str) -> None:
    url = f"sqlite:///{tmp_path}/one.db"
    _fill(url)
    runner = CliRunner()
    archive = tmp_path / "b.tar"
    assert runner.invoke(app, ["db", "backup", str(archive), "--db", url]).exit_code == 0
    wrong = runner.invoke(app, ["db", "restore", str(archive), "--db", pg_url])
    assert wrong.exit_code == 1 and "same kind" in wrong.output
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"nope")
    bad = runner.invoke(app, ["db", "restore", str(junk), "--db", url])
    assert bad.exit_code == 1 and "not a voicebot backup" in bad.output
