"""Procedural knowledge base for ``consultation``: spaCy tokens, keyword phrases, topic prior."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

KB_PATH = Path(__file__).with_name("kb.json")
"""The bundled knowledge base (one file, both languages)."""

LANGUAGES = ("zh", "en")
"""Languages every entry is written in."""

TOPIC_BONUS = 1.5
"""Score added when the entry's topic is the one understanding gave."""

PHRASE_BONUS = 2.0
"""Score added per entry keyword found as a phrase in the question."""

QUESTION_BONUS = 4.0
"""Score added when one of the entry's questions occurs word for word in what was asked."""

COVERAGE_BONUS = 6.0
"""Score added in proportion to the share of the question's weight the entry covers."""

MIN_SCORE = 6.0
"""Below this the question is not answered (the caller is offered a person instead)."""

class KnowledgeError(RuntimeError):
    """The knowledge base cannot be read; ``code`` is stable for logs and tests."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


_CJK = re.compile(r"[\u4e00-\u9fff]")
_EXTRA_STOP = MappingProxyType({
    "zh": frozenset({"想", "要", "我想", "请问", "一下", "问", "问问", "咨询", "了解", "知道",
                     "你好", "您好", "麻烦", "告诉"}),
    "en": frozenset({"want", "ask", "like", "know", "tell", "please", "question", "something",
                     "wonder", "hello", "hi"}),
})
_ZH_STOP_CHARS = frozenset("我你您的了吗呢啊吧想请问")
_EN_SUFFIXES = ("ing", "ies", "es", "ed", "s")


@dataclass(frozen=True)
class KbText:
    """One language's side of an entry."""

    questions: tuple[str, ...]
    """Typical ways callers ask."""
    keywords: tuple[str, ...]
    """Phrases that point strongly at the entry."""
    answer: str
    """What the line says."""


@dataclass(frozen=True)
class KbEntry:
    """A question-and-answer entry."""

    id: str
    """Stable identifier."""
    topic: str
    """Topic name (``fees``, ``appeal``...), shared with ``Understanding.topic``."""
    texts: dict[str, KbText]
    """Text per language."""


@dataclass(frozen=True)
class KbMatch:
    """The best entry for a question."""

    entry: KbEntry
    """Matched entry."""
    score: float
    """Matching score (higher is better)."""
    answer: str
    """Answer in the asked language."""


@dataclass(frozen=True)
class _Index:
    """Per-language features of all entries."""

    features: tuple[frozenset[str], ...]
    """Feature set per entry (tokens and, for Mandarin, character bigrams)."""
    idf: dict[str, float]
    """Inverse document frequency per feature."""


