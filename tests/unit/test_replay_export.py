"""`replay --from-call`: a call record and its turns (SQLite) written as a fixture."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy.orm import Session, sessionmaker

from voicebot.audio.convert import pcm16
from voicebot.audio.wav import write_wav
from voicebot.replay.export import ExportError, export_call
from voicebot.replay.fixture import FixtureError, load_fixture
from voicebot.store.db import session_scope
from voicebot.store.models import CallRecord, CallTurn

START = dt.datetime(2026, 3, 3, 2, 15, tzinfo=dt.UTC)


def logged(sessions: sessionmaker[Session], audio_dir: str, *, ended: bool = True) -> int:
    texts = [("", "您好，这里是12368热线。 For English, press 9."), ("查询案件进展", "请说案号"),
             ("[keys] 1", "对吗"), ("[password given]", "请输入密码"), ("[silence]", "还在吗"),
             ("我要投诉", "请说")]
    with session_scope(sessions) as session:
        row = CallRecord(started_at=START, ended_at=START if ended else None, channel="text",
                         language="en", caller_id="13800000009", caller_id_raw="+86 138 0000 0009",
                         intent="case_progress", case_number="（2024）京0105民初12345号",
                         outcome="answered", audio_path=audio_dir)
        session.add(row)
        session.flush()
        for i, (caller, bot) in enumerate(texts):
            session.add(CallTurn(call_id=row.id, idx=i, at=START, caller_text=caller,
                                 bot_text=bot))
        return row.id


def test_a_logged_call_becomes_a_fixture(sqlite_sessions: sessionmaker[Session],
                                         tmp_path: Path) -> None:
    kept = tmp_path / "recordings" / "call-1"
    kept.mkdir(parents=True)
    write_wav(kept / "turn-05.wav", pcm16(np.zeros(1600, np.float32), 16000))
    call_id = logged(sqlite_sessions, str(kept))
    target = tmp_path / "fx"
    done = export_call(sqlite_sessions, call_id, target, timezone="Asia/Shanghai")
    assert done.placeholders == (3,) and done.wavs == 1
    data = json.loads((target / "call.json").read_text(encoding="utf-8"))
    assert data["language"] == "zh" and data["at"] == "2026-03-03T10:15:00+08:00"
    assert data["caller_id"] == "+86 138 0000 0009"
    assert data["turns"][:3] == [{"text": "查询案件进展"}, {"dtmf": "1"},
                                 {"dtmf": "", "fill": data["turns"][2]["fill"]}]
    assert "[password given]" in data["turns"][2]["fill"]
    assert data["turns"][3:] == [{"silence": True}, {"wav": "05.wav", "note": "heard as: 我要投诉"}]
    assert (target / "05.wav").read_bytes() == (kept / "turn-05.wav").read_bytes()
    assert data["expect"] == {"outcome": "answered", "intent": "case_progress",
                              "case_number": "（2024）京0105民初12345号"}
    with pytest.raises(FixtureError, match="turn 3: placeholder to fill in"):
        load_fixture(target)
    data["turns"][2] = {"dtmf": "123456#"}
    (target / "call.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    fixture = load_fixture(target)
    assert [t.kind for t in fixture.turns] == ["text", "dtmf", "dtmf", "silence", "wav"]


def test_what_cannot_be_exported_is_said(sqlite_sessions: sessionmaker[Session],
                                         tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="no call 99 in the store"):
        export_call(sqlite_sessions, 99, tmp_path / "a", timezone="Asia/Shanghai")
    running = logged(sqlite_sessions, "", ended=False)
    with pytest.raises(ExportError, match="has not ended"):
        export_call(sqlite_sessions, running, tmp_path / "b", timezone="Asia/Shanghai")
    used = tmp_path / "used"
    used.mkdir()
    (used / "call.json").write_text("{}", encoding="utf-8")
    with pytest.raises(ExportError, match="not an empty folder"):
        export_call(sqlite_sessions, running, used, timezone="Asia/Shanghai")
    assert (used / "call.json").read_text(encoding="utf-8") == "{}"
