"""A real headless Chromium drives the console: live queue, claim, transcript, resolve, judge reply.

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
from typing import TYPE_CHECKING

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from voicebot.console import create_app
from voicebot.console.security import create_user
from voicebot.handoff import create_work_order, enqueue_handoff, get_ticket, get_work_order
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Base, Case, Court, Department, Judge
from voicebot.workdays import WorkCalendar

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

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
        dept = Department(court=court, name="民一庭", contact_phone="010-1001", head_phone="010-2")
        judge = Judge(ext_id="J0105-001", name="张法官", court=court, department=dept,
                      work_phone="010-1000")
        case = Case(number=CASE_NO, year=2024, court=court, case_type="民初", seq=12345,
                    judge=judge)
        s.add_all([court, dept, judge, case])
        s.flush()
        create_user(s, "op1", "operator", PW, now)
        create_user(s, "judge1", "judge", PW, now, "J0105-001")
        order = create_work_order(
            s, case=case, request_text="请法官告知证据交换时间", caller_phone="13800000002",
            language="zh", call_id=None, now=now,
            calendar=WorkCalendar.from_settings(DEFAULT_SETTINGS), days=3,
        )
        s.commit()
        return order.number


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session], str]]:
    engine = make_engine(f"sqlite:///{tmp_path}/console.db")
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    order = _seed(sessions)
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
        yield f"http://127.0.0.1:{port}", sessions, order
    finally:
        srv.should_exit = True
        thread.join(10)
        engine.dispose()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_operator_and_judge_in_a_real_browser(
    server: tuple[str, sessionmaker[Session], str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, sessions, order = server
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = english(browser, base).new_page()
            page.set_default_timeout(10_000)

            # not signed in: sent to the login page
            page.goto(f"{base}/operator")
            assert "/login" in page.url
            page.fill("#username", "op1")
            page.fill("#password", PW)
            page.click("#login")
            page.wait_for_url(f"{base}/operator")
            expect(page.locator("#queue-count")).to_have_text("0")
            page.evaluate("window.__sameDocument = 'yes'")

            # the line hands a call over; it shows up without a reload
            with sessions() as s:
                queued = enqueue_handoff(
                    s, language="zh", caller_phone="13800000001", intent="hearing_time",
                    case_number=CASE_NO, verified=True,
                    transcript=[{"caller": "我想问一下开庭时间", "bot": "好的，正在为您转接人工"}],
                    call_id=None, now=dt.datetime.now(dt.UTC),
                )
                s.commit()
            row = page.locator(f"tr[data-ticket='{queued.number}']")
            expect(row).to_be_visible()
            expect(row.locator("td.waited")).to_have_text(_duration_re())
            expect(page.locator("#queue-count")).to_have_text("1")
            assert page.evaluate("window.__sameDocument") == "yes", "the page was reloaded"

            # claim it and see the context
            page.click("#claim-next")
            page.wait_for_url(f"{base}/operator/tickets/{queued.number}")
            expect(page.locator("#transcript")).to_contain_text("我想问一下开庭时间")
            expect(page.locator("#transcript")).to_contain_text("正在为您转接人工")
            expect(page.locator("#case-number")).to_have_text(CASE_NO)
            expect(page.locator("#verified")).to_contain_text("yes (query password checked)")
            page.fill("#resolve-note", "已告知开庭时间")
            page.click("#resolve")
            expect(page.locator("#status")).to_have_attribute("data-status", "resolved")
            with sessions() as s:
                ticket = get_ticket(s, queued.number)
                assert (ticket.status, ticket.claimed_by) == ("resolved", "op1")
                assert "已告知开庭时间" in ticket.note

            # an operator may not open the judges' board
            response = page.goto(f"{base}/judge/orders/{order}")
            assert response is not None and response.status == 403
            assert "证据交换" not in page.content()

            # the judge answers the work order
            page.goto(f"{base}/operator")
            page.click("#logout")
            page.wait_for_url(f"{base}/login")
            page.fill("#username", "judge1")
            page.fill("#password", PW)
            page.click("#login")
            page.wait_for_url(f"{base}/judge")
            page.click(f"tr[data-order='{order}'] a")
            expect(page.locator("#request")).to_have_text("请法官告知证据交换时间")
            page.fill("#reply-text", "证据交换定于3月10日上午九点")
            page.click("#send-reply")
            expect(page.locator("#status")).to_have_attribute("data-status", "answered")
            expect(page.locator("#reply")).to_contain_text("证据交换定于3月10日上午九点")
            with sessions() as s:
                wo = get_work_order(s, order)
                assert wo.status == "answered" and wo.reply_text == "证据交换定于3月10日上午九点"
            response = page.goto(f"{base}/operator")
            assert response is not None and response.status == 403
            assert CASE_NO not in page.content()

            # a fresh browser without a session is refused
            anon = browser.new_context()
            anon_page = anon.new_page()
            anon_page.goto(f"{base}/admin/users")
            assert "/login" in anon_page.url
            assert anon.request.get(f"{base}/operator/queue.json").status == 401
            anon.close()
        finally:
            browser.close()


def english(browser: Browser, base: str) -> BrowserContext:
    """A browser context that chose English (the console's default is Chinese)."""
    context = browser.new_context()
    context.add_cookies([{"name": "console_lang", "value": "en", "url": base}])
    return context


def _duration_re() -> re.Pattern[str]:
    return re.compile(r"^\d+:\d\d$")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_admin_manages_accounts_and_sign_out_ends_the_session(
    server: tuple[str, sessionmaker[Session], str],
) -> None:
    from playwright.sync_api import Page, expect, sync_playwright

    from voicebot.store.models import User

    base, sessions, _ = server
    with sessions() as s:
        create_user(s, "admin1", "admin", PW, dt.datetime.now(dt.UTC))
        s.commit()
        op_id = s.query(User.id).filter(User.username == "op1").scalar()

    def sign_in(page: Page, name: str, password: str) -> None:
        page.goto(f"{base}/login")
        page.fill("#username", name)
        page.fill("#password", password)
        page.click("#login")

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            op_ctx = english(browser, base)
            op = op_ctx.new_page()
            op.set_default_timeout(10_000)
            sign_in(op, "op1", PW)
            op.wait_for_url(f"{base}/operator")
            cookies = op_ctx.cookies()
            op.click("#logout")
            op.wait_for_url(f"{base}/login")
            replay = browser.new_context()
            replay.add_cookies(cookies)  # the cookie from before signing out
            old = replay.new_page()
            old.goto(f"{base}/operator")
            assert "/login" in old.url
            replay.close()

            admin = english(browser, base).new_page()
            admin.set_default_timeout(10_000)
            sign_in(admin, "admin1", PW)
            admin.goto(f"{base}/admin/users")
            row = admin.locator(f"tr#user-{op_id}")
            row.locator("input[name=password]").fill("fresh pass 77")
            row.locator("button.reset").click()
            expect(admin.locator(f"tr#user-{op_id}")).to_contain_text("active")
            admin.locator(f"tr#user-{op_id} button.disable").click()
            expect(admin.locator(f"tr#user-{op_id}")).to_contain_text("disabled")
            sign_in(op, "op1", "fresh pass 77")
            expect(op.locator("#login-error")).to_be_visible()
            assert "/login" in op.url
            admin.locator(f"tr#user-{op_id} button.disable").click()  # enable again
            expect(admin.locator(f"tr#user-{op_id}")).to_contain_text("active")
            sign_in(op, "op1", PW)
            expect(op.locator("#login-error")).to_be_visible()  # the old password is gone
            sign_in(op, "op1", "fresh pass 77")
            op.wait_for_url(f"{base}/operator")
        finally:
            browser.close()
