"""A text call on the real dialog: desk hours come from the line's settings (issue 17.4)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.line import CourtInfo, Line
from voicebot.call.loop import run_call
from voicebot.call.text import TextChannel
from voicebot.dialog.actions import Listen
from voicebot.nlu.types import Understanding
from voicebot.settings import Settings
from voicebot.transport.media import CallInfo, TransportKind

NIGHT = dt.datetime(2026, 3, 3, 22, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))


class Operator:
    """Understands every utterance as a request for an operator, or a no."""

    def parse(self, text: str, language: str, *, expect: str | None = None) -> Understanding:
        if text == "no":
            return Understanding(text, language, "unknown", 0.2, yes_no=False)
        return Understanding(text, language, "operator", 0.9)


class NoKnowledge:
    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        return None


async def test_desk_hours_said_on_a_call_follow_work_start(
        sqlite_sessions: sessionmaker[Session], tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, work_start=dt.time(8, 30), work_end=dt.time(16, 45))
    line = Line(settings, sqlite_sessions, CourtInfo("京0105", "朝阳法院", "Chaoyang Court"),
                Operator(), NoKnowledge(), default_language="en")
    said: list[str] = []
    turns = ["operator please", "no", "no"]

    async def read(listen: Listen) -> str | None:
        return turns.pop(0) if turns else None

    channel = TextChannel(read, lambda text, lang: said.append(text),
                          info=CallInfo("t", caller="13800000001", transport=TransportKind.TEXT))
    result = await run_call(line, channel, at=NIGHT)
    text = " ".join(said)
    assert "from 8:30 to 16:45" in text, text
    assert "9:00" not in text and "17:00" not in text
    assert result.outcome in ("unresolved",)
