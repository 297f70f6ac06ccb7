"""Migration 0003 masks stored password answers; overlong caller ids never cost the call."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import select, text

from voicebot.call.line import CourtInfo, Line
from voicebot.call.loop import run_call
from voicebot.call.text import TextChannel
from voicebot.callerid import CUT_MARK, RAW_MAX
from voicebot.dialog.actions import Listen
from voicebot.nlu.types import Understanding
from voicebot.settings import Settings
from voicebot.store import schema
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import CallRecord, CallTurn
from voicebot.store.redact import PASSWORD_GIVEN
from voicebot.transport.media import CallInfo, TransportKind

pytestmark = pytest.mark.integration
AT = dt.datetime(2026, 3, 3, 10, 15, tzinfo=dt.timezone(dt.timedelta(hours=8)))
ASK = "请说出或在电话键盘上输入该案的6位查询密码，以井号键结束。"


def text_info(caller: str) -> CallInfo:
    """A typed call from ``caller`` as the transport signals it."""
    return CallInfo("t", caller=caller, transport=TransportKind.TEXT)


def test_migration_masks_password_answers_and_keeps_the_raw_caller_id(
        db_url: str, tmp_path: Path) -> None:
    schema.upgrade(db_url, "0002")
    folder = tmp_path / "call-1"
    folder.mkdir()
    for name in ("turn-01.wav", "turn-02.wav"):
        (folder / name).write_bytes(b"RIFF")
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO calls (id, started_at, channel, language, caller_id, intent, case_number,"
            " verified, outcome, record_ref, error_code, audio_path) VALUES (1, :at, 'audio', 'zh',"
            " :caller, '', '', false, 'handoff', '', '', :folder)"),
            {"at": AT, "caller": "sip:+8613800000001@pbx", "folder": str(folder)})
        turns = [("", ASK), ("[keys] 482913#", "案号和查询密码不匹配。请重新输入6位查询密码。"),
                 ("四八二九一三", "正在为您转接人工服务。"), ("人工", "请稍候。")]
        for idx, (caller, bot) in enumerate(turns):
            conn.execute(text(
                "INSERT INTO call_turns (call_id, idx, at, caller_text, bot_text, intent)"
                " VALUES (1, :idx, :at, :caller, :bot, '')"),
                {"idx": idx, "at": AT, "caller": caller, "bot": bot})
        conn.execute(text(
            "INSERT INTO handoff_tickets (number, kind, call_id, status, language, caller_phone,"
            " intent, case_number, verified, transcript, created_at, note) VALUES ('HT-1',"
            " 'handoff', 1, 'waiting', 'zh', '', '', '', false, :tr, :at, '')"),
            {"tr": json.dumps([{"caller": c, "bot": b} for c, b in turns]), "at": AT})
    engine.dispose()
    assert schema.upgrade(db_url) == schema.head_revision()
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT caller_text FROM call_turns ORDER BY idx")).all()
            transcript = conn.execute(text("SELECT transcript FROM handoff_tickets")).scalar_one()
            call = conn.execute(text("SELECT caller_id, caller_id_raw FROM calls")).one()
    finally:
        engine.dispose()
    expected = ["", PASSWORD_GIVEN, PASSWORD_GIVEN, "人工"]
    assert [r[0] for r in stored] == expected
    if isinstance(transcript, str):
        transcript = json.loads(transcript)
    assert [t["caller"] for t in transcript] == expected
    assert sorted(p.name for p in folder.iterdir()) == []  # the password audio is gone
    assert tuple(call) == ("13800000001", "sip:+8613800000001@pbx")


class Parrot:
    def parse(self, text: str, language: str, *, expect: str | None = None) -> Understanding:
        return Understanding(text=text, language=language, intent="operator", confidence=0.9)


class NoKnowledge:
    def answer(self, text: str, language: str, topic: str | None = None) -> str | None:
        return None


def test_an_overlong_caller_id_costs_nothing(db_url: str, tmp_path: Path) -> None:
    schema.upgrade(db_url)
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    raw = '"' + "x" * 200 + '" <sip:+8613800000001@' + "pbx." * 30 + "example;user=phone>"
    line = Line(Settings(data_dir=tmp_path, database_url=db_url), sessions,
                CourtInfo("京0105", "朝阳法院", "Chaoyang Court"), Parrot(), NoKnowledge(),
                default_language="zh")
    said = ["人工"]

    async def read(listen: Listen) -> str | None:
        return said.pop(0) if said else None

    try:
        result = asyncio.run(run_call(line, TextChannel(read, lambda t, lang: None,
                                                  info=text_info(raw)), at=AT))
        assert result.call_id is not None and not result.error_code
        with sessions() as s:
            row = s.get(CallRecord, result.call_id)
            assert row is not None and row.ended_at is not None
            assert row.caller_id == "13800000001"
            assert len(row.caller_id_raw) == RAW_MAX and row.caller_id_raw.endswith(CUT_MARK)
            assert row.caller_id_raw.startswith('"xxx')
            assert s.scalars(select(CallTurn).where(CallTurn.call_id == row.id)).first()
    finally:
        engine.dispose()


def test_forms_of_one_number_share_one_lock(db_url: str, tmp_path: Path) -> None:
    """Three wrong tries from three spellings of one number lock the fourth spelling."""
    from voicebot.call.services import CallContext, CallServices
    from voicebot.casenumber import CaseNumber
    from voicebot.dialog.actions import VerifyPassword
    from voicebot.store.db import session_scope
    from voicebot.store.importer import import_file

    schema.upgrade(db_url)
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    example = Path(__file__).resolve().parents[2] / "docs" / "example-import.json"
    raw_case = json.loads(example.read_text(encoding="utf-8"))["cases"][0]
    with session_scope(sessions) as s:
        import_file(s, example)
    line = Line(Settings(data_dir=tmp_path, database_url=db_url), sessions,
                CourtInfo("京0105", "朝阳法院", "Chaoyang Court"), Parrot(), NoKnowledge(),
                default_language="zh")
    number = CaseNumber.parse(raw_case["number"])
    seen: list[str] = []

    try:
        for raw, password in [("+8613800000001", "000000"), (" 13800000001", "000001"),
                              ("013800000001", "000002"),
                              ("１３８０００００００１", raw_case["query_password"])]:
            said = ["x"]

            async def read(listen: Listen, said: list[str] = said) -> str | None:
                return said.pop(0) if said else None

            result = asyncio.run(run_call(line, TextChannel(read, lambda t, lang: None,
                                                      info=text_info(raw)), at=AT))
            services = CallServices(sessions, line.settings, lambda: AT)
            with session_scope(sessions) as s:
                caller = s.get(CallRecord, result.call_id)
                assert caller is not None
                ctx = CallContext(result.call_id, caller.caller_id, "zh", (), "", "")
            with session_scope(sessions) as s:
                event = services._verify(s, VerifyPassword(number, password), ctx)
            seen.append("locked" if event.locked else ("ok" if event.ok else "wrong"))
    finally:
        engine.dispose()
    assert seen == ["wrong", "wrong", "locked", "locked"]
