"""Console access rules over HTTP: sign-in, roles on every route, CSRF, lock-out, no leaks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.casenumber import CaseNumber
from voicebot.console import create_app
from voicebot.console.app import housekeeping
from voicebot.console.security import create_user
from voicebot.handoff import create_work_order, enqueue_handoff, get_ticket, get_work_order
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.cases import case_replies, find_case
from voicebot.store.models import AuditEntry, Case, Court, Department, Judge, User
from voicebot.workdays import WorkCalendar

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in Beijing
CASE_NO = "（2024）京0105民初12345号"
PASSWORD_HASH = "QUERY-PASSWORD-HASH-MARKER"
PW = "correct horse 1"


def seed(s: Session) -> dict[str, str]:
    """Court, judges, a case, four accounts, a waiting call and a work order."""
    court = Court(code="京0105", name="北京市朝阳区人民法院", name_en="Chaoyang")
    dept = Department(court=court, name="民一庭", contact_name="王", contact_phone="010-1001",
                      head_name="李", head_phone="010-1002")
    j1 = Judge(ext_id="J0105-001", name="张法官", court=court, department=dept,
               work_phone="010-1000")
    j2 = Judge(ext_id="J0105-002", name="赵法官", court=court, department=dept)
    case = Case(number=CASE_NO, year=2024, court=court, case_type="民初", seq=12345, judge=j1,
                password_hash=PASSWORD_HASH)
    s.add_all([court, dept, j1, j2, case])
    s.flush()
    create_user(s, "op1", "operator", PW, NOW)
    create_user(s, "judge1", "judge", PW, NOW, "J0105-001")
    create_user(s, "judge2", "judge", PW, NOW, "J0105-002")
    create_user(s, "admin1", "admin", PW, NOW)
    ticket = enqueue_handoff(
        s, language="zh", caller_phone="13800000001", intent="hearing_time", case_number=CASE_NO,
        verified=True, transcript=[{"caller": "开庭时间是什么时候", "bot": "请稍候，正在转接"}],
        call_id=None, now=NOW - dt.timedelta(minutes=3),
    )
    order = create_work_order(
        s, case=case, request_text="请张法官回电说明证据交换", caller_phone="13800000002",
        language="zh", call_id=None, now=NOW, calendar=WorkCalendar.from_settings(DEFAULT_SETTINGS),
        days=3,
    )
    s.commit()
    return {"ticket": ticket.number, "order": order.number}


@pytest.fixture
def setup(sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[tuple[TestClient, dict]]:
    with sessions() as s:
        refs = seed(s)
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path)
    app = create_app(settings, sessions, clock=lambda: NOW, housekeeping_s=None)
    with TestClient(app) as client:
        yield client, refs


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, name: str, password: str = PW) -> int:
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": name, "password": password, "csrf_token": token},
                    follow_redirects=False)
    return r.status_code


def page_csrf(client: TestClient, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return csrf_of(r.text)


def _paths(app: FastAPI, method: str, refs: dict[str, str]) -> list[str]:
    """Every route of the app for ``method`` with its placeholders filled in."""
    fill = {"number": refs["ticket"], "call_id": "1", "uid": "1", "day": "2026-03-03"}
    paths = []
    for path, ops in app.openapi()["paths"].items():
        if method.lower() not in ops:
            continue
        if path.startswith("/judge/orders/"):
            path = path.replace("{number}", refs["order"])
        paths.append(re.sub(r"\{(\w+)\}", lambda m: fill[m.group(1)], path))
    return paths


PUBLIC = {"/login", "/metrics"}


def test_every_route_needs_sign_in(setup: tuple[TestClient, dict]) -> None:
    client, refs = setup
    app: FastAPI = client.app  # type: ignore[assignment]
    paths = _paths(app, "get", refs)
    assert len(paths) > 15
    for path in paths:
        if path in PUBLIC:
            continue
        r = client.get(path, follow_redirects=False)
        if path.endswith(".json") or path.startswith("/api/"):
            assert r.status_code == 401, path
        else:
            assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
        assert CASE_NO not in r.text
    posts = _paths(app, "post", refs)
    assert len(posts) > 10
    for path in posts:
        if path in ("/login", "/lang"):  # signing in and the language switch need no account
            continue
        token = csrf_of(client.get("/login").text)
        r = client.post(path, data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login"), path
    with Session(client.app.state.sessions.kw["bind"]) as s:  # type: ignore[attr-defined]
        assert get_ticket(s, refs["ticket"]).status == "waiting"


def test_wrong_role_is_refused_without_case_details(setup: tuple[TestClient, dict]) -> None:
    client, refs = setup
    assert login(client, "judge1") == 303
    for path in ("/operator", f"/operator/tickets/{refs['ticket']}", "/operator/callbacks",
                 "/admin/calls", "/admin/users", "/admin/metrics"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 403, path
        assert CASE_NO not in r.text and "开庭时间" not in r.text
    assert client.get("/operator/queue.json").status_code == 403
    assert client.get("/api/metrics").status_code == 403
    client.cookies.clear()
    assert login(client, "judge2") == 303
    r = client.get(f"/judge/orders/{refs['order']}")
    assert r.status_code == 403 and "证据交换" not in r.text and CASE_NO not in r.text
    assert refs["order"] not in client.get("/judge").text
    client.cookies.clear()
    assert login(client, "op1") == 303
    for path in ("/judge", f"/judge/orders/{refs['order']}", "/admin/users", "/admin/settings"):
        assert client.get(path, follow_redirects=False).status_code == 403, path
    assert client.get("/api/metrics").status_code == 403


def test_csrf_is_required_on_forms(setup: tuple[TestClient, dict],
                                   sessions: sessionmaker[Session]) -> None:
    client, refs = setup
    assert login(client, "op1") == 303
    token = page_csrf(client, "/operator")
    assert client.post("/operator/claim-next", follow_redirects=False).status_code == 403
    r = client.post("/operator/claim-next", data={"csrf_token": "forged" + token[6:]},
                    follow_redirects=False)
    assert r.status_code == 403
    with sessions() as s:
        assert get_ticket(s, refs["ticket"]).status == "waiting"
    r = client.post("/operator/claim-next", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/operator/tickets/{refs['ticket']}"
    # the login form itself needs the token too
    client.cookies.clear()
    r = client.post("/login", data={"username": "op1", "password": PW}, follow_redirects=False)
    assert r.status_code == 403


def test_lockout_after_failed_logins(setup: tuple[TestClient, dict],
                                     sessions: sessionmaker[Session]) -> None:
    client, _ = setup
    assert login(client, "nobody", "whatever1") == 401
    for _ in range(DEFAULT_SETTINGS.login_max_failures - 1):
        assert login(client, "op1", "wrong password") == 401
    assert login(client, "op1", "wrong password") == 401  # the same answer as any refusal
    assert login(client, "op1") == 401  # right password, still locked
    with sessions() as s:
        user = s.execute(select(User).where(User.username == "op1")).scalar_one()
        assert user.locked_until is not None and user.locked_until > NOW
    assert client.get("/operator", follow_redirects=False).status_code == 303


def test_session_cookie_flags(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    with sessions() as s:
        seed(s)
    for secure in (False, True):
        settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path, console_secure_cookies=secure)
        app = create_app(settings, sessions, clock=lambda: NOW, housekeeping_s=None)
        with TestClient(app, base_url="https://testserver") as client:
            cookie = client.get("/login").headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        assert ("secure" in cookie.split(";")[-1] or "; secure" in cookie) == secure
    secret = tmp_path / "console_secret"
    assert secret.stat().st_mode & 0o777 == 0o600


def test_operator_and_judge_flow_with_audit(setup: tuple[TestClient, dict],
                                            sessions: sessionmaker[Session]) -> None:
    client, refs = setup
    assert login(client, "op1") == 303
    queue = client.get("/operator/queue.json").json()
    assert [t["number"] for t in queue["waiting"]] == [refs["ticket"]]
    assert queue["waiting"][0]["waited_s"] == 180
    token = page_csrf(client, "/operator")
    r = client.post("/operator/claim-next", data={"csrf_token": token})
    assert r.status_code == 200 and "开庭时间是什么时候" in r.text and CASE_NO in r.text
    assert PASSWORD_HASH not in r.text
    r = client.post(f"/operator/tickets/{refs['ticket']}/work-order",
                    data={"csrf_token": token, "request_text": "当事人要求法官回电"})
    assert r.status_code == 200 and "已生成工单 WO-" in r.text  # the flash, in the default Chinese
    client.cookies.clear()
    assert login(client, "judge1") == 303
    board = client.get("/judge").text
    assert refs["order"] in board
    token = page_csrf(client, f"/judge/orders/{refs['order']}")
    r = client.post(f"/judge/orders/{refs['order']}/reply",
                    data={"csrf_token": token, "text": "证据交换定于3月10日上午"})
    assert r.status_code == 200
    with sessions() as s:
        order = get_work_order(s, refs["order"])
        assert order.status == "answered"
        case = find_case(s, CaseNumber.parse(CASE_NO))
        assert case is not None
        assert [rep.text for rep in case_replies(s, case)] == ["证据交换定于3月10日上午"]
        trail = s.execute(select(AuditEntry.actor, AuditEntry.action)
                          .where(AuditEntry.case_number == CASE_NO)).all()
        assert ("user:op1", "ticket.view") in trail
        assert ("user:op1", "ticket.claim") in trail
        assert ("user:judge1", "work_order.view") in trail
        assert ("user:judge1", "work_order.reply") in trail
        assert s.execute(select(Case.id)).scalar_one()


def test_admin_pages_and_metrics(setup: tuple[TestClient, dict]) -> None:
    client, _ = setup
    prom = client.get("/metrics")
    assert prom.status_code == 200 and "voicebot_handoff_queue_waiting 1" in prom.text
    assert CASE_NO not in prom.text and "13800000001" not in prom.text
    assert login(client, "admin1") == 303
    data = client.get("/api/metrics").json()
    assert data["handoffs_waiting"] == 1 and data["work_orders_opened"] == 1
    assert data["contact_rate"] == 0.0
    users = client.get("/admin/users").text
    assert "judge1" in users and "argon2" not in users
    token = page_csrf(client, "/admin/settings")
    r = client.post("/admin/calendar", data={"csrf_token": token, "day": "2026-03-04",
                                             "working": "0", "note": "flood"})
    assert r.status_code == 200 and "2026-03-04" in r.text and "flood" in r.text
    r = client.post("/admin/calendar/2026-03-04/delete", data={"csrf_token": token})
    assert r.status_code == 200 and "flood" not in r.text
    assert client.get("/admin/calls", params={"case": "12345"}).status_code == 200


def test_housekeeping_turns_waiting_calls_into_callbacks(
    setup: tuple[TestClient, dict], sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    client, refs = setup
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path)
    housekeeping(sessions, settings, NOW + dt.timedelta(minutes=settings.handoff_wait_limit_min))
    with sessions() as s:
        assert get_ticket(s, refs["ticket"]).status == "callback"
    assert login(client, "op1") == 303
    assert client.get("/operator/queue.json").json()["waiting"] == []
    page = client.get("/operator/callbacks").text
    assert "CB-20260303-0001" in page and "13800000001" in page
    token = csrf_of(page)
    r = client.post("/operator/tickets/CB-20260303-0001/claim", data={"csrf_token": token})
    assert r.status_code == 200 and "开庭时间是什么时候" in r.text
    with sessions() as s:
        assert get_ticket(s, "CB-20260303-0001").claimed_by == "op1"


def test_login_only_redirects_within_the_site(setup: tuple[TestClient, dict]) -> None:
    client, _ = setup
    for target, expected in (("//evil.example/x", "/operator"), ("/\\evil.example", "/operator"),
                             ("https://evil.example", "/operator"),
                             ("/operator/callbacks", "/operator/callbacks")):
        client.cookies.clear()
        token = csrf_of(client.get("/login").text)
        r = client.post("/login", data={"username": "op1", "password": PW, "csrf_token": token,
                                        "next": target}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == expected, target


def test_overdue_orders_are_highlighted_and_counted(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with sessions() as s:
        refs = seed(s)
    later = NOW + dt.timedelta(days=10)
    app = create_app(DEFAULT_SETTINGS.replace(data_dir=tmp_path), sessions,
                     clock=lambda: later, housekeeping_s=None)
    with TestClient(app) as client:
        assert login(client, "judge1") == 303
        board = client.get("/judge").text
        row = re.search(rf'<tr class="([^"]*)" data-order="{refs["order"]}">', board)
        assert row is not None and row.group(1) == "overdue"
        client.cookies.clear()
        assert login(client, "admin1") == 303
        page = client.get("/admin/metrics").text
        assert re.search(r'id="work-orders">1 / 0 / 1<', page)
        assert client.get("/api/metrics").json()["work_orders_overdue"] == 1
