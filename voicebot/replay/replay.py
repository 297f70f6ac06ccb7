"""Replaying call fixtures: caller turns fed to the line when it listens, through real engines."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.dtmf import generate_dtmf
from voicebot.audio.wav import read_wav
from voicebot.call.audio_channel import CHUNK_MS, AudioChannel, EndpointerFactory
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import CallResult, run_call
from voicebot.call.ports import CallerInput, Spoken
from voicebot.replay.fixture import CallerTurn, CallFixture, check
from voicebot.replay.observe import HeardTurn, ObservedChannel, Said
from voicebot.transport.media import CallInfo, TransportKind


class ScriptedSource:
    """Caller audio for a replay: silence, except the turn being played (or barging in)."""

    def __init__(self, rate: int, *, realtime: bool = False) -> None:
        self.rate = rate
        self.realtime = realtime
        """Pace the caller's audio at real time while the line listens (benchmarks)."""
        self._next_at: float | None = None
        self._size = rate * CHUNK_MS // 1000 * 2
        self._silence = bytes(self._size)
        self._segment: deque[bytes] = deque()
        self._barge: tuple[list[bytes], int] | None = None
        self._state = "listen"
        self._pos_ms = 0
        self._hung_up = False
        self._from_barge = False

    def _cut(self, audio: bytes) -> list[bytes]:
        return [audio[i:i + self._size] for i in range(0, len(audio), self._size)]

    def play(self, audio: bytes) -> None:
        """Queue ``audio`` (16-bit mono at ``rate``) as the caller's next turn."""
        self._segment = deque(self._cut(audio))
        self._from_barge = False

    def arm_barge_in(self, audio: bytes, after_ms: int) -> None:
        """Speak ``audio`` over the next prompt, ``after_ms`` into it."""
        self._barge = (self._cut(audio), after_ms)

    def disarm(self) -> bool:
        """Forget an armed barge-in that did not start; True if one was armed."""
        armed = self._barge is not None or self._from_barge
        if self._from_barge:
            self._segment.clear()
        self._barge, self._from_barge = None, False
        return armed

    def keep(self) -> None:
        """The armed barge-in started: its audio is now the turn being heard."""
        self._from_barge = False

    def hang_up(self) -> None:
        """End the stream."""
        self._hung_up = True

    def cue(self, state: str) -> None:
        """The line starts ``listen``-ing or ``speak``-ing."""
        if state == "speak" and self._barge is not None and not self._segment:
            pieces, after = self._barge
            lead = [self._silence] * max(after // CHUNK_MS, 0)
            self._segment = deque(lead + pieces)
            self._barge, self._from_barge = None, True
        self._state = state

    def __aiter__(self) -> AsyncIterator[AudioChunk]:
        return self

    async def __anext__(self) -> AudioChunk:
        if self._hung_up:
            raise StopAsyncIteration
        data = self._segment.popleft() if self._segment else self._silence
        chunk = AudioChunk(data, self.rate, 2, 1, self._pos_ms)
        self._pos_ms += CHUNK_MS
        if self.realtime and self._state == "listen":
            now = time.perf_counter()
            self._next_at = max(self._next_at or now, now - 0.1) + CHUNK_MS / 1000
            await asyncio.sleep(max(0.0, self._next_at - now))
        else:
            self._next_at = None
            await asyncio.sleep(0)
        return chunk

    @property
    def busy(self) -> bool:
        """Whether part of a turn is still to be heard."""
        return bool(self._segment)


class CollectSink:
    """Keeps (or just counts) the bot's audio."""

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.chunks: list[AudioChunk] = []
        self.samples = 0

    async def write(self, chunk: AudioChunk) -> None:
        """Take one chunk."""
        self.samples += chunk.samples
        if self.keep:
            self.chunks.append(chunk)

    async def stop(self) -> None:
        """Nothing is queued."""


class ReplayChannel:
    """Plays a fixture's turns: audio ones through the audio path, typed ones as text."""

    def __init__(self, line: Line, fixture: CallFixture, endpointer: EndpointerFactory | None,
                 *, keep_audio: bool = False, realtime: bool = False,
                 caller_id: str | None = None) -> None:
        caller = fixture.caller_id if caller_id is None else caller_id
        self._info = CallInfo(fixture.name, caller=caller,
                              codec="pcm" if fixture.has_audio else "",
                              transport=TransportKind.REPLAY)
        self._turns: deque[CallerTurn] = deque(fixture.turns)
        self.sink = CollectSink(keep_audio)
        self.bot_texts: list[str] = []
        self._rate = line.settings.sample_rate
        self._source: ScriptedSource | None = None
        self._audio: AudioChannel | None = None
        self._barging: CallerTurn | None = None
        if fixture.has_audio:
            if endpointer is None:
                raise ValueError("audio fixtures need an endpointer")
            self._source = ScriptedSource(self._rate, realtime=realtime)
            self._audio = AudioChannel(line, self._source, self.sink, endpointer,
                                       info=self._info)

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
                self._source.hang_up()
            return CallerInput("hung_up", ended_at=time.perf_counter())
        turn = self._turns.popleft()
        if turn.kind == "text":
            return CallerInput("speech", text=turn.value, alternatives=turn.alternatives,
                               doubtful=turn.doubtful, ended_at=time.perf_counter())
        if self._audio is None or self._source is None:
            if turn.kind == "dtmf":
                return CallerInput("keys", keys=turn.value, ended_at=time.perf_counter())
            if turn.kind == "silence":
                return CallerInput("no_input", ended_at=time.perf_counter())
            raise ValueError(f"turn {turn.kind} needs the audio path")
        if turn.kind != "silence":
            self._source.play(await asyncio.to_thread(self._pcm, turn))
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
                         endpointer: EndpointerFactory | None = None,
                         keep_audio: bool = False, realtime: bool = False,
                         caller_id: str | None = None) -> ReplayResult:
    """Run ``fixture`` against ``line`` and check its expectations."""
    t0 = time.perf_counter()
    channel = ReplayChannel(line, fixture, endpointer, keep_audio=keep_audio, realtime=realtime,
                            caller_id=caller_id)
    observed = ObservedChannel(channel, lambda: len(channel.sink.chunks))
    result = await run_call(line, observed, language=fixture.language, at=fixture.at)
    failures: list[str] = []
    if fixture.expect is not None:
        failures = check(fixture.expect, intent=result.intent, case_number=result.case_number,
                         outcome=result.outcome, bot_texts=channel.bot_texts)
    return ReplayResult(fixture, result, tuple(channel.bot_texts), tuple(failures),
                        time.perf_counter() - t0, tuple(channel.sink.chunks),
                        tuple(observed.heard), tuple(observed.said))
