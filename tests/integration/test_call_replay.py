"""Every call fixture replayed through the real engines, each on a fresh seeded demo store (as
`voicebot replay` does by default); some on PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from voicebot.asr.digits import words_to_digits
from voicebot.audio.chunk import AudioChunk
from voicebot.call.audio_channel import AudioChannel
from voicebot.call.early_final import MAX_EARLY_REDOS
from voicebot.call.line import Line
from voicebot.call.listening import listen_spec
from voicebot.call.ports import CallerInput
from voicebot.call.setup import endpointer_factory, ensure_demo, load_line
from voicebot.cli.calls import SAMPLE_CALL
from voicebot.dialog.actions import Listen
from voicebot.nlu.classifier import is_current
from voicebot.nlu.training import ensure_trained
from voicebot.replay.fixture import load_fixture
from voicebot.replay.replay import ReplayResult, replay_fixture
from voicebot.replay.report import find_fixtures
from voicebot.replay.store import SeededStores
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.models import AuditEntry, CallRecord, CallTurn
from voicebot.transport.media import CallInfo, Playing, TransportKind
from voicebot.transport.scripted import ScriptedPort

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


@pytest.fixture(scope="session")
def stores(sqlite_settings: Settings) -> Iterator[SeededStores]:
    """A fresh seeded store per fixture, as `voicebot replay` runs them by default."""
    with SeededStores(sqlite_settings, cases=DEMO_CASES) as seeded:
        yield seeded


def test_the_demo_sample_call_meets_its_expectations(line: Line, stores: SeededStores) -> None:
    # `make demo` replays it; it had kept its pre-paging script ("hash for more" never pressed)
    # and printed "expectations NOT met" without any test noticing
    with stores.fresh(line) as fresh:
        result = asyncio.run(replay_fixture(fresh, load_fixture(SAMPLE_CALL),
                                            endpointer=endpointer_factory(line.settings)))
    assert result.passed, result.failures


@pytest.mark.parametrize("name", [Path(f).name for f in FIXTURES])
def test_fixture_passes(line: Line, stores: SeededStores, name: str) -> None:
    fixture = load_fixture(CALLS / name)
    with stores.fresh(line) as fresh:
        result = asyncio.run(replay_fixture(fresh, fixture,
                                            endpointer=endpointer_factory(line.settings)))
        transcript = "\n".join(f"  caller: {t.caller}\n  bot: {t.bot}" for t in result.call.turns)
        assert result.passed, f"{name}: {'; '.join(result.failures)}\n{transcript}"
        assert result.call.call_id == 1  # the store was fresh
        with session_scope(fresh.sessions) as session:
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


def _utterance(line: Line, *parts: str, gap_ms: int) -> bytes:
    """The parts said by espeak-ng, ``gap_ms`` of silence between them, silence around."""
    assert line.synthesizer is not None
    rate = line.settings.sample_rate
    gap = bytes(2 * rate * gap_ms // 1000)
    said = [_trimmed(line.synthesizer.synthesize(p, "en").audio) for p in parts]
    return bytes(rate) + gap.join(said) + bytes(2 * rate * 3 // 2)


def _trimmed(pcm: bytes) -> bytes:
    """Without the silence espeak-ng puts around an utterance, so the gaps are exact."""
    x = np.frombuffer(pcm, dtype="<i2")
    loud = np.flatnonzero(np.abs(x.astype(np.int32)) > 300)
    return x[loud[0]:loud[-1] + 1].tobytes()


def _hear(line: Line, pcm: bytes, listen: Listen) -> CallerInput:
    rate = line.settings.sample_rate

    class Recorded:
        """The utterance as a port, then the end of the stream; nothing is played."""

        info = CallInfo("recorded", codec="pcm", transport=TransportKind.AUDIO)

        async def events(self) -> AsyncIterator[AudioChunk]:
            for i in range(0, len(pcm), 640):
                yield AudioChunk(pcm[i:i + 640], rate, 2, 1)

        def play(self, chunks: Iterable[AudioChunk]) -> Playing:
            raise AssertionError("nothing is played")

        async def hang_up(self) -> None:
            pass

        async def transfer(self, target: str) -> None:
            pass

    channel = AudioChannel.on_port(line, Recorded(), endpointer_factory(line.settings))
    return asyncio.run(channel.hear(listen_spec(listen, line.grammar_for)))


@pytest.mark.parametrize("gap_ms", [100, 450])
def test_a_pause_inside_an_answer_does_not_cut_it(line: Line, gap_ms: int) -> None:
    # At a 250 ms pause the final recognition starts early; speech after the pause voids it and
    # the whole utterance is recognized again, so no digits are lost.
    assert 100 < line.settings.speculate_ms < 450 < line.settings.silence_ms
    heard = _hear(line, _utterance(line, "four eight two", "nine one three", gap_ms=gap_ms),
                  Listen("password", "en", max_digits=6))
    assert heard.kind == "speech", heard
    assert words_to_digits(heard.text, "en") == "482913", heard.timings
    assert heard.timings["asr_early"] == 1.0
    assert heard.timings["asr_redone"] == (1.0 if gap_ms > line.settings.speculate_ms else 0.0)


def test_a_message_with_many_pauses_stops_finishing_early(line: Line) -> None:
    parts = ("four", "eight", "two", "nine", "one", "three", "five")
    heard = _hear(line, _utterance(line, *parts, gap_ms=450), Listen("phone", "en"))
    assert words_to_digits(heard.text, "en") == "4829135"
    assert heard.timings["asr_redone"] == MAX_EARLY_REDOS < len(parts) - 1
    assert heard.timings["asr_early"] == 0.0  # the end was waited for


def test_a_password_is_finished_early_at_every_gap(line: Line) -> None:
    # a password of known length may end at its hold after its last digit, so each gap's early
    # final is tried (DIGIT_REDOS), where another answer gives up after MAX_EARLY_REDOS
    parts = ("four", "eight", "two", "nine", "one", "three")
    heard = _hear(line, _utterance(line, *parts, gap_ms=450),
                  Listen("password", "en", max_digits=6))
    assert words_to_digits(heard.text, "en") == "482913"
    assert heard.timings["asr_redone"] == len(parts) - 1 > MAX_EARLY_REDOS
    assert heard.timings["asr_early"] == 1.0


def test_no_early_final_when_turned_off(line: Line) -> None:
    off = replace(line, settings=line.settings.replace(speculate_ms=0))
    heard = _hear(off, _utterance(off, "four eight two nine one three", gap_ms=0),
                  Listen("password", "en", max_digits=6))
    assert words_to_digits(heard.text, "en") == "482913"
    assert heard.timings["asr_early"] == 0.0


def _hear_realtime(line: Line, pcm: bytes, listen: Listen) -> tuple[CallerInput, bytes]:
    """``pcm`` heard as a caller speaks it (real time); what the caller had not yet said when
    the line ended the turn."""
    async def run() -> tuple[CallerInput, bytes]:
        port = ScriptedPort(CallInfo("rt", transport=TransportKind.REPLAY),
                            line.settings.sample_rate, realtime=True)
        channel = AudioChannel.on_port(line, port, endpointer_factory(line.settings))
        port.say_turn(pcm, "digits")
        heard = await channel.hear(listen_spec(listen, line.grammar_for))
        left = port.pending
        await port.hang_up()
        await channel.close()
        return heard, left

    return asyncio.run(run())


def test_a_whole_password_ends_at_its_hold_and_a_caller_who_stops_inside_is_not_cut(
        line: Line) -> None:
    # end of turn by expectation, on the real endpointer and recognizer at real time; the
    # unfinished-string silence is long here, so a loaded machine's slow decode still ends early
    line = replace(line, settings=line.settings.replace(digits_silence_ms=5000))
    listen = Listen("password", "en", max_digits=6)
    whole, _ = _hear_realtime(line, _utterance(line, "four eight two nine one three",
                                               gap_ms=0), listen)
    assert words_to_digits(whole.text, "en") == "482913"
    assert whole.timings["end_early"] == 1.0
    # "four eight two ... nine one three": 600 ms is past speculate_ms and the digit hold
    paused, left = _hear_realtime(line, _utterance(line, "four eight two", "nine one three",
                                                   gap_ms=600), listen)
    assert not np.any(np.frombuffer(left, dtype="<i2")), "the caller was cut off"
    assert words_to_digits(paused.text, "en") == "482913"
    assert paused.timings["asr_redone"] >= 1.0  # the guess at the pause was voided
