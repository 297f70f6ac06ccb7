"""Handoff over SIP. Daytime: the caller asks for an operator and stays on the line hearing its
queue position; an operator claims the ticket (the store-level claim the console makes) and the
line transfers the caller with REFER to the operator's SIP URI, where a real peer answers. The
fallbacks: at night the dialog books a callback; in desk hours an operator whose phone refuses the
transfer, or nobody claiming the ticket within ``handoff_wait_limit_min``, turns the ticket into
a callback, and the caller is told so before the line hangs up.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import wave
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sip_wire import PEER, VOICEBOT, call_summaries, sip_line
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.call.setup import ensure_demo
from voicebot.handoff.queue import claim_ticket
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.models import CallRecord, CallTurn, HandoffTicket
from voicebot.workdays import WorkCalendar

pytest.importorskip("pjsua2", reason="voicebot[sip] is not installed")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]
OPERATOR_WAV = Path(__file__).resolve().parents[1] / "fixtures" / "calls" / "en_operator_audio"


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _desk_open_all_day(**extra: str) -> dict[str, str]:
    """The line's environment for a desk open now, whatever the day: desk hours 00:00-23:59 and
    today and tomorrow (court-local) declared working days, as a court declares an adjusted
    weekend (``extra_workdays``). Without it these tests depended on the weekday they ran on."""
    today = dt.datetime.now(ZoneInfo(Settings.load().timezone)).date()
    days = f"{today.isoformat()},{(today + dt.timedelta(days=1)).isoformat()}"
    return {"VOICEBOT_DEFAULT_LANGUAGE": "en", "VOICEBOT_WORK_START": "00:00",
            "VOICEBOT_WORK_END": "23:59", "VOICEBOT_EXTRA_WORKDAYS": days,
            "VOICEBOT_SIP_HOLD_MESSAGE_S": "4", **extra}


def test_operator_who_claims_the_ticket_gets_the_caller(tmp_path: Path) -> None:
    configured = Settings.load()
    (tmp_path / "nlu").symlink_to(configured.nlu_model_dir.resolve())
    configured.tts_cache_dir.resolve().mkdir(parents=True, exist_ok=True)
    (tmp_path / "tts-cache").symlink_to(configured.tts_cache_dir.resolve())
    env = _desk_open_all_day()
    full = {**os.environ, "VOICEBOT_DATA_DIR": str(tmp_path), **env}
    settings = Settings.load(env=full)
    assert WorkCalendar.from_settings(settings).desk_open(dt.datetime.now(dt.UTC))
    ensure_demo(settings, 200)
    op_port = _free_udp_port()
    subprocess.run([str(VOICEBOT), "users", "add", "op1", "--role", "operator", "--password-stdin",
                    "--sip", f"sip:op1@127.0.0.1:{op_port}"], input="operator-pass-123\n",
                   text=True, check=True, env=full, capture_output=True)
    operator = subprocess.Popen([sys.executable, str(PEER), "x", "--answer", str(op_port),
                                 "--seconds", "120"], stdout=subprocess.PIPE, text=True)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_sessionmaker(engine)
    try:
        with sip_line(tmp_path, env, demo=False) as (address, _):
            caller = subprocess.Popen(
                [sys.executable, str(PEER), f"sip:12368@{address}", "--turns",
                 str(OPERATOR_WAV / "01.wav"), "--codec", "G722/16000", "--gap", "1.5",
                 "--done-after", "60",
                 "--seconds", "100", "--after-transfer", "3"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            number = ""
            deadline = time.monotonic() + 60
            while not number and time.monotonic() < deadline:
                with session_scope(sessions) as session:
                    number = session.scalar(select(HandoffTicket.number).where(
                        HandoffTicket.status == "waiting")) or ""
                time.sleep(0.5)
            assert number, "no handoff ticket was queued"
            time.sleep(6)  # the caller waits on the line, hearing the position message
            with session_scope(sessions) as session:
                claim_ticket(session, number, "op1", dt.datetime.now(dt.UTC))
            out, _ = caller.communicate(timeout=90)
            result = json.loads([x for x in out.splitlines() if x.startswith("{")][-1])
            assert f"sip:op1@127.0.0.1:{op_port}" in result["referred_to"]
            assert result["transfer_code"] == 200, result
        op_out, _ = operator.communicate(timeout=60)
        rang = json.loads(op_out.splitlines()[-1])
        assert rang["rang"] and "+8610555123" in rang["caller"] and rang["up_s"] >= 1
        with session_scope(sessions) as session:
            ticket = session.scalar(select(HandoffTicket).where(HandoffTicket.number == number))
            assert ticket is not None and ticket.claimed_by == "op1" and ticket.claimed_at
            assert ticket.call_id is not None
            texts = list(session.scalars(select(CallTurn.bot_text).where(
                CallTurn.call_id == ticket.call_id).order_by(CallTurn.idx)))
        assert any(t.startswith("[transferred] to op1 (sip:op1@127.0.0.1") for t in texts), texts
    finally:
        if operator.poll() is None:
            operator.kill()
        engine.dispose()


CALLER = "sip:+8610555123@127.0.0.1"
"""The peer's caller id (``--from-uri`` default)."""


