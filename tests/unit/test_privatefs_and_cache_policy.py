"""Owner-only data files (issue 15.18) and which prompts the TTS cache may keep."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from voicebot.casenumber import CaseNumber
from voicebot.dialog.prompts import PROMPTS, case_number_text, date_text, text
from voicebot.privatefs import private_dir, private_file
from voicebot.store.db import make_engine
from voicebot.tts.cachepolicy import fixed_sentences, line_prompts_policy, sentences


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    old = os.umask(0o022)  # the default umask that made the files world-readable
    yield
    os.umask(old)


def test_private_dir_creates_every_missing_level_owner_only(tmp_path: Path) -> None:
    made = private_dir(tmp_path / "data" / "recordings" / "call-1")
    for p in (tmp_path / "data", tmp_path / "data" / "recordings", made):
        assert mode(p) == 0o700
    private_dir(made)  # again: no error


def test_private_file_is_0600_even_when_it_existed_readable(tmp_path: Path) -> None:
    old = tmp_path / "old.db"
    old.write_text("x")
    old.chmod(0o644)
    assert mode(private_file(old)) == 0o600
    assert old.read_text() == "x"  # not truncated
    new = private_file(tmp_path / "new" / "f.wav")
    assert mode(new) == 0o600 and mode(new.parent) == 0o700


def test_sqlite_database_and_its_folder_are_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "data" / "voicebot.db"
    engine = make_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        conn.exec_driver_sql("INSERT INTO t VALUES (1)")
        conn.commit()
        assert mode(db) == 0o600 and mode(db.parent) == 0o700
        for side in db.parent.glob("voicebot.db-*"):  # WAL and shared-memory files
            assert mode(side) == 0o600, side
    engine.dispose()


def test_sentences_split_on_both_scripts_but_not_inside_an_english_case_number() -> None:
    assert sentences(
        "您好。请问？ Hello. Case (2024) Jing civil first instance No. 12345, right?"
    ) == [
        "您好。",
        "请问？",
        "Hello.",
        "Case (2024) Jing civil first instance No. 12345, right?",
    ]


def test_fixed_sentences_leave_out_every_sentence_with_a_field() -> None:
    fixed = fixed_sentences(["已提交，工单号{ref}。法官会尽快与您联系。", "请按1。"])
    assert fixed == {"法官会尽快与您联系。", "请按1。"}


def test_line_policy_keeps_fixed_prompts_and_nothing_with_case_data() -> None:
    keep = line_prompts_policy()
    case = CaseNumber.parse("（2024）京0105民初12345号")
    kept = [
        s for lang in PROMPTS.values() for t in lang.values() if "{" not in t for s in sentences(t)
    ]
    assert kept and all(keep(s) for s in kept)
    filled = [
        text("confirm_number", "zh", number=case_number_text(case, "zh")),
        text("confirm_number", "en", number=case_number_text(case, "en")),
        text("confirm_phone", "zh", phone="13812345678"),
        text("record_due", "zh", due=date_text(dt.date(2026, 12, 2), "zh")),
        "您的案件目前处于审理阶段，承办法官为王法官。",
    ]
    for prompt in filled:
        first = sentences(prompt)[0]
        assert not keep(first), first


def test_kept_caller_audio_is_owner_only(tmp_path: Path) -> None:
    from sqlalchemy.orm import sessionmaker

    from voicebot.call.record import CallRecorder

    recorder = CallRecorder(sessionmaker(), tmp_path / "data" / "recordings", keep_audio=True)
    saved = Path(recorder.save_audio(b"\0\0" * 1600, 16000, "turn-1"))
    assert saved.is_file() and mode(saved) == 0o600
    for folder in (saved.parent, saved.parent.parent, tmp_path / "data"):
        assert mode(folder) == 0o700, folder
