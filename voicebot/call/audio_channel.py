"""An audio call on a media port: the listening and the speaking side over one input stream.

``AudioChannel.on_port(line, port, endpointer_factory(settings))`` is the channel any transport
(SIP, microphone, replay) gets. Listening is :mod:`voicebot.call.hearing` (typed endpoint steps
-> :mod:`voicebot.call.early_final` -> hypothesis choice), speaking :mod:`voicebot.call.speaking`
(paced by the port's clock, barge-in); both read :mod:`voicebot.call.caller_audio`, which
converts the port's events once and finds keys in band (DTMF) and out of band.
"""

from __future__ import annotations

import asyncio
import contextlib

from voicebot.asr.types import Recognizer
from voicebot.call.caller_audio import CallerAudio
from voicebot.call.early_final import DIGIT_REDOS, EarlyFinal
from voicebot.call.endpointing import DetectorFactory, ListenMode
from voicebot.call.errors import AsrStageError, AudioStageError
from voicebot.call.hearing import recognize_turn, turn_steps
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec
from voicebot.call.ports import CallerInput, Spoken
from voicebot.call.speaking import Speaker
from voicebot.call.turn_end import EndHolds, EndRule, TurnEnd
from voicebot.transport.media import CallInfo, MediaPort

EndpointerFactory = DetectorFactory
"""Former name of :data:`voicebot.call.endpointing.DetectorFactory`."""


class AudioChannel:
    """One call's audio: own recognizers and detectors over the line's shared models."""

    def __init__(self, line: Line, port: MediaPort, detectors: DetectorFactory) -> None:
        if line.recognizer_for is None or line.synthesizer is None:
            raise AudioStageError("the line was loaded without speech engines", "audio.no_engines")
        self._line = line
        self._port = port
        self._rate = line.settings.sample_rate
        self._audio = CallerAudio(port.events(), self._rate)
        self._detectors = detectors
        self._speaker = Speaker(line.synthesizer, port.play, self._audio, detectors, self._rate)
        self._recognizers: dict[str, Recognizer] = {}
        self._holds = EndHolds.from_settings(line.settings)

    @classmethod
    def on_port(cls, line: Line, port: MediaPort, endpointer: DetectorFactory) -> AudioChannel:
        """A call on a transport's media port: its events in, its clock-paced playback out
        (pipeline-format chunks; the transport encodes them)."""
        return cls(line, port, endpointer)

    @property
    def info(self) -> CallInfo:
        """Who is calling, from the transport."""
        return self._port.info

    def _recognizer(self, language: str) -> Recognizer:
        rec = self._recognizers.get(language)
        if rec is None:
            assert self._line.recognizer_for is not None
            rec = self._line.recognizer_for(language)
            self._recognizers[language] = rec
        return rec

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """Endpoint, recognize and detect keys until the caller's turn is complete."""
        try:
            rec = self._recognizer(spec.language)
            rec.set_grammar(spec.grammar)
        except Exception as exc:
            raise AsrStageError(f"cannot prepare recognition: {exc}",
                                getattr(exc, "code", None)) from exc
        understander = self._line.understander
        judge = TurnEnd(spec, self._holds, None if understander is None else (
            lambda text, lang, hint: understander.parse(text, lang, expect=hint)))
        digits = judge.rule is EndRule.DIGITS and judge.hold_ms > 0
        detector = self._detectors(ListenMode.DIGITS if digits else ListenMode.LISTEN)
        asr = EarlyFinal(rec, DIGIT_REDOS) if digits else EarlyFinal(rec)
        async with contextlib.aclosing(turn_steps(self._audio, detector, spec)) as steps:
            return await recognize_turn(steps, asr, spec, self._rate, judge,
                                        self._line.settings.speculate_ms)

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Synthesize (cached) and play ``text``, stopping if the caller barges in."""
        return await self._speaker.say(text, language, barge_in)

    async def close(self) -> None:
        """Let the recognizers go."""
        self._recognizers.clear()
        self._audio.close()
        await asyncio.sleep(0)
