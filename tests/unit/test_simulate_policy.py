"""The simulated caller's policy as a pure function of goal, line texts and history."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicebot.dialog.prompts import text
from voicebot.simulate.goals import Condition, Goal, builtin_goals, goal_from_dict, load_goals
from voicebot.simulate.phrasing import REQUESTS
from voicebot.simulate.policy import Answer, Turn, answer, cue_of, heard_number

HEARING = Goal("h", "hearing_time", "en", "（2024）京0105民初12345号", "482913")
HEARING_ZH = Goal("hz", "hearing_time", "zh", "（2024）京0105民初12345号", "482913")
ROOT = Path(__file__).resolve().parents[2]


def test_request_first_then_case_number_then_confirm_then_password() -> None:
    greet = text("greeting_head", "en", court="X") + " " + text("how_help", "en")
    first = answer(HEARING, (greet,), ())
    assert first.kind == "speak" and first.role == "request"
    assert first.text in REQUESTS["en"]["hearing_time"]
    hist = (Turn(greet, first),)
    num = answer(HEARING, (text("ask_case_number", "en"),), hist)
    assert num.role == "case_number" and "one two three four five" in num.text
    right = text("confirm_number", "en", number="(2024) Jing 0105 civil first instance No. 12345")
    assert answer(HEARING, (right,), hist).role == "confirm"
    pw = answer(HEARING, (text("ask_password", "en"),), hist)
    assert (pw.kind, pw.text) == ("speak", "four eight two nine one three")


def test_wrong_readback_is_corrected_with_the_right_number() -> None:
    wrong = text("confirm_number", "en", number="(2024) Jing 0105 civil first instance No. 12346")
    got = answer(HEARING, (wrong,), ())
    assert got.role == "correct" and got.text.startswith("no it's")
    assert got.text.endswith("one two three four five")
    zh = answer(HEARING_ZH, (text("confirm_number", "zh", number="（2024）京0105民初12346号"),), ())
    assert zh.role == "correct" and zh.text.startswith("不对")
    ok = answer(HEARING_ZH, (text("confirm_number", "zh", number="（2024）京0105民初12345号"),), ())
    assert ok.role == "confirm"


@pytest.mark.parametrize(("key", "fields", "keys"), [
    ("keypad_year", {}, "2024#"),
    ("keypad_type", {}, "1"),
    ("keypad_seq", {}, "12345#"),
    ("password_keys", {}, "482913#"),
    ("mismatch", {"left": 2}, "482913#"),
    ("ask_phone", {}, "13900000007#"),
    ("confirm_phone", {"phone": "139"}, "1"),
    ("offer_callback", {"when": "9:00"}, "1"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_keys_in_when_told_to_press_keys(key: str, fields: dict[str, object], keys: str,
                                         lang: str) -> None:
    goal = HEARING if lang == "en" else HEARING_ZH
    got = answer(goal, (text(key, lang, **fields),), ())
    assert (got.kind, got.text) == ("keys", keys)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_goodbye_and_transfer_end_the_call_and_anything_else_is_declined(lang: str) -> None:
    goal = HEARING if lang == "en" else HEARING_ZH
    assert answer(goal, (text("goodbye", lang),), ()).kind == "hang_up"
    assert answer(goal, (text("transfer", lang),), ()).kind == "hang_up"
    recorded = text("record_created", lang, kind="x", ref="CR-1") + text("anything_else", lang)
    assert answer(goal, (recorded,), ()).role == "goodbye"


def test_a_message_prompt_gets_the_message_and_silence_gets_silence() -> None:
    goal = Goal("c", "complaint", "en")
    assert answer(goal, (text("ask_message_complaint", "en"),), ()).role == "message"
    assert answer(goal, (), ()).kind == "silence"


def test_after_two_requests_in_vain_the_caller_uses_the_menu_key() -> None:
    goal = Goal("o", "operator", "en")
    hist = (Turn("x", Answer("speak", "a", "request")), Turn("y", Answer("speak", "b", "request")))
    menu = text("not_understood", "en") + " " + text("menu", "en")
    assert answer(goal, (menu,), hist) == Answer("keys", "0", "menu_key")
    second = answer(goal, (menu,), hist[:1])
    assert second.role == "request" and second.text != hist[0].answer.text


def test_the_caller_gives_up_on_a_prompt_repeated_too_often() -> None:
    ask = text("ask_case_number", "en")
    hist = tuple(Turn(ask, Answer("speak", "x", "case_number")) for _ in range(4))
    assert answer(HEARING, (ask,), hist).kind == "hang_up"


def test_every_prompt_the_caller_must_act_on_has_a_cue() -> None:
    for lang in ("en", "zh"):
        for key in ("ask_case_number", "ask_password", "confirm_number", "keypad_year",
                    "keypad_type", "keypad_seq", "ask_request", "anything_else", "goodbye",
                    "how_help", "ask_question", "still_there", "ask_missing"):
            fields = {"number": "N", "parts": "P"}
            assert cue_of(text(key, lang, **fields), lang), (lang, key)


def test_heard_number_reads_both_forms() -> None:
    assert heard_number("The case number is (2025) Jing 0105 civil first instance No. 77. Is",
                        "en") == (2025, 77)
    assert heard_number("您说的案号是（2023）京0105民初888号，对吗？", "zh") == (2023, 888)


def test_builtin_goals_cover_all_intents_and_goal_files_load(tmp_path: Path) -> None:
    goals = builtin_goals("en", Condition.NOISE)
    assert {g.intent for g in goals} == {
        "hearing_time", "case_progress", "case_panel", "case_result", "case_acceptance",
        "contact_judge", "complaint", "suggestion", "submit_materials", "consultation",
        "operator"}
    assert len({g.voice for g in goals}) > 3
    path = tmp_path / "goals.json"
    path.write_text(json.dumps([{"name": "a", "intent": "hearing_time", "language": "zh",
                                 "case_number": "（2025）京0105民初8841号", "password": "730519",
                                 "condition": "phone", "voice": "cmn-latn-pinyin", "variant": 2}]))
    (goal,) = load_goals(path)
    assert goal.condition == Condition.PHONE and goal.case is not None
    with pytest.raises(ValueError):
        goal_from_dict({"name": "a", "intent": "x", "colour": "red"})
    with pytest.raises(ValueError):
        goal_from_dict({"name": "a", "intent": "x", "condition": "underwater"})


def _training(lang: str) -> set[str]:
    path = ROOT / "voicebot" / "nlu" / "data" / f"intents_{lang}.jsonl"
    return {json.loads(x)["text"].strip().lower() for x in path.read_text("utf-8").splitlines()}


def test_simulated_wordings_are_not_training_utterances() -> None:
    for lang in ("en", "zh"):
        train = _training(lang)
        for intent, options in REQUESTS[lang].items():
            for option in options:
                assert option.lower() not in train, (lang, intent, option)


def test_a_caller_who_said_that_is_all_hangs_up_instead_of_asking_again() -> None:
    goal = Goal("c", "complaint", "en")
    hist = (Turn("x", Answer("speak", "no thank you goodbye", "goodbye")),)
    menu = text("not_understood", "en") + " " + text("menu", "en")
    assert answer(goal, (menu,), hist).kind == "hang_up"
    assert answer(goal, (menu,), ()).role == "request"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_caller_who_wants_nothing_more_declines_the_operator(lang: str) -> None:
    goal = HEARING if lang == "en" else HEARING_ZH
    offer = text("offer_operator", lang)
    assert answer(goal, (offer,), ()) == Answer("keys", "1", "offer_operator")
    done = (Turn(text("anything_else", lang), answer(goal, (text("anything_else", lang),), ())),)
    assert done[0].answer.role == "goodbye"
    assert answer(goal, (offer,), done) == Answer("keys", "2", "decline")


def test_a_confirmation_asked_a_third_time_is_keyed() -> None:
    right = text("confirm_number", "en", number="(2024) Jing 0105 civil first instance No. 12345")
    said = answer(HEARING, (right,), ())
    assert said.kind == "speak" and said.role == "confirm"
    hist = (Turn(right, said), Turn(right, said))
    assert answer(HEARING, (right,), hist) == Answer("keys", "1", "confirm")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_offer_to_switch_language_is_declined_by_key_whatever_its_language(lang: str) -> None:
    goal = HEARING if lang == "en" else HEARING_ZH
    other = "zh" if lang == "en" else "en"  # the offer is made in the language offered
    got = answer(goal, (text("confirm_switch", other),), ())
    assert (got.kind, got.text, got.role) == ("keys", "2", "decline_switch")


def test_a_caller_without_a_case_asked_for_its_number_says_again_what_it_wants() -> None:
    goal = Goal("o", "operator", "zh")
    first = Turn(text("how_help", "zh"), Answer("speak", "我想找个真人说话", "request"))
    got = answer(goal, (text("ask_case_number", "zh"),), (first,))
    assert (got.kind, got.role) == ("speak", "request")
