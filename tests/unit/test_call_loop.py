"""The call loop with fake stages: records always finished, stage errors caught, calls at once."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.errors import AsrStageError
from voicebot.call.line import CourtInfo, Line
from voicebot.call.loop import run_call
from voicebot.call.ports import CallerInput, Spoken
from voicebot.call.serve import serve_line
from voicebot.call.text import TextChannel
from voicebot.dialog.actions import Action, HangUp, Listen, Say
from voicebot.dialog.events import ActionFailed, CallStarted, Event, Heard, HungUp, NoInput
from voicebot.dialog.snapshot import DialogSnapshot
from voicebot.nlu.types import Understanding
from voicebot.settings import Settings
from voicebot.store.models import CallRecord, CallTurn, HandoffTicket
from voicebot.transport.media import CallInfo, TransportKind

AT = dt.datetime(2026, 3, 3, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class EchoDialog:
    """Greets, echoes each utterance, says goodbye on "bye"; records what it was told."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.events: list[Event] = []
        self.fail_on = fail_on
        self.intent = ""
        self.outcome = ""
        self.case_number = None
        self.verified = False
        self.record_ref = ""
        self.language = "en"

    def snapshot(self) -> DialogSnapshot:
        return DialogSnapshot("echo", self.language, self.intent, self.case_number,
                              self.verified, self.outcome or "unresolved", self.record_ref)

    def handle(self, event: Event) -> list[Action]:
        self.events.append(event)
        if isinstance(event, CallStarted):
            return [Say("Hello.", "en"), Listen("intent", "en")]
        if isinstance(event, Heard):
            text = event.understanding.text
            if text == self.fail_on:
                raise RuntimeError("dialog bug")
            self.intent = event.understanding.intent
            if text == "bye":
                self.outcome = "answered"
                return [Say("Goodbye.", "en"), HangUp("answered")]
            return [Say(f"You said {text}.", "en"), Listen("intent", "en")]
        if isinstance(event, ActionFailed):
            return [Say(f"Sorry ({event.action}).", "en"), Listen("intent", "en")]
        if isinstance(event, NoInput):
            return [Say("Still there?", "en"), Listen("intent", "en")]
        if isinstance(event, HungUp):
            return []
        return [Listen("intent", "en")]


class FakeUnderstander:
    def parse(self, text: str, language: str, *, expect: str | None = None) -> Understanding:
        if text == "explode":
            raise ValueError("model broke")
        return Understanding(text=text, language=language, intent="consultation", confidence=0.9)


class FakeKnowledge:
    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        return None


def make_line(sessions: sessionmaker[Session], tmp: str) -> Line:
    settings = Settings(data_dir=__import__("pathlib").Path(tmp))
    return Line(settings, sessions, CourtInfo("京0105", "朝阳法院", "Chaoyang Court"),
                FakeUnderstander(), FakeKnowledge(), default_language="en")


def scripted(lines: Sequence[str | None], caller: str = "",
             meet: asyncio.Barrier | None = None) -> TextChannel:
    """Typed turns from ``lines``; with ``meet``, the first turn waits for the other call's."""
    queue = list(lines)

    async def read(listen: Listen) -> str | None:
        if meet is not None and len(queue) == len(lines):
            await asyncio.wait_for(meet.wait(), 5)
        await asyncio.sleep(0.01)
        return queue.pop(0) if queue else None

    return TextChannel(read, lambda text, lang: None,
                       info=CallInfo("t", caller=caller, transport=TransportKind.TEXT))


def record(sessions: sessionmaker[Session], call_id: int | None) -> tuple[CallRecord, list[str]]:
    with sessions() as s:
        row = s.get(CallRecord, call_id)
        assert row is not None
        turns = s.scalars(select(CallTurn.bot_text).where(CallTurn.call_id == call_id)
                          .order_by(CallTurn.idx)).all()
        s.expunge(row)
        return row, list(turns)


