"""Console UI over HTTP on real SQLite and PostgreSQL: language per user, call log paging,
the audit log page, complaints new -> handled with their recordings, the metrics chart."""

from __future__ import annotations

import datetime as dt
import re
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.console import create_app
from voicebot.console.security import create_user
from voicebot.handoff import create_caller_record, enqueue_handoff
from voicebot.handoff.audit import audit
from voicebot.settings import DEFAULT_SETTINGS, Settings
from voicebot.store.models import AuditEntry, CallerRecord, CallRecord, User

pytestmark = pytest.mark.integration
NOW = dt.datetime(2026, 3, 3, 2, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in Beijing
PW = "correct horse 1"
CASE_NO = "（2024）京0105民初12345号"


@pytest.fixture
def app_env(sessions: sessionmaker[Session],
            tmp_path: Path) -> Iterator[tuple[TestClient, sessionmaker[Session], Settings]]:
    with sessions() as s:
        create_user(s, "admin1", "admin", PW, NOW)
        create_user(s, "op1", "operator", PW, NOW)
        s.commit()
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path / "data")
    app = create_app(settings, sessions, clock=lambda: NOW, housekeeping_s=None)
    with TestClient(app) as client:
        yield client, sessions, settings


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF field"
    return match.group(1)


def login(client: TestClient, name: str) -> None:
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"username": name, "password": PW, "csrf_token": token},
                    follow_redirects=False)
    assert r.status_code == 303


def html_lang(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)">', html)
    assert match
    return match.group(1)


