"""Pure pieces of the operator and judge console work (issue 17.2, 17.6): reading typed case
numbers, labels, the notification settings and document, and the Chinese of every new string."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from voicebot.casenumber import CaseNumberError
from voicebot.console.i18n import ZH, translate
from voicebot.console.i18n_ops import ZH_OPS
from voicebot.console.labels import LABELS, from_iso, label
from voicebot.handoff import lookup, workorders
from voicebot.handoff.lookup import normalize_case_text, read_case_number
from voicebot.handoff.notify import notice_for, settings_problem
from voicebot.settings import DEFAULT_SETTINGS, Settings, SettingsError

TEMPLATES = Path(__file__).resolve().parents[2] / "voicebot" / "console" / "templates"
OPS_TEMPLATES = ("operator_ticket.html", "operator_cases.html", "_case_facts.html",
                 "judge_order.html", "judge_orders.html", "operator_orders.html")
CASE = "（2024）京0105民初12345号"
ALIASES = {"北京市朝阳区人民法院": "京0105", "朝阳法院": "京0105"}


@pytest.mark.parametrize("text", [
    CASE, "(2024)京0105民初12345号", "（2024）京0105民初12345", "2024京0105民初12345",
    "  2024 京0105民初12345号 ", "（２０２４）京０１０５民初１２３４５号",
    "2024年朝阳法院民初12345号", "2024 民初 12345", "2024年度京0105民初字第12345号",
    "2024 Jing 0105 civil first instance 12345", "二零二四年京0105民初一二三四五号",
])
def test_case_numbers_in_the_spellings_the_line_reads(text: str) -> None:
    assert str(read_case_number(text, "京0105", ALIASES)) == CASE


def test_home_court_fills_a_number_without_court() -> None:
    assert str(read_case_number("2025 民终 8", "京01", {})) == "（2025）京01民终8号"


@pytest.mark.parametrize(("text", "why"), [
    ("", "empty"), ("京0105民初12345", "year"), ("2024京0105明初12345", "case type"),
    ("请问我的案子 2024 民初 12345 怎么样", "请问"),  # a sentence is not a number
])
def test_unreadable_numbers_say_why(text: str, why: str) -> None:
    with pytest.raises(CaseNumberError, match=why):
        read_case_number(text, "京0105", ALIASES)


def test_normalize_brackets_a_bare_year_only() -> None:
    assert normalize_case_text("2024京0105民初1") == "（2024）京0105民初1"
    assert normalize_case_text("(2024)京01民终2号") == "（2024）京01民终2号"


def test_labels_and_iso_times() -> None:
    assert label("department_contact") == "Department contact"
    assert label("something_new") == "something_new" and label(None) == ""
    at = from_iso("2026-03-03T02:00:00+00:00")
    assert at == dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)
    assert from_iso("2026-03-03T02:00:00") == at  # naive text is UTC as stored
    assert from_iso("not a time") is None


def _template_strings() -> set[str]:
    found: set[str] = set()
    for name in (*OPS_TEMPLATES, "base.html"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        found |= {m.group(2) for m in re.finditer(r"""_\((["'])(.+?)\1\)""", text)}
    return found


def test_every_new_string_has_chinese() -> None:
    base_only = {"Case lookup", "New work orders"}
    strings = _template_strings() | set(LABELS.values()) | base_only
    messages = [workorders.UNREADABLE_CASE]
    for module in (lookup, workorders):
        source = Path(cast(Any, module).__file__).read_text(encoding="utf-8")
        messages += re.findall(r'(?:LookupInputError|InvalidInputError)\(\s*"([A-Z][^"]+)"',
                               source)
    strings |= set(messages)
    missing = sorted(s for s in strings if s not in ZH_OPS and s not in ZH)
    assert not missing, missing
    assert translate("Department contact", "zh") == "部门联系人"
    assert translate("Department contact", "en") == "Department contact"
    assert all(zh and zh != en for en, zh in ZH_OPS.items())


def test_templates_show_no_raw_step_names() -> None:
    for name in OPS_TEMPLATES:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        shown = re.sub(r'value="[^"]*"', "", text)  # form values are codes, not shown
        assert not re.search(r"\{\{\s*(?:e|c|nxt)\.(?:step|outcome)\s*\}\}", shown), name
        assert not re.search(r"\{\{\s*e\.at\s*\}\}", text), name


def test_notification_settings_are_validated_at_start(tmp_path: Path) -> None:
    script = tmp_path / "send.sh"
    script.write_text("#!/bin/sh\ncat >/dev/null\n")
    with pytest.raises(SettingsError, match=r"notify_command.*not an executable"):
        Settings.load(env={"VOICEBOT_NOTIFY_COMMAND": f"{script} --to judge"})
    script.chmod(0o755)
    ok = Settings.load(env={"VOICEBOT_NOTIFY_COMMAND": f"{script} --to 'the judge'",
                            "VOICEBOT_NOTIFY_WEBHOOK": "https://sms.court.example/hook"})
    assert ok.notify_command.endswith("'the judge'") and settings_problem(ok) is None
    for env, why in (({"VOICEBOT_NOTIFY_COMMAND": "no-such-sender-xyz"}, "not found on PATH"),
                     ({"VOICEBOT_NOTIFY_COMMAND": "sh -c 'unclosed"}, "cannot split"),
                     ({"VOICEBOT_NOTIFY_WEBHOOK": "ftp://x/y"}, "notify_webhook"),
                     ({"VOICEBOT_NOTIFY_WEBHOOK": "http://"}, "notify_webhook"),
                     ({"VOICEBOT_NOTIFY_TIMEOUT_S": "0"}, "notify_timeout_s")):
        with pytest.raises(SettingsError, match=why):
            Settings.load(env=env)
    assert settings_problem(DEFAULT_SETTINGS) is None


def test_notice_carries_no_caller_data() -> None:
    judge = SimpleNamespace(name="张法官", ext_id="J1", work_phone="010-1000")
    order = SimpleNamespace(
        number="WO-20260303-0001", case=SimpleNamespace(number=CASE), judge=judge,
        created_at=dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC),
        due_at=dt.datetime(2026, 3, 6, 2, tzinfo=dt.UTC),
        caller_phone="13800000001", request_text="秘密诉求")
    doc = json.loads(notice_for(cast(Any, order)).to_json())
    assert doc == {
        "event": "work_order.created", "work_order": "WO-20260303-0001", "case_number": CASE,
        "judge": "张法官", "judge_id": "J1", "judge_phone": "010-1000",
        "created_at": "2026-03-03T02:00:00+00:00", "due_at": "2026-03-06T02:00:00+00:00",
        "console_path": "/judge/orders/WO-20260303-0001",
    }
