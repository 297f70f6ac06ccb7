"""The audio call pipeline with fakes: a recording recognizer, sentinel-tagged chunks, a tag
detector that speaks the VAD's typed events, and a port whose clock is the caller audio read.

Every chunk is 20 ms of one repeated byte (its tag), so what reached the recognizer can be read
back exactly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Sequence
from pathlib import Path

from voicebot.asr.types import AsrResult, Grammar
from voicebot.audio.chunk import AudioChunk
from voicebot.audio.vad import EndpointEvent
from voicebot.call.audio_channel import AudioChannel
from voicebot.call.endpointing import ListenMode, dominant
from voicebot.call.hearing import SPEECH_LEAD_MS
from voicebot.call.line import CourtInfo, Line
from voicebot.call.listening import listen_spec
from voicebot.call.ports import InputKind
from voicebot.dialog.actions import Listen
from voicebot.settings import Settings
from voicebot.transport.media import CallInfo, KeyPress, MediaEvent, RemoteHangUp
from voicebot.transport.pacing import PacedPlayback
from voicebot.transport.queue_port import QueuePort

RATE = 16000
SIZE = RATE * 20 // 1000 * 2
SILENCE, SPEECH, END, PAUSE, RESUME, NO_INPUT, ONSET, BOT = 0, 1, 2, 3, 4, 5, 6, 9
KINDS = {END: "end_of_utterance", PAUSE: "pause", RESUME: "resume", NO_INPUT: "no_input"}


def tagged(tag: int) -> AudioChunk:
    return AudioChunk(bytes([tag]) * SIZE, RATE, 2, 1)


def tags(pcm: bytes) -> list[int]:
    return [pcm[i] for i in range(0, len(pcm), SIZE)]


class TagDetector:
    """The first SPEECH chunk starts speech there; an ONSET chunk marks speech that began
    ``onset_back`` chunks earlier (the VAD moving the start back over quiet frames)."""

    def __init__(self, mode: ListenMode, onset_back: int = 0) -> None:
        self.mode = mode
        self.onset_back = onset_back
        self.started = False
        self.pos = 0

    def feed(self, chunk: AudioChunk) -> Sequence[EndpointEvent]:
        tag = chunk.audio[0] if chunk.audio else SILENCE
        at = self.pos
        self.pos += round(chunk.duration_ms)
        if tag in (SPEECH, ONSET) and not self.started:
            self.started = True
            kind = "barge_in" if self.mode == ListenMode.BARGE_IN else "speech_start"
            back = self.onset_back * 20 if tag == ONSET else 0
            return [EndpointEvent(kind, at + 20, at - back)]
        if tag in KINDS:
            return [EndpointEvent(KINDS[tag], at + 20, 0)]  # type: ignore[arg-type]
        return []


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
    def synthesize(self, text: str, language: str) -> AudioChunk:
        return AudioChunk(bytes([BOT]) * (RATE * 400 // 1000 * 2), RATE, 2, 1)


class ScriptPort:
    """Chunks by tag, keys by string, then silence (or a hang-up); the clock is the caller
    audio read, so playback moves on exactly as fast as the caller's side is read."""

    def __init__(self, items: Iterable[int | str], *, hang_up: bool = False) -> None:
        self.items = list(items)
        self.end_with_hang_up = hang_up
        self.info = CallInfo("script", caller="13800000001")
        self.ms = 0
        self.written: list[AudioChunk] = []
        self.playing: list[PacedPlayback] = []
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    async def events(self) -> AsyncIterator[MediaEvent]:
        for item in self.items:
            yield KeyPress(item) if isinstance(item, str) else self._tick(tagged(item))
            await asyncio.sleep(0)
        if self.end_with_hang_up:
            yield RemoteHangUp("bye")
            return
        while True:
            yield self._tick(tagged(SILENCE))
            await asyncio.sleep(0)

    def _tick(self, chunk: AudioChunk) -> AudioChunk:
        self.ms += 20
        for item in [s for s in self._sleepers if s[0] <= self.ms / 1000]:
            self._sleepers.remove(item)
            item[1].set_result(None)
        return chunk

    async def _sleep(self, seconds: float) -> None:
        waiter = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.ms / 1000 + seconds, waiter))
        await waiter

    async def _write(self, chunk: AudioChunk) -> None:
        self.written.append(chunk)

    def play(self, chunks: Iterable[AudioChunk]) -> PacedPlayback:
        playing = PacedPlayback(chunks, self._write, clock=lambda: self.ms / 1000,
                                sleep=self._sleep, lead_ms=0)
        self.playing.append(playing)
        return playing

    async def hang_up(self) -> None:
        await asyncio.sleep(0)

    async def transfer(self, target: str) -> None:
        await asyncio.sleep(0)


