"""Recognition of one utterance, finished early at a pause and redone if the caller goes on.

At a ``pause`` the recognizer finishes what it has (in a worker thread) while the endpointer
waits out the rest of the silence; a ``resume`` voids that guess and the utterance is fed
afresh. After :data:`MAX_EARLY_REDOS` voided guesses the utterance waits for its end.
"""

from __future__ import annotations

import asyncio
import logging
import time

from voicebot.asr.types import AsrResult, Recognizer
from voicebot.call.errors import AsrStageError

log = logging.getLogger(__name__)

ASR_BATCH_BYTES = 3200
"""Audio handed to the recognizer per worker-thread hop (100 ms at 16 kHz)."""
MAX_EARLY_REDOS = 2
"""Early finals voided by the caller going on, after which an utterance (a long message with
pauses) waits for its end: each one cost a decode of the utterance so far."""
DIGIT_REDOS = 8
"""The same for a digit string of known length: callers leave gaps between digits longer
than ``speculate_ms``, and only the final at the last gap can end the string at its hold
(a six-digit string is short, so each decode is cheap)."""


def _drop_result(task: asyncio.Task[AsrResult]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.info("recognition of speech the caller keyed over failed: %s", task.exception())


class EarlyFinal:
    """Feeds one utterance to ``rec`` in batches and finishes it, early where it can."""

    def __init__(self, rec: Recognizer, max_redos: int = MAX_EARLY_REDOS) -> None:
        self._rec = rec
        self._max_redos = max_redos
        self._batch = bytearray()
        self._early: asyncio.Task[AsrResult] | None = None
        self.redone = 0
        """Early finals voided so far."""
        self.stream_ms = 0.0
        """Milliseconds spent feeding audio."""

    @property
    def early(self) -> bool:
        """Whether a final was started at a pause and still stands."""
        return self._early is not None

    def ready(self) -> AsrResult | None:
        """The early final, once it has finished without error (None before, or if it
        failed: :meth:`result` raises that)."""
        task = self._early
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    def add(self, pcm: bytes) -> None:
        """More of the utterance (held back while an early final runs)."""
        if self._early is None:
            self._batch += pcm

    async def flush_full(self) -> None:
        """Hand the recognizer a full batch, if there is one."""
        if self._early is None and len(self._batch) >= ASR_BATCH_BYTES:
            await self._accept()

    async def pause(self) -> None:
        """The caller may be done: start the final now."""
        if self._early is not None or self.redone >= self._max_redos:
            return
        if self._batch:
            await self._accept()
        self._early = asyncio.create_task(self._finish())

    async def resume(self, utterance: bytes) -> None:
        """The caller went on: the guess is void, the whole ``utterance`` is fed afresh."""
        if self._early is None:
            return
        await self._early
        self._early, self.redone = None, self.redone + 1
        self._batch = bytearray(utterance)

    async def result(self) -> AsrResult:
        """The final reading of the utterance."""
        if self._early is not None:
            return await self._early
        if self._batch:
            await self._accept()
        return await self._finish()

    def abandon(self) -> None:
        """Keys won over the speech: nobody waits for an early final."""
        if self._early is not None:
            self._early.add_done_callback(_drop_result)

    async def _accept(self) -> None:
        pcm = bytes(self._batch)
        self._batch.clear()
        t0 = time.perf_counter()
        try:
            await asyncio.to_thread(self._rec.accept, pcm)
        except Exception as exc:
            raise AsrStageError(f"recognizer failed: {exc}", getattr(exc, "code", None)) from exc
        self.stream_ms += 1000 * (time.perf_counter() - t0)

    async def _finish(self) -> AsrResult:
        try:
            # Speech outside a grammar comes back as an empty final from the engine itself.
            return await asyncio.to_thread(self._rec.finish)
        except Exception as exc:
            raise AsrStageError(f"recognizer failed: {exc}", getattr(exc, "code", None)) from exc
