"""Grammars, their engine forms, and the validity checks on results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voicebot.asr.digits import best_digits, words_to_digits, yes_no_word
from voicebot.asr.grammars import (
    digits_grammar,
    filter_vocabulary,
    grammar_from_file,
    phrase_grammar,
    standard_grammar,
    to_jsgf,
    to_vosk_json,
    yesno_grammar,
)
from voicebot.asr.types import AsrError, AsrResult


def test_digit_grammars_cover_each_language() -> None:
    zh = digits_grammar("zh")
    assert zh.repeat and {"零", "一", "幺", "两", "九"} <= set(zh.phrases)
    en = digits_grammar("en")
    assert {"zero", "oh", "one", "nine"} <= set(en.phrases)
    with pytest.raises(AsrError) as exc:
        digits_grammar("fr")
    assert exc.value.code == "asr.grammar"


def test_jsgf_repeats_digits_and_enforces_counts() -> None:
    text = to_jsgf(digits_grammar("en"))
    assert "public <utt> = <item>+;" in text and "( seven )" in text
    counted = to_jsgf(digits_grammar("en", (4, 6)))
    assert "public <utt> = <item> <item> <item> <item> [<item>] [<item>];" in counted
    assert "public <utt> = <item>;" in to_jsgf(yesno_grammar("en"))
    with pytest.raises(AsrError):
        to_jsgf(phrase_grammar("bad", ["民事"]))


def test_vosk_json_is_a_phrase_list() -> None:
    phrases = json.loads(to_vosk_json(yesno_grammar("zh")))
    assert phrases[-1] == "[unk]" and "不是" in phrases
    assert "[unk]" not in json.loads(to_vosk_json(yesno_grammar("zh"), unk=False))


def test_filter_vocabulary_drops_unknown_phrases(caplog: pytest.LogCaptureFixture) -> None:
    g = phrase_grammar("intents", ["Check my case!", "hearing date", "zzyzx plugh"])
    assert g.phrases == ("check my case", "hearing date", "zzyzx plugh")
    vocab = {"check", "my", "case", "hearing", "date"}
    kept, dropped = filter_vocabulary(g, vocab.__contains__, "test")
    assert kept.phrases == ("check my case", "hearing date") and dropped == ["zzyzx plugh"]
    assert "zzyzx plugh" in caplog.text
    zh = yesno_grammar("zh")
    chars = {"是", "的", "对", "不"}
    fitted, dropped = filter_vocabulary(zh, chars.__contains__, "test", split_chars=True)
    assert {"是", "是 的", "对", "不是", "不对"} - set(fitted.phrases) == {"不是", "不对"}
    assert {"不 是", "不 对", "对 的"} <= set(fitted.phrases) and "没有" in dropped
    assert yes_no_word(AsrResult(text="不 对", is_final=True), "zh") == "no"
    with pytest.raises(AsrError) as exc:
        filter_vocabulary(g, lambda w: False, "test")
    assert exc.value.code == "asr.grammar_oov"


def test_grammar_file(tmp_path: Path) -> None:
    f = tmp_path / "courts.txt"
    f.write_text("# court names\n#repeat\nchaoyang court\n\nhaidian court\n", encoding="utf-8")
    g = grammar_from_file(f)
    assert g.name == "courts" and g.repeat and g.phrases == ("chaoyang court", "haidian court")
    assert standard_grammar(str(f), "en") == g
    assert standard_grammar("yesno", "en").name == "yesno"
    with pytest.raises(AsrError):
        grammar_from_file(tmp_path / "missing.txt")


def test_words_to_digits() -> None:
    assert words_to_digits("four oh seven one") == "4071"
    assert words_to_digits("一二三幺两零") == "123120"
    assert words_to_digits("一 二 三", "zh") == "123"
    assert words_to_digits("오 영 삼 사", "ko") == "5034"
    assert words_to_digits("four [unk] one") is None
    assert words_to_digits("") is None
    assert words_to_digits("619-3451") == "6193451"
    assert words_to_digits("Four, oh, 7 1.") == "4071"


def test_best_digits_takes_the_first_hypothesis_of_the_right_length() -> None:
    res = AsrResult(
        text="four zero seven one one",
        is_final=True,
        alternatives=("four zero seven", "four [unk] seven one", "four zero seven one"),
    )
    assert best_digits(res) == "40711"
    assert best_digits(res, 4) == "4071"
    assert best_digits(res, 3) == "407"
    assert best_digits(res, 6) is None
    assert best_digits(res, min_len=5, max_len=7) == "40711"
    assert best_digits(res, exclude={"40711"}) == "407"
    assert best_digits(res, 3, exclude={"407"}) is None


def test_yes_no() -> None:
    assert yes_no_word(AsrResult(text="yeah", is_final=True)) == "yes"
    assert yes_no_word(AsrResult(text="不对", is_final=True), "zh") == "no"
    assert yes_no_word(AsrResult(text="maybe", is_final=True, alternatives=("nope",))) == "no"
    assert yes_no_word(AsrResult(text="maybe", is_final=True)) is None


def test_unexplained_speech_and_fit_score() -> None:
    from voicebot.asr.sphinx_engine import fit_score, unexplained

    speech = [(10, 19), (30, 39)]  # 20 speech frames (inclusive spans)
    assert unexplained(speech, [(10, 19), (30, 39)]) == 0.0
    assert unexplained(speech, [(15, 34)]) == 0.5
    assert unexplained(speech, []) == 1.0
    assert unexplained([], [(0, 5)]) == 0.0
    assert fit_score(-3000, -1000, 100) == -20.0


def test_unknown_chinese_words_are_spelled_by_the_longest_known_words() -> None:
    lexicon = {"诉讼费", "诉", "费", "怎么", "怎", "么", "交", "我"}
    zh = phrase_grammar("fees", ["诉讼费怎么交", "我讼"])
    fitted, dropped = filter_vocabulary(zh, lexicon.__contains__, "test", split_chars=True)
    assert fitted.phrases == ("诉讼费 怎么 交",)  # "讼" alone is unknown: 我讼 cannot be spelled
    assert dropped == ["我讼"]


def test_open_grammars_put_the_free_reading_first_and_a_fitting_phrase_next() -> None:
    from voicebot.asr.vosk_engine import _open_result

    phrase = AsrResult("转 人工", True, alternatives=("转 [unk]",))
    free = AsrResult("我 想 找 个 真人 说话", True, alternatives=("我 想 找 个 人 说话",))
    assert _open_result(phrase, free) == AsrResult(
        "我 想 找 个 真人 说话", True, alternatives=("转 人工", "我 想 找 个 人 说话"))
    unk = AsrResult("我 要 [unk]", True, alternatives=("我 要 查 开庭 时间",))
    free = AsrResult("我 要 你 [unk] 人", True)
    got = _open_result(unk, free)  # a phrase reading with [unk] does not fit
    assert got.text == "我 要 你 人" and got.alternatives == ("我 要 查 开庭 时间",)
    got = _open_result(phrase, AsrResult("[unk]", True))  # nothing free: the phrase reading
    assert got.text == "转 人工" and got.alternatives == ()
    assert _open_result(AsrResult("", True), AsrResult("", True)).text == ""
    assert phrase_grammar("x", ["a"], open=True).open and not phrase_grammar("x", ["a"]).open


def test_digit_grammars_are_typed_not_named() -> None:
    from voicebot.asr.grammars import digits_grammar, phrase_grammar, yesno_grammar
    from voicebot.call.grammars import grammar_for

    assert digits_grammar("en").digits and not yesno_grammar("en").digits
    assert not phrase_grammar("digits", ["one", "two"]).digits  # a name alone decides nothing
    for lang in ("en", "zh"):
        for expect in ("password", "phone", "digits"):
            g = grammar_for(expect, lang)
            assert g is not None and g.digits
        g = grammar_for("yesno", lang)
        assert g is None or not g.digits


def test_scoring_counts_edits_over_reference_tokens() -> None:
    from voicebot.asr.scoring import edit_distance, error_rate

    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance([], ["a"]) == 1 and edit_distance(["a", "b"], ["a", "b"]) == 0
    assert error_rate([(["a", "b"], ["a"]), (["c", "d"], ["c", "x"])]) == 0.5
    assert error_rate([]) == 0.0