class KnowledgeBase:
    """Loaded once per process; :meth:`answer` is a pure function of its arguments."""

    def __init__(self, entries: Sequence[KbEntry], nlp: dict[str, Any]) -> None:
        from spacy.matcher import PhraseMatcher

        self.entries = tuple(entries)
        self._nlp = nlp
        self._index: dict[str, _Index] = {}
        self._matchers: dict[str, Any] = {}
        for lang in LANGUAGES:
            feats = tuple(
                frozenset(
                    f
                    for text in (*e.texts[lang].questions, *e.texts[lang].keywords)
                    for f in self._features(text, lang)
                )
                for e in self.entries
            )
            df: Counter[str] = Counter(f for fs in feats for f in fs)
            n = len(self.entries)
            idf = {f: math.log((n + 1) / (c + 0.5)) for f, c in df.items()}
            self._index[lang] = _Index(feats, idf)
            matcher = PhraseMatcher(nlp[lang].vocab, attr="LOWER")
            for i, e in enumerate(self.entries):
                matcher.add(str(i), [nlp[lang].make_doc(k) for k in e.texts[lang].keywords])
                matcher.add(f"q{i}", [nlp[lang].make_doc(q) for q in e.texts[lang].questions])
            self._matchers[lang] = matcher

    @classmethod
    def load(cls, path: Path | None = None) -> KnowledgeBase:
        """Read the JSON file and build the spaCy pipelines (Mandarin segmented by jieba)."""
        import spacy

        nlp = {
            "zh": spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}}),
            "en": spacy.blank("en"),
        }
        return cls(read_entries(path or KB_PATH), nlp)

    @property
    def topics(self) -> tuple[str, ...]:
        """Topic names in file order, without repeats."""
        return tuple(dict.fromkeys(e.topic for e in self.entries))

    def search(self, text: str, language: str, topic: str | None = None) -> KbMatch | None:
        """The best entry for ``text`` in ``language``, or None if nothing fits well enough."""
        lang = language if language in LANGUAGES else "en"
        index = self._index[lang]
        query = set(self._features(text, lang))
        phrase_hits: Counter[int] = Counter()
        question_hits: set[int] = set()
        doc = self._nlp[lang].make_doc(text)
        for match_id, _start, _end in self._matchers[lang](doc):
            label = self._nlp[lang].vocab.strings[match_id]
            if label.startswith("q"):
                question_hits.add(int(label[1:]))
            else:
                phrase_hits[int(label)] += 1
        if lang == "zh":
            for i, e in enumerate(self.entries):
                extra = sum(1 for k in e.texts["zh"].keywords if k in text) - phrase_hits[i]
                phrase_hits[i] += max(extra, 0)
        total = sum(_weight(f, index.idf) for f in query if not f.startswith("~"))
        best: KbMatch | None = None
        for i, entry in enumerate(self.entries):
            shared = query & index.features[i]
            matched = sum(_weight(f, index.idf) for f in shared)
            covered = sum(_weight(f, index.idf) for f in shared if not f.startswith("~"))
            score = matched + (COVERAGE_BONUS * covered / total if total else 0.0)
            score += PHRASE_BONUS * min(phrase_hits[i], 2)
            if i in question_hits:
                score += QUESTION_BONUS
            if topic is not None and entry.topic == topic:
                score += TOPIC_BONUS
            if score < MIN_SCORE and entry.topic != topic:
                continue
            if best is None or score > best.score:
                best = KbMatch(entry, round(score, 3), entry.texts[lang].answer)
        return best

    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        """The answer text for the best entry, or None."""
        match = self.search(text, language, topic)
        return match.answer if match is not None else None

    def _features(self, text: str, lang: str) -> Iterable[str]:
        doc = self._nlp[lang].make_doc(text)
        for tok in doc:
            word = tok.lower_
            if tok.is_punct or tok.is_space or tok.is_stop or word in _EXTRA_STOP[lang]:
                continue
            if lang == "en":
                yield _stem(word)
            else:
                yield word
        if lang == "zh":
            chars = [c for c in text if _CJK.match(c)]
            stop = self._nlp[lang].Defaults.stop_words
            for a, b in itertools.pairwise(chars):
                if a + b not in stop and a not in _ZH_STOP_CHARS and b not in _ZH_STOP_CHARS:
                    yield f"~{a}{b}"


def _weight(feature: str, idf: dict[str, float]) -> float:
    """IDF weight (unseen features count as rare); character bigrams count half."""
    value = idf.get(feature, math.log(2 * len(idf) + 1) if idf else 1.0)
    return value * (0.5 if feature.startswith("~") else 1.0)


def _stem(word: str) -> str:
    """Crude English stem: one inflection off, then a final ``e`` (reduce / reduced -> reduc)."""
    for suffix in _EN_SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def read_entries(path: Path) -> tuple[KbEntry, ...]:
    """Parse and check the knowledge-base file."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        msg = f"cannot read knowledge base {path}: {exc}"
        raise KnowledgeError(msg, "dialog.kb_unreadable") from exc
    entries = []
    seen: set[str] = set()
    for item in raw:
        try:
            texts = {
                lang: KbText(
                    tuple(item[lang]["questions"]),
                    tuple(item[lang]["keywords"]),
                    item[lang]["answer"],
                )
                for lang in LANGUAGES
            }
            entry = KbEntry(item["id"], item["topic"], texts)
        except (KeyError, TypeError) as exc:
            msg = f"bad knowledge-base entry {item!r:.80}: {exc}"
            raise KnowledgeError(msg, "dialog.kb_invalid") from exc
        if entry.id in seen:
            raise KnowledgeError(f"duplicate knowledge-base id {entry.id}", "dialog.kb_invalid")
        seen.add(entry.id)
        entries.append(entry)
    return tuple(entries)


__all__ = [
    "KB_PATH",
    "KbEntry",
    "KbMatch",
    "KbText",
    "KnowledgeBase",
    "KnowledgeError",
    "read_entries",
]
