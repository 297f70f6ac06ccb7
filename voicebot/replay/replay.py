"""Replaying call fixtures: caller turns fed to the line when it listens, through real engines."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.dtmf import generate_dtmf
from voicebot.audio.wav import read_wav
from voicebot.call.audio_channel import AudioChannel
from voicebot.call.endpointing import DetectorFactory
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import CallResult, run_call
from voicebot.call.ports import CallerInput, InputKind, Spoken
from voicebot.call.turn_end import end_rule
from voicebot.replay.fixture import CallerTurn, CallFixture, check
from voicebot.replay.observe import HeardTurn, ObservedChannel, Said
from voicebot.transport.media import CallInfo, TransportKind
from voicebot.transport.scripted import ScriptedPort, VoiceToVoice


class ReplayChannel:
    """Plays a fixture's turns: audio ones through the audio path, typed ones as text."""

    def __init__(self, line: Line, fixture: CallFixture, endpointer: DetectorFactory | None,
                 *, keep_audio: bool = False, realtime: bool = False,
                 caller_id: str | None = None) -> None:
        caller = fixture.caller_id if caller_id is None else caller_id
        self._info = CallInfo(fixture.name, caller=caller,
                              codec="pcm" if fixture.has_audio else "",
                              transport=TransportKind.REPLAY)
        self._turns: deque[CallerTurn] = deque(fixture.turns)
        self.bot_texts: list[str] = []
        self._rate = line.settings.sample_rate
        self.port = ScriptedPort(self._info, self._rate, realtime=realtime, keep_audio=keep_audio)
        """The replay transport the audio path runs on."""
        self._source: ScriptedPort | None = None
        self._audio: AudioChannel | None = None
        self._barging: CallerTurn | None = None
        if fixture.has_audio:
            if endpointer is None:
                raise ValueError("audio fixtures need an endpointer")
            self._source = self.port
            self._audio = AudioChannel.on_port(line, self.port, endpointer)

    @property
    def info(self) -> CallInfo:
        """The fixture's call: its name as the call id, its caller id."""
        return self._info

    def _pcm(self, turn: CallerTurn) -> bytes:
        if turn.kind == "dtmf":
            return generate_dtmf(turn.value, rate=self._rate, tone_ms=90, gap_ms=90).audio
        assert turn.path is not None
        return read_wav(turn.path, rate=self._rate).audio

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Speak through the audio path (with a caller barging in when the script says so)."""
        self.bot_texts.append(text)
        if self._audio is None or self._source is None:
            return Spoken(False, time.perf_counter(), 0.0)
        nxt = self._turns[0] if self._turns else None
        if barge_in and nxt is not None and nxt.kind == "barge_in" and self._barging is None:
            self._source.arm_barge_in(await asyncio.to_thread(self._pcm, nxt), nxt.after_ms)
            self._barging = nxt
        spoken = await self._audio.say(text, language, barge_in)
        if self._barging is not None and spoken.barged_in:
            self._turns.popleft()
            self._source.keep()
        self._source.disarm()
        self._barging = None
        return spoken

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """The next turn of the script (hang-up when it is over)."""
        if self._source is not None and self._source.busy and self._audio is not None:
            return await self._audio.hear(spec)
        if not self._turns:
            if self._source is not None:
                await self._source.hang_up()
            return CallerInput(InputKind.HUNG_UP, ended_at=time.perf_counter())
        turn = self._turns.popleft()
        if turn.kind == "text":
            return CallerInput(InputKind.SPEECH, text=turn.value, alternatives=turn.alternatives,
                               doubtful=turn.doubtful, ended_at=time.perf_counter())
        if self._audio is None or self._source is None:
            if turn.kind == "dtmf":
                return CallerInput(InputKind.KEYS, keys=turn.value, ended_at=time.perf_counter())
            if turn.kind == "silence":
                return CallerInput(InputKind.NO_INPUT, ended_at=time.perf_counter())
            raise ValueError(f"turn {turn.kind} needs the audio path")
        if turn.kind != "silence":
            kind = "keys" if turn.kind == "dtmf" else end_rule(spec).value
            self._source.say_turn(await asyncio.to_thread(self._pcm, turn), kind)
        return await self._audio.hear(spec)

    async def close(self) -> None:
        """Release the audio path."""
        if self._audio is not None:
            await self._audio.close()


@dataclass(frozen=True)
class ReplayResult:
    """A replayed fixture."""

    fixture: CallFixture
    """What was replayed."""
    call: CallResult
    """The call as the line ran it."""
    bot_texts: tuple[str, ...]
    """Everything the bot said, in order."""
    failures: tuple[str, ...]
    """Failed expectations (empty: passed)."""
    seconds: float
    """Wall time of the replay."""
    bot_audio: tuple[AudioChunk, ...] = ()
    """The bot's audio, when kept."""
    heard: tuple[HeardTurn, ...] = ()
    """How the line heard each caller turn, in order (``turns[i + 1]`` answers ``heard[i]``)."""
    said: tuple[Said, ...] = ()
    """Each prompt with its language and turn."""
    voice_to_voice: tuple[VoiceToVoice, ...] = ()
    """The caller's waits for the line, per turn played at real time (``realtime``)."""

    @property
    def passed(self) -> bool | None:
        """True / False against ``expect``; None without expectations."""
        return None if self.fixture.expect is None else not self.failures

    def to_json(self) -> dict[str, object]:
        """The JSON object ``voicebot replay`` prints for the call."""
        out: dict[str, object] = {
            "call": self.fixture.name,
            "language": self.call.language,
            "turns": [{"caller": t.caller, "bot": t.bot,
                       **({"asr": self.heard[i - 1].to_json()}
                          if 0 < i <= len(self.heard) else {})}
                      for i, t in enumerate(self.call.turns)],
            "intent": self.call.intent,
            "case_number": self.call.case_number or None,
            "outcome": self.call.outcome,
            "record_id": self.call.call_id,
            "record_ref": self.call.record_ref or None,
            "latency_ms": [t.latency_ms for t in self.call.turns[1:]],
        }
        if self.call.error_code:
            out["error_code"] = self.call.error_code
        if self.passed is not None:
            out["passed"] = self.passed
            if self.failures:
                out["failures"] = list(self.failures)
        return out


async def replay_fixture(line: Line, fixture: CallFixture, *,
                         endpointer: DetectorFactory | None = None,
                         keep_audio: bool = False, realtime: bool = False,
                         caller_id: str | None = None) -> ReplayResult:
    """Run ``fixture`` against ``line`` and check its expectations."""
    t0 = time.perf_counter()
    channel = ReplayChannel(line, fixture, endpointer, keep_audio=keep_audio, realtime=realtime,
                            caller_id=caller_id)
    observed = ObservedChannel(channel, lambda: len(channel.port.bot_chunks))
    result = await run_call(line, observed, language=fixture.language, at=fixture.at)
    failures: list[str] = []
    if fixture.expect is not None:
        failures = check(fixture.expect, intent=result.intent, case_number=result.case_number,
                         outcome=result.outcome, bot_texts=channel.bot_texts)
    return ReplayResult(fixture, result, tuple(channel.bot_texts), tuple(failures),
                        time.perf_counter() - t0, tuple(channel.port.bot_chunks),
                        tuple(observed.heard), tuple(observed.said),
                        tuple(channel.port.voice_to_voice))
