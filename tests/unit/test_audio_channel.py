"""The audio channel with fakes: a recording recognizer, sentinel-tagged chunks, a tag endpointer.

Every chunk is 20 ms of one repeated byte (its tag), so what reached the recognizer can be read
back exactly; the fake endpointer maps tags to its events.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

from voicebot.asr.types import AsrResult, Grammar
from voicebot.audio.chunk import AudioChunk
from voicebot.call.audio_channel import AudioChannel
from voicebot.call.line import CourtInfo, Line
from voicebot.call.listening import listen_spec
from voicebot.dialog.actions import Listen
from voicebot.settings import Settings
from voicebot.transport.media import CallInfo, KeyPress, RemoteHangUp
from voicebot.transport.queue_port import QueuePort

RATE = 16000
SIZE = RATE * 20 // 1000 * 2
SILENCE, SPEECH, END, PAUSE, RESUME, NO_INPUT, BOT = 0, 1, 2, 3, 4, 5, 9
EVENTS = {END: "end", PAUSE: "pause", RESUME: "resume", NO_INPUT: "no_input"}


def tagged(tag: int) -> AudioChunk:
    return AudioChunk(bytes([tag]) * SIZE, RATE, 2, 1)


def tags(pcm: bytes) -> list[int]:
    return [pcm[i] for i in range(0, len(pcm), SIZE)]


class TagEndpointer:
    def __init__(self) -> None:
        self.started = False

    def feed(self, chunk: AudioChunk) -> str | None:
        tag = chunk.audio[0] if chunk.audio else SILENCE
        if tag == SPEECH and not self.started:
            self.started = True
            return "start"
        return EVENTS.get(tag)


class RecordingRecognizer:
    """Keeps every byte it was given; its final names the tags since the last final."""

    language = "en"
    sample_rate = RATE

    def __init__(self) -> None:
        self.accepted = bytearray()
        self.finals: list[list[int]] = []
        self.grammars: list[Grammar | None] = []

    def set_grammar(self, grammar: Grammar | None) -> None:
        self.grammars.append(grammar)

    def accept(self, pcm: bytes) -> AsrResult | None:
        self.accepted += pcm
        return None

    def finish(self) -> AsrResult:
        heard = tags(bytes(self.accepted))
        self.accepted.clear()
        self.finals.append(heard)
        return AsrResult(" ".join(map(str, heard)), True)


class FakeSynth:
    def __init__(self, ms: int = 400) -> None:
        self.ms = ms

    def synthesize(self, text: str, language: str) -> AudioChunk:
        return AudioChunk(bytes([BOT]) * (RATE * self.ms // 1000 * 2), RATE, 2, 1)


class RecordingSink:
    def __init__(self) -> None:
        self.written: list[AudioChunk] = []
        self.stopped = 0

    async def write(self, chunk: AudioChunk) -> None:
        self.written.append(chunk)

    async def stop(self) -> None:
        self.stopped += 1


def make_line(tmp: Path, rec: RecordingRecognizer) -> Line:
    return Line(Settings(data_dir=tmp), None, CourtInfo("x", "x", "x"),  # type: ignore[arg-type]
                None, None, FakeSynth(), lambda lang: rec)  # type: ignore[arg-type]


async def script(items: Iterable[int | str]) -> AsyncIterator[AudioChunk | KeyPress]:
    """Chunks by tag, keys by string; silence forever after (the line keeps listening)."""
    for item in items:
        yield KeyPress(item) if isinstance(item, str) else tagged(item)
        await asyncio.sleep(0)
    while True:
        yield tagged(SILENCE)
        await asyncio.sleep(0)


def channel(tmp: Path, items: Iterable[int | str]) -> tuple[AudioChannel, RecordingRecognizer,
                                                           RecordingSink]:
    rec, sink = RecordingRecognizer(), RecordingSink()
    return (AudioChannel(make_line(tmp, rec), script(items), sink, lambda mode: TagEndpointer()),
            rec, sink)


LISTEN = listen_spec(Listen("intent", "en"))


async def test_an_utterance_reaches_the_recognizer_with_its_preroll(tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SILENCE] * 3 + [SPEECH] * 5 + [END])
    heard = await chan.hear(LISTEN)
    assert heard.kind == "speech"
    assert rec.finals == [[SILENCE] * 3 + [SPEECH] * 5 + [END]]  # preroll, speech, its end
    assert heard.text == " ".join(map(str, rec.finals[0]))
    assert tags(heard.pcm) == rec.finals[0]


async def test_silence_is_no_input(tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SILENCE, NO_INPUT])
    assert (await chan.hear(LISTEN)).kind == "no_input"
    assert rec.finals == []


async def test_an_early_final_voided_by_more_speech_is_redone_on_the_whole_utterance(
        tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SPEECH] * 2 + [PAUSE] + [RESUME] + [SPEECH] * 2 + [END])
    heard = await chan.hear(LISTEN)
    assert heard.timings["asr_redone"] == 1.0
    assert len(rec.finals) == 2  # the guess at the pause, then the utterance afresh
    assert rec.finals[0] == [SPEECH] * 2 + [PAUSE]
    assert rec.finals[1] == [SPEECH] * 2 + [PAUSE, RESUME] + [SPEECH] * 2 + [END]


async def test_barge_in_stops_playback_and_the_next_listen_hears_it(tmp_path: Path) -> None:
    chan, rec, sink = channel(tmp_path, [SILENCE] * 4 + [SPEECH] * 3 + [END])
    spoken = await chan.say("prompt", "en", barge_in=True)
    assert spoken.barged_in and sink.stopped == 1
    assert len(sink.written) == 5  # 4 chunks of silence, then the chunk the caller spoke in
    heard = await chan.hear(LISTEN)
    assert heard.kind == "speech" and SPEECH in rec.finals[0] and rec.finals[0][-1] == END


async def test_without_barge_in_the_prompt_plays_to_the_end(tmp_path: Path) -> None:
    chan, _, sink = channel(tmp_path, [SPEECH] * 30)
    spoken = await chan.say("prompt", "en", barge_in=False)
    assert not spoken.barged_in and sink.stopped == 0
    assert sum(c.samples for c in sink.written) == RATE * 400 // 1000


async def test_a_key_during_a_prompt_is_carried_into_the_entry(tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, [SILENCE, "4", "8", "2", "9", "1", "3"])
    assert (await chan.say("your password", "en", barge_in=True)).barged_in
    heard = await chan.hear(listen_spec(Listen("password", "en", max_digits=6)))
    assert heard.kind == "keys" and heard.keys == "482913"


async def test_hash_ends_an_entry_and_a_late_hash_after_a_full_entry_is_dropped(
        tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, ["1", "2", "#", *"482913", "#", "7", "#"])
    assert (await chan.hear(listen_spec(Listen("case_number", "en")))).keys == "12#"
    password = listen_spec(Listen("password", "en", max_digits=6))
    assert (await chan.hear(password)).keys == "482913"
    assert (await chan.hear(listen_spec(Listen("case_number", "en")))).keys == "7#"


async def test_a_hang_up_ends_listening(tmp_path: Path) -> None:
    rec = RecordingRecognizer()

    async def source() -> AsyncIterator[AudioChunk | KeyPress | RemoteHangUp]:
        yield tagged(SILENCE)
        yield RemoteHangUp("bye")

    chan = AudioChannel(make_line(tmp_path, rec), source(), RecordingSink(),
                        lambda mode: TagEndpointer())
    assert (await chan.hear(LISTEN)).kind == "hung_up"


async def test_on_a_port_playback_goes_on_without_incoming_audio(tmp_path: Path) -> None:
    out: list[AudioChunk] = []

    async def write(c: AudioChunk) -> None:
        out.append(c)

    port = QueuePort(CallInfo("p1", caller="13800000001"), write)
    rec = RecordingRecognizer()
    chan = AudioChannel.on_port(make_line(tmp_path, rec), port, lambda mode: TagEndpointer())
    assert chan.info.caller == "13800000001"
    # nothing comes in (silence suppression): the lockstep channel would wait forever
    spoken = await asyncio.wait_for(chan.say("prompt", "en", barge_in=True), 5)
    assert not spoken.barged_in
    assert sum(c.samples for c in out) == RATE * 400 // 1000


async def test_on_a_port_the_caller_interrupts_and_is_heard(tmp_path: Path) -> None:
    out: list[AudioChunk] = []

    async def write(c: AudioChunk) -> None:
        out.append(c)
        if len(out) == 5:
            for tag in [SPEECH] * 3 + [END]:
                port.push(tagged(tag))

    port = QueuePort(CallInfo("p2"), write)
    rec = RecordingRecognizer()
    chan = AudioChannel.on_port(make_line(tmp_path, rec), port, lambda mode: TagEndpointer())
    spoken = await asyncio.wait_for(chan.say("prompt", "en", barge_in=True), 5)
    assert spoken.barged_in and len(out) < 20  # 400 ms of prompt is 20 chunks
    heard = await asyncio.wait_for(chan.hear(LISTEN), 5)
    assert heard.kind == "speech" and rec.finals[0][-1] == END
