"""Daytime handoff over SIP: the caller asks for an operator and stays on the line hearing its
queue position; an operator claims the ticket (the store-level claim the console makes) and the
line transfers the caller with REFER to the operator's SIP URI, where a real peer answers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sip_wire import PEER, VOICEBOT, sip_line
from sqlalchemy import select

from voicebot.call.setup import ensure_demo
from voicebot.handoff.queue import claim_ticket
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.models import CallTurn, HandoffTicket
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


def test_operator_who_claims_the_ticket_gets_the_caller(tmp_path: Path) -> None:
    configured = Settings.load()
    (tmp_path / "nlu").symlink_to(configured.nlu_model_dir.resolve())
    configured.tts_cache_dir.resolve().mkdir(parents=True, exist_ok=True)
    (tmp_path / "tts-cache").symlink_to(configured.tts_cache_dir.resolve())
    env = {"VOICEBOT_DEFAULT_LANGUAGE": "en", "VOICEBOT_WORK_START": "00:00",
           "VOICEBOT_WORK_END": "23:59", "VOICEBOT_SIP_HOLD_MESSAGE_S": "4"}
    full = {**os.environ, "VOICEBOT_DATA_DIR": str(tmp_path), **env}
    settings = Settings.load(env=full)
    if not WorkCalendar.from_settings(settings).desk_open(dt.datetime.now(dt.UTC)):
        pytest.skip("today is no working day: the desk is closed (a callback, as at night)")
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
