"""docs/fixtures.md documents exactly the keys the fixture loader accepts, and every bundled
fixture loads under the strict key check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from voicebot.replay.fixture import EXPECT_KEYS, TOP_KEYS, TURN_KEYS, load_fixture
from voicebot.replay.report import find_fixtures

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "fixtures.md"


def documented(section: str) -> set[str]:
    """Keys in the first column of the table under ``## section``."""
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(section)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {section!r} in {DOC}"
    return set(re.findall(r"^\| `([a-z_]+)` \|", match.group(1), re.M))


@pytest.mark.parametrize("section, keys", [
    ("Top-level keys", TOP_KEYS), ("Turn keys", TURN_KEYS), ("Expect keys", EXPECT_KEYS)])
def test_documented_keys_are_the_accepted_keys(section: str, keys: frozenset[str]) -> None:
    assert documented(section) == set(keys)


def test_readme_links_the_fixture_doc() -> None:
    assert "docs/fixtures.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_bundled_fixture_loads() -> None:
    names = find_fixtures([ROOT / "tests" / "fixtures" / "calls",
                           ROOT / "voicebot" / "replay" / "sample"])
    assert len(names) >= 40
    for name in names:
        load_fixture(name)