def make_line(tmp: Path, rec: RecordingRecognizer) -> Line:
    return Line(Settings(data_dir=tmp), None, CourtInfo("x", "x", "x"),  # type: ignore[arg-type]
                None, None, FakeSynth(), lambda lang: rec)  # type: ignore[arg-type]


def channel(tmp: Path, items: Iterable[int | str], *, onset_back: int = 0, hang_up: bool = False
            ) -> tuple[AudioChannel, RecordingRecognizer, ScriptPort]:
    rec, port = RecordingRecognizer(), ScriptPort(items, hang_up=hang_up)
    chan = AudioChannel.on_port(make_line(tmp, rec), port,
                                lambda mode: TagDetector(ListenMode(mode), onset_back))
    return chan, rec, port


LISTEN = listen_spec(Listen("intent", "en"))
LEAD = SPEECH_LEAD_MS // 20


async def test_an_utterance_reaches_the_recognizer_from_a_lead_before_its_onset(
        tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SILENCE] * 30 + [SPEECH] * 5 + [END])
    heard = await chan.hear(LISTEN)
    assert heard.kind is InputKind.SPEECH
    assert rec.finals == [[SILENCE] * LEAD + [SPEECH] * 5 + [END]]
    assert heard.text == " ".join(map(str, rec.finals[0]))
    assert tags(heard.pcm) == rec.finals[0]


async def test_the_speech_start_is_the_vads_onset_not_the_detection(tmp_path: Path) -> None:
    # detected at the ONSET chunk, but the VAD says the speech began 20 chunks (400 ms) earlier:
    # all of that reaches the recognizer (a fixed preroll of 300 ms before detection would not)
    chan, rec, _ = channel(tmp_path, [SILENCE] * 30 + [SPEECH] * 20 + [ONSET] + [END],
                           onset_back=20)
    await chan.hear(LISTEN)
    assert rec.finals == [[SILENCE] * LEAD + [SPEECH] * 20 + [ONSET, END]]


async def test_silence_is_no_input(tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SILENCE, NO_INPUT])
    assert (await chan.hear(LISTEN)).kind is InputKind.NO_INPUT
    assert rec.finals == []


async def test_an_early_final_voided_by_more_speech_is_redone_on_the_whole_utterance(
        tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SPEECH] * 2 + [PAUSE] + [RESUME] + [SPEECH] * 2 + [END])
    heard = await chan.hear(LISTEN)
    assert heard.timings["asr_redone"] == 1.0 and heard.timings["asr_early"] == 0.0
    assert len(rec.finals) == 2  # the guess at the pause, then the utterance afresh
    assert rec.finals[0] == [SPEECH] * 2 + [PAUSE]
    assert rec.finals[1] == [SPEECH] * 2 + [PAUSE, RESUME] + [SPEECH] * 2 + [END]


async def test_an_early_final_that_stands_is_the_answer(tmp_path: Path) -> None:
    chan, rec, _ = channel(tmp_path, [SPEECH] * 2 + [PAUSE] + [SILENCE] * 3 + [END])
    heard = await chan.hear(LISTEN)
    assert heard.timings["asr_early"] == 1.0
    assert rec.finals == [[SPEECH] * 2 + [PAUSE]]  # one decode: the audio after it is silence
    assert tags(heard.pcm) == [SPEECH] * 2 + [PAUSE] + [SILENCE] * 3 + [END]


