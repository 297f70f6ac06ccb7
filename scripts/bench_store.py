#!/usr/bin/env python3
"""Benchmark the case store: import rate and case lookup by number, on SQLite and PostgreSQL.

    .venv/bin/python scripts/bench_store.py                       # 10,000 cases, both backends
    .venv/bin/python scripts/bench_store.py --sizes 10000 1000000 --backends sqlite

For each backend and size it
  * writes the demo data set with the bulk writer (generation, hashing and inserts: cases/s),
  * imports a JSON file of that many cases into a second, fresh database through
    ``voicebot db import``'s code path (read, validate, hash, write: cases/s; sizes up to
    --json-limit, since the importer holds the whole file in memory),
  * looks up random existing case numbers: the indexed point query alone, and ``find_case``
    with everything an answer needs eager-loaded (p50/p99 in microseconds).
Databases are scratch ones (a temporary SQLite file, a PostgreSQL database created and dropped).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, select, text

from voicebot.casenumber import CaseNumber
from voicebot.store import schema
from voicebot.store.cases import find_case
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.demo import build_demo, demo_courts, demo_judges, generate_cases, showcase_cases
from voicebot.store.importer import import_data, read_import_file
from voicebot.store.models import Case
from voicebot.store.records import CaseRec

PG_ADMIN_URL = os.environ.get("VOICEBOT_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
console = Console(stderr=True)


@contextmanager
def scratch_db(backend: str, tmp: Path, pg_admin: str) -> Iterator[str]:
    """A new empty database URL, removed afterwards."""
    if backend == "sqlite":
        path = tmp / f"bench-{uuid.uuid4().hex[:6]}.db"
        yield f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    name = f"vb_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(pg_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield pg_admin.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def case_json(c: CaseRec) -> dict[str, Any]:
    """A generated case in the import format (with its password)."""
    return {
        "number": str(c.number), "cause": c.cause, "cause_en": c.cause_en,
        "filed_on": c.filed_on.isoformat() if c.filed_on else None, "accepted": c.accepted,
        "status": c.status, "judge": c.judge, "panel": c.panel,
        "hearings": [{"at": h.at.isoformat(), "room": h.room, "room_en": h.room_en}
                     for h in c.hearings],
        "events": [{"at": e.at.isoformat(), "text": e.text, "text_en": e.text_en}
                   for e in c.events],
        "result": ({"on": c.result.on.isoformat(), "text": c.result.text,
                    "text_en": c.result.text_en} if c.result else None),
        "query_password": c.query_password,
        "parties": [{"name": p.name, "role": p.role, "phone": p.phone} for p in c.parties],
    }


def write_import_file(path: Path, seed: int, size: int) -> None:
    """An import file of ``size`` cases drawn like the demo data set."""
    courts = [{"code": c.code, "name": c.name, "name_en": c.name_en, "aliases": c.aliases,
               "departments": [{"name": d.name, "name_en": d.name_en,
                                "contact": {"name": d.contact_name, "phone": d.contact_phone},
                                "head": {"name": d.head_name, "phone": d.head_phone}}
                               for d in c.departments]} for c in demo_courts()]
    judges = demo_judges()
    judge_rows = [{"id": j.ext_id, "name": j.name, "name_en": j.name_en, "court": j.court,
                   "department": j.department, "work_phone": j.work_phone} for j in judges]
    show = showcase_cases()
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"courts": ' + json.dumps(courts, ensure_ascii=False) + ',\n"judges": '
                 + json.dumps(judge_rows, ensure_ascii=False) + ',\n"cases": [\n')
        cases = [*show, *generate_cases(seed, max(0, size - len(show)), judges)]
        fh.write(",\n".join(json.dumps(case_json(c), ensure_ascii=False) for c in cases))
        fh.write("\n]}\n")


def lookups(url: str, count: int, seed: int) -> tuple[list[float], list[float]]:
    """Microseconds per point query and per full ``find_case``, on random existing numbers."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as s:
            numbers = list(s.scalars(select(Case.number)))
        rng = random.Random(seed)
        sample = [CaseNumber.parse(n) for n in rng.choices(numbers, k=count)]
        point: list[float] = []
        full: list[float] = []
        with sessions() as s:
            for number in sample[: min(200, count)]:  # warm-up: connection, statement caches
                find_case(s, number)
                s.expunge_all()
            for number in sample:
                t0 = time.perf_counter_ns()
                found = s.execute(select(Case.id).where(Case.number == str(number))).scalar()
                point.append((time.perf_counter_ns() - t0) / 1000)
                assert found is not None
            for number in sample:
                t0 = time.perf_counter_ns()
                case = find_case(s, number)
                full.append((time.perf_counter_ns() - t0) / 1000)
                assert case is not None
                s.expunge_all()
        return point, full
    finally:
        engine.dispose()


