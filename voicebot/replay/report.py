"""Replay reports: finding fixtures, the summary table, JUnit XML, latency percentiles."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from voicebot.replay.replay import ReplayResult


def find_fixtures(paths: Iterable[Path | str]) -> list[str]:
    """Fixture folders: each path itself if it holds ``call.json``, else its sub-folders that do."""
    found: list[str] = []
    for raw in paths:
        path = Path(raw)
        if (path / "call.json").is_file() or path.name == "call.json":
            found.append(str(raw))
            continue
        subs = sorted(p for p in path.iterdir() if (p / "call.json").is_file()) \
            if path.is_dir() else []
        if not subs:
            found.append(str(raw))  # reported as unreadable by the loader
        found.extend(str(p) for p in subs)
    return found


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (nearest rank) of ``values``; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return float(ordered[rank - 1])


def summary_rows(results: Sequence[ReplayResult]) -> list[tuple[str, ...]]:
    """One row per call: name, language, intent, outcome, turns, p50 latency, verdict."""
    rows: list[tuple[str, ...]] = []
    for r in results:
        lat = [t.latency_ms for t in r.call.turns if t.latency_ms is not None]
        verdict = {None: "-", True: "PASS", False: "FAIL"}[r.passed]
        rows.append((r.fixture.name, r.call.language, r.call.intent or "-", r.call.outcome,
                     str(len(r.call.turns)), f"{percentile(lat, 50):.0f}" if lat else "-",
                     verdict))
    return rows


def junit_xml(results: Sequence[ReplayResult], errors: Sequence[tuple[str, str]] = ()) -> str:
    """JUnit XML: a test case per fixture, failures with the unmet expectations."""
    failed = sum(1 for r in results if r.passed is False)
    suite = ET.Element("testsuite", name="voicebot.replay", tests=str(len(results) + len(errors)),
                       failures=str(failed), errors=str(len(errors)),
                       time=f"{sum(r.seconds for r in results):.3f}")
    for r in results:
        case = ET.SubElement(suite, "testcase", classname="replay", name=r.fixture.name,
                             time=f"{r.seconds:.3f}")
        if r.passed is False:
            failure = ET.SubElement(case, "failure", message="; ".join(r.failures))
            failure.text = "\n".join(f"caller: {t.caller}\nbot: {t.bot}" for t in r.call.turns)
    for name, message in errors:
        case = ET.SubElement(suite, "testcase", classname="replay", name=name, time="0")
        ET.SubElement(case, "error", message=message)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True)
