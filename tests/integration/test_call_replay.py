"""Every call fixture replayed through the real engines on a fresh demo store; some on Postgres."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicebot.call.fixture import load_fixture
from voicebot.call.line import Line
from voicebot.call.replay import ReplayResult, replay_fixture
from voicebot.call.report import find_fixtures
from voicebot.call.setup import endpointer_factory, ensure_demo, load_line
from voicebot.nlu.classifier import is_current
from voicebot.nlu.training import ensure_trained
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.models import AuditEntry, CallRecord, CallTurn

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CALLS = ROOT / "tests" / "fixtures" / "calls"
FIXTURES = find_fixtures([CALLS])
DEMO_CASES = 200
PG_FIXTURES = ("zh_contact_judge_text", "zh_operator_workday_text", "zh_wrong_password_lock_text",
               "zh_complaint_text")


def _nlu_dir(factory: pytest.TempPathFactory) -> Path:
    configured = Settings.load().nlu_model_dir.resolve()
    if all(is_current(configured, lang) for lang in ("zh", "en")):
        return configured
    target = factory.getbasetemp() / "nlu-data" / "nlu"
    ensure_trained(target)
    return target


def _data_dir(factory: pytest.TempPathFactory, name: str) -> Path:
    """A data folder whose ``nlu`` is the trained model (shared tts cache keeps reruns quick)."""
    data = factory.mktemp(name)
    (data / "nlu").symlink_to(_nlu_dir(factory))
    cache = Settings.load().tts_cache_dir.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    (data / "tts-cache").symlink_to(cache)
    return data


@pytest.fixture(scope="session")
def sqlite_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data = _data_dir(tmp_path_factory, "call-sqlite")
    settings = Settings.load().replace(data_dir=data, database_url=f"sqlite:///{data}/calls.db")
    ensure_demo(settings, DEMO_CASES)
    return settings


@pytest.fixture(scope="session")
def line(sqlite_settings: Settings) -> Line:
    return load_line(sqlite_settings, speech=True)


@pytest.mark.parametrize("name", [Path(f).name for f in FIXTURES])
def test_fixture_passes(line: Line, name: str) -> None:
    fixture = load_fixture(CALLS / name)
    result = asyncio.run(replay_fixture(line, fixture,
                                        endpointer=endpointer_factory(line.settings)))
    transcript = "\n".join(f"  caller: {t.caller}\n  bot: {t.bot}" for t in result.call.turns)
    assert result.passed, f"{name}: {'; '.join(result.failures)}\n{transcript}"
    assert result.call.call_id is not None
    with session_scope(line.sessions) as session:
        row = session.get(CallRecord, result.call.call_id)
        assert row is not None and row.ended_at is not None
        assert row.outcome == result.call.outcome
        turns = session.query(CallTurn).filter_by(call_id=row.id).count()
        assert turns == len(result.call.turns)


def test_the_fixture_set_covers_the_brief() -> None:
    fixtures = [load_fixture(f) for f in FIXTURES]
    assert len(fixtures) >= 30
    intents = {f.expect.intent for f in fixtures if f.expect and f.expect.intent}
    from voicebot.nlu.types import INTENTS

    assert set(INTENTS) - {"unknown", "goodbye"} <= intents
    outcomes = {f.expect.outcome for f in fixtures if f.expect}
    assert {"answered", "work_order", "recorded", "handoff", "callback", "not_found",
            "verification_failed", "unresolved"} <= outcomes
    kinds = {t.kind for f in fixtures for t in f.turns}
    assert {"wav", "text", "dtmf", "silence", "barge_in"} <= kinds
    assert any(f.language == "en" and f.has_audio for f in fixtures)


def test_disclosures_are_audited(line: Line) -> None:
    fixture = load_fixture(CALLS / "zh_hearing_text")
    result = asyncio.run(replay_fixture(line, fixture))
    with session_scope(line.sessions) as session:
        actions = [a for (a,) in session.query(AuditEntry.action).filter(
            AuditEntry.actor == f"call:{result.call.call_id}")]
    assert "call.disclose" in actions


def test_replay_command_prints_json_and_junit(sqlite_settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "call.json").write_text(json.dumps({
        "language": "zh", "at": "2026-03-03T10:15:00+08:00",
        "turns": [{"text": "转人工"}], "expect": {"outcome": "answered"}}), encoding="utf-8")
    junit = tmp_path / "replay.xml"
    env = {**os.environ, "VOICEBOT_DATA_DIR": str(sqlite_settings.data_dir),
           "VOICEBOT_DATABASE_URL": sqlite_settings.database_url}
    proc = subprocess.run(
        [sys.executable, "-m", "voicebot", "replay", str(CALLS / "zh_consultation_fees_text"),
         str(bad), "--junit", str(junit)],
        capture_output=True, text=True, env=env, timeout=300, check=False)
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["passed"] for x in lines] == [True, False]
    good = lines[0]
    assert good["call"].endswith("zh_consultation_fees_text") and good["outcome"] == "answered"
    assert {"language", "turns", "intent", "case_number", "record_id", "latency_ms"} <= set(good)
    assert "1 passed, 1 failed" in proc.stderr
    xml = junit.read_text(encoding="utf-8")
    assert 'failures="1"' in xml and "outcome 'handoff', expected 'answered'" in xml


@pytest.mark.postgres
def test_fixtures_on_postgresql(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    engine = make_engine(pg_url)
    from voicebot.store.models import Base

    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine.dispose()
    data = _data_dir(tmp_path_factory, "call-pg")
    settings = Settings.load().replace(data_dir=data, database_url=pg_url)
    ensure_demo(settings, DEMO_CASES)
    pg_line = load_line(settings, speech=False)
    for name in PG_FIXTURES:
        result = asyncio.run(replay_fixture(pg_line, load_fixture(CALLS / name)))
        assert result.passed, f"{name}: {result.failures}"
    sessions = make_sessionmaker(make_engine(pg_url))
    with session_scope(sessions) as session:
        assert session.query(CallRecord).filter(CallRecord.ended_at.is_not(None)).count() == len(
            PG_FIXTURES)


def test_complaint_audio_is_kept_with_the_record(line: Line) -> None:
    from voicebot.store.models import CallerRecord

    fixture = load_fixture(CALLS / "en_complaint_audio")
    result = asyncio.run(replay_fixture(line, fixture,
                                        endpointer=endpointer_factory(line.settings)))
    assert result.passed, result.failures
    with session_scope(line.sessions) as session:
        record = session.query(CallerRecord).filter_by(call_id=result.call.call_id).one()
        assert record.kind == "complaint" and record.number == result.call.record_ref
        assert record.audio_path and Path(record.audio_path).is_file()
        assert Path(record.audio_path).is_relative_to(line.settings.recordings_dir)


def test_two_simultaneous_audio_calls_share_one_line(line: Line) -> None:
    endpointer = endpointer_factory(line.settings)

    async def both() -> list[ReplayResult]:
        return list(await asyncio.gather(
            replay_fixture(line, load_fixture(CALLS / "en_hearing_audio"), endpointer=endpointer,
                           caller_id="13900000001"),
            replay_fixture(line, load_fixture(CALLS / "en_consultation_audio"),
                           endpointer=endpointer, caller_id="13900000002"),
        ))

    hearing, consultation = asyncio.run(both())
    assert hearing.passed and consultation.passed
    assert hearing.call.call_id != consultation.call.call_id
