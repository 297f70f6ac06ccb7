"""The local spool: durable append-only journal, torn lines, and what the caller is told."""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest

from voicebot.call.services import CallContext
from voicebot.call.spool_hooks import spool_action
from voicebot.casenumber import CaseNumber
from voicebot.dialog.actions import CreateRecord, CreateWorkOrder, LookUpCase
from voicebot.dialog.events import RecordCreated
from voicebot.settings import Settings
from voicebot.store.spool import Spool, spool_for

NOW = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
NUMBER = CaseNumber.parse("（2024）京0105民初12345号")


def test_entries_are_appended_durably_and_privately(tmp_path: Path) -> None:
    spool = spool_for(tmp_path)
    a = spool.append("record", {"message": "窗口态度很差"})
    b = spool.append("call_turn", {"caller": "x"})
    assert [e.key for e in spool.pending()] == [a, b]
    assert stat.S_IMODE(spool.journal.stat().st_mode) == 0o600
    assert stat.S_IMODE(spool.folder.stat().st_mode) == 0o700
    spool.mark_done(a)
    assert [e.key for e in spool.pending()] == [b]
    assert len(spool.entries()) == 2  # nothing rewritten


def test_a_torn_last_line_is_left_alone(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    key = spool.append("record", {"message": "m"})
    with open(spool.journal, "ab") as f:
        f.write(b'{"key": "abc", "op": "rec')
    assert [e.key for e in spool.pending()] == [key]
    with pytest.raises(ValueError):
        spool.append("drop_table", {})


def _ctx() -> CallContext:
    return CallContext(call_id=7, caller_id="13800000001", language="zh",
                       transcript=(("我要投诉", "请说"),))


def test_records_and_verified_work_orders_are_spooled(tmp_path: Path) -> None:
    settings = Settings().replace(data_dir=tmp_path)
    made = spool_action(settings, CreateRecord("complaint", "态度很差", NUMBER, None), _ctx(),
                        NOW, set())
    assert made == RecordCreated("complaint", "", None, spooled=True)
    order = CreateWorkOrder(NUMBER, "请法官回电", "13800000001")
    assert spool_action(settings, order, _ctx(), NOW, set()) is None  # never verified
    assert spool_action(settings, order, _ctx(), NOW, {str(NUMBER)}) is not None
    assert spool_action(settings, LookUpCase(NUMBER), _ctx(), NOW, {str(NUMBER)}) is None
    entries = spool_for(tmp_path).pending()
    assert [e.op for e in entries] == ["record", "work_order"]
    assert entries[0].data["message"] == "态度很差" and entries[0].data["call_id"] == 7
    assert entries[0].data["case_number"] == str(NUMBER)


def test_no_promise_when_the_spool_cannot_be_written(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    settings = Settings().replace(data_dir=blocker)
    assert spool_action(settings, CreateRecord("complaint", "m"), _ctx(), NOW, set()) is None
