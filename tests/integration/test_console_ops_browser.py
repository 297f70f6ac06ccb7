"""A real headless Chromium: an operator helps a caller with no case number (lookup by party
name and phone check, then the work order), and the judge sees the badge and must note a close.

Runs against uvicorn on a free local port with the SQLite store in a temporary file.
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.console import create_app
from voicebot.console.security import create_user
from voicebot.handoff import enqueue_handoff
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import AuditEntry, Base, Case, Court, Department, Judge, Party, WorkOrder

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CASE_NO = "（2024）京0105民初12345号"
PW = "browser-pass-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(sessions: sessionmaker[Session]) -> str:
    now = dt.datetime.now(dt.UTC)
    with sessions() as s:
        court = Court(code="京0105", name="北京市朝阳区人民法院")
        dept = Department(court=court, name="民一庭", contact_name="王书记员",
                          contact_phone="010-1001", head_phone="010-2")
        judge = Judge(ext_id="J0105-001", name="张法官", court=court, department=dept,
                      work_phone="010-1000")
        case = Case(number=CASE_NO, year=2024, court=court, case_type="民初", seq=12345,
                    judge=judge, status="in_trial", accepted=True)
        case.parties = [Party(name="刘小明", role="plaintiff", phone="13800004321")]
        s.add_all([court, dept, judge, case])
        s.flush()
        create_user(s, "op1", "operator", PW, now)
        create_user(s, "judge1", "judge", PW, now, "J0105-001")
        ticket = enqueue_handoff(
            s, language="zh", caller_phone="13800000001", intent="contact_judge",
            case_number="", verified=False,
            transcript=[{"caller": "我不知道案号，想找法官", "bot": "正在为您转接人工"}],
            call_id=None, now=now)
        s.commit()
        return ticket.number


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session], str]]:
    engine = make_engine(f"sqlite:///{tmp_path}/console.db")
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    ticket = _seed(sessions)
    app = create_app(DEFAULT_SETTINGS.replace(data_dir=tmp_path), sessions, housekeeping_s=None)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", sessions, ticket
    finally:
        srv.should_exit = True
        thread.join(10)
        engine.dispose()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_lookup_to_work_order_to_judge_in_a_real_browser(
    server: tuple[str, sessionmaker[Session], str],
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    base, sessions, ticket = server

    def sign_in(page: Page, name: str) -> None:
        page.goto(f"{base}/login")
        page.fill("#username", name)
        page.fill("#password", PW)
        page.click("#login")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(10_000)
            sign_in(page, "op1")
            page.wait_for_url(f"{base}/operator")
            page.click("#claim-next")
            page.wait_for_url(f"{base}/operator/tickets/{ticket}")
            expect(page.locator("#case-facts")).to_have_count(0)

            # a typo in the number: the form comes back with the input, in the base layout
            page.fill("#work-order-case", "2024京0105明初12345")
            page.fill("#work-order-text", "请法官回电说明开庭安排")
            page.click("#to-work-order")
            expect(page.locator("#work-order-error")).to_contain_text("无法识别案号")
            expect(page.locator("#work-order-case")).to_have_value("2024京0105明初12345")
            expect(page.locator("#work-order-text")).to_have_value("请法官回电说明开庭安排")
            expect(page.locator("#nav-cases")).to_be_visible()

            # look the case up by the caller's name and the last 4 digits of their phone
            page.click("#find-case")
            page.wait_for_url(re.compile(r"/operator/cases\?ticket="))
            page.fill("#lookup-party", "刘小明")
            page.select_option("#lookup-check-kind", "phone4")
            page.fill("#lookup-check", "4321")
            page.click("#lookup")
            hit = page.locator(f"div.hit[data-case='{CASE_NO}']")
            expect(hit).to_be_visible()
            expect(hit.locator(".fact-status")).to_have_text("审理中")
            expect(hit.locator(".fact-judge")).to_have_text("张法官")
            hit.locator("a.use-case").click()
            page.wait_for_url(re.compile(rf"/operator/tickets/{ticket}"))
            expect(page.locator("#work-order-case")).to_have_value(CASE_NO)
            page.fill("#work-order-text", "请法官回电说明开庭安排")
            page.click("#to-work-order")
            expect(page.locator("#msg")).to_contain_text("已生成工单 WO-")
            expect(page.locator("#status")).to_have_attribute("data-status", "resolved")
            with sessions() as s:
                order = s.execute(select(WorkOrder)).scalar_one()
                assert order.case is not None and order.case.number == CASE_NO
                assert order.request_text == "请法官回电说明开庭安排"
                lookups = s.scalars(select(AuditEntry.detail)
                                    .where(AuditEntry.action == "case.lookup")).all()
                assert len(lookups) == 1 and "1 found" in lookups[0]

            # the judge: a badge with one new order, gone once opened; closing needs a note
            page.click("#logout")
            page.wait_for_url(f"{base}/login")
            sign_in(page, "judge1")
            page.wait_for_url(f"{base}/judge")
            expect(page.locator("#new-orders")).to_have_text("1")
            page.click(f"tr[data-order='{order.number}'] a")
            expect(page.locator("#new-orders")).to_have_count(0)
            expect(page.locator("#chain")).to_contain_text("部门联系人")
            page.click("#close")
            expect(page.locator("#close-error")).to_be_visible()
            expect(page.locator("#status")).to_have_attribute("data-status", "open")
            page.fill("#close-note", "已电话联系当事人")
            page.click("#close")
            page.wait_for_url(re.compile(rf"{base}/judge\?msg="))
            with sessions() as s:
                closed = s.get(WorkOrder, order.id)
                assert closed is not None and closed.status == "closed"
                assert closed.close_note == "已电话联系当事人"
                assert s.scalar(select(Case.id)) is not None
        finally:
            browser.close()
