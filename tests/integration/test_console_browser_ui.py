"""A real headless Chromium looks at the console in Chinese and English, at desktop and phone
width: CJK text renders with a real font (not tofu), nothing scrolls the page sideways at
375 px, the language switch saves the choice, the chart draws and recordings play.

One browser launch for all checks; screenshots go to the test's temporary folder
(``VOICEBOT_SCREENSHOTS=DIR`` keeps them elsewhere for a look).
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.console import create_app
from voicebot.console.security import create_user
from voicebot.handoff import create_caller_record, enqueue_handoff
from voicebot.handoff.audit import audit
from voicebot.settings import DEFAULT_SETTINGS, Settings
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Base, CallRecord, User

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PW = "browser-pass-1"
CASE_NO = "（2024）京0105民初12345号"
PHONE = {"width": 375, "height": 740}
ADMIN_PAGES = ("/admin/calls", "/admin/records", "/admin/audit", "/admin/metrics",
               "/admin/users", "/admin/settings", "/operator", "/operator/callbacks",
               "/operator/orders", "/judge")
# Glyphs of two different characters: equal pixels mean both fell back to the same box (tofu).
GLYPHS_DIFFER = """([a, b]) => {
  const font = getComputedStyle(document.querySelector("#nav a")).fontFamily;
  const draw = (ch) => {
    const c = document.createElement("canvas"); c.width = 40; c.height = 40;
    const g = c.getContext("2d"); g.font = "32px " + font; g.fillText(ch, 2, 32);
    return Array.from(g.getImageData(0, 0, 40, 40).data).join(",");
  };
  return draw(a) !== draw(b) && draw(a) !== draw("\\u{10FFFD}");
}"""
NO_SIDEWAYS_SCROLL = ("() => [document.documentElement.scrollWidth, window.innerWidth, "
                      "document.body.scrollWidth]")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(sessions: sessionmaker[Session], settings: Settings) -> str:
    now = dt.datetime.now(dt.UTC)
    wav = settings.recordings_dir / "call-1" / "turn-02.wav"
    wav.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x10" * 8000)  # one second
    with sessions() as s:
        create_user(s, "admin1", "admin", PW, now)
        for i in range(230):  # more than a page, with long cells
            s.add(CallRecord(started_at=now - dt.timedelta(hours=i), language="zh",
                             caller_id=f"1380013{i:04d}", intent="hearing_time",
                             case_number=CASE_NO, outcome="answered" if i % 3 else "handoff",
                             record_ref=f"CR-20260301-{i:04d}"))
        record = create_caller_record(
            s, kind="complaint", message="法官迟迟不回电话，" * 8, case_number=CASE_NO,
            caller_phone="13800000009", language="zh", audio_path=str(wav), call_id=None,
            now=now)
        enqueue_handoff(s, language="zh", caller_phone="13800000001", intent="hearing_time",
                        case_number=CASE_NO, verified=True,
                        transcript=[{"caller": "我想问开庭时间", "bot": "正在为您转接人工"}],
                        call_id=None, now=now)
        audit(s, actor="call:1", action="case.disclose", now=now, case_number=CASE_NO,
              detail="hearing_time " * 12)
        s.commit()
        return record.number


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, sessionmaker[Session], str]]:
    engine = make_engine(f"sqlite:///{tmp_path}/console.db")
    Base.metadata.create_all(engine)
    sessions = make_sessionmaker(engine)
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path / "data")
    record = _seed(sessions, settings)
    app = create_app(settings, sessions, housekeeping_s=None)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", sessions, record
    finally:
        srv.should_exit = True
        thread.join(10)
        engine.dispose()


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
def test_console_in_both_languages_and_at_phone_width(
    server: tuple[str, sessionmaker[Session], str], tmp_path: Path,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, sessions, record = server
    shots = Path(os.environ.get("VOICEBOT_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(10_000)
            page.goto(f"{base}/login")
            assert page.get_attribute("html", "lang") == "zh-CN"
            expect(page.locator("h1")).to_have_text("登录")
            page.fill("#username", "admin1")
            page.fill("#password", PW)
            page.click("#login")
            page.wait_for_url(f"{base}/admin/calls")

            # Chinese by default, drawn with a CJK font (not empty boxes)
            assert page.get_attribute("html", "lang") == "zh-CN"
            nav = page.locator("#nav")
            for word in ("来电排队", "工单", "来电记录", "审计日志"):
                expect(nav.get_by_text(word, exact=True)).to_be_visible()
            assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '来电')")
            assert page.evaluate(GLYPHS_DIFFER, ["来", "电"]), "CJK text renders as tofu"
            # the check tells tofu apart: two code points no font has draw the same box
            assert not page.evaluate(GLYPHS_DIFFER, ["\U0010FFFC", "\U0010FFFB"])
            expect(page.locator("#page-of")).to_have_text("第 1 页，共 2 页（230 条）")
            page.screenshot(path=str(shots / "calls-zh.png"), full_page=True)
            page.goto(f"{base}/admin/metrics")
            box = page.locator("#chart").bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 80
            assert page.locator("#chart g.day").count() == 14
            page.screenshot(path=str(shots / "metrics-zh.png"), full_page=True)

            # the recording plays in the page's player, through the audited route
            page.goto(f"{base}/admin/records")
            duration = page.evaluate("""() => new Promise((done) => {
              const a = document.querySelector("#records audio");
              a.preload = "auto"; a.onloadedmetadata = () => done(a.duration);
              a.onerror = () => done(-1); a.load(); })""")
            assert abs(duration - 1.0) < 0.05, duration
            assert "recordings" not in page.content()

            # phone width: nothing scrolls the page sideways; wide tables scroll themselves
            page.set_viewport_size(PHONE)
            for path in ADMIN_PAGES:
                page.goto(f"{base}{path}")
                doc, inner, body = page.evaluate(NO_SIDEWAYS_SCROLL)
                assert doc <= inner and body <= inner, (path, doc, body, inner)
                expect(page.locator("#nav")).to_be_visible()
            page.goto(f"{base}/admin/calls")
            table = page.evaluate("""() => { const t = document.querySelector("#calls");
              return [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX]; }""")
            assert table[0] > table[1] and table[2] == "auto", table
            nav_box = page.locator("#nav").bounding_box()
            assert nav_box is not None and nav_box["x"] + nav_box["width"] <= PHONE["width"]
            page.screenshot(path=str(shots / "calls-zh-phone.png"))

            # the switch in the navigation: English, saved on the account
            page.locator("#lang-switch button").click()
            page.wait_for_url(f"{base}/admin/calls")
            assert page.get_attribute("html", "lang") == "en"
            expect(page.locator("#nav").get_by_text("Audit log", exact=True)).to_be_visible()
            expect(page.locator("#page-of")).to_have_text("Page 1 of 2 (230 rows)")
            with sessions() as s:
                lang = s.execute(select(User.console_lang).where(User.username == "admin1"))
                assert lang.scalar() == "en"
            doc, inner, body = page.evaluate(NO_SIDEWAYS_SCROLL)
            assert doc <= inner and body <= inner
            page.screenshot(path=str(shots / "calls-en-phone.png"))
            page.goto(f"{base}/admin/metrics")
            doc, inner, body = page.evaluate(NO_SIDEWAYS_SCROLL)
            assert doc <= inner and body <= inner
            page.screenshot(path=str(shots / "metrics-en-phone.png"), full_page=True)

            # the handled button, in English
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{base}/admin/records")
            page.click(f"tr[data-record='{record}'] button.handle")
            expect(page.locator(f"tr[data-record='{record}'] td.status")).to_contain_text(
                "handled")
            expect(page.locator("#msg")).to_have_text("Marked handled")
            page.screenshot(path=str(shots / "records-en.png"), full_page=True)

            # back to Chinese
            page.locator("#lang-switch button").click()
            assert page.get_attribute("html", "lang") == "zh-CN"
            expect(page.locator(f"tr[data-record='{record}'] td.status")).to_contain_text(
                "已处理")
        finally:
            browser.close()
    for name in ("calls-zh.png", "metrics-zh.png", "calls-zh-phone.png", "calls-en-phone.png"):
        assert (shots / name).stat().st_size > 10_000, name
