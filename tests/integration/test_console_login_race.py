"""30 parallel wrong sign-ins against a real ``voicebot serve`` on SQLite and PostgreSQL.

The account locks after ``login_max_failures`` checked passwords, the rest are refused unchecked,
and a right password sent in a burst while it is locked does not sign in.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from voicebot.console.security import create_user
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import AuditEntry, User
from voicebot.store.schema import upgrade

pytestmark = [pytest.mark.integration, pytest.mark.postgres]
PW = "correct horse 1"
BURST = 30


@pytest.fixture
def console(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    upgrade(db_url)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        create_user(s, "op1", "operator", PW, dt.datetime.now(dt.UTC))
        s.commit()
    engine.dispose()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    workers = "2" if make_url(db_url).get_backend_name() == "postgresql" else "1"
    env = {**os.environ, "VOICEBOT_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "voicebot", "serve", "--port", str(port), "--db", db_url,
         "--workers", workers],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{base}/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, "voicebot serve exited"
                assert time.monotonic() < deadline, "console did not start"
                time.sleep(0.2)
        yield base, db_url
    finally:
        proc.terminate()
        proc.wait(15)


def _burst(base: str, passwords: list[str]) -> list[int]:
    """Sign in with each password at once from its own client; the answers' status codes."""
    clients = [httpx.Client(base_url=base, timeout=60) for _ in passwords]
    tokens = []
    for c in clients:
        match = re.search(r'name="csrf_token" value="([^"]+)"', c.get("/login").text)
        assert match
        tokens.append(match.group(1))
    start = threading.Barrier(len(clients))
    codes = [0] * len(clients)

    def one(i: int) -> None:
        start.wait()
        r = clients[i].post("/login", data={"username": "op1", "password": passwords[i],
                                            "csrf_token": tokens[i]})
        codes[i] = r.status_code if not r.is_redirect else 303

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for c in clients:
        c.close()
    return codes


def test_parallel_wrong_logins_lock_the_account(console: tuple[str, str]) -> None:
    base, url = console
    limit = DEFAULT_SETTINGS.login_max_failures
    codes = _burst(base, [f"wrong password {i}" for i in range(BURST)])
    assert codes == [401] * BURST
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as s:
            user = s.execute(select(User).where(User.username == "op1")).scalar_one()
            assert user.locked_until is not None and user.locked_until > dt.datetime.now(dt.UTC)

            def count(action: str) -> int:
                return s.execute(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == action)).scalar_one()

            assert count("login.failed") == limit  # only that many passwords were checked
            assert count("login.locked") == 1
            assert count("login.refused") == BURST - limit
        # the right password, many times at once, while locked
        assert _burst(base, [PW] * 10) == [401] * 10
        with make_sessionmaker(engine)() as s:
            assert s.execute(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "login")).scalar_one() == 0
    finally:
        engine.dispose()