def _prepare(tmp_path: Path, env: dict[str, str], *, daytime: bool) -> tuple[Settings,
                                                                             dict[str, str]]:
    """A data dir with the demo store and the configured NLU model and prompt cache; the
    settings and the line's environment. ``daytime``: the desk must be open now."""
    configured = Settings.load()
    (tmp_path / "nlu").symlink_to(configured.nlu_model_dir.resolve())
    configured.tts_cache_dir.resolve().mkdir(parents=True, exist_ok=True)
    (tmp_path / "tts-cache").symlink_to(configured.tts_cache_dir.resolve())
    full = {**os.environ, "VOICEBOT_DATA_DIR": str(tmp_path), **env}
    settings = Settings.load(env=full)
    if daytime:
        assert WorkCalendar.from_settings(settings).desk_open(dt.datetime.now(dt.UTC))
    ensure_demo(settings, 200)
    return settings, full


def _add_operator(full: dict[str, str], port: int) -> str:
    """Operator ``op1`` with a SIP URI on ``port``; the URI."""
    uri = f"sip:op1@127.0.0.1:{port}"
    subprocess.run([str(VOICEBOT), "users", "add", "op1", "--role", "operator", "--password-stdin",
                    "--sip", uri], input="operator-pass-123\n", text=True, check=True, env=full,
                   capture_output=True)
    return uri