async def test_a_call_is_recorded_turn_by_turn(sqlite_sessions, tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    result = await run_call(line, scripted(["hello there", "bye"], "13800000001"),
                            at=AT, dialog=EchoDialog())
    assert result.outcome == "answered"
    assert [t.bot for t in result.turns] == ["Hello.", "You said hello there.", "Goodbye."]
    assert all(t.latency_ms is not None for t in result.turns[1:])
    row, bots = record(sqlite_sessions, result.call_id)
    assert row.ended_at is not None and row.outcome == "answered" and row.channel == "text"
    assert row.caller_id == "13800000001" and row.intent == "consultation"
    assert bots == ["Hello.", "You said hello there.", "Goodbye."]


async def test_a_failing_nlu_stage_is_caught_and_the_record_finished(sqlite_sessions,
                                                                    tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    dialog = EchoDialog()
    result = await run_call(line, scripted(["explode", "bye"]), at=AT, dialog=dialog)
    failed = [e for e in dialog.events if isinstance(e, ActionFailed)]
    assert failed == [ActionFailed("nlu", "nlu.failed")]
    assert result.error_code == "nlu.failed" and result.outcome == "answered"
    row, _ = record(sqlite_sessions, result.call_id)
    assert row.error_code == "nlu.failed" and row.ended_at is not None


async def test_a_dialog_crash_hands_the_caller_to_an_operator(sqlite_sessions, tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    result = await run_call(line, scripted(["boom"], "139"), at=AT,
                            dialog=EchoDialog(fail_on="boom"))
    assert result.error_code == "dialog.failed"
    assert result.outcome == "handoff" and result.record_ref.startswith("HT-")
    assert "technical problem" in result.turns[-1].bot
    row, _ = record(sqlite_sessions, result.call_id)
    assert row.outcome == "handoff" and row.error_code == "dialog.failed"
    with sqlite_sessions() as s:
        ticket = s.scalars(select(HandoffTicket)).one()
        assert ticket.call_id == result.call_id and ticket.status == "waiting"


async def test_a_dialog_crash_at_night_books_a_callback(sqlite_sessions, tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    night = AT.replace(hour=22)
    result = await run_call(line, scripted(["boom"], "13800000002"), at=night,
                            dialog=EchoDialog(fail_on="boom"))
    assert result.outcome == "callback" and result.record_ref.startswith("CB-")


class BrokenEars(TextChannel):
    """Recognition always fails."""

    async def hear(self, listen: Listen) -> CallerInput:
        raise AsrStageError("engine died", "asr.engine_died")


async def test_repeated_stage_errors_end_the_call_with_a_finished_record(sqlite_sessions,
                                                                        tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    channel = BrokenEars(lambda listen: asyncio.sleep(0, None), lambda t, lang: None)
    result = await run_call(line, channel, at=AT.replace(hour=23), dialog=EchoDialog())
    assert result.error_code == "asr.engine_died"
    assert result.outcome == "unresolved"  # no caller id: no callback can be booked
    row, bots = record(sqlite_sessions, result.call_id)
    assert row.ended_at is not None and row.error_code == "asr.engine_died"
    assert any("Please call again later" in b for b in bots)


class MuteMouth(TextChannel):
    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        raise RuntimeError("speaker unplugged")


async def test_an_unexpected_error_still_finishes_the_record(sqlite_sessions, tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    channel = MuteMouth(lambda listen: asyncio.sleep(0, None), lambda t, lang: None)
    result = await run_call(line, channel, at=AT, dialog=EchoDialog())
    row, _ = record(sqlite_sessions, result.call_id)
    assert row.ended_at is not None and row.error_code == "call.failed"


async def test_two_simultaneous_calls_share_one_line(sqlite_sessions, tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    meet = asyncio.Barrier(2)  # each call's first turn waits until the other call listens too
    a, b = await asyncio.gather(
        run_call(line, scripted(["one", "two", "bye"], "1", meet), at=AT,
                 dialog=EchoDialog()),
        run_call(line, scripted(["three", "bye"], "2", meet), at=AT,
                 dialog=EchoDialog()),
    )
    assert a.call_id != b.call_id
    assert [t.caller for t in a.turns] == ["", "one", "two", "bye"]
    assert [t.caller for t in b.turns] == ["", "three", "bye"]
    for res in (a, b):
        row, bots = record(sqlite_sessions, res.call_id)
        assert row.outcome == "answered" and row.ended_at is not None
        assert len(bots) == len(res.turns)


async def test_a_line_server_answers_a_typed_call_per_connection(sqlite_sessions,
                                                                 tmp_path) -> None:
    line = make_line(sqlite_sessions, str(tmp_path))
    server = await serve_line(line, "tcp://127.0.0.1:0")
    try:
        host, port = server.address.removeprefix("tcp://").rsplit(":", 1)
        reader, writer = await asyncio.open_connection(host, int(port))
        greeting = await asyncio.wait_for(reader.readline(), 10)
        assert greeting.startswith(b"line> ")
        writer.close()  # the caller hangs up
        await writer.wait_closed()
        for _ in range(200):
            with sqlite_sessions() as s:
                row = s.scalars(select(CallRecord)).first()
                if row is not None and row.ended_at is not None:
                    break
            await asyncio.sleep(0.02)
        assert row is not None and row.ended_at is not None and row.channel == "text"
    finally:
        await server.close()
