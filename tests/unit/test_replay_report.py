"""The replay report's per-turn readings and line audio: the observing channel, masking of the
password answer, and cutting the bot's audio into turns (``--out``)."""

from __future__ import annotations

import asyncio
import json
import wave
from pathlib import Path

from voicebot.audio.chunk import AudioChunk
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import CallResult
from voicebot.call.ports import CallerInput, Spoken
from voicebot.call.record import TurnLog
from voicebot.replay.fixture import CallFixture
from voicebot.replay.observe import HeardTurn, ObservedChannel, Said
from voicebot.replay.out import turn_audio, write_out
from voicebot.replay.replay import ReplayResult
from voicebot.transport.media import CallInfo

RATE = 16000


class Scripted:
    """A channel that hears a fixed list of inputs and counts the audio it 'plays'."""

    def __init__(self, inputs: list[CallerInput]) -> None:
        self.inputs = inputs
        self.played = 0

    @property
    def info(self) -> CallInfo:
        return CallInfo("t")

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        self.played += len(text)
        return Spoken()

    async def hear(self, spec: ListenSpec) -> CallerInput:
        return self.inputs.pop(0)

    async def close(self) -> None:
        pass


def test_each_heard_turn_is_noted_and_a_secret_reading_is_masked() -> None:
    inner = Scripted([
        CallerInput("speech", text="four eight", alternatives=("for eight",), confidence=0.42,
                    doubtful=True),
        CallerInput("speech", text="482913", alternatives=("482918",), confidence=0.8),
        CallerInput("keys", keys="1"),
    ])
    channel = ObservedChannel(inner, lambda: inner.played)

    async def run() -> None:
        await channel.say("hello", "en", True)
        await channel.hear(ListenSpec("en"))
        await channel.say("password?", "en", False)
        await channel.hear(ListenSpec("en", secret=True))
        await channel.hear(ListenSpec("en"))

    asyncio.run(run())
    first, secret, keys = channel.heard
    assert first.to_json() == {"input": "speech", "confidence": 0.42,
                               "alternatives": ["for eight"], "doubtful": True}
    assert secret.to_json() == {"input": "speech", "confidence": 0.8, "alternatives": [],
                                "doubtful": False, "masked": True}
    assert keys.to_json() == {"input": "keys"}
    assert [h.audio_mark for h in channel.heard] == [5, 14, 14]
    assert channel.said == [Said(0, "hello", "en"), Said(1, "password?", "en")]


def _result(tmp_path: Path, chunks: list[bytes], marks: list[int], turns: int) -> ReplayResult:
    fixture = CallFixture(str(tmp_path / "fx_name"), tmp_path, "en", None, "", (), None)
    call = CallResult(1, "en", tuple(TurnLog("", f"bot {i}") for i in range(turns)), "", "",
                      "answered", "", False, "")
    heard = tuple(HeardTurn("speech", 1.0, (), False, False, m) for m in marks)
    return ReplayResult(fixture, call, (), (), 0.1,
                        tuple(AudioChunk(c, RATE, 2, 1) for c in chunks), heard)


def test_bot_audio_is_cut_where_the_line_started_listening(tmp_path: Path) -> None:
    chunks = [bytes([n]) * 640 for n in range(6)]
    # greeting: chunks 0-1; turn 1: 2-4; turn 2 (after the last hear): 5
    result = _result(tmp_path, chunks, [2, 5], 3)
    assert turn_audio(result, None, RATE) == [chunks[0] + chunks[1],
                                              chunks[2] + chunks[3] + chunks[4], chunks[5]]
    # the caller hung up at the last hear: no turn follows it
    assert turn_audio(_result(tmp_path, chunks, [2, 5, 6], 3), None, RATE)[2] == chunks[5]


class Voice:
    def synthesize(self, text: str, language: str) -> AudioChunk:
        return AudioChunk(b"\x01\x00" * 160 * len(text), RATE, 2, 1)


def test_typed_calls_get_their_prompts_synthesized(tmp_path: Path) -> None:
    result = _result(tmp_path, [], [], 2)
    result = ReplayResult(result.fixture, result.call, (), (), 0.1, (), result.heard,
                          (Said(0, "hi", "en"), Said(0, "there", "en"), Said(1, "bye", "en")))
    out = tmp_path / "out"
    (folder,) = write_out(out, [result], Voice(), RATE)
    assert folder.name == "01-fx_name"
    with wave.open(str(folder / "turn-00.wav")) as w:
        assert w.getnframes() == 160 * len("hithere") and w.getframerate() == RATE
    with wave.open(str(folder / "call.wav")) as w:
        assert w.getnframes() == 160 * len("hitherebye")
    report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    assert [t["audio"] for t in report["turns"]] == ["turn-00.wav", "turn-01.wav"]
    assert report["audio"] == "call.wav"
    assert json.loads((out / "replay.json").read_text(encoding="utf-8")) == [report]
