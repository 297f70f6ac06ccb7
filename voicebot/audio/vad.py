"""Voice activity and endpointing: an energy detector over an adaptive noise floor, and a pure
state machine that turns its frame decisions into utterance events. No clock: time is samples."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import samples16
from voicebot.settings import Settings

EventKind = Literal[
    "speech_start", "barge_in", "end_of_utterance", "no_input", "max_speech", "pause", "resume"
]


@dataclass(frozen=True)
class VadParams:
    """Thresholds of the energy detector."""

    frame_ms: int = 10
    """Length of one decision frame."""
    floor_window_ms: int = 2000
    """The noise floor is the quietest frame level over this much recent audio."""
    on_db: float = 11.0
    """A frame is speech when it is this much above the noise floor..."""
    off_db: float = 7.0
    """...or this much while speech is already going on (hysteresis)."""
    min_level_dbfs: float = -50.0
    """Frames quieter than this are never speech, however quiet the line is."""
    floor_min_dbfs: float = -75.0
    """The floor never drops below this (digital silence)."""


@dataclass(frozen=True)
class VadFrame:
    """The detector's view of one frame."""

    speech: bool
    """Whether the frame holds speech."""
    level_dbfs: float
    """Mean-square level of the frame, dB below full scale."""
    floor_dbfs: float
    """Noise floor at that frame."""