async def test_barge_in_stops_playback_and_the_next_listen_hears_it(tmp_path: Path) -> None:
    chan, rec, port = channel(tmp_path, [SILENCE] * 4 + [SPEECH] * 3 + [END])
    spoken = await chan.say("prompt", "en", barge_in=True)
    assert spoken.barged_in
    # interrupted at once, though the port's clock stands still while nobody reads
    assert await asyncio.wait_for(port.playing[0].done, 1) is False
    assert 0 < len(port.written) < 20  # 400 ms of prompt is 20 chunks
    heard = await chan.hear(LISTEN)
    assert heard.kind is InputKind.SPEECH
    assert rec.finals == [[SILENCE] * 4 + [SPEECH] * 3 + [END]]  # nothing lost on the way


async def test_without_barge_in_the_prompt_plays_to_the_end(tmp_path: Path) -> None:
    chan, _, port = channel(tmp_path, [SPEECH] * 30)
    spoken = await chan.say("prompt", "en", barge_in=False)
    assert not spoken.barged_in
    assert sum(c.samples for c in port.written) == RATE * 400 // 1000


async def test_a_key_during_a_prompt_is_carried_into_the_entry(tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, [SILENCE, "4", "8", "2", "9", "1", "3"])
    assert (await chan.say("your password", "en", barge_in=True)).barged_in
    heard = await chan.hear(listen_spec(Listen("password", "en", max_digits=6)))
    assert heard.kind is InputKind.KEYS and heard.keys == "482913"


async def test_keys_over_speech_win_and_drop_its_recognition(tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, [SPEECH, SPEECH, PAUSE, "7", "#"])
    heard = await chan.hear(listen_spec(Listen("case_number", "en")))
    assert heard.kind is InputKind.KEYS and heard.keys == "7#"


async def test_hash_ends_an_entry_and_a_late_hash_after_a_full_entry_is_dropped(
        tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, ["1", "2", "#", *"482913", "#", "7", "#"])
    assert (await chan.hear(listen_spec(Listen("case_number", "en")))).keys == "12#"
    password = listen_spec(Listen("password", "en", max_digits=6))
    assert (await chan.hear(password)).keys == "482913"
    assert (await chan.hear(listen_spec(Listen("case_number", "en")))).keys == "7#"


async def test_a_hang_up_ends_listening(tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, [SILENCE], hang_up=True)
    assert (await chan.hear(LISTEN)).kind is InputKind.HUNG_UP


async def test_a_hang_up_mid_entry_gives_the_keys(tmp_path: Path) -> None:
    chan, _, _ = channel(tmp_path, ["4", "8"], hang_up=True)
    heard = await chan.hear(listen_spec(Listen("password", "en", max_digits=6)))
    assert heard.kind is InputKind.KEYS and heard.keys == "48"


def test_a_chunk_stands_for_its_strongest_event() -> None:
    pause, resume = EndpointEvent("pause", 10, 0), EndpointEvent("resume", 20, 0)
    end = EndpointEvent("end_of_utterance", 20, 0, 10)
    assert dominant([pause, resume]) is resume
    assert dominant([resume, end]) is end
    assert dominant([]) is None


async def test_on_a_port_playback_goes_on_without_incoming_audio(tmp_path: Path) -> None:
    out: list[AudioChunk] = []

    async def write(c: AudioChunk) -> None:
        out.append(c)

    port = QueuePort(CallInfo("p1", caller="13800000001"), write)
    rec = RecordingRecognizer()
    chan = AudioChannel.on_port(make_line(tmp_path, rec), port,
                                lambda mode: TagDetector(ListenMode(mode)))
    assert chan.info.caller == "13800000001"
    # nothing comes in (silence suppression): playback paced by incoming audio would wait forever
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
    chan = AudioChannel.on_port(make_line(tmp_path, rec), port,
                                lambda mode: TagDetector(ListenMode(mode)))
    spoken = await asyncio.wait_for(chan.say("prompt", "en", barge_in=True), 5)
    assert spoken.barged_in and len(out) < 20  # 400 ms of prompt is 20 chunks
    heard = await asyncio.wait_for(chan.hear(LISTEN), 5)
    assert heard.kind is InputKind.SPEECH and rec.finals[0][-1] == END


