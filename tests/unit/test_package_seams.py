"""The package layout's rules, read from the source: no import cycle, no file over 400 lines,
and the concrete transports imported only by the CLI and the replay tool."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
TRANSPORTS = ("voicebot.transport.device", "voicebot.transport.scripted",
              "voicebot.transport.text")
"""Transports a call is run on; the call side sees only their ports."""
MAY_IMPORT_TRANSPORTS = ("voicebot.cli", "voicebot.replay", "voicebot.transport")


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_imports",
                                                  ROOT / "scripts" / "check_imports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_voicebot_has_no_import_cycle() -> None:
    check = checker()
    assert list(check.cycles(check.graph())) == []


def test_the_checker_finds_a_cycle() -> None:
    check = checker()
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert list(check.cycles(edges)) == [["a", "b", "c"]]


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "voicebot").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_only_the_cli_and_the_replay_tool_import_concrete_transports() -> None:
    graph = checker().graph()
    users = {m: sorted(t for t in deps if t in TRANSPORTS) for m, deps in graph.items()}
    wrong = {m: ts for m, ts in users.items() if ts and not m.startswith(MAY_IMPORT_TRANSPORTS)}
    assert wrong == {}
    assert any(ts for m, ts in users.items() if m.startswith("voicebot.cli"))  # the rule bites
