"""The listening policy: one typed ListenSpec per Listen, and the rules read from it."""

from __future__ import annotations

import pytest

from voicebot.asr.types import AsrResult
from voicebot.call.grammars import grammar_for
from voicebot.call.hypotheses import pick_hypothesis
from voicebot.call.listening import KEY_TIMEOUT_MS, KeyRule, keys_done, listen_spec
from voicebot.dialog.actions import EXPECTS, Listen


@pytest.mark.parametrize("expect", EXPECTS)
def test_every_expect_gets_a_spec(expect: str) -> None:
    spec = listen_spec(Listen(expect, "en"), grammar_for)
    assert spec.language == "en" and spec.grammar == grammar_for(expect, "en")
    assert spec.keep_audio == (expect == "message")
    assert (spec.alternatives > 0) == (expect == "case_number")
    assert (spec.digit_range is not None) == (expect in ("password", "phone"))


def test_key_rules() -> None:
    menu = listen_spec(Listen("menu", "zh"))
    password = listen_spec(Listen("password", "zh", max_digits=6))
    case = listen_spec(Listen("case_number", "zh"))
    assert (menu.key_rule, password.key_rule, case.key_rule) == (
        KeyRule.ONE_KEY, KeyRule.COUNT, KeyRule.TERMINATED)
    assert keys_done("3", menu, 0) and not keys_done("3", case, 0)
    assert not keys_done("48291", password, 0) and keys_done("482913", password, 0)
    assert keys_done("12#", case, 0) and keys_done("*", case, 0)
    assert keys_done("12", case, KEY_TIMEOUT_MS)


def test_the_nlu_hint_follows_the_prompt() -> None:
    hints = {e: listen_spec(Listen(e, "en")).nlu_hint for e in EXPECTS}
    assert hints["menu"] == "intent" and hints["password"] == hints["phone"] == "digits"
    assert hints["message"] is None and hints["yesno"] == "yesno"


def test_a_password_takes_the_six_digit_reading_from_the_n_best() -> None:
    result = AsrResult("four eight two nine one", True,
                       alternatives=("four eight two nine one three", "four eight"))
    spec = listen_spec(Listen("password", "en", max_digits=6))
    assert pick_hypothesis(result, spec) == "four eight two nine one three"
    free = listen_spec(Listen("message", "en"))
    assert pick_hypothesis(result, free) == result.text