class OneNameDetector:
    """A detector of the earlier shape: one event name per chunk."""

    def __init__(self) -> None:
        self.started = False

    def feed(self, chunk: AudioChunk) -> str | None:
        tag = chunk.audio[0] if chunk.audio else SILENCE
        if tag == SPEECH and not self.started:
            self.started = True
            return "start"
        return {END: "end", PAUSE: "pause", RESUME: "resume", NO_INPUT: "no_input"}.get(tag)


async def test_a_detector_naming_one_event_per_chunk_still_works(tmp_path: Path) -> None:
    rec, port = RecordingRecognizer(), ScriptPort([SILENCE] * 30 + [SPEECH] * 5 + [END])
    chan = AudioChannel.on_port(make_line(tmp_path, rec), port,
                                lambda mode: OneNameDetector())  # type: ignore[arg-type,return-value]
    heard = await chan.hear(LISTEN)
    assert heard.kind is InputKind.SPEECH
    assert rec.finals == [[SILENCE] * LEAD + [SPEECH] * 5 + [END]]
    assert (await chan.say("prompt", "en", barge_in=True)).barged_in is False


class SlowSecondSynth:
    """Each sentence 400 ms of BOT audio; synthesizing anything but the first sentence waits
    until ``release`` is set (a long answer's rest still rendering)."""

    def __init__(self) -> None:
        import threading
        self.release = threading.Event()
        self.texts: list[str] = []

    def synthesize(self, text: str, language: str) -> AudioChunk:
        self.texts.append(text)
        if len(self.texts) > 1:
            assert self.release.wait(5)
        n = len(text.split(". "))
        return AudioChunk(bytes([BOT]) * (RATE * 400 // 1000 * 2) * n, RATE, 2, 1)


def streaming_channel(tmp: Path, items: Iterable[int | str], synth: SlowSecondSynth
                      ) -> tuple[AudioChannel, ScriptPort]:
    rec, port = RecordingRecognizer(), ScriptPort(items)
    line = Line(Settings(data_dir=tmp), None, CourtInfo("x", "x", "x"),  # type: ignore[arg-type]
                None, None, synth, lambda lang: rec)  # type: ignore[arg-type]
    return AudioChannel.on_port(line, port, lambda mode: TagDetector(ListenMode(mode))), port


async def test_a_long_answer_plays_its_first_sentence_while_the_rest_is_synthesized(
        tmp_path: Path) -> None:
    synth = SlowSecondSynth()
    chan, port = streaming_channel(tmp_path, [], synth)
    saying = asyncio.ensure_future(
        chan.say("Your case is on trial. The hearing is on 3 May. Judge Li.", "en", False))
    for _ in range(200):  # the first sentence goes out though the rest is not yet rendered
        await asyncio.sleep(0.005)
        if port.written and len(synth.texts) == 2:
            break
    assert port.written and synth.texts == ["Your case is on trial.",
                                            "The hearing is on 3 May. Judge Li."]
    synth.release.set()
    spoken = await asyncio.wait_for(saying, 5)
    assert not spoken.barged_in
    assert sum(c.samples for c in port.written) == RATE * 400 // 1000 * 3  # all of it played


async def test_a_barge_in_during_the_first_sentence_drops_the_rest(tmp_path: Path) -> None:
    synth = SlowSecondSynth()
    synth.release.set()
    chan, port = streaming_channel(tmp_path, [SILENCE] * 4 + [SPEECH] * 3 + [END], synth)
    spoken = await chan.say("First sentence. Second one.", "en", barge_in=True)
    assert spoken.barged_in and len(port.playing) == 1
    assert 0 < len(port.written) < 20


async def test_a_one_sentence_prompt_is_synthesized_whole(tmp_path: Path) -> None:
    synth = SlowSecondSynth()
    chan, port = streaming_channel(tmp_path, [], synth)
    await asyncio.wait_for(chan.say("Please say your case number.", "en", False), 5)
    assert synth.texts == ["Please say your case number."] and len(port.playing) == 1
