"""The ``Line``: everything loaded once per process and shared by all calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker

from voicebot.asr.types import Grammar, Recognizer
from voicebot.audio.chunk import AudioChunk
from voicebot.nlu.types import Understanding
from voicebot.settings import Settings


class Understands(Protocol):
    """Understanding of one utterance (``voicebot.nlu.Understander``)."""

    def parse(self, text: str, language: str, *, expect: str | None = None) -> Understanding:
        """What the caller meant."""
        ...


class Knows(Protocol):
    """The procedural knowledge base (``voicebot.knowledge.base.KnowledgeBase``)."""

    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        """An answer to a consultation question, or None."""
        ...


class Speaks(Protocol):
    """Speech synthesis with a cache: text to PCM at the pipeline rate (blocking)."""

    def synthesize(self, text: str, language: str) -> AudioChunk:
        """The prompt as 16-bit mono audio at the pipeline rate."""
        ...


@dataclass(frozen=True)
class CourtInfo:
    """The court the line serves."""

    code: str
    """Court code, e.g. ``京0105``."""
    name: str
    """Name in Chinese."""
    name_en: str
    """Name in English."""


@dataclass(frozen=True)
class Line:
    """Settings, store and loaded engines, shared by every call in the process."""

    settings: Settings
    """The line's settings."""
    sessions: sessionmaker[Session]
    """Session factory of the case store."""
    court: CourtInfo
    """The home court."""
    understander: Understands
    """Understanding, loaded once."""
    knowledge: Knows
    """Knowledge base, loaded once."""
    synthesizer: Speaks | None = None
    """Speech synthesis (None: text only)."""
    recognizer_for: Callable[[str], Recognizer] | None = None
    """Makes a fresh recognizer for a language on the shared model (None: text only)."""
    grammar_for: Callable[[str, str], Grammar | None] | None = None
    """Grammar for a ``Listen.expect`` value and language (None: free decoding)."""
    default_language: str = "zh"
    """Greeting language: the setting, else Mandarin when a Mandarin model is installed."""
