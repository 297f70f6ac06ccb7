"""End of turn by expectation: an early reading that completes the turn ends it after its own
hold; a number cut by a pause, a hanging "no, it's", a doubtful or unsure reading waits for the
endpointer's ``silence_ms``. Fakes: a recognizer with a fixed final, a parse table."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from voicebot.asr.types import AsrResult, Grammar
from voicebot.audio.chunk import AudioChunk
from voicebot.audio.vad import EndpointEvent
from voicebot.call.early_final import EarlyFinal
from voicebot.call.hearing import Step, Voiced, recognize_turn
from voicebot.call.listening import listen_spec
from voicebot.call.ports import CallerInput
from voicebot.call.turn_end import EndHolds, EndRule, TurnEnd, end_rule, hangs
from voicebot.dialog.actions import Listen
from voicebot.nlu.types import NluHint, Understanding
from voicebot.settings import Settings

RATE = 16000
CHUNK = AudioChunk(bytes(640), RATE, 2, 1)
HOLDS = EndHolds(digits_ms=250, yes_no_ms=300, request_ms=400, request_confidence=0.6)


class FixedRecognizer:
    language = "en"
    sample_rate = RATE

    def __init__(self, text: str, doubtful: bool = False) -> None:
        self.text, self.doubtful = text, doubtful
        self.finals = 0

    def set_grammar(self, grammar: Grammar | None) -> None:
        pass

    def accept(self, pcm: bytes) -> AsrResult | None:
        return None

    def finish(self) -> AsrResult:
        self.finals += 1
        return AsrResult(self.text, True, doubtful=self.doubtful)


def parse_table(table: dict[str, Understanding]):  # type: ignore[no-untyped-def]
    def parse(text: str, language: str, hint: NluHint | None) -> Understanding:
        return table.get(text, Understanding(text, language))
    return parse


class Script:
    """Speech for 10 chunks, a pause event after ``speculate`` ms of silence, silence until
    the endpointer's end at ``silence_ms``; ``resume_after`` chunks of pause, then speech again
    (the caller pausing inside a number). Counts the silent chunks the turn consumed."""

    def __init__(self, resume_after: int | None = None) -> None:
        self.resume_after = resume_after
        self.silent_read = 0

    async def steps(self) -> AsyncIterator[Step]:
        pos = 0.0

        def step(event: EndpointEvent | None) -> Voiced:
            return Voiced(CHUNK, pos, event, 0.0)

        yield step(EndpointEvent("speech_start", 20, 0))
        for _ in range(9):
            pos += 20
            yield step(None)
        rounds = 2 if self.resume_after is not None else 1
        for r in range(rounds):
            silent = 0
            for i in range(35):  # 700 ms
                pos += 20
                silent += 20
                self.silent_read += 1
                await asyncio.sleep(0.005)  # the recognizer's worker thread gets to run
                if r == 0 and self.resume_after is not None and i == self.resume_after:
                    break
                if silent == 260:
                    yield step(EndpointEvent("pause", round(pos), 0))
                elif silent == 700:
                    yield step(EndpointEvent("end_of_utterance", round(pos), 0))
                    return
                else:
                    yield step(None)
            pos += 20
            yield step(EndpointEvent("resume", round(pos), 0))
            for _ in range(5):
                pos += 20
                yield step(None)


async def hear(expect: str, text: str, table: dict[str, Understanding] | None = None, *,
               doubtful: bool = False, script: Script | None = None) -> tuple[CallerInput, int]:
    spec = listen_spec(Listen(expect, "en"))  # type: ignore[arg-type]
    judge = TurnEnd(spec, HOLDS, parse_table(table or {}))
    script = script or Script()
    got = await recognize_turn(script.steps(), EarlyFinal(FixedRecognizer(text, doubtful)),
                               spec, RATE, judge, pause_ms=260)
    return got, script.silent_read


def test_rules_per_prompt() -> None:
    assert end_rule(listen_spec(Listen("password", "en", 6))) is EndRule.DIGITS
    assert end_rule(listen_spec(Listen("phone", "en"))) is EndRule.SILENCE
    assert end_rule(listen_spec(Listen("case_number", "en"))) is EndRule.SILENCE
    assert end_rule(listen_spec(Listen("yesno", "en"))) is EndRule.YES_NO
    assert end_rule(listen_spec(Listen("intent", "zh"))) is EndRule.REQUEST
    assert end_rule(listen_spec(Listen("message", "zh"))) is EndRule.SILENCE


def test_holds_come_from_settings_and_speculation_is_needed() -> None:
    holds = EndHolds.from_settings(Settings(end_request_ms=450, end_request_confidence_pct=70))
    assert holds.hold_ms(EndRule.REQUEST) == 450 and holds.request_confidence == 0.7
    assert holds.hold_ms(EndRule.SILENCE) == 0
    off = EndHolds.from_settings(Settings(speculate_ms=0))
    assert off.hold_ms(EndRule.DIGITS) == off.hold_ms(EndRule.REQUEST) == 0


@pytest.mark.parametrize(("text", "lang", "open_"), [
    ("I want to know the progress of my case", "en", False),
    ("the case number is", "en", True),
    ("no it's", "en", True),
    ("hearing time for case number", "en", True),
    ("um", "en", True),
    ("yes please", "en", False),
    ("我想查一下案件进度", "zh", False),
    ("不是，是", "zh", True),
    ("我的案号是", "zh", True),
    ("对的", "zh", False),
    ("是", "zh", False),
    ("我想问一下那个", "zh", True),
])
def test_hanging_words(text: str, lang: str, open_: bool) -> None:
    assert hangs(text, lang) is open_


def test_a_password_of_the_expected_length_ends_at_its_hold() -> None:
    got, silent = asyncio.run(hear("password", "four eight two nine one three"))
    assert got.timings["end_early"] == 1.0
    assert silent < 35  # before the endpointer's 700 ms
    assert got.text == "four eight two nine one three"


def test_a_password_cut_by_a_pause_waits_for_the_rest() -> None:
    got, silent = asyncio.run(hear("password", "four eight two"))
    assert got.timings["end_early"] == 0.0 and silent == 35


def test_a_caller_who_goes_on_voids_the_early_end() -> None:
    # a pause of 500 ms inside the number: longer than the hold, shorter than silence_ms
    script = Script(resume_after=24)
    got, _ = asyncio.run(hear("password", "four eight two", script=script))
    assert got.timings["end_early"] == 0.0 and got.timings["asr_redone"] == 1.0


def test_a_doubtful_reading_is_never_an_early_end() -> None:
    got, _ = asyncio.run(hear("password", "four eight two nine one three", doubtful=True))
    assert got.timings["end_early"] == 0.0


def test_a_confident_yes_ends_early_and_a_hanging_no_waits() -> None:
    yes = {"yes please": Understanding("yes please", "en", yes_no=True)}
    got, _ = asyncio.run(hear("yesno", "yes please", yes))
    assert got.timings["end_early"] == 1.0
    no = {"no it's": Understanding("no it's", "en", yes_no=False)}
    got, _ = asyncio.run(hear("yesno", "no it's", no))
    assert got.timings["end_early"] == 0.0
    correction = {"no one two": Understanding("no one two", "en", yes_no=False, digits="12")}
    got, _ = asyncio.run(hear("yesno", "no one two", correction))
    assert got.timings["end_early"] == 0.0


def test_a_request_ends_early_only_when_confident() -> None:
    text = "when is my hearing"
    sure = {text: Understanding(text, "en", intent="hearing_time", confidence=0.9)}
    got, silent = asyncio.run(hear("intent", text, sure))
    assert got.timings["end_early"] == 1.0 and silent < 35
    unsure = {text: Understanding(text, "en", intent="hearing_time", confidence=0.4)}
    got, _ = asyncio.run(hear("intent", text, unsure))
    assert got.timings["end_early"] == 0.0
    got, _ = asyncio.run(hear("intent", "blah blah"))
    assert got.timings["end_early"] == 0.0


def test_understanding_that_fails_waits_for_silence() -> None:
    def broken(text: str, language: str, hint: NluHint | None) -> Understanding:
        raise RuntimeError("model gone")

    spec = listen_spec(Listen("intent", "en"))  # type: ignore[arg-type]
    script = Script()
    got = asyncio.run(recognize_turn(script.steps(), EarlyFinal(FixedRecognizer("hi there")),
                                     spec, RATE, TurnEnd(spec, HOLDS, broken), pause_ms=260))
    assert got.timings["end_early"] == 0.0 and script.silent_read == 35
