"""``voicebot db import``: load courts, departments, judges and cases from a JSON file.

The whole file is validated before anything is written, and everything is written in the
caller's transaction, so a bad record leaves the database as it was. Records are matched by
natural keys (court code, department (court, name), judge id, case number): importing the same
file again updates instead of duplicating.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from voicebot.store.jsonin import json_int, json_object
from voicebot.store.records import (
    ImportData,
    ImportFileError,
    parse_import,
)
from voicebot.store.writer import (
    check_references,
    load_refs,
    upsert_courts,
    upsert_judges,
    write_cases,
)

__all__ = ["ImportFileError", "ImportSummary", "import_data", "import_file", "read_import_file"]


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote."""

    courts: int
    departments: int
    judges: int
    cases_inserted: int
    cases_updated: int


def read_import_file(path: Path) -> ImportData:
    """Read and validate ``path`` on its own (no database needed)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        message = f"cannot read {path}: {exc.strerror or exc}"
        raise ImportFileError(message, kind="unreadable") from exc
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"{path} is not UTF-8 text: {exc}", kind="bad_json") from exc
    try:
        raw: Any = json.loads(text, object_pairs_hook=json_object, parse_int=json_int)
    except RecursionError:
        raise ImportFileError(f"{path} is nested too deeply to be an import file",
                              kind="bad_json") from None
    except json.JSONDecodeError as exc:
        raise ImportFileError(
            f"{path} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            kind="bad_json",
        ) from exc
    return parse_import(raw)


def import_data(session: Session, data: ImportData,
                progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Check references against the store and the file, then upsert everything in ``session``
    (not committed). ``progress`` is called with the number of cases written after each batch."""
    refs = load_refs(session)
    check_references(refs, data.courts, data.judges, data.cases)
    upsert_courts(session, data.courts, refs)
    upsert_judges(session, data.judges, refs)
    inserted, updated = write_cases(session, data.cases, refs, progress=progress)
    session.flush()
    return ImportSummary(
        courts=len(data.courts),
        departments=sum(len(c.departments) for c in data.courts),
        judges=len(data.judges),
        cases_inserted=inserted,
        cases_updated=updated,
    )


def import_file(session: Session, path: Path,
                progress: Callable[[int], None] | None = None) -> ImportSummary:
    """Read, validate and import ``path`` into ``session`` (the caller commits or rolls back)."""
    return import_data(session, read_import_file(path), progress)