def pct(values: list[float], q: float) -> float:
    """The q-th percentile (0-100)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def bench(backend: str, size: int, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """One backend at one size."""
    row: dict[str, Any] = {"backend": backend, "cases": size}
    with scratch_db(backend, tmp, args.pg_url) as url:
        schema.init(url)
        engine = make_engine(url)
        t0 = time.perf_counter()
        with session_scope(make_sessionmaker(engine)) as s:
            build_demo(s, seed=args.seed, cases=size)
        row["demo_rate"] = size / (time.perf_counter() - t0)
        engine.dispose()
        point, full = lookups(url, args.lookups, args.seed)
        row |= {"point_p50": pct(point, 50), "point_p99": pct(point, 99),
                "full_p50": pct(full, 50), "full_p99": pct(full, 99),
                "point_mean": statistics.fmean(point)}
    if size <= args.json_limit:
        path = tmp / f"import-{size}.json"
        write_import_file(path, args.seed, size)
        with scratch_db(backend, tmp, args.pg_url) as url:
            schema.init(url)
            engine = make_engine(url)
            t0 = time.perf_counter()
            data = read_import_file(path)
            with session_scope(make_sessionmaker(engine)) as s:
                import_data(s, data)
            row["import_rate"] = size / (time.perf_counter() - t0)
            engine.dispose()
        path.unlink()
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000],
                        help="case counts (add 1000000 for the large run; it takes minutes)")
    parser.add_argument("--backends", nargs="+", choices=("sqlite", "postgres"),
                        default=["sqlite", "postgres"])
    parser.add_argument("--lookups", type=int, default=2000, help="lookups per measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json-limit", type=int, default=100_000,
                        help="largest size also imported from a JSON file")
    parser.add_argument("--pg-url", default=PG_ADMIN_URL, help="PostgreSQL maintenance database")
    parser.add_argument("--tmp", type=Path, default=None, help="folder for scratch files")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        for size in args.sizes:
            for backend in args.backends:
                console.print(f"[bold]{backend}[/], {size:,} cases ...")
                started = time.perf_counter()
                rows.append(bench(backend, size, args, Path(tmp)))
                console.print(f"  done in {time.perf_counter() - started:.0f} s")
    table = Table(title=f"case store benchmark ({dt.date.today()}, {os.cpu_count()} CPUs)")
    for column in ("backend", "cases", "JSON import cases/s", "demo bulk write cases/s",
                   "point lookup p50 µs", "p99 µs", "find_case p50 µs", "p99 µs"):
        table.add_column(column, justify="right")
    for r in rows:
        table.add_row(r["backend"], f"{r['cases']:,}",
                      f"{r['import_rate']:,.0f}" if "import_rate" in r else "-",
                      f"{r['demo_rate']:,.0f}", f"{r['point_p50']:.0f}", f"{r['point_p99']:.0f}",
                      f"{r['full_p50']:.0f}", f"{r['full_p99']:.0f}")
    Console(width=140).print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
