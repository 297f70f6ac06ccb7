"""The caller's incoming side of an audio call: any source -> 20 ms pipeline chunks + keys.

The source yields ``AudioChunk``s (converted once here) and may yield out-of-band ``KeyPress``es
(RFC 4733, a WebSocket message) and a ``RemoteHangUp``; keys wait in :meth:`take_keys` for the
listener or the barge-in detector, beside the ones found in-band by DTMF detection.
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import Rechunker, StreamConverter
from voicebot.call.errors import AudioStageError
from voicebot.transport.media import KeyPress, RemoteHangUp

CHUNK_MS = 20
"""Size of the pieces every stage gets."""

CallerSource = AsyncIterator[AudioChunk] | AsyncIterator[AudioChunk | KeyPress | RemoteHangUp]
"""Caller audio (microphone, replay), or a transport's media events."""


class CallerAudio:
    """Pulls the caller's audio in pipeline format; None from :meth:`next` once hung up."""

    def __init__(self, source: CallerSource, rate: int) -> None:
        self.source = source
        """Where the audio comes from (the replay's scripted source takes cues)."""
        self._rate = rate
        self._conv = StreamConverter(rate)
        self._rechunk = Rechunker(rate, CHUNK_MS)
        self._ready: deque[AudioChunk] = deque()
        self._keys = ""
        self._eof = False

    def take_keys(self) -> str:
        """Keys that came out of band since the last call."""
        keys, self._keys = self._keys, ""
        return keys

    async def next(self) -> AudioChunk | None:
        """The next 20 ms of caller audio; None once the caller hung up."""
        while not self._ready:
            if self._eof:
                return None
            try:
                raw = await anext(self.source)
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
