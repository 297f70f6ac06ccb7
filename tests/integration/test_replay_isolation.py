"""`voicebot replay` as testers run it: a fresh seeded store per fixture (no lock-out or record
carried over), `--db` on a given store, fixture errors, `--out` with the line's audio and the ASR
readings, and `--from-call` turning a logged call into a fixture that replays the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from voicebot.call.setup import ensure_demo
from voicebot.nlu.classifier import is_current
from voicebot.nlu.training import ensure_trained
from voicebot.replay.report import find_fixtures
from voicebot.settings import Settings

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CALLS = ROOT / "tests" / "fixtures" / "calls"
TEXT_FIXTURES = [f for f in find_fixtures([CALLS]) if f.endswith("_text")]
CASES = "200"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the trained NLU model and the shared speech cache, and no store."""
    data = tmp_path_factory.mktemp("replay-data")
    configured = Settings.load().nlu_model_dir.resolve()
    if not all(is_current(configured, lang) for lang in ("zh", "en")):
        configured = tmp_path_factory.getbasetemp() / "replay-nlu" / "nlu"
        ensure_trained(configured)
    (data / "nlu").symlink_to(configured)
    cache = Settings.load().tts_cache_dir.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    (data / "tts-cache").symlink_to(cache)
    return data


def voicebot(data_dir: Path, *args: str, stdin: str | None = None
             ) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "VOICEBOT_DATABASE_URL"}
    env.update(VOICEBOT_DATA_DIR=str(data_dir), COLUMNS="200")
    return subprocess.run([sys.executable, "-m", "voicebot", *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=600, check=False)


def reports(proc: subprocess.CompletedProcess[str]) -> list[dict[str, object]]:
    return [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]


def demo_store(data_dir: Path, name: str) -> str:
    url = f"sqlite:///{data_dir / name}"
    ensure_demo(Settings.load().replace(data_dir=data_dir, database_url=url), int(CASES))
    return url


def same_caller_progress(tmp_path: Path) -> Path:
    """The plain case-progress call, from the caller the lock-out fixture locks, 5 minutes
    after it (within the lock)."""
    lock = json.loads((CALLS / "zh_wrong_password_lock_text" / "call.json").read_text("utf-8"))
    call = json.loads((CALLS / "zh_progress_text" / "call.json").read_text("utf-8"))
    call["caller_id"] = lock["caller_id"]
    assert lock["at"] == call["at"] == "2026-03-03T10:15:00+08:00"
    call["at"] = "2026-03-03T10:20:00+08:00"
    folder = tmp_path / "progress_after_lock"
    folder.mkdir()
    (folder / "call.json").write_text(json.dumps(call, ensure_ascii=False), encoding="utf-8")
    return folder


def test_text_fixtures_pass_twice_on_fresh_stores(data_dir: Path) -> None:
    assert len(TEXT_FIXTURES) >= 25
    for _ in range(2):
        proc = voicebot(data_dir, "replay", *TEXT_FIXTURES, "--demo-cases", CASES, "-q")
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert [r["passed"] for r in reports(proc)] == [True] * len(TEXT_FIXTURES)
        assert f"{len(TEXT_FIXTURES)} passed, 0 failed" in proc.stderr
    assert not (data_dir / "voicebot.db").exists()  # the configured store was never touched
    assert not (data_dir / "spool").exists() and not (data_dir / "recordings").exists()


def test_a_lock_out_does_not_reach_a_later_fixture(data_dir: Path, tmp_path: Path) -> None:
    later = same_caller_progress(tmp_path)
    lock = str(CALLS / "zh_wrong_password_lock_text")
    fresh = voicebot(data_dir, "replay", lock, str(later), "--demo-cases", CASES, "-q")
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    assert [(r["outcome"], r["passed"]) for r in reports(fresh)] == [
        ("verification_failed", True), ("answered", True)]
    # the same two on one store (--db, the old behaviour): the lock-out is still there
    shared = voicebot(data_dir, "replay", lock, str(later), "--db",
                      demo_store(data_dir, "shared.db"), "-q")
    assert shared.returncode == 1
    assert [(r["outcome"], r["passed"]) for r in reports(shared)] == [
        ("verification_failed", True), ("verification_failed", False)]


def test_an_empty_db_is_said_and_case_fixtures_fail(data_dir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    proc = voicebot(data_dir, "replay", str(CALLS / "zh_consultation_fees_text"),
                    str(CALLS / "zh_progress_text"), "--db", url, "-q")
    assert proc.returncode == 1
    assert f"the store at {url} has no court 京0105 (home_court)" in " ".join(proc.stderr.split())
    # the consultation needs no case; the progress query hears "no match" (the number is unknown)
    assert [(r["outcome"], r["passed"]) for r in reports(proc)] == [
        ("answered", True), ("unresolved", False)]


def test_a_misspelled_key_is_a_fixture_error(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "typo"
    bad.mkdir()
    (bad / "call.json").write_text(json.dumps({
        "language": "zh", "turns": [{"text": "诉讼费怎么交"}], "expct": {"outcome": "answered"}}),
        encoding="utf-8")
    proc = voicebot(data_dir, "replay", str(bad), str(CALLS / "zh_consultation_fees_text"),
                    "--demo-cases", CASES, "-q")
    assert proc.returncode == 1
    err = " ".join(proc.stderr.split())
    assert f"{bad}: unknown key 'expct' (did you mean 'expect'?)" in err
    assert "1 passed, 0 failed, 1 unreadable" in err


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as w:
        return w.getnframes() / w.getframerate()


def test_out_keeps_the_line_audio_and_readings(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = voicebot(data_dir, "replay", str(CALLS / "en_hearing_audio"),
                    str(CALLS / "zh_consultation_fees_text"), "--demo-cases", CASES,
                    "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr[-3000:]
    every = json.loads((out / "replay.json").read_text(encoding="utf-8"))
    assert [Path(str(r["call"])).name for r in every] == ["en_hearing_audio",
                                                          "zh_consultation_fees_text"]
    for folder, report in zip(sorted(p for p in out.iterdir() if p.is_dir()), every, strict=True):
        assert json.loads((folder / "report.json").read_text(encoding="utf-8")) == report
        turns = report["turns"]
        assert isinstance(turns, list)
        wavs = [folder / t["audio"] for t in turns]
        assert [w.name for w in wavs] == [f"turn-{i:02d}.wav" for i in range(len(turns))]
        lengths = [_wav_seconds(w) for w in wavs]
        assert all(s > 0.5 for s in lengths), lengths
        assert _wav_seconds(folder / "call.wav") == pytest.approx(sum(lengths), abs=0.01)
    hearing = every[0]["turns"]
    spoken = [t["asr"] for t in hearing[1:] if t["asr"]["input"] == "speech"]
    assert len(spoken) == 4  # 01-03 and 05 are speech, 04 is keys
    for asr in spoken:
        assert 0 < asr["confidence"] <= 1 and isinstance(asr["alternatives"], list)
        assert isinstance(asr["doubtful"], bool)
    assert [t["asr"]["input"] for t in hearing[1:]].count("keys") == 1
    keyed = next(t for t in hearing[1:] if t["asr"]["input"] == "keys")
    assert keyed["asr"].get("masked") is True and keyed["caller"] == "[password given]"
    assert "482913" not in json.dumps(every)


def test_a_logged_text_call_becomes_a_fixture_that_replays_the_same(data_dir: Path,
                                                                    tmp_path: Path) -> None:
    url = demo_store(data_dir, "logged.db")
    typed = "查询案件进展\n二零二四年京零一零五民初一二三四五号\n对\n/keys 482913#\n/hangup\n"
    made = voicebot(data_dir, "call", "--text", "--lang", "zh", "--caller-id", "13800000123",
                    "--db", url, stdin=typed)
    assert made.returncode == 0, made.stderr[-3000:]
    call_id = made.stderr.split("call ", 1)[1].split(":", 1)[0]
    target = tmp_path / "from_call"
    export = voicebot(data_dir, "replay", "--from-call", call_id, "--db", url,
                      "--write", str(target))
    assert export.returncode == 0, export.stderr
    assert "fill in: turn(s) 4" in " ".join(export.stderr.split())
    fixture = json.loads((target / "call.json").read_text(encoding="utf-8"))
    assert fixture["language"] == "zh" and fixture["caller_id"] == "13800000123"
    assert fixture["turns"][:3] == [
        {"text": "查询案件进展"}, {"text": "二零二四年京零一零五民初一二三四五号"}, {"text": "对"}]
    assert fixture["turns"][3]["dtmf"] == "" and "fill" in fixture["turns"][3]
    assert "482913" not in json.dumps(fixture)
    assert fixture["expect"] == {"outcome": "answered", "intent": "case_progress",
                                 "case_number": "（2024）京0105民初12345号"}
    unfilled = voicebot(data_dir, "replay", str(target), "--demo-cases", CASES, "-q")
    assert unfilled.returncode == 1
    assert f"{target}: turn 4: placeholder to fill in" in " ".join(unfilled.stderr.split())
    fixture["turns"][3] = {"dtmf": "482913#"}
    (target / "call.json").write_text(json.dumps(fixture, ensure_ascii=False), encoding="utf-8")
    again = voicebot(data_dir, "replay", str(target), "--demo-cases", CASES, "-q")
    assert again.returncode == 0, again.stderr[-3000:]
    (result,) = reports(again)
    assert (result["outcome"], result["intent"], result["passed"]) == (
        "answered", "case_progress", True)


def test_a_kept_complaint_recording_is_copied_into_the_fixture(data_dir: Path,
                                                               tmp_path: Path) -> None:
    url = demo_store(data_dir, "complaint.db")
    first = voicebot(data_dir, "replay", str(CALLS / "en_complaint_audio"), "--db", url, "-q")
    assert first.returncode == 0, first.stderr[-3000:]
    (logged,) = reports(first)
    target = tmp_path / "complaint"
    export = voicebot(data_dir, "replay", "--from-call", str(logged["record_id"]), "--db", url,
                      "--write", str(target))
    assert export.returncode == 0 and "(1 caller WAVs copied)" in export.stderr, export.stderr
    fixture = json.loads((target / "call.json").read_text(encoding="utf-8"))
    assert fixture["language"] == "en" and fixture["at"] == "2026-03-03T10:15:00+08:00"
    wav_turns = [t for t in fixture["turns"] if "wav" in t]
    assert len(wav_turns) == 1 and (target / wav_turns[0]["wav"]).is_file()
    again = voicebot(data_dir, "replay", str(target), "--demo-cases", CASES, "-q")
    assert again.returncode == 0, again.stderr[-3000:]
    (result,) = reports(again)
    assert (result["outcome"], result["intent"]) == ("recorded", "complaint")
