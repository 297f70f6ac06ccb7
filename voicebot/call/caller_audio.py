"""The caller's incoming side of an audio call: a port's events -> 20 ms pipeline chunks + keys.

One :class:`CallerAudio` per call is the input stream the listening and the speaking side share:
each :meth:`CallerAudio.next` gives the next chunk with the keys that came with it (out of band
from the transport, or in band through the DTMF detector). What one side read but belongs to the
other (the speech that interrupted a prompt) goes back with :meth:`CallerAudio.unread`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import Rechunker, StreamConverter
from voicebot.audio.dtmf import DtmfDetector
from voicebot.call.errors import AudioStageError
from voicebot.transport.media import KeyPress, MediaEvent, RemoteHangUp

CHUNK_MS = 20
"""Size of the pieces every stage gets."""

CallerSource = AsyncIterator[AudioChunk] | AsyncIterator[MediaEvent]
"""Caller audio, or a transport's media events."""


@dataclass(frozen=True)
class Incoming:
    """One piece of the caller's side."""

    chunk: AudioChunk
    """20 ms of pipeline audio (empty when a key came alone)."""
    keys: str = ""
    """Keys that arrived with it (out of band, then found in band), ``""`` for none."""
    tone: bool = False
    """Whether an in-band key's tone sounds in it: keypad audio, not speech (so a ``#`` that
    only confirmed an entry, and is swallowed, is not heard as speech either)."""


class CallerAudio:
    """Pulls the caller's audio in pipeline format; None from :meth:`next` once hung up."""

    def __init__(self, source: CallerSource, rate: int) -> None:
        self._source = source
        self._rate = rate
        self._conv = StreamConverter(rate)
        self._rechunk = Rechunker(rate, CHUNK_MS)
        self._dtmf = DtmfDetector(rate)
        self._ready: deque[AudioChunk] = deque()
        self._unread: deque[Incoming] = deque()
        self._reading: asyncio.Task[Incoming | None] | None = None
        self._keys = ""
        self._eof = False
        self._swallow_hash = False

    def unread(self, items: Iterable[Incoming]) -> None:
        """Put ``items`` back: the next reads give them first (no second key detection)."""
        self._unread.extendleft(reversed(list(items)))

    def swallow_next_hash(self) -> None:
        """An entry was complete at its last digit: a ``#`` pressed next only confirms it."""
        self._swallow_hash = True

    async def next(self) -> Incoming | None:
        """The next 20 ms of caller audio with its keys; None once the caller hung up."""
        if self._unread:
            return self._unread.popleft()
        if self._reading is not None:
            reading, self._reading = self._reading, None
            return await reading
        return await self._read()

    async def next_or(self, other: asyncio.Future[Any]) -> Incoming | bool | None:
        """The next piece, or False if ``other`` is done first (the read is kept for later)."""
        if self._unread:
            return self._unread.popleft()
        reading = self._reading or asyncio.ensure_future(self._read())
        self._reading = None
        either: set[asyncio.Future[Any]] = {reading, other}
        await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        if not reading.done():
            self._reading = reading  # the next reader takes it up: nothing is lost
            return False
        return reading.result()

    async def _read(self) -> Incoming | None:
        chunk = await self._chunk()
        if chunk is None:
            return None
        keys, self._keys = self._keys, ""
        in_band = "".join(d.digit for d in self._dtmf.feed(chunk))
        keys += in_band
        if keys and self._swallow_hash:
            self._swallow_hash = False
            if keys.startswith("#"):
                keys = keys[1:]
        return Incoming(chunk, keys, tone=bool(in_band) or self._dtmf.in_tone)

    async def _chunk(self) -> AudioChunk | None:
        while not self._ready:
            if self._eof:
                return None
            try:
                raw = await anext(self._source)
            except StopAsyncIteration:
                raw = RemoteHangUp("end of stream")
            except Exception as exc:
                raise AudioStageError(f"audio source failed: {exc}",
                                      getattr(exc, "code", None)) from exc
            if isinstance(raw, RemoteHangUp):
                self._eof = True
                self._ready.extend(self._rechunk.flush())
                continue
            if isinstance(raw, KeyPress):
                self._keys += raw.key
                if not self._ready:  # a key alone still moves the listener on
                    self._ready.append(AudioChunk(b"", self._rate, 2, 1))
                continue
            try:
                self._ready.extend(self._rechunk.feed(self._conv.convert(raw)))
            except Exception as exc:
                raise AudioStageError(f"cannot convert caller audio: {exc}",
                                      getattr(exc, "code", None)) from exc
        return self._ready.popleft()

    def close(self) -> None:
        """Stop a read still waiting for the transport."""
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None
