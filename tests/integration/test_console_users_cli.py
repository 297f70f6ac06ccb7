"""``voicebot users disable|enable|delete|reset-password|unlock`` with audit rows; ``serve``
refuses a weak ``console_secret``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from voicebot.cli.main import app
from voicebot.console.security import LockedError, LoginError, authenticate, create_user
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import AuditEntry, Base, User

pytestmark = pytest.mark.integration
PW = "long enough 1"


def test_users_commands_change_accounts_with_audit(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICEBOT_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path}/cli.db"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    now = dt.datetime.now(dt.UTC)
    with sessions() as s:
        create_user(s, "alice", "operator", PW, now)
        s.commit()
        generation = s.execute(select(User.session_generation)).scalar_one()
    runner = CliRunner()

    def run(*args: str, stdin: str = "") -> int:
        result = runner.invoke(app, ["users", *args, "--db", url], input=stdin)
        return result.exit_code

    def listing() -> list[str]:
        return str(runner.invoke(app, ["users", "list", "--db", url]).output).splitlines()

    assert run("disable", "alice") == 0
    assert listing() == ["alice\toperator\t disabled"]
    with sessions() as s, pytest.raises(LoginError):
        authenticate(s, "alice", PW, now, 5)
    assert run("enable", "alice") == 0
    assert listing() == ["alice\toperator\t"]
    for _ in range(5):
        with sessions() as s, pytest.raises(LoginError):
            authenticate(s, "alice", "wrong one", now, 5)
    assert listing() == ["alice\toperator\t locked"]
    with sessions() as s:
        with pytest.raises(LockedError):
            authenticate(s, "alice", PW, now + dt.timedelta(minutes=14), 5)
        assert authenticate(s, "alice", PW, now + dt.timedelta(minutes=16), 5).failed_logins == 0
    for _ in range(5):
        with sessions() as s, pytest.raises(LoginError):
            authenticate(s, "alice", "wrong one", now, 5)
    assert run("unlock", "alice") == 0
    assert run("reset-password", "alice", "--password-stdin", stdin="short\n") == 1
    assert run("reset-password", "alice", "--password-stdin", stdin="brand new 22\n") == 0
    with sessions() as s:
        with pytest.raises(LoginError):
            authenticate(s, "alice", PW, now, 5)
        user = authenticate(s, "alice", "brand new 22", now, 5)
        assert user.session_generation > generation  # older sessions ended
    assert run("delete", "alice") == 0
    assert listing() == []
    for verb in ("disable", "enable", "delete", "unlock"):
        assert run(verb, "nobody") == 1
    with sessions() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
                         .where(AuditEntry.action.like("user.%"))
                         .order_by(AuditEntry.id)).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("cli", "user.disable", "alice"), ("cli", "user.enable", "alice"),
        ("cli", "user.unlock", "alice"), ("cli", "user.password_reset", "alice"),
        ("cli", "user.delete", "alice (operator)"),
    ]


def test_serve_refuses_a_weak_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICEBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VOICEBOT_CONSOLE_SECRET", "x")
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{tmp_path}/s.db"])
    assert result.exit_code == 1
    assert "at least 32 random bytes" in " ".join(result.output.split())
