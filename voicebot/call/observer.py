"""Per-call timings: one observer per call collects what each caller turn cost.

A turn's clock starts when the caller's input ended (``heard``); stages add their time while a
turn is open (``stage``); the first bot audio after it fixes the turn's latency (``spoken``);
``close_turn`` hands back the latency and the stage figures and starts afresh.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from voicebot.call.ports import Spoken


class CallObserver:
    """Timings of one call's turns (not shared between calls)."""

    def __init__(self) -> None:
        self._heard_at: float | None = None
        self._latency_ms: int | None = None
        self._timings: dict[str, float] = {}
        self.turns: list[dict[str, float]] = []
        """Per caller turn: milliseconds per stage and ``total`` (the turn's latency)."""

    @property
    def in_turn(self) -> bool:
        """Whether a caller turn is being answered."""
        return self._heard_at is not None

    @property
    def latency_ms(self) -> int | None:
        """End of the caller's input -> first bot audio, once known."""
        return self._latency_ms

    def heard(self, ended_at: float, timings: dict[str, float]) -> None:
        """The caller's input ended at ``ended_at`` (``time.perf_counter()``)."""
        self._heard_at = ended_at or time.perf_counter()
        self._timings = dict(timings)

    def add(self, stage: str, ms: float) -> None:
        """``ms`` more spent in ``stage`` on the open turn."""
        if self._heard_at is not None:
            self._timings[stage] = self._timings.get(stage, 0.0) + ms

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block as part of ``name``."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, 1000 * (time.perf_counter() - t0))

    def spoken(self, spoken: Spoken) -> None:
        """A prompt went out: the first one after the input sets the latency."""
        if self._heard_at is None or self._latency_ms is not None:
            return
        self.add("tts", spoken.tts_ms)
        if spoken.first_audio_at is not None:
            self._latency_ms = round(1000 * (spoken.first_audio_at - self._heard_at))

    def close_turn(self) -> int | None:
        """End the turn; its latency (None if it had no caller input or no answer)."""
        latency = self._latency_ms
        if self._heard_at is not None:
            total = latency if latency is not None else 0
            self.turns.append({**self._timings, "total": float(total)})
        self._heard_at, self._latency_ms, self._timings = None, None, {}
        return latency
