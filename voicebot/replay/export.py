"""``voicebot replay --from-call ID --write DIR``: a logged call (record + turns) as a fixture.

Typed turns come from the stored caller text; ``[keys] 12#`` becomes a ``dtmf`` turn and
``[silence]`` a ``silence`` turn. A password answer is stored only as ``[password given]``, so it
becomes a ``dtmf`` placeholder flagged with ``fill``: the loader refuses the fixture until the
tester types the digits in and removes ``fill`` (a real password is never written). Caller audio
the record kept (``keep_caller_audio``, complaint messages) is copied next to ``call.json`` and
played instead of the text. ``expect`` is the record's outcome, intent and case number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.replay.fixture import FixtureError
from voicebot.store.db import session_scope
from voicebot.store.models import CallerRecord, CallRecord, CallTurn
from voicebot.store.redact import PASSWORD_GIVEN

FILL_PASSWORD = ("the caller's query password: the store keeps only [password given]; put the "
                 "keys in 'dtmf' (six digits and #) and remove 'fill'")
"""The ``fill`` note of a password placeholder turn."""

_CJK = re.compile(r"[\u4e00-\u9fff]")


class ExportError(FixtureError):
    """A call that cannot be turned into a fixture (unknown id, unfinished call, target in use)."""

    code = "fixture.export"


@dataclass(frozen=True)
class Exported:
    """A fixture written from a logged call."""

    folder: Path
    """Where ``call.json`` (and copied WAVs) went."""
    placeholders: tuple[int, ...]
    """Turn numbers (1-based) the tester must fill in."""
    wavs: int
    """Caller WAVs copied."""


def export_call(sessions: sessionmaker[Session], call_id: int, target: Path, *,
                timezone: str) -> Exported:
    """Write the call ``call_id`` as a fixture into ``target`` (a new or empty folder)."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ExportError(f"{target}: already exists and is not an empty folder")
    with session_scope(sessions) as session:
        record = session.get(CallRecord, call_id)
        if record is None:
            raise ExportError(f"no call {call_id} in the store")
        if record.ended_at is None:
            raise ExportError(f"call {call_id} has not ended (no outcome to expect)")
        turns = list(session.scalars(select(CallTurn).where(CallTurn.call_id == call_id)
                                     .order_by(CallTurn.idx)))
        folders = [Path(record.audio_path)] if record.audio_path else []
        folders += [Path(p).parent for p in session.scalars(
            select(CallerRecord.audio_path).where(CallerRecord.call_id == call_id)) if p]
        greeting = turns[0].bot_text if turns else ""
        data: dict[str, object] = {
            "note": f"exported from call {call_id} ({record.channel}, "
                    f"{record.started_at.isoformat()})",
            # the greeting opens in the call's first language (it names the other one later)
            "language": "zh" if _CJK.match(greeting.lstrip()) else "en",
            "at": _local(record.started_at, timezone),
            "caller_id": record.caller_id_raw or record.caller_id,
        }
        expect: dict[str, object] = {"outcome": record.outcome}
        if record.intent:
            expect["intent"] = record.intent
        if record.case_number:
            expect["case_number"] = record.case_number
        caller_turns = [(t.idx, t.caller_text) for t in turns if t.idx > 0]
    target.mkdir(parents=True, exist_ok=True)
    out_turns: list[object] = []
    placeholders: list[int] = []
    wavs = 0
    for n, (idx, text) in enumerate(caller_turns, 1):
        wav = next((f / f"turn-{idx:02d}.wav" for f in folders
                    if (f / f"turn-{idx:02d}.wav").is_file()), None)
        if text == PASSWORD_GIVEN:
            out_turns.append({"dtmf": "", "fill": FILL_PASSWORD})
            placeholders.append(n)
        elif wav is not None:
            name = f"{n:02d}.wav"
            shutil.copyfile(wav, target / name)
            wavs += 1
            out_turns.append({"wav": name, "note": f"heard as: {text}"})
        elif text == "[silence]":
            out_turns.append({"silence": True})
        elif text.startswith("[keys] "):
            out_turns.append({"dtmf": text[len("[keys] "):].replace(" ", "")})
        else:
            out_turns.append({"text": text})
    data["turns"] = out_turns
    data["expect"] = expect
    (target / "call.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                                      encoding="utf-8")
    return Exported(target, tuple(placeholders), wavs)


def _local(when: dt.datetime, timezone: str) -> str:
    aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
    return aware.astimezone(ZoneInfo(timezone)).isoformat(timespec="seconds")
