"""Endpointing on the call side: the VAD's own typed events, one detector per listen or prompt.

A :class:`TurnDetector` turns pipeline chunks into :class:`voicebot.audio.vad.EndpointEvent`s
(speech start with where the speech began, pause, resume, end of utterance, no input). The
factory makes one per turn, for a :class:`ListenMode`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Protocol

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.vad import Endpointer, EndpointEvent
from voicebot.settings import Settings


class ListenMode(StrEnum):
    """What a detector listens for."""

    LISTEN = "listen"
    """The caller's turn: start, pauses, end of utterance, or no input."""
    BARGE_IN = "barge_in"
    """Speech over a prompt (start only, after ``barge_in_ms``)."""
    DIGITS = "digits"
    """A digit string of known length, which ends at its hold once complete
    (:mod:`voicebot.call.turn_end`): the silence that ends it regardless is the longer
    ``digits_silence_ms``, so a caller who stops inside the number is not cut off."""


STARTS = frozenset({"speech_start", "barge_in"})
"""Event kinds that start an utterance."""
ENDS = frozenset({"end_of_utterance", "max_speech"})
"""Event kinds that end one."""
_RANK = ("end_of_utterance", "max_speech", "no_input", "speech_start", "barge_in", "resume",
         "pause")
"""Which event a chunk reports when it completes several (20 ms chunks, 10 ms frames)."""


class TurnDetector(Protocol):
    """Voice activity over one turn (``voicebot.audio.vad.Endpointer`` is one)."""

    def feed(self, chunk: AudioChunk) -> Sequence[EndpointEvent]:
        """Events decided by this chunk, in order."""
        ...


DetectorFactory = Callable[[ListenMode], TurnDetector]
"""Makes a detector for a turn (``"listen"`` and ``"barge_in"`` are accepted as strings)."""


_LEGACY = {"start": "speech_start", "end": "end_of_utterance", "no_input": "no_input",
           "pause": "pause", "resume": "resume"}
"""Event names of the earlier one-string-per-chunk detectors."""


def detect(detector: TurnDetector, chunk: AudioChunk, at_ms: float) -> EndpointEvent | None:
    """The event ``chunk`` (starting at ``at_ms``) stands for. A detector of the earlier shape,
    returning one name per chunk (``"start"``, ``"end"``...), still works: its speech starts at
    the chunk that reported it."""
    found: Sequence[EndpointEvent] | str | None = detector.feed(chunk)
    if found is None or isinstance(found, str):
        kind = _LEGACY.get(found or "")
        if kind is None:
            return None
        end = round(at_ms + chunk.duration_ms)
        return EndpointEvent(kind, end, None if kind == "no_input" else round(at_ms))  # type: ignore[arg-type]
    return dominant(found)


def dominant(events: Sequence[EndpointEvent]) -> EndpointEvent | None:
    """The one event a chunk stands for: an end over a start over a resume over a pause."""
    if not events:
        return None
    return min(events, key=lambda e: _RANK.index(e.kind))


def endpointer_factory(settings: Settings) -> DetectorFactory:
    """Detectors with the line's silence, no-input and early-final times."""

    def make(mode: ListenMode | str) -> TurnDetector:
        ep = (Endpointer.from_settings(settings, silence_ms=settings.digits_silence_ms)
              if mode == ListenMode.DIGITS else Endpointer.from_settings(settings))
        ep.listen(prompt_playing=mode == ListenMode.BARGE_IN)
        return ep

    return make
