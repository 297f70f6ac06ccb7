"""The console's Chinese catalogue covers every string the pages and routes show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicebot.console import routes_admin
from voicebot.console.i18n import ZH, ZH_OPS, parse_lang, translate, translate_message
from voicebot.console.i18n_zh import ZH_UI
from voicebot.handoff.workorders import CONTACT_OUTCOMES, CONTACT_STEPS
from voicebot.nlu.types import INTENTS
from voicebot.store.models import (
    RECORD_KINDS,
    RECORD_STATUSES,
    ROLES,
    TICKET_STATUSES,
    WORK_ORDER_STATUSES,
)

CONSOLE = Path(__file__).resolve().parents[2] / "voicebot" / "console"
LITERAL = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\s*\)""")
ANY_CALL = re.compile(r"\b_\(")


def template_literals() -> dict[str, set[str]]:
    """Every ``_("...")`` literal per template."""
    found: dict[str, set[str]] = {}
    for path in sorted((CONSOLE / "templates").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        found[path.name] = {m.group(1) if m.group(1) is not None else m.group(2)
                            for m in LITERAL.finditer(text)}
    return found


def test_the_scan_finds_the_templates_strings() -> None:
    found = template_literals()
    assert "Sign in" in found["login.html"] and "Queue" in found["base.html"]
    assert sum(len(v) for v in found.values()) > 150


def test_every_template_literal_has_chinese() -> None:
    missing = sorted(f"{name}: {s!r}" for name, strings in template_literals().items()
                     for s in strings if s not in ZH)
    assert missing == [], "add these to voicebot/console/i18n_zh.py (or i18n_ops.py)"


def test_every_chinese_entry_keeps_its_slots() -> None:
    bad = [k for k, v in ZH.items() if k.count("{}") != v.count("{}")]
    assert bad == []
    assert all(v.strip() and v != k for k, v in ZH_UI.items())


@pytest.mark.parametrize("values", [ROLES, TICKET_STATUSES, WORK_ORDER_STATUSES, RECORD_KINDS,
                                    RECORD_STATUSES, INTENTS, CONTACT_STEPS, CONTACT_OUTCOMES,
                                    routes_admin.OUTCOMES, ("handoff",)])
def test_values_the_pages_show_have_chinese(values: tuple[str, ...]) -> None:
    assert [v for v in values if v not in ZH] == []


def _python_sources() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(CONSOLE.glob("*.py")))


def test_flash_messages_and_error_titles_have_chinese() -> None:
    source = _python_sources()
    # ?msg=Fixed+words or ?msg=Fixed+words+{value} (an f-string slot: "Fixed words {}")
    flashes = {(words + ("{}" if slot else "")).replace("+", " ")
               for words, slot in re.findall(r'\?msg=([A-Za-z+ ]+)(\{[^}]*\})?"', source)}
    titles = set(re.findall(r'refusal\(\d+, "([^"]+)"\)', source))
    errors = set(re.findall(r'error = "([^"]+)"', source))
    errors |= set(re.findall(r'error="([^"]+)"', source))
    assert {"Password reset", "The queue is empty", "Marked handled", "Work order {}"} <= flashes
    assert {"Not found", "Not allowed"} <= titles and "Dates look like 2026-03-03" in errors
    assert sorted(s for s in flashes | titles | errors if s not in ZH) == []


def test_messages_with_values_are_translated_around_them() -> None:
    assert translate_message("Work order WO-20260303-0001", "zh") == "已生成工单 WO-20260303-0001"
    assert translate_message("Next: department_contact", "zh") == "下一位：部门联系人"
    assert translate_message("user 'bob' exists already", "zh") == "用户 'bob' 已存在"
    assert translate_message("Work order WO-1", "en") == "Work order WO-1"
    assert translate_message("something nobody wrote down", "zh") == "something nobody wrote down"


def test_lookups_and_languages() -> None:
    assert translate("Queue", "zh") == "来电排队" and translate("Queue", "en") == "Queue"
    assert translate("no such English", "zh") == "no such English"
    assert translate("Next", "zh") == "下一页" and translate("Next contact", "zh") == "下一位"
    assert parse_lang("en") == "en" and parse_lang("zh") == "zh"
    assert parse_lang("fr") is None and parse_lang(None) is None
    assert isinstance(ZH_OPS, dict)


def test_each_english_string_has_one_chinese() -> None:
    """The two catalogues never both translate a string: one would silently win (下一位 for
    the pager's "Next", once)."""
    assert sorted(set(ZH_UI) & set(ZH_OPS)) == []
    assert ZH == {**ZH_UI, **ZH_OPS}
