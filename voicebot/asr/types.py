"""What recognition takes and gives; engines implement :class:`Recognizer`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol


class AsrError(RuntimeError):
    """Recognition failed; ``code`` is stable for logs and tests."""

    def __init__(self, message: str, code: str = "asr.failed") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Grammar:
    """Restricts recognition of one utterance to a set of phrases."""

    name: str
    """Stable name, e.g. ``digits``, ``yesno``, ``intents``."""
    phrases: tuple[str, ...]
    """Phrases (lower-case words separated by spaces) the caller may say."""
    repeat: bool = False
    """Whether the phrases may follow each other any number of times (digit strings)."""
    counts: tuple[int, int] | None = None
    """With ``repeat``: how many phrases in a row (min, max), where the engine can enforce it."""
    open: bool = False
    """Speech outside the phrases is decoded freely as well, and that text is taken when the
    phrases do not fit (vosk: a second, free recognizer on the same audio)."""
    digits: bool = False
    """The phrases are digit words making up a digit string (engines decode these their own
    way: Whisper's constrained digit search, the hybrid's Whisper final)."""


@dataclass(frozen=True)
class AsrWord:
    """One recognized word with timing."""

    word: str
    """The word as the engine spelled it."""
    start_s: float
    """Start time in the utterance, seconds."""
    end_s: float
    """End time in the utterance, seconds."""
    conf: float = 1.0
    """Engine confidence, 0..1."""


@dataclass(frozen=True)
class AsrResult:
    """A partial or final hypothesis for the current utterance."""

    text: str
    """Best hypothesis."""
    is_final: bool
    """True once the utterance is complete."""
    words: tuple[AsrWord, ...] = ()
    """Word timings and confidences where the engine gives them."""
    confidence: float = 1.0
    """Confidence of the best hypothesis, 0..1."""
    alternatives: tuple[str, ...] = field(default=())
    """Other hypotheses, best first (N-best), excluding ``text``."""
    doubtful: bool = False
    """The engine, on its own confidence scale, judges the best hypothesis likely wrong."""


class Recognizer(Protocol):
    """A streaming recognizer for one call; blocking, so run it off the event loop."""

    language: str
    sample_rate: int

    def set_grammar(self, grammar: Grammar | None) -> None:
        """Use ``grammar`` (or free decoding with None) from the next utterance on."""

    def accept(self, pcm: bytes) -> AsrResult | None:
        """Feed 16-bit mono PCM at ``sample_rate``; returns a partial result when there is one."""

    def finish(self) -> AsrResult:
        """End the utterance and return the final result; the recognizer is ready for the next."""
