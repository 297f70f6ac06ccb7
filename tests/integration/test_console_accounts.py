"""Console accounts over HTTP: sign-out ends the session on the server, one answer for every
refused sign-in, disable / delete / password reset with audit rows, huge ids, LIKE wildcards."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.console import create_app
from voicebot.console.security import create_user
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.models import AuditEntry, CallRecord, User

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)
PW = "correct horse 1"
COOKIE = "voicebot_session"


@pytest.fixture
def client(sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[TestClient]:
    with sessions() as s:
        create_user(s, "op1", "operator", PW, NOW)
        create_user(s, "admin1", "admin", PW, NOW)
        s.commit()
    app = create_app(DEFAULT_SETTINGS.replace(data_dir=tmp_path), sessions, clock=lambda: NOW,
                     housekeeping_s=None)
    with TestClient(app) as c:
        yield c


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, name: str, password: str = PW) -> tuple[int, str]:
    client.cookies.clear()
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": name, "password": password, "csrf_token": token},
                    follow_redirects=False)
    return r.status_code, r.text.replace(token, "TOKEN")


def post(client: TestClient, path: str, **data: str) -> int:
    token = csrf_of(client.get("/admin/users").text)
    return client.post(path, data={"csrf_token": token, **data},
                       follow_redirects=False).status_code


def uid_of(sessions: sessionmaker[Session], name: str) -> int:
    with sessions() as s:
        return s.execute(select(User.id).where(User.username == name)).scalar_one()


def actions(sessions: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    with sessions() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.detail)
                         .where(AuditEntry.action.like("user.%")).order_by(AuditEntry.id)).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def test_logout_ends_the_session_on_the_server(client: TestClient) -> None:
    assert login(client, "op1")[0] == 303
    stolen = client.cookies[COOKIE]
    assert client.get("/operator", follow_redirects=False).status_code == 200
    token = csrf_of(client.get("/operator").text)
    assert client.post("/logout", data={"csrf_token": token},
                       follow_redirects=False).status_code == 303
    client.cookies.clear()
    client.cookies.set(COOKIE, stolen)  # the cookie as it was before signing out
    r = client.get("/operator", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert login(client, "op1")[0] == 303  # signing in again works


def test_a_locked_account_answers_like_an_unknown_name(client: TestClient) -> None:
    for _ in range(DEFAULT_SETTINGS.login_max_failures):
        login(client, "op1", "wrong password")
    locked = login(client, "op1")  # right password, locked
    wrong = login(client, "op1", "wrong password")
    unknown = login(client, "nobody-here", PW)
    assert locked[0] == wrong[0] == unknown[0] == 401
    assert locked[1] == wrong[1] == unknown[1]


def test_huge_or_negative_ids_are_not_found(client: TestClient) -> None:
    assert login(client, "admin1")[0] == 303
    for bad in ("99999999999999999999999", str(2**63), str(2**31), "0", "-1"):
        assert client.get(f"/admin/calls/{bad}").status_code == 404, bad
        for action in ("unlock", "disable", "delete"):
            assert post(client, f"/admin/users/{bad}/{action}") == 404, (bad, action)
        assert post(client, f"/admin/users/{bad}/password", password="long enough 2") == 404


def test_admin_disables_enables_resets_and_deletes_accounts(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    op_client = TestClient(client.app)
    assert login(op_client, "op1")[0] == 303
    assert login(client, "admin1")[0] == 303
    op = uid_of(sessions, "op1")
    page = client.get("/admin/users").text
    assert f'/admin/users/{op}/disable' in page
    assert f'/admin/users/{uid_of(sessions, "admin1")}/disable' not in page  # not oneself
    assert post(client, f"/admin/users/{uid_of(sessions, 'admin1')}/disable") == 200

    assert post(client, f"/admin/users/{op}/disable", disabled="1") == 303
    assert op_client.get("/operator", follow_redirects=False).status_code == 303  # session ended
    assert login(op_client, "op1")[0] == 401
    assert "disabled" in client.get("/admin/users").text
    assert post(client, f"/admin/users/{op}/disable", disabled="0") == 303
    assert login(op_client, "op1")[0] == 303

    assert post(client, f"/admin/users/{op}/password", password="short") == 200
    assert post(client, f"/admin/users/{op}/password", password="new horse 22") == 303
    assert op_client.get("/operator", follow_redirects=False).status_code == 303  # session ended
    assert login(op_client, "op1")[0] == 401
    assert login(op_client, "op1", "new horse 22")[0] == 303

    assert post(client, f"/admin/users/{op}/delete") == 303
    assert op_client.get("/operator", follow_redirects=False).status_code == 303
    assert login(op_client, "op1", "new horse 22")[0] == 401
    with sessions() as s:
        assert s.get(User, op) is None
    assert actions(sessions) == [
        ("user:admin1", "user.disable", "op1"), ("user:admin1", "user.enable", "op1"),
        ("user:admin1", "user.password_reset", "op1"), ("user:admin1", "user.delete",
                                                        "op1 (operator)"),
    ]


def test_call_search_takes_wildcards_literally(
    client: TestClient, sessions: sessionmaker[Session]
) -> None:
    with sessions() as s:
        s.add_all([CallRecord(started_at=NOW - dt.timedelta(minutes=i), caller_id=number,
                              record_ref=f"REF-{i}")
                   for i, number in enumerate(("13800000001", "10%off", "139_0001", "1390001"))])
        s.commit()
    assert login(client, "admin1")[0] == 303

    def found(caller: str) -> set[str]:
        html = client.get("/admin/calls", params={"caller": caller}).text
        return {n for n in ("13800000001", "10%off", "139_0001", "1390001") if n in html}

    assert found("%") == {"10%off"}
    assert found("_") == {"139_0001"}
    assert found("139_") == {"139_0001"}
    assert found("0001") == {"13800000001", "139_0001", "1390001"}
