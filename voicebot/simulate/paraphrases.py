"""The paraphrase set (``tests/paraphrases/*.jsonl``, issue 12.6) read aloud or as text, scored
end to end: audio -> free decoding -> intent classifier, audio -> the request prompt's open
reading -> the reading the line acts on, and text -> classifier."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from voicebot.asr.types import AsrResult, Grammar, Recognizer
from voicebot.audio.convert import to_pipeline
from voicebot.call.hypotheses import acted_reading
from voicebot.call.listening import ListenSpec
from voicebot.nlu.types import NluHint, Understanding
from voicebot.simulate.goals import EN_VOICES, ZH_VOICES, Condition
from voicebot.simulate.voice import CallerVoice

SET_DIR = Path(__file__).resolve().parents[2] / "tests" / "paraphrases"
"""Where the set lives in a checkout."""

SetName = Literal["main", "blind"]
"""``main``: the set the line's wording work looked at (``{lang}.jsonl``); ``blind``: requests
written by someone who saw neither the training data nor the main set (``blind_{lang}.jsonl``),
kept as a judge: nothing is tuned on its errors."""


@dataclass(frozen=True)
class Paraphrase:
    """One request of the set."""

    text: str
    """What the caller says."""
    intent: str
    """The intent it expresses."""
    style: str
    """polite, terse, rambling, filler, case_inline, regional or plain; the blind set adds
    indirect (the intent implied) and asr_like (lower case, no punctuation)."""


@dataclass(frozen=True)
class Scored:
    """One request run through recognition (or not) and the classifier."""

    item: Paraphrase
    """The request."""
    heard: str
    """The transcript classified (the text itself in text mode)."""
    intent: str
    """The classifier's intent."""

    @property
    def correct(self) -> bool:
        """Whether the intent is the request's."""
        return self.intent == self.item.intent


class Classifies(Protocol):
    """The understander's intent classifier."""

    def intent(self, text: str, language: str) -> tuple[str, float]:
        """Intent and confidence."""
        ...


def load_set(language: str, folder: Path = SET_DIR, name: SetName = "main") -> list[Paraphrase]:
    """The set ``name`` in ``language``."""
    path = folder / (f"{language}.jsonl" if name == "main" else f"blind_{language}.jsonl")
    return [Paraphrase(**json.loads(x)) for x in path.read_text("utf-8").splitlines() if x]


def voices(language: str) -> tuple[str, ...]:
    """The voices the set is read in (rotating over the items)."""
    return ZH_VOICES if language == "zh" else EN_VOICES


def score_text(items: Sequence[Paraphrase], language: str, nlu: Classifies) -> list[Scored]:
    """Text-only: the classifier on the written request."""
    return [Scored(p, p.text, nlu.intent(p.text, language)[0]) for p in items]


def _heard(items: Sequence[Paraphrase], language: str, condition: Condition, rec: Recognizer,
           voice: CallerVoice, grammar: Grammar | None,
           names: Sequence[str]) -> Iterator[tuple[Paraphrase, AsrResult]]:
    """Each request spoken (``names`` or the language's voices rotating) in ``condition`` and
    decoded with ``grammar`` (None: free decoding)."""
    names = names or voices(language)
    for k, p in enumerate(items):
        audio = to_pipeline(voice.speak(p.text, names[k % len(names)], condition))
        rec.set_grammar(grammar)
        rec.accept(audio.audio)
        yield p, rec.finish()


def score_audio(items: Sequence[Paraphrase], language: str, condition: Condition, nlu: Classifies,
                rec: Recognizer, voice: CallerVoice,
                names: Sequence[str] = ()) -> list[Scored]:
    """Each request spoken in ``condition``, decoded freely, classified."""
    return [Scored(p, r.text, nlu.intent(r.text, language)[0] if r.text.strip() else "")
            for p, r in _heard(items, language, condition, rec, voice, None, names)]


class Understands(Protocol):
    """The line's understander."""

    def parse(self, text: str, language: str, *,
              expect: NluHint | str | None = None) -> Understanding:
        """What the caller meant."""
        ...


def score_prompt(items: Sequence[Paraphrase], language: str, condition: Condition,
                 nlu: Understands, rec: Recognizer, voice: CallerVoice, grammar: Grammar,
                 names: Sequence[str] = ()) -> list[Scored]:
    """Each request said at the line's request prompt: decoded with its open phrase list
    (``grammar``), the free reading and the list's understood, and the one the line acts on
    (:func:`voicebot.call.hypotheses.acted_reading`) scored."""
    spec = ListenSpec(language, grammar, NluHint.INTENT, alternatives=1)
    out: list[Scored] = []
    for p, result in _heard(items, language, condition, rec, voice, grammar, names):
        readings = [result.text, *result.alternatives[:1]]
        understood = [nlu.parse(t, language, expect=NluHint.INTENT) for t in readings]
        pick, _ = acted_reading(understood, spec)
        heard = readings[pick]
        out.append(Scored(p, heard, understood[pick].intent if heard.strip() else ""))
    return out


def accuracy(scored: Sequence[Scored]) -> float:
    """Share of requests classified right."""
    return sum(s.correct for s in scored) / len(scored) if scored else 0.0
