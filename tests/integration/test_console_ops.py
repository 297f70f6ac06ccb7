"""Operators helping unverified callers and judges told of work orders, over HTTP on SQLite and
PostgreSQL: case lookup (audited), verified facts on the ticket, work orders with a chosen or
typed case, the new-orders badge, closing rules, and the notification hook with a real command
and a real local HTTP server."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.console import create_app
from voicebot.console.app import housekeeping
from voicebot.console.security import create_user
from voicebot.handoff import create_work_order, enqueue_handoff, get_work_order
from voicebot.handoff.notify import dispatch_pending
from voicebot.settings import DEFAULT_SETTINGS, Settings
from voicebot.store.models import (
    AuditEntry,
    Case,
    CaseEvent,
    Court,
    Department,
    Hearing,
    Judge,
    Party,
    User,
)
from voicebot.store.passwords import hash_password
from voicebot.workdays import WorkCalendar

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in Beijing
CASE_NO = "（2024）京0105民初12345号"
OTHER_NO = "（2025）京0105民初77号"
PW = "correct horse 1"
QUERY_PW = "613052"
CAL = WorkCalendar.from_settings(DEFAULT_SETTINGS)


def seed(s: Session) -> dict[str, str]:
    court = Court(code="京0105", name="北京市朝阳区人民法院", name_en="Chaoyang",
                  aliases=["朝阳法院"])
    dept = Department(court=court, name="民一庭", contact_name="王书记员",
                      contact_phone="010-1001", head_name="李庭长", head_phone="010-1002")
    judge = Judge(ext_id="J0105-001", name="张法官", court=court, department=dept,
                  work_phone="010-1000")
    case = Case(number=CASE_NO, year=2024, court=court, case_type="民初", seq=12345,
                judge=judge, status="in_trial", accepted=True, cause="买卖合同纠纷",
                password_hash=hash_password(QUERY_PW))
    other = Case(number=OTHER_NO, year=2025, court=court, case_type="民初", seq=77)  # no judge
    case.parties = [Party(name="刘小明", role="plaintiff", phone="138 0000 4321"),
                    Party(name="某某公司", role="defendant", phone="")]
    case.hearings = [Hearing(at=NOW + dt.timedelta(days=7), room="第三法庭")]
    case.events = [CaseEvent(at=NOW - dt.timedelta(days=2), text="已送达开庭传票")]
    s.add_all([court, dept, judge, case, other])
    s.flush()
    create_user(s, "op1", "operator", PW, NOW)
    create_user(s, "judge1", "judge", PW, NOW, "J0105-001")
    unverified = enqueue_handoff(
        s, language="zh", caller_phone="13800000001", intent="contact_judge", case_number="",
        verified=False, transcript=[{"caller": "我不知道案号", "bot": "正在为您转接人工"}],
        call_id=None, now=NOW - dt.timedelta(minutes=3))
    verified = enqueue_handoff(
        s, language="zh", caller_phone="13800000009", intent="hearing_time",
        case_number=CASE_NO, verified=True, transcript=[{"caller": "开庭时间", "bot": "请稍候"}],
        call_id=None, now=NOW - dt.timedelta(minutes=2))
    s.commit()
    return {"unverified": unverified.number, "verified": verified.number}


@pytest.fixture
def setup(sessions: sessionmaker[Session], tmp_path: Path) -> Iterator[tuple[TestClient, dict]]:
    with sessions() as s:
        refs = seed(s)
    app = create_app(DEFAULT_SETTINGS.replace(data_dir=tmp_path), sessions, clock=lambda: NOW,
                     housekeeping_s=None)
    with TestClient(app) as client:
        yield client, refs


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, name: str) -> str:
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": name, "password": PW, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303
    return csrf_of(client.get("/operator/cases" if name == "op1" else "/judge").text)


def lookups(sessions: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    with sessions() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.case_number, AuditEntry.detail)
                         .where(AuditEntry.action == "case.lookup").order_by(AuditEntry.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_lookup_by_number_spellings_party_checks_and_audit(
    setup: tuple[TestClient, dict], sessions: sessionmaker[Session]
) -> None:
    client, _ = setup
    token = login(client, "op1")

    def look(**form: str) -> tuple[int, str]:
        r = client.post("/operator/cases", data={"csrf_token": token, **form})
        return r.status_code, r.text

    # any spelling the line reads: official, ASCII brackets, bare year, full-width, court name
    for spelling in (CASE_NO, "(2024)京0105民初12345", "2024京0105民初12345号",
                     "（２０２４）京０１０５民初１２３４５号", "2024年朝阳法院民初12345号",
                     "2024 民初 12345"):
        status, page = look(number=spelling)
        assert status == 200 and f'data-case="{CASE_NO}"' in page, spelling
        assert "张法官" in page and "民一庭" in page  # routing facts
        assert "第三法庭" not in page and "刘小明" not in page  # no progress without a check
    # number + query password: the facts a caller may be told
    status, page = look(number=CASE_NO, check_kind="password", check_value=QUERY_PW)
    assert status == 200 and "第三法庭" in page and "已送达开庭传票" in page and "刘小明" in page
    status, page = look(number=CASE_NO, check_kind="password", check_value="000000")
    assert 'id="check-failed"' in page and "第三法庭" not in page
    # party name + last 4 of the phone on file (spaces in the stored phone do not matter)
    status, page = look(party="刘小明", check_kind="phone4", check_value="4321")
    assert f'data-case="{CASE_NO}"' in page and "第三法庭" in page
    status, page = look(party="刘小明", check_kind="phone4", check_value="1234")
    assert 'id="no-case"' in page and "data-case=" not in page
    status, page = look(party="某某公司", check_kind="password", check_value=QUERY_PW)
    assert f'data-case="{CASE_NO}"' in page
    # refused forms keep the input and say why
    status, page = look(party="刘小明")
    assert status == 400 and 'id="lookup-error"' in page and 'value="刘小明"' in page
    assert 'id="nav-cases"' in page  # the base layout (navigation) is kept
    status, page = look(number="民初12345xyz")
    assert status == 400 and 'value="民初12345xyz"' in page and "无法识别案号" in page
    status, page = look(number="（2024）京0105民初99999号")
    assert status == 200 and 'id="no-case"' in page
    trail = lookups(sessions)
    assert len(trail) == 14 and all(actor == "user:op1" for actor, _, _ in trail)
    assert trail[0][1] == CASE_NO and "identity not checked" in trail[0][2]
    with sessions() as s:
        uid = s.scalar(select(User.id).where(User.username == "op1"))
    assert all(d.startswith(f"operator {uid} ") for _, _, d in trail)
    assert "check passed" in trail[6][2] and "check failed" in trail[7][2]
    assert trail[-1][1] == "（2024）京0105民初99999号" and trail[-1][2].endswith("miss")
    assert "refused" in trail[-3][2] and "refused" in trail[-2][2]
    assert all(QUERY_PW not in d and "4321" not in d for _, _, d in trail)


def test_ticket_facts_only_for_the_verified_call(
    setup: tuple[TestClient, dict], sessions: sessionmaker[Session]
) -> None:
    client, refs = setup
    login(client, "op1")
    page = client.get(f"/operator/tickets/{refs['verified']}").text
    assert 'id="case-facts"' in page and "第三法庭" in page and "已送达开庭传票" in page
    assert "买卖合同纠纷" in page and "开庭时间" in page  # with the call's context
    page = client.get(f"/operator/tickets/{refs['unverified']}").text
    assert 'id="case-facts"' not in page and "第三法庭" not in page
    trail = [d for _, _, d in _audit(sessions, "ticket.view")]
    assert trail == [f"{refs['verified']} with case facts"]


def _audit(sessions: sessionmaker[Session], action: str) -> list[tuple[str, str, str]]:
    with sessions() as s:
        rows = s.execute(select(AuditEntry.actor, AuditEntry.case_number, AuditEntry.detail)
                         .where(AuditEntry.action == action).order_by(AuditEntry.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_work_order_from_a_ticket_without_a_case(
    setup: tuple[TestClient, dict], sessions: sessionmaker[Session]
) -> None:
    client, refs = setup
    token = login(client, "op1")
    ticket = refs["unverified"]
    r = client.post(f"/operator/tickets/{ticket}/claim", data={"csrf_token": token})
    assert r.status_code == 200

    def make(case_number: str, text: str = "请法官回电") -> tuple[int, str]:
        r = client.post(f"/operator/tickets/{ticket}/work-order",
                        data={"csrf_token": token, "case_number": case_number,
                              "request_text": text})
        return r.status_code, r.text

    status, page = make("")
    assert status == 400 and "未提供案号" in page and "请法官回电" in page
    status, page = make("京0105民初12345", "当事人要求回电")
    assert status == 400 and "无法识别案号" in page
    assert 'value="京0105民初12345"' in page and "当事人要求回电" in page
    assert 'id="nav-cases"' in page
    status, page = make("（2024）京0105民初99999号")
    assert status == 400 and "没有该案号" in page and "99999" in page
    status, page = make(OTHER_NO)
    assert status == 400 and "尚无承办法官" in page
    with sessions() as s:
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == "work_order.create")) \
            is None
    # chosen from a lookup: the link pre-fills the case on the ticket
    page = client.get(f"/operator/tickets/{ticket}", params={"case": CASE_NO}).text
    assert f'value="{CASE_NO}"' in page
    status, page = make("2024 京0105 民初 12345", "请张法官回电")
    assert status == 200 and "已生成工单 WO-" in page
    with sessions() as s:
        order = s.execute(select(Case).where(Case.number == CASE_NO)).scalar_one()
        wo = get_work_order(s, re.search(r"WO-\d{8}-\d{4}", page).group(0))  # type: ignore
        assert wo.case_id == order.id and wo.request_text == "请张法官回电"
        assert wo.notify_state in ("pending", "off")  # the background dispatch ran or will


def test_judge_badge_seen_close_rules_and_readable_chain(
    setup: tuple[TestClient, dict], sessions: sessionmaker[Session]
) -> None:
    client, _ = setup
    with sessions() as s:
        case = s.execute(select(Case).where(Case.number == CASE_NO)).scalar_one()
        numbers = [create_work_order(s, case=case, request_text=f"请求{i}", caller_phone="1",
                                     language="zh", call_id=None, now=NOW, calendar=CAL,
                                     days=3).number for i in range(2)]
        s.commit()
    from voicebot.handoff import record_contact_attempt

    with sessions() as s:
        record_contact_attempt(s, numbers[0], "department_contact", "no_answer", NOW)
        s.commit()
    token = login(client, "judge1")
    board = client.get("/judge").text
    assert re.search(r'id="new-orders"[^>]*>2<', board)
    page = client.get(f"/judge/orders/{numbers[0]}").text
    assert "部门联系人" in page and "无人接听" in page and "department_contact" not in page
    assert "2026-03-03 10:00" in page  # court-local time, not UTC 02:00
    assert re.search(r'id="new-orders"[^>]*>1<', page)
    r = client.post(f"/judge/orders/{numbers[0]}/close", data={"csrf_token": token, "note": " "})
    assert r.status_code == 400 and 'id="close-error"' in r.text and "关闭工单前" in r.text
    r = client.post(f"/judge/orders/{numbers[0]}/close",
                    data={"csrf_token": token, "note": "已电话告知，无需书面答复"})
    assert r.status_code == 200
    with sessions() as s:
        wo = get_work_order(s, numbers[0])
        assert wo.status == "closed" and wo.close_note == "已电话告知，无需书面答复"
        assert get_work_order(s, numbers[1]).status == "open"
    r = client.post(f"/judge/orders/{numbers[1]}/reply", data={"csrf_token": token, "text": "好"})
    r = client.post(f"/judge/orders/{numbers[1]}/close", data={"csrf_token": token})
    assert r.status_code == 200
    with sessions() as s:
        assert get_work_order(s, numbers[1]).status == "closed"


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, object]]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook_server() -> Iterator[tuple[str, type[_Hook]]]:
    handler = type("Hook", (_Hook,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/hook", handler
    finally:
        server.shutdown()
        server.server_close()


def _script(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "notify.py"
    path.write_text(f"#!{sys.executable}\nimport sys\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def test_notification_hook_command_and_webhook(
    sessions: sessionmaker[Session], tmp_path: Path, hook_server: tuple[str, type[_Hook]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, handler = hook_server
    with sessions() as s:
        refs = seed(s)
    out = tmp_path / "notice.json"
    script = _script(tmp_path, f"open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())")
    settings = Settings.load(env={"VOICEBOT_DATA_DIR": str(tmp_path),
                                  "VOICEBOT_NOTIFY_COMMAND": f"{script}",
                                  "VOICEBOT_NOTIFY_WEBHOOK": url})
    # an operator makes a work order: the response does not wait, the notice goes out after
    app = create_app(settings, sessions, clock=lambda: NOW, housekeeping_s=None)
    with TestClient(app) as client:
        token = login(client, "op1")
        client.post(f"/operator/tickets/{refs['unverified']}/claim", data={"csrf_token": token})
        r = client.post(f"/operator/tickets/{refs['unverified']}/work-order",
                        data={"csrf_token": token, "case_number": CASE_NO, "request_text": "回电"})
        assert r.status_code == 200
    number = re.search(r"WO-\d{8}-\d{4}", r.text).group(0)  # type: ignore[union-attr]
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["work_order"] == number and doc["case_number"] == CASE_NO
    assert doc["judge"] == "张法官" and doc["judge_id"] == "J0105-001"
    assert doc["console_path"] == f"/judge/orders/{number}"
    assert "13800000001" not in out.read_text(encoding="utf-8")  # no caller data
    assert handler.received == [doc]
    with sessions() as s:
        wo = get_work_order(s, number)
        assert (wo.notify_state, wo.notified_at) == ("sent", NOW)
    # the line makes one (another process): the console's housekeeping notifies it, once
    with sessions() as s:
        line = create_work_order(s, case=CASE_NO, request_text="线路工单", caller_phone="2",
                                 language="zh", call_id=None, now=NOW, calendar=CAL, days=3,
                                 actor="call:1").number
        s.commit()
    housekeeping(sessions, settings, NOW)
    housekeeping(sessions, settings, NOW)
    assert [d["work_order"] for d in handler.received] == [number, line]
    # failures: a command that exits 3, a webhook answering 500; logged with codes, order intact
    handler.status = 500
    bad = _script(tmp_path, "sys.stdin.read(); sys.exit(3)")
    failing = settings.replace(notify_command=str(bad))
    with sessions() as s:
        third = create_work_order(s, case=CASE_NO, request_text="第三", caller_phone="3",
                                  language="zh", call_id=None, now=NOW, calendar=CAL,
                                  days=3).number
        s.commit()
    with caplog.at_level(logging.WARNING, logger="voicebot.handoff.notify"):
        assert dispatch_pending(sessions, failing, NOW) == [(third, "failed")]
    assert "notify.command_failed" in caplog.text and "notify.webhook_status" in caplog.text
    with sessions() as s:
        wo = get_work_order(s, third)
        assert (wo.notify_state, wo.status, wo.request_text) == ("failed", "open", "第三")
        trail = s.execute(select(AuditEntry.action, AuditEntry.detail)
                          .where(AuditEntry.actor == "notify").order_by(AuditEntry.id)).all()
        assert [a for a, _ in trail] == ["work_order.notify_sent"] * 2 + [
            "work_order.notify_failed"]
        assert "exited with 3" in trail[-1][1] and "answered 500" in trail[-1][1]


def test_notification_timeout_and_unreachable(
    sessions: sessionmaker[Session], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with sessions() as s:
        seed(s)
        number = create_work_order(s, case=CASE_NO, request_text="x", caller_phone="1",
                                   language="zh", call_id=None, now=NOW, calendar=CAL,
                                   days=3).number
        s.commit()
    slow = _script(tmp_path, "import time; time.sleep(30)")
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path, notify_command=str(slow),
                                        notify_webhook="http://127.0.0.1:9/none",
                                        notify_timeout_s=1)
    start = dt.datetime.now()
    with caplog.at_level(logging.WARNING, logger="voicebot.handoff.notify"):
        assert dispatch_pending(sessions, settings, NOW) == [(number, "failed")]
    assert (dt.datetime.now() - start).total_seconds() < 10
    assert "notify.command_timeout" in caplog.text and "notify.webhook_unreachable" in caplog.text
    # with no hook configured, pending orders are marked off (nothing is sent later)
    with sessions() as s:
        other = create_work_order(s, case=CASE_NO, request_text="y", caller_phone="1",
                                  language="zh", call_id=None, now=NOW, calendar=CAL,
                                  days=3).number
        s.commit()
    assert dispatch_pending(sessions, DEFAULT_SETTINGS, NOW) == [(other, "off")]
    with sessions() as s:
        assert get_work_order(s, other).notify_state == "off"


def test_error_pages_keep_the_navigation(setup: tuple[TestClient, dict]) -> None:
    client, refs = setup
    token = login(client, "op1")
    r = client.post(f"/operator/tickets/{refs['unverified']}/work-order",
                    data={"csrf_token": token, "case_number": CASE_NO})  # not claimed: refused
    assert r.status_code == 409 and 'id="error-title"' in r.text
    assert 'id="nav-cases"' in r.text and 'id="logout"' in r.text
    r = client.get("/operator/tickets/HT-20990101-0001")
    assert r.status_code == 404 and 'id="nav-cases"' in r.text