class EnergyVad:
    """Decides, frame by frame, whether pipeline audio holds speech."""

    def __init__(self, rate: int = 16000, params: VadParams | None = None) -> None:
        self.rate = rate
        self.params = params or VadParams()
        self.frame = max(1, rate * self.params.frame_ms // 1000)
        self._rest = np.zeros(0, np.float64)
        self._history: deque[float] = deque(
            maxlen=max(1, self.params.floor_window_ms // self.params.frame_ms)
        )
        self._speaking = False
        self.floor_dbfs = self.params.floor_min_dbfs
        """Current noise floor estimate, dB below full scale."""

    @property
    def pending_samples(self) -> int:
        """Samples kept back until the next chunk completes their frame."""
        return len(self._rest)

    def frames(self, chunk: AudioChunk) -> list[VadFrame]:
        """Speech decisions for the whole frames completed by ``chunk`` (the rest is kept)."""
        if chunk.rate != self.rate:
            raise AudioError(
                f"VAD runs at {self.rate} Hz, got {chunk.rate} Hz", "audio.rate_changed"
            )
        x = np.concatenate([self._rest, samples16(chunk).astype(np.float64) / 32768.0])
        count = len(x) // self.frame
        self._rest = x[count * self.frame :]
        if count == 0:
            return []
        blocks = x[: count * self.frame].reshape(count, self.frame)
        blocks = blocks - blocks.mean(axis=1, keepdims=True)
        levels = 10 * np.log10(np.mean(blocks * blocks, axis=1) + 1e-12)
        return [self._decide(float(level)) for level in levels]

    def _decide(self, level: float) -> VadFrame:
        p = self.params
        self._history.append(level)
        self.floor_dbfs = max(min(self._history), p.floor_min_dbfs)
        margin = p.off_db if self._speaking else p.on_db
        self._speaking = level >= p.min_level_dbfs and level >= self.floor_dbfs + margin
        return VadFrame(self._speaking, level, self.floor_dbfs)


@dataclass(frozen=True)
class EndpointEvent:
    """Something the call loop must act on."""

    kind: EventKind
    """What happened; ``barge_in`` is speech during a prompt, ``max_speech`` an over-long turn,
    ``pause`` a silence of ``pause_ms`` within speech (the utterance may be over), ``resume``
    speech again after a pause."""
    at_ms: int
    """Stream time at which the event was decided."""
    speech_start_ms: int | None = None
    """Where the caller's speech began (all kinds but ``no_input``)."""
    speech_end_ms: int | None = None
    """Where the caller's speech ended (``end_of_utterance`` and ``max_speech``)."""


class Endpointer:
    """Turns a stream of pipeline chunks into speech start / end / no-input / barge-in events.

    Call :meth:`listen` when a turn begins (``prompt_playing=True`` while a prompt is still being
    spoken), :meth:`prompt_done` when the prompt ends, and :meth:`feed` with every chunk. After an
    end event it is idle (still tracking the noise floor) until the next :meth:`listen`.
    """

    def __init__(
        self,
        rate: int = 16000,
        *,
        silence_ms: int = 700,
        no_input_ms: int = 6000,
        min_speech_ms: int = 100,
        barge_in_ms: int = 200,
        max_speech_ms: int = 20000,
        onset_db: float = 4.0,
        pause_ms: int | None = None,
        vad: EnergyVad | None = None,
    ) -> None:
        """``pause_ms``: also report ``pause`` after this much silence within speech (shorter
        than ``silence_ms``; None: never), so a final result can be computed early."""
        self.vad = vad or EnergyVad(rate)
        self.rate = rate
        self.silence_ms = silence_ms
        self.no_input_ms = no_input_ms
        self.min_speech_ms = min_speech_ms
        self.barge_in_ms = barge_in_ms
        self.max_speech_ms = max_speech_ms
        self.onset_db = onset_db
        self.pause_ms = pause_ms if pause_ms is not None and pause_ms < silence_ms else None
        self._paused = False
        self._frame_ms = 1000 * self.vad.frame / rate
        self._samples = 0
        self._origin: int | None = None
        self.state: Literal["idle", "waiting", "speech"] = "idle"
        self._prompt = False
        self._wait_from = 0.0
        self._recent: deque[tuple[float, VadFrame]] = deque()
        self._lead: deque[tuple[float, VadFrame]] = deque(
            maxlen=max(1, round(500 / self._frame_ms))
        )
        self._speech_start = 0.0
        self._last_speech_end = 0.0

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Endpointer:
        """An endpointer at the pipeline rate with the silence and no-input times of the line."""
        args = {"silence_ms": settings.silence_ms, "no_input_ms": settings.no_input_ms,
                "pause_ms": settings.speculate_ms or None} | overrides
        return cls(settings.sample_rate, **args)

    @property
    def now_ms(self) -> int:
        """Stream time of the end of the audio fed so far."""
        return (self._origin or 0) + round(1000 * self._samples / self.rate)

    def listen(self, *, prompt_playing: bool = False) -> None:
        """Start waiting for the caller's next utterance from the current stream position."""
        self.state = "waiting"
        self._paused = False
        self._prompt = prompt_playing
        self._wait_from = self._pos_ms()
        self._recent.clear()
        self._lead.clear()

    def prompt_done(self) -> None:
        """The prompt finished playing: the no-input time counts from now."""
        if self._prompt:
            self._prompt = False
            self._wait_from = self._pos_ms()

    def _pos_ms(self) -> float:
        return 1000 * self._samples / self.rate

    def _stamp(self, ms: float) -> int:
        return (self._origin or 0) + round(ms)

    def feed(self, chunk: AudioChunk) -> list[EndpointEvent]:
        """Events decided by this chunk, in order."""
        if self._origin is None:
            self._origin = chunk.timestamp_ms
        events: list[EndpointEvent] = []
        frame_samples = self.vad.frame
        pending = self.vad.pending_samples
        decisions = self.vad.frames(chunk)
        start = self._samples - pending
        for i, frame in enumerate(decisions):
            begin = 1000 * (start + i * frame_samples) / self.rate
            event = self._step(begin, begin + self._frame_ms, frame)
            if event is not None:
                events.append(event)
        self._samples += chunk.samples
        return events

    def _step(self, begin: float, end: float, frame: VadFrame) -> EndpointEvent | None:
        if self.state == "idle":
            return None
        if self.state == "waiting":
            return self._waiting(begin, end, frame)
        if frame.speech:
            self._last_speech_end = end
        if end - self._speech_start >= self.max_speech_ms:
            return self._finish("max_speech", end)
        if end - self._last_speech_end >= self.silence_ms:
            return self._finish("end_of_utterance", end)
        if self.pause_ms is not None:
            if self._paused and frame.speech:
                self._paused = False
                return EndpointEvent("resume", self._stamp(end), self._stamp(self._speech_start))
            if not self._paused and end - self._last_speech_end >= self.pause_ms:
                self._paused = True
                return EndpointEvent("pause", self._stamp(end), self._stamp(self._speech_start))
        return None

    def _waiting(self, begin: float, end: float, frame: VadFrame) -> EndpointEvent | None:
        need = self.barge_in_ms if self._prompt else self.min_speech_ms
        self._recent.append((begin, frame))
        while self._recent and self._recent[0][0] <= end - need * 1.5:
            self._lead.append(self._recent.popleft())
        voiced = [b for b, f in self._recent if f.speech]
        if voiced and len(voiced) * self._frame_ms >= need:
            self.state = "speech"
            self._speech_start = self._onset(voiced[0])
            self._last_speech_end = end
            kind: EventKind = "barge_in" if self._prompt else "speech_start"
            self._prompt = False
            return EndpointEvent(kind, self._stamp(end), self._stamp(self._speech_start))
        if not self._prompt and end - self._wait_from >= self.no_input_ms:
            self.state = "idle"
            return EndpointEvent("no_input", self._stamp(end))
        return None

    def _onset(self, first_voiced: float) -> float:
        """Move the start back over quieter frames and short gaps that lead into the speech."""
        frames = [(b, f) for b, f in (*self._lead, *self._recent) if b < first_voiced]
        start, gap = first_voiced, 0.0
        quiet = self.vad.params.min_level_dbfs - 10
        for begin, frame in reversed(frames):
            if frame.level_dbfs >= max(frame.floor_dbfs + self.onset_db, quiet):
                start, gap = begin, 0.0
            else:
                gap += self._frame_ms
                if gap > 150:
                    break
        return start

    def _finish(self, kind: EventKind, end: float) -> EndpointEvent:
        self.state = "idle"
        return EndpointEvent(
            kind,
            self._stamp(end),
            self._stamp(self._speech_start),
            self._stamp(self._last_speech_end),
        )
