"""The paraphrase set: size, coverage, and wording apart from training data and call fixtures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicebot.nlu.types import INTENTS
from voicebot.simulate.paraphrases import SetName, load_set

ROOT = Path(__file__).resolve().parents[2]


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("，", ",").split())


def _fixture_turns() -> set[str]:
    turns: set[str] = set()
    for path in (ROOT / "tests" / "fixtures" / "calls").glob("*/call.json"):
        for turn in json.loads(path.read_text("utf-8"))["turns"]:
            if isinstance(turn, dict):
                turns |= {_norm(t) for t in [turn.get("text", ""), *turn.get("alternatives", [])]}
    spoken = (ROOT / "scripts" / "make_call_fixtures.py").read_text("utf-8")
    turns |= {_norm(s) for s in spoken.split('"')[1::2]}  # the WAVs' words
    return turns


SETS = [("en", "main"), ("zh", "main"), ("en", "blind"), ("zh", "blind")]


@pytest.mark.parametrize(("lang", "name"), SETS)
def test_set_has_150_requests_over_all_request_intents_and_styles(lang: str, name: SetName) -> None:
    items = load_set(lang, name=name)
    assert len(items) >= 150
    assert {p.intent for p in items} <= set(INTENTS)
    assert len({p.intent for p in items}) >= 11
    assert {p.style for p in items} >= {"polite", "terse", "rambling", "filler", "case_inline",
                                       "regional"}
    assert len({p.text for p in items}) == len(items)


@pytest.mark.parametrize(("lang", "name"), SETS)
def test_no_paraphrase_is_a_training_utterance_or_a_fixture_turn(lang: str, name: SetName) -> None:
    data = ROOT / "voicebot" / "nlu" / "data" / f"intents_{lang}.jsonl"
    train = {_norm(json.loads(x)["text"]) for x in data.read_text("utf-8").splitlines() if x}
    fixtures = _fixture_turns()
    same = [p.text for p in load_set(lang, name=name) if _norm(p.text) in train | fixtures]
    assert not same
