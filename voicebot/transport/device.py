"""This machine's microphone and speaker as a media port (``voicebot call``).

The microphone's chunks come in as they are recorded; prompts go to the speaker paced by the
wall clock (:mod:`voicebot.transport.pacing`), and an interrupt also drops what the device still
has buffered.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.devices import MicrophoneSource, SpeakerSink, open_microphone, open_speaker
from voicebot.settings import Settings
from voicebot.transport.media import CallInfo, MediaEvent, TransportKind
from voicebot.transport.pacing import PacedPlayback


class _DevicePlayback:
    """Paced playback whose interrupt also stops the device."""

    def __init__(self, paced: PacedPlayback, speaker: SpeakerSink) -> None:
        self._paced = paced
        self._speaker = speaker
        self._stopping: asyncio.Task[None] | None = None

    def interrupt(self) -> None:
        self._paced.interrupt()
        self._stopping = asyncio.ensure_future(self._speaker.stop())

    @property
    def done(self) -> asyncio.Future[bool]:
        return self._paced.done


class DevicePort:
    """One call through the machine's audio devices."""

    def __init__(self, info: CallInfo, microphone: MicrophoneSource,
                 speaker: SpeakerSink) -> None:
        self._info = info
        self._mic = microphone
        self._speaker = speaker
        self._hung_up = False

    @classmethod
    def open(cls, settings: Settings, caller: str = "") -> DevicePort:
        """The configured backend's default devices (``AudioError`` when there are none)."""
        mic = open_microphone(settings)
        try:
            speaker = open_speaker(settings)
        except Exception:
            mic.close()
            raise
        info = CallInfo("microphone", caller=caller, codec="pcm", transport=TransportKind.AUDIO)
        return cls(info, mic, speaker)

    @property
    def info(self) -> CallInfo:
        """The local caller."""
        return self._info

    async def events(self) -> AsyncIterator[MediaEvent]:
        """What the microphone records, until the line hangs up."""
        async for chunk in self._mic:
            if self._hung_up:
                return
            yield chunk

    def play(self, chunks: Iterable[AudioChunk]) -> _DevicePlayback:
        """Play on the speaker at real time."""
        return _DevicePlayback(PacedPlayback(chunks, self._speaker.write), self._speaker)

    async def hang_up(self) -> None:
        """Stop recording."""
        self._hung_up = True
        self._mic.close()
        await asyncio.sleep(0)

    async def transfer(self, target: str) -> None:
        """A local call cannot be transferred."""
        await asyncio.sleep(0)

    def close(self) -> None:
        """Release both devices."""
        self._mic.close()
        self._speaker.close()
