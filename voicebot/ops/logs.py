"""Log set-up for the long-running processes: one line per event with UTC time and level, as
text or JSON lines; access lines without query strings or case numbers, and none for polls."""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

if TYPE_CHECKING:
    from voicebot.settings import Settings

LOG_FORMATS = ("text", "json")
"""Values of the ``log_format`` setting."""
LOG_LEVELS = ("debug", "info", "warning", "error")
"""Values of the ``log_level`` setting."""
QUIET_PATHS = ("/operator/queue.json", "/healthz", "/readyz", "/static/")
"""Requests that are not logged when they succeed: the queue page's 2-second poll, probes of
the health checks, static files."""
_CASE = re.compile(r"[（(]\d{4}[）)][^/?&#\s]*")
"""A case number as it appears in a path: （2026）京0105民初123号 and the ASCII-bracket form."""


def scrub_path(path: str) -> str:
    """A request path fit for the access log: no query string, case numbers replaced."""
    bare = path.split("?", 1)[0]
    plain = unquote(bare)
    return _CASE.sub("<case>", plain) if _CASE.search(plain) else bare


class AccessFilter(logging.Filter):
    """Drops successful polls and probes; scrubs the path of the rest (uvicorn access log)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if not isinstance(args, tuple) or len(args) != 5:
            return True
        client, method, path, version, status = args
        if str(path).startswith(QUIET_PATHS) and isinstance(status, int) and status < 400:
            return False
        record.args = (client, method, scrub_path(str(path)), version, status)
        return True


class Formatter(logging.Formatter):
    """``2026-12-01T09:00:00.123Z INFO voicebot.x message`` or one JSON object per line."""

    def __init__(self, kind: str = "text") -> None:
        super().__init__()
        self.kind = kind

    def format(self, record: logging.LogRecord) -> str:
        when = dt.datetime.fromtimestamp(record.created, dt.UTC)
        stamp = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
        message = record.getMessage()
        if record.exc_info:
            message += "\n" + self.formatException(record.exc_info)
        if self.kind == "json":
            return json.dumps({"ts": stamp, "level": record.levelname, "logger": record.name,
                               "msg": message}, ensure_ascii=False)
        return f"{stamp} {record.levelname} {record.name} {message}"


def log_config(kind: str = "text", level: str = "info") -> dict[str, Any]:
    """A :func:`logging.config.dictConfig` mapping for uvicorn (``log_config=``) and the line."""
    lvl = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"access": {"()": AccessFilter}},
        "formatters": {"line": {"()": Formatter, "kind": kind}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "line",
                       "stream": "ext://sys.stderr"},
            "access": {"class": "logging.StreamHandler", "formatter": "line",
                       "filters": ["access"], "stream": "ext://sys.stderr"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": lvl, "propagate": False},
            "uvicorn.error": {"level": lvl},
            "uvicorn.access": {"handlers": ["access"], "level": lvl, "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": lvl},
    }


def configure_logging(settings: Settings) -> None:
    """Log as :func:`log_config` says, for a process that is not uvicorn (the line)."""
    logging.config.dictConfig(log_config(settings.log_format, settings.log_level))
