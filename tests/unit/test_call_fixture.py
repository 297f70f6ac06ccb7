"""Call fixture files, expectation checks, the replay report and typed caller input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from voicebot.audio.convert import pcm16
from voicebot.audio.wav import write_wav
from voicebot.call.text import parse_typed
from voicebot.replay.fixture import Expectation, FixtureError, check, load_fixture
from voicebot.replay.report import find_fixtures, percentile


def write(folder: Path, data: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "call.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


def test_turn_forms_and_expectations(tmp_path: Path) -> None:
    folder = tmp_path / "call"
    folder.mkdir()
    for name in ("01.wav", "02.wav"):
        write_wav(folder / name, pcm16(np.zeros(1600, np.float32), 16000))
    write(folder, {
        "language": "en", "at": "2026-03-03T10:15:00+08:00", "caller_id": 13800000001,
        "turns": ["01.wav", {"wav": "02.wav"}, {"text": "yes"}, {"dtmf": "482913#"},
                  {"silence": True}, {"barge_in": "01.wav", "after_ms": 900}],
        "expect": {"intent": "case_progress", "outcome": "answered", "say": "12345",
                   "not_say": ["Zhang"]}})
    fx = load_fixture(folder)
    assert [t.kind for t in fx.turns] == ["wav", "wav", "text", "dtmf", "silence", "barge_in"]
    assert fx.turns[5].after_ms == 900 and fx.turns[0].path == folder / "01.wav"
    assert fx.caller_id == "13800000001" and fx.at is not None and fx.at.hour == 10
    assert fx.has_audio
    assert fx.expect == Expectation("case_progress", None, "answered", ("12345",), ("Zhang",))


def test_text_turns_carry_alternatives(tmp_path: Path) -> None:
    fx = load_fixture(write(tmp_path / "alt", {"turns": [
        {"text": "one two three four six", "alternatives": ["one two three four five", 7]}]}))
    assert fx.turns[0].alternatives == ("one two three four five", "7")
    assert not fx.turns[0].doubtful
    fx = load_fixture(write(tmp_path / "doubt", {"turns": [{"text": "4", "doubtful": True}]}))
    assert fx.turns[0].doubtful


def test_typed_calls_do_not_need_the_audio_path(tmp_path: Path) -> None:
    fx = load_fixture(write(tmp_path / "t", {"turns": [{"text": "hi"}, {"dtmf": "1"},
                                                       {"silence": True}]}))
    assert not fx.has_audio and fx.expect is None and fx.language is None


@pytest.mark.parametrize("turns, message", [
    (["missing.wav"], "does not exist"),
    ([{"text": "a", "dtmf": "1"}], "exactly one"),
    ([{"dtmf": "12x"}], "dtmf keys"),
    ([42], "file name or an object"),
    ([{"dtmf": "1", "alternatives": ["2"]}], "'alternatives' is a list of texts on a text turn"),
    ([{"text": "a", "alternatives": "b"}], "'alternatives' is a list"),
    ([{"dtmf": "1", "doubtful": True}], "'doubtful' is true or false on a text turn"),
])
def test_bad_fixtures_are_named(tmp_path: Path, turns: list[object], message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load_fixture(write(tmp_path / "bad", {"turns": turns}))


def test_turn_audio_must_be_readable_and_inside_the_folder(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.wav"
    write_wav(outside, pcm16(np.zeros(1600, np.float32), 16000))
    folder = tmp_path / "call"
    folder.mkdir()
    (folder / "link.wav").symlink_to(outside)
    for turns in (["../elsewhere.wav"], [{"barge_in": str(outside)}], ["link.wav"]):
        with pytest.raises(FixtureError, match="outside the fixture folder"):
            load_fixture(write(folder, {"turns": turns}))
    good = pcm16(np.zeros(1600, np.float32), 16000).audio
    header = (folder / "ok.wav")
    write_wav(header, pcm16(np.zeros(1600, np.float32), 16000))
    head = header.read_bytes()[:44]
    broken = {"garbage.wav": b"not a wav at all", "cut.wav": head + good[:100],
              "rate.wav": head[:24] + (1).to_bytes(4, "little") + head[28:] + good}
    for name, blob in broken.items():
        (folder / name).write_bytes(blob)
        with pytest.raises(FixtureError, match="unreadable audio") as err:
            load_fixture(write(folder, {"turns": [{"text": "hi"}, name]}))
        assert "turn 2" in str(err.value) and name in str(err.value)


def test_unknown_expect_keys_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match=r"expect: unknown key .outcom. \(did you mean"):
        load_fixture(write(tmp_path / "a", {"turns": [], "expect": {"outcom": "answered"}}))
    with pytest.raises(FixtureError, match="cannot read"):
        load_fixture(tmp_path / "nowhere")


def test_check_lists_every_unmet_expectation() -> None:
    exp = Expectation("hearing_time", "（2024）京0105民初12345号", "answered", ("第三法庭",),
                      ("张伟",))
    ok = check(exp, intent="hearing_time", case_number="（2024）京0105民初12345号",
               outcome="answered", bot_texts=["地点第三法庭。"])
    assert ok == []
    bad = check(exp, intent="case_panel", case_number="", outcome="handoff",
                bot_texts=["承办法官是张伟。"])
    assert len(bad) == 5 and any("must not" in b for b in bad)


def test_find_fixtures_expands_folders(tmp_path: Path) -> None:
    write(tmp_path / "set" / "b", {"turns": []})
    write(tmp_path / "set" / "a", {"turns": []})
    one = write(tmp_path / "one", {"turns": []})
    found = find_fixtures([tmp_path / "set", one])
    assert [Path(f).name for f in found] == ["a", "b", "one"]


def test_percentile_nearest_rank() -> None:
    assert percentile([5, 1, 3, 2, 4], 50) == 3
    assert percentile(list(range(1, 101)), 95) == 95


def test_typed_input() -> None:
    assert parse_typed("/keys 482 913#").keys == "482913#"
    assert parse_typed("").kind == "no_input"
    assert parse_typed(None).kind == "hung_up"
    assert parse_typed("/hangup").kind == "hung_up"
    assert parse_typed(" 转人工 ").text == "转人工"


@pytest.mark.parametrize("data, where, key, near", [
    ({"turns": [], "expct": {"outcome": "answered"}}, r"bad: unknown key", "expct", "expect"),
    ({"turns": [{"txt": "hi"}]}, r"bad: turn 1: unknown key", "txt", "text"),
    ({"turns": [{"text": "hi"}, {"dtmf": "1", "aftr_ms": 5}]}, r"bad: turn 2: unknown key",
     "aftr_ms", "after_ms"),
    ({"turns": [], "expect": {"outcome": "answered", "sya": "x"}}, r"bad: expect: unknown key",
     "sya", "say"),
])
def test_misspelled_keys_are_refused_by_name(tmp_path: Path, data: dict[str, object], where: str,
                                             key: str, near: str) -> None:
    with pytest.raises(FixtureError, match=rf"{where} '{key}' \(did you mean '{near}'\?\)") as err:
        load_fixture(write(tmp_path / "bad", data))
    assert str(tmp_path / "bad") in str(err.value) and "docs/fixtures.md" in str(err.value)


@pytest.mark.parametrize("data, message", [
    ({"turns": {"text": "hi"}}, "'turns' must be a list"),
    ({"turns": [], "expect": "answered"}, "'expect' must be an object"),
    ({"turns": [{"text": "hi", "after_ms": 5}]}, "'after_ms' belongs to a barge_in turn"),
    ({"turns": [{"silence": True, "doubtful": True}]}, "'doubtful' is true or false on a text"),
    ({"turns": [{"dtmf": "", "fill": "the password"}]}, r"turn 1: placeholder to fill in "
     r"\(the password\)"),
])
def test_malformed_fixtures_are_refused(tmp_path: Path, data: dict[str, object],
                                        message: str) -> None:
    with pytest.raises(FixtureError, match=message):
        load_fixture(write(tmp_path / "bad", data))


def test_notes_are_allowed_and_ignored(tmp_path: Path) -> None:
    fx = load_fixture(write(tmp_path / "n", {"note": "from call 3",
                                             "turns": [{"text": "hi", "note": "typed"}]}))
    assert fx.turns[0].value == "hi"
