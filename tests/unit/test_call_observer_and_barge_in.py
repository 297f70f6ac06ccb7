"""The loop's helpers: the per-call observer's turn figures, the barge-in rewrite of the queue."""

from __future__ import annotations

from voicebot.call.barge_in import after_barge_in
from voicebot.call.observer import CallObserver
from voicebot.call.ports import Spoken
from voicebot.dialog.actions import HangUp, Listen, Say


def test_a_turn_s_latency_runs_from_the_end_of_input_to_the_first_bot_audio() -> None:
    obs = CallObserver()
    obs.add("dialog", 5.0)  # before any input: not part of a turn
    obs.heard(10.0, {"asr": 30.0})
    obs.add("nlu", 4.0)
    obs.add("nlu", 1.0)
    obs.spoken(Spoken(False, 10.25, 7.0))
    obs.spoken(Spoken(False, 11.0, 9.0))  # the second prompt changes nothing
    assert obs.close_turn() == 250
    assert obs.turns == [{"asr": 30.0, "nlu": 5.0, "tts": 7.0, "total": 250.0}]
    assert not obs.in_turn and obs.close_turn() is None and len(obs.turns) == 1


def test_a_turn_without_an_answer_has_no_latency_but_is_counted() -> None:
    obs = CallObserver()
    obs.heard(3.0, {})
    assert obs.close_turn() is None
    assert obs.turns == [{"total": 0.0}]


def test_after_a_barge_in_prompts_go_and_the_dialog_s_listen_replaces_the_queued_one() -> None:
    queued = [Say("rest of the menu", "en"), Listen("intent", "en"), HangUp("answered")]
    reply = [Say("go ahead", "en"), Listen("menu", "en")]
    assert after_barge_in(reply, queued) == [Listen("menu", "en"), HangUp("answered")]


def test_after_a_barge_in_without_a_listen_of_its_own_the_queued_listen_stays() -> None:
    queued = [Say("rest", "en"), Listen("intent", "en")]
    assert after_barge_in([], queued) == [Listen("intent", "en")]
