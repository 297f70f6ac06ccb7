"""Synthesis with the real engines: pyttsx3 (espeak-ng driver) and the espeak-ng program."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from voicebot.audio.convert import convert, samples16
from voicebot.audio.vad import Endpointer
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.tts.engines import EspeakCliEngine, Pyttsx3Engine, TtsError, make_engine
from voicebot.tts.synth import PromptCache, Synthesizer, clear_cache
from voicebot.tts.verbalize import say_case_number

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]


def synth(
    tmp_path: Path, engine: str = "auto", rate: int = 16000, keep_all: bool = False
) -> Synthesizer:
    # the espeak-ng engines under test speak both languages (the neural voice: test_tts_neural.py)
    settings = DEFAULT_SETTINGS.replace(
        data_dir=tmp_path, tts_voice_zh=DEFAULT_SETTINGS.tts_fallback_voice_zh
    )
    s = Synthesizer.from_settings(settings, output_rate=rate, engine=engine)
    if keep_all:  # cache mechanics on any text, not only the line's fixed prompts
        s.keep = None
    return s


def speech_fraction(x: np.ndarray, rate: int) -> float:
    frames = x[: len(x) // (rate // 100) * (rate // 100)].reshape(-1, rate // 100)
    return float(np.mean(np.sqrt(np.mean(np.square(frames / 32768.0), axis=1)) > 0.01))


@pytest.mark.parametrize("engine", ["pyttsx3", "espeak-ng"])
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh", "您好，这里是一二三六八诉讼服务热线。"),
        ("en", "Hello, this is the court service line."),
    ],
)
def test_each_engine_speaks_each_language(
    tmp_path: Path, engine: str, language: str, text: str
) -> None:
    s = synth(tmp_path, engine, rate=8000)
    audio = s.synthesize(text, language)
    assert s.engine_name == engine
    assert audio.is_pipeline and audio.rate == 8000
    assert 1200 < audio.duration_ms < 6000
    x = samples16(audio)
    assert np.max(np.abs(x)) > 3000
    assert 0.4 < speech_fraction(x, 8000) < 0.98


def test_rate_setting_changes_the_speed(tmp_path: Path) -> None:
    text = "Please say your case number after the tone."
    slow = Synthesizer({"en": "en-us"}, rate_wpm=110).synthesize(text, "en")
    fast = Synthesizer({"en": "en-us"}, rate_wpm=240).synthesize(text, "en")
    assert slow.duration_ms > 1.5 * fast.duration_ms


def test_the_two_voices_differ_and_mandarin_is_not_read_as_letters(tmp_path: Path) -> None:
    s = synth(tmp_path)
    zh = s.speak_as_is("案号", "zh")
    en_reading = s.speak_as_is("案号", "en")  # the English voice spells out unknown characters
    assert zh.duration_ms < 2000
    assert zh.audio != en_reading.audio


def test_chinese_inside_an_english_prompt_gets_the_mandarin_voice(tmp_path: Path) -> None:
    s = synth(tmp_path)
    mixed = s.synthesize("For Mandarin, 普通话服务请按8.", "en")
    parts = [s.speak_as_is("For Mandarin,", "en"), s.speak_as_is("普通话服务请按8.", "zh")]
    assert mixed.audio == b"".join(convert(p, 16000).audio for p in parts)


def test_case_numbers_are_read_digit_by_digit(tmp_path: Path) -> None:
    s = synth(tmp_path)
    written = s.synthesize("案号（2024）京0105民初12345号", "zh")
    spelled = s.speak_as_is("案号" + say_case_number("（2024）京0105民初12345号", "zh"), "zh")
    assert written.audio == convert(spelled, 16000).audio


def test_cache_makes_the_second_call_fast_and_identical(tmp_path: Path) -> None:
    s = synth(tmp_path)
    text = "请问有什么可以帮您？"  # a fixed prompt: the only kind that is cached
    started = time.perf_counter()
    first = s.synthesize(text, "zh")
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    second = s.synthesize(text, "zh")
    second_s = time.perf_counter() - started
    assert (s.cache_misses, s.cache_hits) == (1, 0)  # the second came from memory
    assert second is first
    assert second_s < first_s
    files = list((tmp_path / "tts-cache").glob("*/*.wav"))
    assert len(files) == 1
    # a new synthesizer (a new process) finds it too, and another rate is a different key
    again = synth(tmp_path)
    assert again.synthesize(text, "zh") == first and again.cache_hits == 1
    other = Synthesizer.from_settings(DEFAULT_SETTINGS.replace(data_dir=tmp_path, tts_rate=200))
    other.synthesize(text, "zh")
    assert other.cache_misses == 1
    assert clear_cache(tmp_path / "tts-cache") == 2


def test_prompts_with_case_data_are_never_cached_and_files_are_owner_only(tmp_path: Path) -> None:
    s = synth(tmp_path)
    case = say_case_number("（2024）京0105民初12345号", "zh")
    secret = s.synthesize(f"您说的案号是{case}，对吗？正确请按1，不对请按2。", "zh")
    again = s.synthesize(f"您说的案号是{case}，对吗？正确请按1，不对请按2。", "zh")
    assert again == secret and again is not secret  # rendered afresh, not kept in memory
    files = list((tmp_path / "tts-cache").glob("*/*.wav"))
    assert len(files) == 1  # only the fixed sentence "正确请按1，不对请按2。"
    assert s.synthesize("正确请按1，不对请按2。", "zh").audio in secret.audio
    for path in [*files, *(tmp_path / "tts-cache").iterdir(), tmp_path / "tts-cache"]:
        assert path.stat().st_mode & 0o077 == 0, path


def test_a_corrupt_cache_entry_is_replaced(tmp_path: Path) -> None:
    s = synth(tmp_path)
    good = s.synthesize("Thank you for calling.", "en")
    cache = PromptCache(tmp_path / "tts-cache")
    path = cache.path("Thank you for calling.", "en-us", DEFAULT_SETTINGS.tts_rate)
    path.write_bytes(b"RIFF\0\0")
    again = synth(tmp_path).synthesize("Thank you for calling.", "en")
    assert again.samples == pytest.approx(good.samples, rel=0.05)
    assert path.stat().st_size > 1000


def test_synthesized_speech_is_found_by_the_endpointer(tmp_path: Path) -> None:
    audio = synth(tmp_path).synthesize("我想查询案件进度。", "zh")
    silence = np.zeros(16000, np.int16)
    x = np.concatenate([silence, samples16(audio), silence])
    from voicebot.audio.convert import pcm16

    ep = Endpointer(16000, silence_ms=500)
    ep.listen()
    events = ep.feed(pcm16(x, 16000))
    assert [e.kind for e in events] == ["speech_start", "end_of_utterance"]


async def test_concurrent_calls_from_threads_are_serialized(tmp_path: Path) -> None:
    s = Synthesizer({"zh": "cmn-latn-pinyin", "en": "en-us"}, engine="pyttsx3")
    texts = [(f"number {i}", "en") if i % 2 else (f"第{i}号", "zh") for i in range(8)]
    results = await asyncio.gather(*(asyncio.to_thread(s.synthesize, t, lang) for t, lang in texts))
    assert all(r.duration_ms > 300 for r in results)
    assert len({r.audio for r in results}) == len(texts)


def test_errors_are_clear(tmp_path: Path) -> None:
    s = synth(tmp_path)
    with pytest.raises(TtsError) as err:
        s.synthesize("   ", "en")
    assert err.value.code == "tts.empty_text"
    with pytest.raises(TtsError) as err:
        s.synthesize("hello", "ko")
    assert err.value.code == "tts.language"
    for engine in ("pyttsx3", "espeak-ng"):
        bad = Synthesizer({"en": "no-such-voice"}, engine=engine)
        with pytest.raises(TtsError) as err:
            bad.synthesize("hello", "en")
        assert err.value.code == "tts.voice_missing", engine
    with pytest.raises(TtsError) as err:
        make_engine("festival")
    assert err.value.code == "tts.engine_unknown"
    with pytest.raises(TtsError) as err:
        EspeakCliEngine("no-such-espeak-program")
    assert err.value.code == "tts.engine_unavailable"


def test_pyttsx3_voice_names_resolve_like_the_program() -> None:
    engine = Pyttsx3Engine()
    assert engine.resolve_voice("en-us") == "en-us"
    assert engine.resolve_voice("gmw/en-us") == "en-us"
    assert engine.resolve_voice("en-gb") == "en"  # a language, served by the voice file gmw/en
    assert engine.resolve_voice("cmn-latn-pinyin") == "cmn-latn-pinyin"
    program = EspeakCliEngine()
    for name in ("en-us", "en-gb", "gmw/en-US", "en-us+f3", "cmn-latn-pinyin", "zh"):
        program.check_voice(name)


def test_auto_uses_the_program_whose_output_is_deterministic(tmp_path: Path) -> None:
    s = Synthesizer({"en": "en-us", "zh": "cmn-latn-pinyin"})
    assert s.engine_name == "espeak-ng"
    first = [s.synthesize(t, lang) for t, lang in (("number seven", "en"), ("第七号", "zh"))] * 2
    again = [s.synthesize(t, lang) for t, lang in (("number seven", "en"), ("第七号", "zh"))] * 2
    assert first == again


async def test_many_threads_filling_the_cache_at_once(tmp_path: Path) -> None:
    s = synth(tmp_path, keep_all=True)
    texts = ["请稍候", "Please hold", "请稍候", "Please hold"] * 4
    langs = ["zh", "en"] * 8
    results = await asyncio.gather(
        *(asyncio.to_thread(s.synthesize, t, lang) for t, lang in zip(texts, langs, strict=True))
    )
    assert len({r.audio for r in results}) == 2
    assert len(list((tmp_path / "tts-cache").glob("*/*.wav"))) == 2
    assert not list((tmp_path / "tts-cache").glob("*/.*.tmp"))


def test_finished_prompts_in_memory_are_bounded(tmp_path: Path) -> None:
    texts = [f"Your work order number is {n}." for n in ("1234", "5678", "9012", "3456")]
    largest = max(len(synth(tmp_path, keep_all=True).synthesize(t, "en").audio) for t in texts)
    s = synth(tmp_path, keep_all=True)
    s.memory_bytes = largest * 5 // 2  # room for two of them
    first = [s.synthesize(t, "en") for t in texts]
    assert s.cache_hits == 4  # from disk, then kept in memory
    assert s.synthesize(texts[-1], "en") is first[-1]
    assert s.cache_hits == 4
    again = s.synthesize(texts[0], "en")  # dropped from memory: read from the disk cache again
    assert again == first[0] and again is not first[0] and s.cache_hits == 5
