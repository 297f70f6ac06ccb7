"""The hybrid's budget of phrase passes: fake engines inside the ASR layer, no models."""

from __future__ import annotations

import gc
from typing import Any, cast

from voicebot.asr.hybrid import HybridRecognizer, PhrasePasses
from voicebot.asr.types import AsrResult, Grammar

OPEN = Grammar("requests", ("check my case",), open=True)


class FakeStream:
    """Stands in for the pocketsphinx recognizer: counts what it was fed."""

    language = "en"
    sample_rate = 16000

    def __init__(self) -> None:
        self.grammar: Grammar | None = None
        self.fed = 0
        self.live_scoring = "none"

    def set_grammar(self, grammar: Grammar | None) -> None:
        self.grammar = grammar

    def accept(self, pcm: bytes) -> AsrResult | None:
        self.fed += len(pcm)
        return None

    def finish(self, score: bool = True) -> AsrResult:
        text = "check my case" if self.fed else ""
        self.fed = 0
        return AsrResult(text=text, is_final=True)


class FakeFinal:
    """Stands in for Whisper: always reads the same free text."""

    def __init__(self) -> None:
        self.grammar: Grammar | None = None

    def set_grammar(self, grammar: Grammar | None) -> None:
        self.grammar = grammar

    def accept(self, pcm: bytes) -> AsrResult | None:
        return None

    def discard(self) -> None:
        pass

    def finish(self) -> AsrResult:
        return AsrResult(text="check on my case", is_final=True)


def _rec(passes: PhrasePasses) -> tuple[HybridRecognizer, FakeStream]:
    stream = FakeStream()
    rec = HybridRecognizer(cast(Any, stream), cast(Any, FakeFinal()), passes=passes)
    rec.set_grammar(OPEN)
    return rec, stream


def test_utterances_past_the_budget_are_read_by_whisper_alone() -> None:
    passes = PhrasePasses(1)
    (a, sa), (b, sb) = _rec(passes), _rec(passes)
    a.accept(b"\0" * 320)
    b.accept(b"\0" * 320)  # a holds the only pass
    assert sa.fed and not sb.fed and passes.busy == 1
    first, second = a.finish(), b.finish()
    assert first.text == "check on my case" and first.alternatives == ("check my case",)
    assert second.text == "check on my case" and second.alternatives == ()
    assert passes.busy == 0
    b.accept(b"\0" * 320)  # the pass is free again
    assert sb.fed and passes.busy == 1
    b.finish()
    assert passes.busy == 0


def test_a_recognizer_dropped_mid_utterance_gives_its_pass_back() -> None:
    passes = PhrasePasses(1)
    a, _ = _rec(passes)
    a.accept(b"\0" * 320)
    assert passes.busy == 1
    del a
    gc.collect()
    assert passes.busy == 0


def test_no_limit_gives_every_utterance_the_pass() -> None:
    passes = PhrasePasses(None)
    recs = [_rec(passes) for _ in range(5)]
    for rec, _ in recs:
        rec.accept(b"\0" * 320)
    assert all(stream.fed for _, stream in recs) and passes.busy == 5