def test_language_default_login_choice_and_saved_per_user(
        app_env: tuple[TestClient, sessionmaker[Session], Settings]) -> None:
    client, sessions, _ = app_env
    page = client.get("/login").text
    assert html_lang(page) == "zh-CN" and "<h1>登录</h1>" in page and "用户名" in page
    assert 'name="viewport"' in page
    english = client.get("/login?lang=en")
    assert html_lang(english.text) == "en" and "<h1>Sign in</h1>" in english.text
    assert english.cookies.get("console_lang") == "en"  # the choice sticks in the browser
    assert html_lang(client.get("/login").text) == "en"
    client.cookies.clear()

    login(client, "op1")  # no saved choice, no cookie: Chinese
    queue = client.get("/operator").text
    assert html_lang(queue) == "zh-CN" and "接听下一位来电" in queue and ">退出登录<" in queue
    token = csrf_of(queue)
    r = client.post("/lang", data={"csrf_token": token, "lang": "en", "next": "/operator?x=1"},
                    follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/operator?x=1"
    with sessions() as s:
        assert s.execute(select(User.console_lang).where(User.username == "op1")).scalar() == "en"
        assert s.execute(select(User.console_lang).where(User.username == "admin1")
                         ).scalar() is None
    client.cookies.clear()  # another browser: the account's choice comes with the sign-in
    login(client, "op1")
    queue = client.get("/operator").text
    assert html_lang(queue) == "en" and "Claim next caller" in queue
    client.cookies.set("console_lang", "zh")  # the saved choice beats the browser's cookie
    assert html_lang(client.get("/operator").text) == "en"
    # flashes made in Python follow the page language
    assert "The queue is empty" in client.post("/operator/claim-next",
                                               data={"csrf_token": csrf_of(queue)}).text
    # an unknown language or an off-site target changes nothing
    r = client.post("/lang", data={"csrf_token": csrf_of(queue), "lang": "fr",
                                   "next": "//evil.example"}, follow_redirects=False)
    assert r.headers["location"] == "/"
    client.cookies.clear()
    login(client, "admin1")
    page = client.get("/operator").text
    assert html_lang(page) == "zh-CN"
    assert "当前没有等待的来电" in client.post("/operator/claim-next",
                                              data={"csrf_token": csrf_of(page)}).text
    missing = client.get("/admin/calls/999")
    assert missing.status_code == 404 and "未找到" in missing.text and "没有该来电" in missing.text


def _calls(sessions: sessionmaker[Session], n: int, outcome: str = "answered") -> None:
    with sessions() as s:
        for i in range(n):
            s.add(CallRecord(started_at=NOW - dt.timedelta(minutes=i), language="zh",
                             caller_id=f"1380000{i:04d}", outcome=outcome, intent="consultation"))
        s.commit()


def _call_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<tr data-call="(\d+)">', html)]


def test_call_log_pages_past_200_rows_and_keeps_filters(
        app_env: tuple[TestClient, sessionmaker[Session], Settings]) -> None:
    client, sessions, _ = app_env
    _calls(sessions, 450)
    _calls(sessions, 3, outcome="handoff")
    login(client, "admin1")
    first = client.get("/admin/calls", params={"outcome": "answered"}).text
    ids1 = _call_ids(first)
    assert len(ids1) == 200 and "第 1 页，共 3 页（450 条）" in first
    assert 'id="prev"' not in first
    nxt = re.search(r'id="next" href="([^"]+)"|href="([^"]+)" id="next"', first)
    assert nxt is not None
    url = (nxt.group(1) or nxt.group(2)).replace("&amp;", "&")
    assert "outcome=answered" in url and "page=2" in url
    second = client.get(url).text
    ids2 = _call_ids(second)
    assert len(ids2) == 200 and not set(ids1) & set(ids2) and 'id="prev"' in second
    third = client.get("/admin/calls", params={"outcome": "answered", "page": "3"}).text
    ids3 = _call_ids(third)
    assert len(ids3) == 50 and 'id="next"' not in third
    assert len(set(ids1) | set(ids2) | set(ids3)) == 450
    with sessions() as s:
        answered = set(s.execute(select(CallRecord.id).where(CallRecord.outcome == "answered"))
                       .scalars())
    assert set(ids1) | set(ids2) | set(ids3) == answered  # the filter holds on every page
    assert ids1 == sorted(ids1)  # newest first: call i started i minutes before NOW
    past_end = client.get("/admin/calls", params={"outcome": "answered", "page": "99"}).text
    assert _call_ids(past_end) == ids3  # clamped to the last page
    assert len(_call_ids(client.get("/admin/calls", params={"page": "junk"}).text)) == 200
    assert len(_call_ids(client.get("/admin/calls", params={"outcome": "handoff"}).text)) == 3


def test_audit_log_page_filters_and_pages_for_admins_only(
        app_env: tuple[TestClient, sessionmaker[Session], Settings]) -> None:
    client, sessions, _ = app_env
    with sessions() as s:
        for i in range(130):
            audit(s, actor="call:7", action="case.disclose", now=NOW - dt.timedelta(days=3),
                  case_number=CASE_NO, detail=f"turn {i}")
        audit(s, actor="cli", action="db.import", now=NOW - dt.timedelta(days=10))
        s.commit()
    login(client, "op1")
    assert client.get("/admin/audit").status_code == 403
    client.cookies.clear()
    login(client, "admin1")
    page = client.get("/admin/audit", params={"action": "case.disclose"}).text
    assert page.count("<tr data-audit=") == 100 and "第 1 页，共 2 页（130 条）" in page
    assert CASE_NO in page and "db.import" in page  # the action list offers every action
    rest = client.get("/admin/audit", params={"action": "case.disclose", "page": "2"}).text
    assert rest.count("<tr data-audit=") == 30
    by_actor = client.get("/admin/audit", params={"actor": "cli"}).text
    assert by_actor.count("<tr data-audit=") == 1
    # court-local dates: 2026-02-21 10:00 Beijing is the cli row, 2026-02-28 the disclosures
    day = client.get("/admin/audit", params={"start": "2026-02-20", "end": "2026-02-21"}).text
    assert day.count("<tr data-audit=") == 1 and "db.import" in day.split("<tbody>")[1]
    bad = client.get("/admin/audit", params={"start": "yesterday"}).text
    assert "日期格式应为 2026-03-03" in bad
    with sessions() as s:
        views = s.execute(select(AuditEntry.detail).where(AuditEntry.action == "audit.view")
                          ).scalars().all()
    assert len(views) == 5 and any("actor=cli" in v for v in views)


def _wav(path: Path) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x01\x00" * 800)
    return path.read_bytes()


def test_complaints_handled_and_played_through_an_audited_route(
        app_env: tuple[TestClient, sessionmaker[Session], Settings], tmp_path: Path) -> None:
    client, sessions, settings = app_env
    inside = settings.recordings_dir / "call-1" / "turn-03.wav"
    data = _wav(inside)
    outside = tmp_path / "elsewhere.wav"
    _wav(outside)
    numbers = {}
    with sessions() as s:
        for key, path in (("ok", str(inside)), ("gone", str(settings.recordings_dir / "x.wav")),
                          ("outside", str(outside)), ("dotdot",
                          str(settings.recordings_dir / ".." / ".." / "elsewhere.wav")),
                          ("none", "")):
            rec = create_caller_record(s, kind="complaint", message=f"投诉 {key}",
                                       case_number=CASE_NO, caller_phone="13800000009",
                                       language="zh", audio_path=path, call_id=None, now=NOW)
            numbers[key] = rec.number
        s.commit()
    login(client, "admin1")
    page = client.get("/admin/records").text
    assert str(settings.recordings_dir) not in page and "turn-03.wav" not in page
    assert f'<audio controls preload="none" src="/admin/records/{numbers["ok"]}/audio">' in page
    body = page.split("<tbody>")[1]
    assert body.count(">新建") == 5 and body.count('class="handle"') == 5
    r = client.get(f"/admin/records/{numbers['ok']}/audio")
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-type"] == "audio/wav"
    for key in ("gone", "outside", "dotdot", "none"):
        assert client.get(f"/admin/records/{numbers[key]}/audio").status_code == 404, key
    assert client.get("/admin/records/CR-nope/audio").status_code == 404
    token = csrf_of(page)
    r = client.post(f"/admin/records/{numbers['ok']}/handled", data={"csrf_token": token})
    assert r.status_code == 200 and "已标记为已处理" in r.text
    again = client.post(f"/admin/records/{numbers['ok']}/handled", data={"csrf_token": token})
    assert again.status_code == 409
    with sessions() as s:
        rec = s.execute(select(CallerRecord).where(CallerRecord.number == numbers["ok"])
                        ).scalar_one()
        assert (rec.status, rec.handled_by, rec.handled_at) == ("handled", "admin1", NOW)
        trail = s.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.detail)
                          .where(AuditEntry.case_number == CASE_NO)).all()
    assert ("record.audio", "user:admin1", numbers["ok"]) in trail
    assert ("record.handled", "user:admin1", numbers["ok"]) in trail
    assert sum(1 for a, _, _ in trail if a == "record.audio") == 1  # refused ones are not played
    handled = client.get("/admin/records", params={"status": "handled"}).text
    assert handled.count("<tr data-record=") == 1 and "admin1 2026-03-03 10:00" in handled
    assert client.get("/admin/records", params={"status": "new"}).text.count(
        "<tr data-record=") == 4
    client.cookies.clear()
    login(client, "op1")
    assert client.get(f"/admin/records/{numbers['ok']}/audio").status_code == 403


