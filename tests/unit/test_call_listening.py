"""The listening policy: one typed ListenSpec per Listen, and the rules read from it."""

from __future__ import annotations

import pytest

from voicebot.asr.types import AsrResult
from voicebot.call.grammars import grammar_for
from voicebot.call.hypotheses import acted_reading, pick_hypothesis
from voicebot.call.listening import KEY_TIMEOUT_MS, KeyRule, keys_done, listen_spec
from voicebot.dialog.actions import EXPECTS, Listen
from voicebot.nlu.types import PartialCaseNumber, Understanding


@pytest.mark.parametrize("expect", EXPECTS)
def test_every_expect_gets_a_spec(expect: str) -> None:
    spec = listen_spec(Listen(expect, "en"), grammar_for)
    assert spec.language == "en" and spec.grammar == grammar_for(expect, "en")
    assert spec.keep_audio == (expect == "message")
    # case numbers: other readings after a "no"; open prompts: the phrase reading beside the free
    assert (spec.alternatives > 1) == (expect == "case_number")
    assert (spec.alternatives > 0) == (expect in ("case_number", "intent", "yesno", "menu"))
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


def _u(**kw: object) -> Understanding:
    return Understanding(text="", language="en", **kw)  # type: ignore[arg-type]


def test_an_open_prompt_acts_on_the_free_reading_unless_the_list_tells_more() -> None:
    spec = listen_spec(Listen(expect="menu", language="en"), grammar_for)
    assert spec.grammar is not None and spec.grammar.open
    free, phrase = _u(), _u(intent="operator", confidence=0.9)
    assert acted_reading([free, phrase], spec) == (1, True)  # the list stands in: doubtful
    assert acted_reading([_u(intent="case_progress", confidence=0.95), phrase], spec) == (0, True)
    assert acted_reading([free, _u()], spec) == (0, False)
    # a paraphrase the classifier reads surely keeps its intent against the nearest listed phrase
    reach, report = _u(intent="contact_judge", confidence=0.4), _u(intent="report", confidence=0.9)
    assert acted_reading([reach, report], spec) == (0, True)
    weak = _u(intent="contact_judge", confidence=0.3)
    assert acted_reading([weak, report], spec) == (1, True)
    # "nothing else thanks" at "anything else? if not, say no": the no is the whole answer
    no = _u(intent="goodbye", confidence=0.29, yes_no=False)
    assert acted_reading([no, _u(intent="operator", confidence=0.9)], spec) == (0, True)
    yes = listen_spec(Listen(expect="yesno", language="en"), grammar_for)
    assert acted_reading([_u(yes_no=True), _u(yes_no=False)], yes) == (0, True)  # contradicted
    assert acted_reading([_u(yes_no=True), _u(yes_no=True)], yes) == (0, False)
    case = listen_spec(Listen(expect="case_number", language="en"), grammar_for)
    full = _u(partial_case_number=PartialCaseNumber(2024, None, "民初", 12345))
    assert acted_reading([_u(partial_case_number=PartialCaseNumber(2024, None, None, 1112345)),
                          full], case) == (1, True)
    closed = listen_spec(Listen(expect="password", language="en"), grammar_for)
    assert acted_reading([free, _u(digits="123456")], closed) == (0, False)  # closed list
