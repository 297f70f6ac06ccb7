"""What a replay notes per caller turn (the reading, its confidence and N-best) and where each
turn's bot audio starts, by wrapping the replay channel: the call loop and the channel itself
are untouched."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from voicebot.call.listening import ListenSpec
from voicebot.call.ports import CallerInput, Channel, Spoken
from voicebot.transport.media import CallInfo


@dataclass(frozen=True)
class HeardTurn:
    """How the line heard one caller turn (what the report shows beside the transcript)."""

    kind: str
    """``speech``, ``keys``, ``no_input`` or ``hung_up`` (``call.ports.INPUT_KINDS``)."""
    confidence: float | None
    """Recognizer confidence 0..1 for speech; None for keys and silence."""
    alternatives: tuple[str, ...]
    """Other readings, best first (empty for a secret answer: they could hold the password)."""
    doubtful: bool
    """The recognizer judged its reading likely wrong."""
    secret: bool
    """The line was listening for a secret (the query password): the reading is masked."""
    audio_mark: int
    """Number of bot audio chunks already played when the line started listening."""

    def to_json(self) -> dict[str, object]:
        """The ``asr`` object of a turn in the replay report."""
        out: dict[str, object] = {"input": self.kind}
        if self.kind == "speech":
            out.update(confidence=round(self.confidence, 3) if self.confidence is not None
                       else None, alternatives=list(self.alternatives), doubtful=self.doubtful)
        if self.secret:
            out["masked"] = True
        return out


@dataclass(frozen=True)
class Said:
    """One prompt the bot spoke."""

    turn: int
    """Index of the turn it belongs to in ``CallResult.turns`` (0: the greeting)."""
    text: str
    """What was said."""
    language: str
    """In which language."""


class ObservedChannel:
    """Passes everything to ``inner`` and notes each caller turn as the line heard it."""

    def __init__(self, inner: Channel, audio_count: Callable[[], int]) -> None:
        self.inner = inner
        self._audio_count = audio_count
        self.heard: list[HeardTurn] = []
        self.said: list[Said] = []

    @property
    def info(self) -> CallInfo:
        """The inner channel's call."""
        return self.inner.info

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Speak through the inner channel."""
        self.said.append(Said(len(self.heard), text, language))
        return await self.inner.say(text, language, barge_in)

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """Hear through the inner channel and note the reading."""
        mark = self._audio_count()
        heard = await self.inner.hear(spec)
        speech = heard.kind == "speech"
        self.heard.append(HeardTurn(
            heard.kind, heard.confidence if speech else None,
            () if spec.secret else heard.alternatives, heard.doubtful, bool(spec.secret), mark))
        return heard

    async def close(self) -> None:
        """Close the inner channel."""
        await self.inner.close()

