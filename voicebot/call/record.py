"""The call record: a ``CallRecord`` row at call start, a ``CallTurn`` per turn, always finished."""

from __future__ import annotations

import datetime as dt
import wave
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from voicebot.callerid import caller_columns
from voicebot.privatefs import private_file
from voicebot.store.db import session_scope
from voicebot.store.models import CallRecord, CallTurn


@dataclass(frozen=True)
class TurnLog:
    """One turn as the caller and the bot took it."""

    caller: str
    """What the caller said (transcript), keyed (``[keys] 123#``), or ``""`` (greeting, silence)."""
    bot: str
    """Everything the bot said in reply, joined."""
    intent: str = ""
    """Intent understood from the caller's utterance, if any."""
    latency_ms: int | None = None
    """End of the caller's speech to the first bot audio sample (None for the greeting)."""


@dataclass(frozen=True)
class CallSummary:
    """How a call ended, as written to its record."""

    outcome: str
    """One of the dialog's outcomes (``answered``, ``handoff``...), ``unresolved`` by default."""
    intent: str = ""
    """The call's main intent."""
    case_number: str = ""
    """Case number in play, official form."""
    verified: bool = False
    """Whether the caller passed the password check."""
    record_ref: str = ""
    """Work order, ticket or handoff number the call produced."""
    error_code: str = ""
    """Stable code of the stage error that cut the call short, if any."""
    language: str = ""
    """Language the call ended in."""


class CallRecorder:
    """Writes one call's record; every method is its own short transaction (blocking)."""

    def __init__(self, sessions: sessionmaker[Session], recordings_dir: Path, *,
                 keep_audio: bool) -> None:
        self._sessions = sessions
        self._dir = recordings_dir
        self._keep_audio = keep_audio
        self.call_id: int | None = None
        self._turns = 0
        self._audio_path = ""

    def start(self, *, started_at: dt.datetime, channel: str, language: str,
              caller_id: str) -> int:
        """Create the ``CallRecord`` row; returns its id."""
        with session_scope(self._sessions) as session:
            row = CallRecord(started_at=started_at, channel=channel, language=language,
                             **caller_columns(caller_id), outcome="")
            session.add(row)
            session.flush()
            self.call_id = row.id
        return self.call_id

    def add_turn(self, turn: TurnLog, at: dt.datetime) -> None:
        """Append a ``CallTurn``."""
        if self.call_id is None:
            return
        with session_scope(self._sessions) as session:
            session.add(CallTurn(call_id=self.call_id, idx=self._turns, at=at,
                                 caller_text=turn.caller, bot_text=turn.bot,
                                 intent=turn.intent, latency_ms=turn.latency_ms))
        self._turns += 1

    def save_audio(self, pcm: bytes, rate: int, name: str, *, force: bool = False) -> str:
        """Keep caller audio under the recordings folder when settings say so (or ``force``).

        Returns the file's path, or ``""`` when not kept.
        """
        if not pcm or not (force or self._keep_audio):
            return ""
        folder = self._dir / f"call-{self.call_id if self.call_id is not None else 'x'}"
        path = private_file(folder / f"{name}.wav")  # 0600 in 0700 folders: caller audio
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm)
        if self._keep_audio:
            self._audio_path = str(folder)
        return str(path)

    def finish(self, summary: CallSummary, ended_at: dt.datetime) -> None:
        """Complete the ``CallRecord``: end time, outcome, intent, case number, refs, error code."""
        if self.call_id is None:
            return
        with session_scope(self._sessions) as session:
            row = session.get(CallRecord, self.call_id)
            if row is None:
                return
            row.ended_at = ended_at
            row.outcome = summary.outcome or "unresolved"
            row.intent = summary.intent
            row.case_number = summary.case_number
            row.verified = summary.verified
            row.record_ref = summary.record_ref
            row.error_code = summary.error_code
            if summary.language:
                row.language = summary.language
            if self._audio_path:
                row.audio_path = self._audio_path
