"""What the call loop needs from the caller's side of the line: a channel to hear and speak."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from voicebot.call.listening import ListenSpec
from voicebot.transport.media import CallInfo


class InputKind(StrEnum):
    """What the caller did after the bot started listening."""

    SPEECH = "speech"
    """Spoke (``text`` holds the reading)."""
    KEYS = "keys"
    """Keyed an entry (``keys``)."""
    NO_INPUT = "no_input"
    """Said nothing within the no-input time."""
    HUNG_UP = "hung_up"
    """Ended the call."""


INPUT_KINDS = tuple(InputKind)
"""Values of :attr:`CallerInput.kind`."""


@dataclass(frozen=True)
class CallerInput:
    """What the caller did after the bot started listening."""

    kind: InputKind
    """What the caller did."""
    text: str = ""
    """Transcript (``speech``)."""
    keys: str = ""
    """Keys pressed (``keys``), e.g. ``482913#``."""
    alternatives: tuple[str, ...] = ()
    """Other recognizer hypotheses, best first."""
    confidence: float = 1.0
    """Recognizer confidence, 0..1."""
    doubtful: bool = False
    """The recognizer judged its reading likely wrong (see ``AsrResult.doubtful``)."""
    pcm: bytes = b""
    """The caller's audio of this turn (16-bit mono at the pipeline rate), if any."""
    rate: int = 16000
    """Rate of ``pcm``."""
    ended_at: float = 0.0
    """``time.perf_counter()`` when the end of the utterance (or the last key) was detected."""
    timings: dict[str, float] = field(default_factory=dict)
    """Milliseconds spent per stage on this input (``endpoint``, ``asr``)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", InputKind(self.kind))  # "keys" -> InputKind.KEYS


@dataclass(frozen=True)
class Spoken:
    """How a prompt went out."""

    barged_in: bool = False
    """True if the caller interrupted it (playback stopped)."""
    first_audio_at: float | None = None
    """``time.perf_counter()`` when its first audio sample (or text) reached the caller."""
    tts_ms: float = 0.0
    """Milliseconds spent synthesizing before the first sample."""


class Channel(Protocol):
    """The caller's side as the loop drives it: ``AudioChannel`` on a media port (SIP,
    microphone, replay), ``TextChannel`` on a text port."""

    @property
    def info(self) -> CallInfo:
        """Who is calling whom, from the transport (caller id, and its kind as the channel)."""
        ...

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Speak ``text`` to the caller; returns once it has played or was interrupted."""
        ...

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """Wait for the caller's next utterance, keys, silence timeout or hang-up."""
        ...

    async def close(self) -> None:
        """Release devices and recognizers."""
        ...
