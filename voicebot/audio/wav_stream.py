"""WAV files as streams: a source of pipeline chunks (as a microphone delivers them) and a sink."""

from __future__ import annotations

import asyncio
import os

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.wav import WavWriter, iter_wav, wav_info


class WavFileSource:
    """A WAV file as an async source of pipeline chunks (as a microphone would deliver them)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        rate: int = 16000,
        chunk_ms: int = 20,
        realtime: bool = False,
    ) -> None:
        self.info = wav_info(path)
        self.realtime = realtime
        self._chunks = iter_wav(path, chunk_ms, rate)
        self._started: float | None = None

    def __aiter__(self) -> WavFileSource:
        return self

    async def __anext__(self) -> AudioChunk:
        chunk = next(self._chunks, None)
        if chunk is None:
            raise StopAsyncIteration
        if self.realtime:  # no earlier than the audio would have arrived on a live line
            loop = asyncio.get_running_loop()
            if self._started is None:
                self._started = loop.time()
            delay = self._started + chunk.timestamp_ms / 1000 - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
        return chunk


class WavFileSink:
    """The bot's audio written to a 16-bit mono WAV file; the call loop's sink interface."""

    def __init__(self, path: str | os.PathLike[str], rate: int = 16000) -> None:
        self._writer = WavWriter(path, rate)

    async def write(self, chunk: AudioChunk) -> None:
        """Append one chunk."""
        self._writer.write(chunk)

    async def stop(self) -> None:
        """Barge-in: nothing is buffered, so nothing to drop."""

    def close(self) -> None:
        """Complete the file."""
        self._writer.close()
