"""``voicebot users`` and ``voicebot serve`` from the command line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from voicebot.cli.main import app
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Base, Court, Judge, User

pytestmark = pytest.mark.integration


def _store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as s:
        court = Court(code="京0105", name="朝阳法院")
        s.add_all([court, Judge(ext_id="J0105-001", name="张", court=court)])
        s.commit()
    engine.dispose()
    return url


def test_users_add_and_list(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICEBOT_DATA_DIR", str(tmp_path))
    url = _store(tmp_path)
    runner = CliRunner()
    ok = runner.invoke(app, ["users", "add", "alice", "--role", "operator", "--password-stdin",
                             "--db", url], input="long enough 1\n")
    assert ok.exit_code == 0, ok.output
    judge = runner.invoke(app, ["users", "add", "zhang", "--role", "judge", "--judge",
                                "J0105-001", "--db", url], input="judge pass 1\njudge pass 1\n")
    assert judge.exit_code == 0, judge.output
    for args, stdin in (
        (["users", "add", "bob", "--role", "king", "--password-stdin"], "long enough 1\n"),
        (["users", "add", "alice", "--role", "admin", "--password-stdin"], "long enough 1\n"),
        (["users", "add", "carl", "--role", "admin", "--password-stdin"], "short\n"),
        (["users", "add", "dan", "--role", "judge", "--judge", "J9", "--password-stdin"],
         "long enough 1\n"),
    ):
        bad = runner.invoke(app, [*args, "--db", url], input=stdin)
        assert bad.exit_code == 1, (args, bad.output)
    listing = runner.invoke(app, ["users", "list", "--db", url])
    assert listing.exit_code == 0
    assert listing.output.splitlines() == ["alice\toperator\t", "zhang\tjudge\tJ0105-001"]
    engine = make_engine(url)
    with make_sessionmaker(engine)() as s:
        hashes = s.execute(select(User.password_hash)).scalars().all()
    engine.dispose()
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_serve_runs_the_console(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "VOICEBOT_DATA_DIR": str(tmp_path)}
    url = f"sqlite:///{tmp_path}/serve.db"
    refused = subprocess.run(
        [sys.executable, "-m", "voicebot", "serve", "--db", url, "--workers", "2"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert refused.returncode == 1 and "PostgreSQL" in refused.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "voicebot", "serve", "--port", str(port), "--db", url],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "console did not start"
                time.sleep(0.2)
        assert r.status_code == 200 and 'name="csrf_token"' in r.text
        assert httpx.get(f"http://127.0.0.1:{port}/operator",
                         follow_redirects=False).status_code == 303
        secret = tmp_path / "console_secret"
        assert secret.exists() and secret.stat().st_mode & 0o777 == 0o600
    finally:
        proc.terminate()
        proc.wait(10)
