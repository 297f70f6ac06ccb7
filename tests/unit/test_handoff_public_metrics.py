"""Public surfaces never tell whether a case exists: /metrics text and the `voicebot call` line."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from voicebot.cli import calls as cli_calls
from voicebot.cli.main import app
from voicebot.handoff.metrics import Metrics, prometheus_text


def _metrics(outcomes: dict[str, int]) -> Metrics:
    return Metrics(day="2026-03-03", calls_today=0, calls_per_day={}, calls_total=sum(
        outcomes.values()), bot_only_share=None, outcomes=outcomes,
        outcomes_per_intent={"hearing_time": dict(outcomes)}, work_orders_opened=0,
        work_orders_answered=0, work_orders_overdue=0, work_orders_by_status={},
        contact_rate=None, handoffs=0, handoffs_waiting=0, callbacks_open=0, wait_avg_s=None,
        wait_p90_s=None)


def test_prometheus_text_merges_not_found_and_verification_failed() -> None:
    text = prometheus_text(_metrics({"answered": 2, "not_found": 3, "verification_failed": 4}))
    assert "not_found" not in text and "verification_failed" not in text
    assert 'voicebot_calls_total{outcome="not_verified"} 7' in text
    assert 'voicebot_calls_by_intent_total{intent="hearing_time",outcome="not_verified"} 7' in text
    assert 'voicebot_calls_total{outcome="answered"} 2' in text


@pytest.mark.parametrize("outcome", ["not_found", "verification_failed"])
def test_the_call_summary_line_does_not_split(outcome: str, tmp_path: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    result = SimpleNamespace(call_id=7, outcome=outcome, record_ref="")
    monkeypatch.setattr(cli_calls, "_line", lambda settings, speech: None)
    monkeypatch.setattr(cli_calls, "check_home_court", lambda settings: None)  # no store here
    monkeypatch.setattr(cli_calls, "run_calls", lambda coro, settings: (coro.close(), result)[1])
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(app, ["call", "--text"])
    assert out.exit_code == 0, out.output
    assert "call 7: not_verified" in out.output and outcome not in out.output
