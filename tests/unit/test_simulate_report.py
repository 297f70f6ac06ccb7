"""Judging a simulated call against its goal, and the reports (no line, no engines)."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from voicebot.call.loop import CallResult
from voicebot.call.record import TurnLog
from voicebot.simulate.goals import Condition, Goal
from voicebot.simulate.report import junit_xml, rates, summary_table
from voicebot.simulate.run import SimResult, judge

GOAL = Goal("h", "hearing_time", "en", "（2024）京0105民初12345号", "482913", Condition.PHONE,
            say=("Courtroom 3",))


def _call(intent: str, outcome: str, number: str) -> CallResult:
    return CallResult(1, "en", (TurnLog("", "Hello"),), intent, number, outcome, "", True, "")


def test_judge_names_each_miss() -> None:
    ok = _call("hearing_time", "answered", GOAL.case_number)
    assert judge(GOAL, ok, ["... Courtroom 3 ..."]) == ()
    misses = judge(GOAL, _call("case_progress", "handoff", ""), ["Hello"])
    assert len(misses) == 4
    assert any("outcome 'handoff'" in m for m in misses)
    assert any("never said 'Courtroom 3'" in m for m in misses)


def test_rates_table_and_junit_count_reached_goals() -> None:
    ok = SimResult(GOAL, _call("hearing_time", "answered", GOAL.case_number), ("Courtroom 3",),
                   (), (), 1.0)
    bad = SimResult(GOAL, _call("unknown", "handoff", ""), (), (), ("outcome",), 2.0)
    assert rates([ok, bad]) == {("en", "phone"): (1, 2)}
    assert "en | phone | 1 | 2 | 50%" in summary_table([ok, bad])
    suite = ET.fromstring(junit_xml([ok, bad]))
    assert (suite.get("tests"), suite.get("failures")) == ("2", "1")
    assert bad.to_json()["goal_reached"] is False and ok.to_json()["voice"] == GOAL.voice_name
