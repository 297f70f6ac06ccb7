"""One call's media between the pjsua2 clock thread and the asyncio loop: a ``MediaPort``.

Inbound 20 ms frames and keys go into an asyncio queue through ``call_soon_threadsafe`` (the
only way in from the stack's threads);
outbound audio waits in a frame queue that the conference bridge's clock drains every 20 ms,
so the bridge paces it. ``interrupt`` (barge-in) flushes what is queued.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import convert
from voicebot.sip.types import FRAME_BYTES, FRAME_MS, LINE_RATE, HangUpReason
from voicebot.transport.media import CallInfo, KeyPress, MediaEvent, RemoteHangUp

KEYS = frozenset("0123456789*#ABCD")
"""Keys a telephone-event can carry."""


@dataclass(frozen=True)
class PacingStats:
    """How evenly the bridge asked for outbound frames."""

    frames: int
    """Frames requested so far."""
    late: int
    """Requests that came more than 5 ms after their 20 ms slot."""
    jitter_ms: float
    """Mean absolute deviation of the gap between requests from 20 ms."""


class SipPlayback:
    """A playback in progress (maps onto the transport's ``Playing``)."""

    def __init__(self, media: SipMedia, done: asyncio.Future[bool]) -> None:
        self._media = media
        self._done = done

    def interrupt(self) -> None:
        """Stop playing now (barge-in); ``done`` then resolves to False."""
        self._media.flush()

    @property
    def done(self) -> asyncio.Future[bool]:
        """Resolves when playback is over: True if all was played, False if interrupted."""
        return self._done


class SipMedia:
    """One SIP call's media (a ``MediaPort``): ``events()`` in, ``play()`` out (paced by the
    bridge clock), ``hang_up``/``transfer`` control."""

    def __init__(
        self,
        info: CallInfo,
        loop: asyncio.AbstractEventLoop,
        control: Callable[[str, str], asyncio.Future[None]],
        *,
        peer: str = "",
    ) -> None:
        self._info = info
        self.peer = peer
        """Signalling source address ``IP:PORT``."""
        self.ended_reason: HangUpReason | None = None
        """Why the call ended, once it has."""
        self.transferred: asyncio.Future[int] | None = None
        """After ``transfer``: the final status the caller's side reported (200: the target
        answered; 4xx-6xx: it did not, or the caller cannot transfer)."""
        self._loop = loop
        self._control = control
        self._events: asyncio.Queue[MediaEvent] = asyncio.Queue()
        self._lock = threading.Lock()
        self._out: deque[tuple[bytes, asyncio.Future[bool] | None]] = deque()
        self._frames_in = 0
        self._ended = False
        self._last_req = 0.0
        self._req_frames = 0
        self._late = 0
        self._dev_sum = 0.0

    # ----- asyncio side -----
    @property
    def info(self) -> CallInfo:
        """Who is calling whom (caller as signalled; the call loop normalizes it)."""
        return self._info

    async def events(self) -> AsyncIterator[MediaEvent]:
        """The caller's audio, keys and hang-up, in order; ends after ``RemoteHangUp``."""
        while True:
            event = await self._events.get()
            yield event
            if isinstance(event, RemoteHangUp):
                return

    def play(self, chunks: Iterable[AudioChunk]) -> SipPlayback:
        """Queue ``chunks`` for the caller; the bridge clock sends one 20 ms frame per tick."""
        done: asyncio.Future[bool] = self._loop.create_future()
        pcm = b"".join(convert(c, LINE_RATE).audio for c in chunks)
        frames = [pcm[i : i + FRAME_BYTES] for i in range(0, len(pcm), FRAME_BYTES)]
        if frames and len(frames[-1]) < FRAME_BYTES:
            frames[-1] = frames[-1] + bytes(FRAME_BYTES - len(frames[-1]))
        if not frames or self._ended:
            done.set_result(not self._ended)
            return SipPlayback(self, done)
        with self._lock:
            for frame in frames[:-1]:
                self._out.append((frame, None))
            self._out.append((frames[-1], done))
        return SipPlayback(self, done)

    def flush(self) -> None:
        """Drop all queued outbound audio; pending playbacks resolve to False."""
        with self._lock:
            pending = [fut for _, fut in self._out if fut is not None]
            self._out.clear()
        for fut in pending:
            self._loop.call_soon_threadsafe(_resolve, fut, False)

    async def hang_up(self) -> None:
        """End the call from the line's side (BYE)."""
        if not self._ended:
            await self._control("hangup", "")

    async def transfer(self, target: str) -> None:
        """Hand the call to ``target`` with a REFER; ``transferred`` then tells how it went."""
        self.transferred = self._loop.create_future()
        await self._control("transfer", target)

    @property
    def pacing(self) -> PacingStats:
        """Outbound pacing so far (for scripts/bench_sip.py)."""
        n = max(self._req_frames - 1, 1)
        return PacingStats(self._req_frames, self._late, self._dev_sum / n)

    # ----- stack side (pjsua2 threads) -----
    def _put(self, event: MediaEvent) -> None:
        self._loop.call_soon_threadsafe(self._events.put_nowait, event)

    def frame_received(self, pcm: bytes) -> None:
        """A 20 ms inbound frame from the bridge."""
        if self._ended or not pcm:
            return
        chunk = AudioChunk(pcm, LINE_RATE, 2, 1, timestamp_ms=self._frames_in * FRAME_MS)
        self._frames_in += 1
        self._put(chunk)

    def frame_requested(self) -> bytes:
        """The next 20 ms outbound frame (silence when nothing is queued)."""
        now = time.monotonic()
        if self._last_req:
            gap_ms = 1000.0 * (now - self._last_req)
            self._dev_sum += abs(gap_ms - FRAME_MS)
            if gap_ms > FRAME_MS + 5:
                self._late += 1
        self._last_req = now
        self._req_frames += 1
        with self._lock:
            item = self._out.popleft() if self._out else None
        if item is None:
            return bytes(FRAME_BYTES)
        frame, fut = item
        if fut is not None:
            self._loop.call_soon_threadsafe(_resolve, fut, True)
        return frame

    def transfer_status(self, code: int, final: bool) -> None:
        """A NOTIFY about the REFER (pjsua2 thread): the call to the target rings or ended."""
        fut = self.transferred
        if fut is not None and (final or code >= 200):
            self._loop.call_soon_threadsafe(_resolve_int, fut, code)

    def key_pressed(self, key: str) -> None:
        """An RFC 4733 telephone-event."""
        if key.upper() in KEYS and not self._ended:
            self._put(KeyPress(key.upper(), self._frames_in * FRAME_MS))

    def ended(self, reason: HangUpReason) -> None:
        """The call is over; queued audio is dropped and the event stream ends."""
        if self._ended:
            return
        self._ended = True
        self.ended_reason = reason
        if self.transferred is not None:  # the caller went away: the REFER never got an answer
            self._loop.call_soon_threadsafe(_resolve_int, self.transferred, 487)
        self.flush()
        self._put(RemoteHangUp(reason.value))


def _resolve_int(fut: asyncio.Future[int], value: int) -> None:
    if not fut.done():
        fut.set_result(value)


def _resolve(fut: asyncio.Future[bool], value: bool) -> None:
    if not fut.done():
        fut.set_result(value)
