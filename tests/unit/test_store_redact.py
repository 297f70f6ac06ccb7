"""Answers to a password prompt are never kept: turns, ticket transcript, result, audio."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.line import CourtInfo, Line
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import run_call
from voicebot.call.ports import CallerInput, Spoken
from voicebot.dialog.actions import Action, Listen, Say
from voicebot.dialog.events import CallStarted, Event, Heard, HungUp, Keyed
from voicebot.nlu.types import Understanding
from voicebot.settings import Settings
from voicebot.store.models import CallTurn, HandoffTicket
from voicebot.store.redact import PASSWORD_GIVEN, is_secret, mask_turns, turn_text
from voicebot.transport.media import CallInfo, TransportKind

AT = dt.datetime(2026, 3, 3, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SECRET = "482913"


class PasswordDialog:
    """Asks for the password twice (keys, then speech), then crashes: the caller is handed off."""

    def __init__(self) -> None:
        self.heard: list[str] = []
        self.intent = self.outcome = self.record_ref = ""
        self.case_number = None
        self.verified = False
        self.language = "en"

    def handle(self, event: Event) -> list[Action]:
        if isinstance(event, CallStarted):
            return [Say("Please key in the 6-digit query password.", "en"),
                    Listen("password", "en", max_digits=6)]
        if isinstance(event, Keyed):
            self.heard.append(event.digits)
            return [Say("Please say the 6-digit query password.", "en"),
                    Listen("password", "en")]
        if isinstance(event, Heard):
            self.heard.append(event.understanding.text)
            if event.understanding.text == "operator":
                raise RuntimeError("dialog bug")  # -> handoff with the transcript
            return [Say("And what else?", "en"), Listen("intent", "en")]
        if isinstance(event, HungUp):
            return []
        return [Listen("intent", "en")]


class ScriptedVoice:
    """Caller input from a list; speech carries audio so the recorder could keep it."""

    name = "audio"

    def __init__(self, inputs: list[CallerInput]) -> None:
        self.inputs = inputs
        self.info = CallInfo("t", caller="13800000001", transport=TransportKind.TEXT)

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        return Spoken(False, None, 0.0)

    async def hear(self, spec: ListenSpec) -> CallerInput:
        await asyncio.sleep(0)
        return self.inputs.pop(0) if self.inputs else CallerInput("hung_up")

    async def close(self) -> None:
        return None


class Parrot:
    def parse(self, text: str, language: str, *, expect: str | None = None) -> Understanding:
        return Understanding(text=text, language=language, intent="consultation", confidence=0.9)


class NoKnowledge:
    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        return None


async def test_password_answers_are_stored_masked_everywhere(
        sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, keep_caller_audio=True)
    line = Line(settings, sqlite_sessions, CourtInfo("京0105", "朝阳法院", "Chaoyang Court"),
                Parrot(), NoKnowledge(), default_language="en")
    pcm = b"\x01\x00" * 1600
    dialog = PasswordDialog()
    voice = ScriptedVoice([
        CallerInput("keys", keys=SECRET + "#"),
        CallerInput("speech", text="four eight two nine one three", pcm=pcm),
        CallerInput("speech", text="operator", pcm=pcm),
    ])
    result = await run_call(line, voice, at=AT, dialog=dialog)
    assert dialog.heard[:2] == [SECRET + "#", "four eight two nine one three"]  # dialog got them
    assert result.outcome == "handoff"
    callers = [t.caller for t in result.turns]
    assert callers[1:3] == [PASSWORD_GIVEN, PASSWORD_GIVEN]
    assert callers[3] == "operator"  # the answer to another prompt is kept
    with sqlite_sessions() as s:
        stored = s.scalars(select(CallTurn.caller_text).where(CallTurn.call_id == result.call_id)
                           .order_by(CallTurn.idx)).all()
        ticket = s.scalars(select(HandoffTicket)).one()
    assert list(stored) == callers
    shown = repr(ticket.transcript) + repr(list(stored))
    assert SECRET not in shown and "four eight two" not in shown
    assert PASSWORD_GIVEN in shown
    kept = sorted(p.name for p in settings.recordings_dir.rglob("*.wav"))
    assert kept == ["turn-03.wav"]  # only the audio of the non-password turn


def test_turn_text_and_mask_turns() -> None:
    assert turn_text(is_secret("password"), "[keys] 482913#") == PASSWORD_GIVEN
    assert turn_text(is_secret("password"), "[silence]") == "[silence]"
    assert turn_text(is_secret("phone"), "[keys] 13800000001#") == "[keys] 13800000001#"
    turns = [("", "请说出或在电话键盘上输入该案的6位查询密码，以井号键结束。"),
             ("[keys] 482913#", "案号和查询密码不匹配，您还可以再试2次。请重新输入6位查询密码。"),
             ("四八二九一四", "Sorry. Please key in the 6-digit query password."),
             ("[keys] 111111#", "Thank you."), ("operator", "Please hold.")]
    masked = mask_turns(turns)
    assert [c for c, _ in masked] == ["", PASSWORD_GIVEN, PASSWORD_GIVEN, PASSWORD_GIVEN,
                                      "operator"]
    assert [b for _, b in masked] == [b for _, b in turns]