def _dial(address: str, turns: list[str], heard: Path) -> subprocess.Popen[str]:
    """The caller: holds the conversation, then stays on the line until the line hangs up."""
    return subprocess.Popen(
        [sys.executable, str(PEER), f"sip:12368@{address}", "--turns", ",".join(turns),
         "--codec", "G722/16000", "--gap", "1.5", "--done-after", "60", "--seconds", "100",
         "--after-transfer", "1", "--record", str(heard)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def _outcome(peer: subprocess.Popen[str], timeout: float) -> dict[str, object]:
    out, _ = peer.communicate(timeout=timeout)
    lines = [x for x in out.splitlines() if x.startswith("{")]
    assert lines, out
    return json.loads(lines[-1])  # type: ignore[no-any-return]


def _waiting_ticket(sessions: sessionmaker[Session], seconds: float = 60) -> str:
    """The number of the first handoff ticket to wait for an operator."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with session_scope(sessions) as session:
            number = session.scalar(select(HandoffTicket.number).where(
                HandoffTicket.kind == "handoff", HandoffTicket.status == "waiting"))
        if number:
            return number
        time.sleep(0.5)
    raise AssertionError("no handoff ticket was queued")


def _heard(wav: Path, data: Path, last_s: float) -> str:
    """What the caller heard in the call's last ``last_s`` seconds, as the real recognizer
    transcribes it, letters only, lower case ("call back" and "callback" read the same). Only
    the end: on a whole call Whisper skips whole stretches."""
    tail = wav.with_suffix(".tail.wav")
    with wave.open(str(wav)) as w:
        rate = w.getframerate()
        w.setpos(max(0, w.getnframes() - int(last_s * rate)))
        with wave.open(str(tail), "wb") as out:
            out.setparams(w.getparams())
            out.writeframes(w.readframes(w.getnframes()))
    done = subprocess.run([str(VOICEBOT), "asr", "transcribe", "--lang", "en", "--json", str(tail)],
                          capture_output=True, text=True, check=True, timeout=120,
                          env={**os.environ, "VOICEBOT_DATA_DIR": str(data)})
    text = " ".join(json.loads(x)["text"] for x in done.stdout.splitlines() if x.startswith("{"))
    return re.sub(r"[^a-z]", "", text.lower())


def _tickets(sessions: sessionmaker[Session]) -> list[HandoffTicket]:
    with session_scope(sessions) as session:
        rows = list(session.scalars(select(HandoffTicket).order_by(HandoffTicket.id)))
        session.expunge_all()
    return rows


def _summaries(out: Path, seconds: float = 10) -> list[dict[str, object]]:
    """The line's call summaries, once the first is written (or after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while not call_summaries(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    return call_summaries(out)


def _record(sessions: sessionmaker[Session], record_id: int) -> tuple[CallRecord, list[str]]:
    """The call record and its turns' bot texts."""
    with session_scope(sessions) as session:
        row = session.get(CallRecord, record_id)
        assert row is not None
        texts = list(session.scalars(select(CallTurn.bot_text).where(
            CallTurn.call_id == record_id).order_by(CallTurn.idx)))
        session.expunge_all()
    return row, texts


def _closed_hours(timezone: str) -> tuple[str, str]:
    """Desk hours that exclude the present moment in the court's time zone."""
    return ("13:00", "14:00") if dt.datetime.now(ZoneInfo(timezone)).hour < 12 else \
        ("02:00", "03:00")


def test_night_caller_asking_for_an_operator_gets_a_callback(tmp_path: Path) -> None:
    """Desk closed: the dialog offers a callback (key 1), confirms the caller id (key 1), the
    caller wants nothing else (key 2). The record ends as ``callback`` with the callback's number,
    the callback is queued from the next opening, and no handoff ticket was ever made."""
    start, end = _closed_hours(Settings.load().timezone)
    env = {"VOICEBOT_DEFAULT_LANGUAGE": "en", "VOICEBOT_WORK_START": start,
           "VOICEBOT_WORK_END": end}
    settings, _ = _prepare(tmp_path, env, daytime=False)
    calendar = WorkCalendar.from_settings(settings)
    began = dt.datetime.now(dt.UTC)
    assert not calendar.desk_open(began)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_sessionmaker(engine)
    heard = tmp_path / "heard.wav"
    try:
        with sip_line(tmp_path, env, demo=False) as (address, out):
            caller = _dial(address, [str(OPERATOR_WAV / "01.wav"), "dtmf:1", "dtmf:1", "dtmf:2"],
                           heard)
            result = _outcome(caller, 110)
            summaries = _summaries(out)
        assert result["turns_sent"] == 4 and result["ended_by_line"], result
        assert not result["referred_to"], result
        assert len(summaries) == 1 and summaries[0]["outcome"] == "callback", summaries
        row, texts = _record(sessions, int(summaries[0]["record"]))  # type: ignore[call-overload]
        assert row.ended_at is not None and row.error_code == ""
        assert (row.outcome, row.intent) == ("callback", "operator")
        tickets = _tickets(sessions)
        assert [t.kind for t in tickets] == ["callback"], [(t.number, t.kind) for t in tickets]
        callback = tickets[0]
        assert callback.number == row.record_ref and callback.number.startswith("CB-")
        assert callback.status == "waiting" and callback.call_id == row.id
        assert callback.caller_phone == row.caller_id == summaries[0]["caller"] != ""
        assert callback.due_at == calendar.next_opening(began)
        assert any("not available now" in t for t in texts), texts
        assert any(f"Your callback is booked, number {callback.number}" in t for t in texts), texts
        spoken = _heard(heard, tmp_path, 25)  # the recognizer gets the gist, not every word
        assert "yourcallback" in spoken and "goodbye" in spoken, spoken
    finally:
        engine.dispose()


def test_operator_whose_phone_refuses_the_transfer_leaves_a_callback(tmp_path: Path) -> None:
    """Daytime: op1 claims the ticket, the line REFERs the caller to op1's phone, which answers
    486 Busy. The ticket records who claimed it and why it failed, a callback carries the call
    on, the caller hears that a callback is booked and the line hangs up."""
    env = _desk_open_all_day()
    settings, full = _prepare(tmp_path, env, daytime=True)
    op_port = _free_udp_port()
    uri = _add_operator(full, op_port)
    operator = subprocess.Popen([sys.executable, str(PEER), "x", "--answer", str(op_port),
                                 "--reject", "486", "--seconds", "100"],
                                stdout=subprocess.PIPE, text=True)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_sessionmaker(engine)
    heard = tmp_path / "heard.wav"
    try:
        with sip_line(tmp_path, env, demo=False) as (address, out):
            caller = _dial(address, [str(OPERATOR_WAV / "01.wav")], heard)
            number = _waiting_ticket(sessions)
            time.sleep(2)  # the caller is on hold
            with session_scope(sessions) as session:
                claim_ticket(session, number, "op1", dt.datetime.now(dt.UTC))
            result = _outcome(caller, 90)
            summaries = _summaries(out)
        rang = _outcome(operator, 30)
        assert rang["rang"] and rang["status"] == 486 and rang["up_s"] == 0, rang
        assert uri in str(result["referred_to"]) and result["transfer_code"] == 486, result
        assert result["ended_by_line"], result  # after telling the caller of the callback
        tickets = {t.number: t for t in _tickets(sessions)}
        ticket = tickets.pop(number)
        why = "operator op1 did not answer the transfer (486)"
        assert (ticket.kind, ticket.status, ticket.claimed_by) == ("handoff", "callback", "op1")
        assert ticket.claimed_at is not None and ticket.resolved_at is not None
        assert ticket.claimed_at <= ticket.resolved_at and why in ticket.note, ticket.note
        assert len(tickets) == 1, list(tickets)
        callback = next(iter(tickets.values()))
        assert (callback.kind, callback.status) == ("callback", "waiting")
        assert callback.number.startswith("CB-") and callback.note == why
        assert callback.call_id == ticket.call_id is not None
        assert callback.caller_phone == ticket.caller_phone != ""
        assert len(summaries) == 1 and summaries[0]["record"] == ticket.call_id, summaries
        row, texts = _record(sessions, ticket.call_id)
        assert (row.outcome, row.record_ref) == ("handoff", number)
        assert texts[-1] == f"[hold] {why}; callback {callback.number}", texts
        assert row.ended_at is not None and row.ended_at >= ticket.resolved_at, row.ended_at
        assert not any(t.startswith("[transferred]") for t in texts), texts
        spoken = _heard(heard, tmp_path, 15)  # "connecting you ...", then the fallback
        assert "connectingyou" in spoken and "callyouback" in spoken, spoken
    finally:
        if operator.poll() is None:
            operator.kill()
        engine.dispose()


def test_ticket_nobody_claims_in_the_wait_limit_becomes_a_callback(tmp_path: Path) -> None:
    """Daytime, ``handoff_wait_limit_min`` = 0.25 (15 s) and no operator claims the ticket: the
    line expires it as the console does, the callback carries the call on, the caller hears
    that a callback is booked and the line hangs up."""
    env = _desk_open_all_day(VOICEBOT_HANDOFF_WAIT_LIMIT_MIN="0.25")
    settings, _ = _prepare(tmp_path, env, daytime=True)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_sessionmaker(engine)
    heard = tmp_path / "heard.wav"
    try:
        with sip_line(tmp_path, env, demo=False) as (address, out):
            caller = _dial(address, [str(OPERATOR_WAV / "01.wav")], heard)
            number = _waiting_ticket(sessions)
            result = _outcome(caller, 90)
            summaries = _summaries(out)
        assert result["ended_by_line"] and not result["referred_to"], result
        tickets = {t.number: t for t in _tickets(sessions)}
        ticket = tickets.pop(number)
        assert (ticket.kind, ticket.status, ticket.claimed_by) == ("handoff", "callback", None)
        assert ticket.resolved_at is not None
        waited = (ticket.resolved_at - ticket.created_at).total_seconds()
        assert 15 <= waited < 25, waited  # expired once past the limit (polled every second)
        assert len(tickets) == 1, list(tickets)
        callback = next(iter(tickets.values()))
        told = f"not taken within 0.25 min; caller told of callback {callback.number}"
        assert ticket.note == told, ticket.note
        assert (callback.kind, callback.status) == ("callback", "waiting")
        assert callback.note == f"from {number}: no operator within 0.25 min"
        assert callback.call_id == ticket.call_id is not None
        assert callback.caller_phone == ticket.caller_phone != ""
        assert len(summaries) == 1 and summaries[0]["record"] == ticket.call_id, summaries
        row, texts = _record(sessions, ticket.call_id)
        assert (row.outcome, row.record_ref) == ("handoff", number)
        assert texts[-1] == f"[hold] ticket {number} callback", texts
        # the record ends when the caller left the line, after the time on hold
        assert row.ended_at is not None and ticket.resolved_at is not None
        assert row.ended_at >= ticket.resolved_at, (row.ended_at, ticket.resolved_at)
        spoken = _heard(heard, tmp_path, 15)  # a position message, then the fallback
        assert "operatorwillbewithyou" in spoken and "callyouback" in spoken, spoken
    finally:
        engine.dispose()