def test_metrics_chart_counts_per_day_over_the_chosen_range(
        app_env: tuple[TestClient, sessionmaker[Session], Settings]) -> None:
    client, sessions, _ = app_env
    with sessions() as s:
        day1 = dt.datetime(2026, 3, 1, 3, 0, tzinfo=dt.UTC)  # 2026-03-01 11:00 Beijing
        for outcome in ("answered", "answered", "recorded", "handoff"):
            s.add(CallRecord(started_at=day1, outcome=outcome, intent="consultation"))
        s.add(CallRecord(started_at=dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC),  # 3-03 01:00
                         outcome="handoff"))
        enqueue_handoff(s, language="zh", caller_phone="1", intent="operator", case_number="",
                        verified=False, transcript=[], call_id=None, now=day1)
        s.commit()
    login(client, "admin1")
    page = client.get("/admin/metrics", params={"start": "2026-02-28", "end": "2026-03-03"}).text
    days = re.findall(r'<g class="day" data-day="([\d-]+)" data-calls="(\d+)" '
                      r'data-handoffs="(\d+)" data-contained="(\d+)">', page)
    assert days == [("2026-02-28", "0", "0", "0"), ("2026-03-01", "4", "1", "3"),
                    ("2026-03-02", "0", "0", "0"), ("2026-03-03", "1", "0", "0")]
    assert "<svg" in page and "<polyline" in page and "<script" not in page
    assert "75.0%" in page and 'value="2026-02-28"' in page
    default = client.get("/admin/metrics").text
    assert default.count('<g class="day"') == 14 and 'value="2026-03-03"' in default
    swapped = client.get("/admin/metrics", params={"start": "2026-03-03", "end": "2026-03-01"})
    assert swapped.text.count('<g class="day"') == 3
    bad = client.get("/admin/metrics", params={"start": "2026-13-01"})
    assert bad.status_code == 200 and "日期格式应为 2026-03-03" in bad.text


def test_migration_0005_keeps_complaints_as_new_and_adds_the_language(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import text

    from voicebot.store import schema
    from voicebot.store.db import make_engine

    schema.upgrade(db_url, "0004_console_sessions")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO caller_records (number, kind, language, caller_phone, case_number,"
                " message, audio_path, status, created_at) VALUES ('CR-1', 'complaint', 'zh',"
                " '', '', 'm', '', 'open', :at)"), {"at": NOW})
        schema.upgrade(db_url, "0005_console_ui")
        with engine.connect() as conn:
            row = conn.execute(text("SELECT status, handled_by, handled_at FROM caller_records")
                               ).one()
            assert tuple(row) == ("new", None, None)
            assert conn.execute(text("SELECT count(console_lang) FROM users")).scalar() == 0
        command.downgrade(schema.alembic_config(db_url), "0004_console_sessions")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT status FROM caller_records")).scalar() == "open"
    finally:
        engine.dispose()
