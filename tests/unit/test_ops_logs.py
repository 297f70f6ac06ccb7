"""Log lines: UTC time and level, access lines without case numbers, queries or polls."""

import json
import logging

from voicebot.ops.logs import AccessFilter, Formatter, scrub_path


def _access(path: str, status: int = 200) -> logging.LogRecord:
    return logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                             '%s - "%s %s HTTP/%s" %d',
                             ("127.0.0.1:5000", "GET", path, "1.1", status), None)


def test_case_numbers_and_queries_never_reach_the_access_log() -> None:
    number = "/cases/%EF%BC%882026%EF%BC%89%E4%BA%AC0105%E6%B0%91%E5%88%9D123%E5%8F%B7"
    record = _access(number + "?phone=138")
    assert AccessFilter().filter(record)
    line = record.getMessage()
    assert "2026" not in line and "138" not in line and "<case>" in line
    ticket = "/operator/tickets/ZX-20261201-0001"
    assert scrub_path(ticket + "?x=1") == ticket
    assert scrub_path("/x/(2026)京0105民初1号/y") == "/x/<case>/y"


def test_polls_and_probes_are_not_logged_unless_they_fail() -> None:
    f = AccessFilter()
    assert not f.filter(_access("/operator/queue.json"))
    assert not f.filter(_access("/healthz"))
    assert f.filter(_access("/readyz", 503))
    assert f.filter(_access("/operator"))


def test_lines_carry_time_and_level() -> None:
    record = logging.LogRecord("voicebot.x", logging.WARNING, __file__, 1, "hello %s", ("you",),
                               None)
    text = Formatter("text").format(record)
    assert text.endswith("Z WARNING voicebot.x hello you") and text[4] == "-"
    data = json.loads(Formatter("json").format(record))
    assert data["level"] == "WARNING" and data["msg"] == "hello you" and data["ts"].endswith("Z")
