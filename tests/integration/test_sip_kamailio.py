"""Kamailio in front of two ``voicebot sip serve`` workers (scripts/sip_cluster.py): calls spread
over both, and when one worker dies new calls still reach the other.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sip_wire import call_summaries, run_peer

pytest.importorskip("pjsua2", reason="voicebot[sip] is not installed")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("kamailio") is None and not Path("/usr/sbin/kamailio").exists(),
                       reason="kamailio is not installed"),
]
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "sip_cluster.py"


def _free_udp_ports(n: int) -> list[int]:
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    for s in socks:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


def _worker_pid(port: int) -> int:
    found = subprocess.run(["pgrep", "-f", f"sip serve --listen udp:127.0.0.1:{port}"],
                           capture_output=True, text=True, check=False).stdout.split()
    return int(found[0])


def _summaries(run_dir: Path, until: Callable[[list[int]], bool],
               wait_s: float = 15.0) -> list[int]:
    """Calls each worker has summed up, once ``until`` holds or ``wait_s`` has passed (a worker
    writes a call's summary after the call's teardown, a moment after the caller hung up)."""
    deadline = time.monotonic() + wait_s
    while True:
        counts = [len(call_summaries(run_dir / f"worker-{n}.out")) for n in (1, 2)]
        if until(counts) or time.monotonic() > deadline:
            return counts
        time.sleep(0.2)


def test_calls_spread_over_two_workers_and_survive_one(tmp_path: Path) -> None:
    front, w1, w2 = _free_udp_ports(3)
    out = tmp_path / "cluster.out"
    with out.open("wb") as sink:
        cluster = subprocess.Popen(
            [sys.executable, str(SCRIPT), "--listen", f"127.0.0.1:{front}",
             "--ports", f"{w1},{w2}", "--run-dir", str(tmp_path), "--demo"],
            stdout=sink, stderr=subprocess.STDOUT,
            env={**os.environ, "VOICEBOT_DATA_DIR": str(tmp_path)},
        )
    try:
        deadline = time.monotonic() + 60
        while "cluster: ready" not in out.read_text() and time.monotonic() < deadline:
            assert cluster.poll() is None, out.read_text()
            time.sleep(0.2)
        assert "cluster: ready" in out.read_text()
        address = f"127.0.0.1:{front}"
        for _ in range(4):
            assert run_peer(address, "--seconds", "1")["answered"]
        counts = _summaries(tmp_path, until=lambda c: sum(c) >= 4)
        assert sum(counts) == 4 and min(counts) >= 1
        os.kill(_worker_pid(w1), signal.SIGKILL)
        time.sleep(5)  # OPTIONS probing (every 2 s) marks it inactive; failover covers the gap
        for _ in range(2):
            assert run_peer(address, "--seconds", "1")["answered"]
        after = _summaries(tmp_path, until=lambda c: c[1] >= counts[1] + 2)
        assert after[1] == counts[1] + 2
    finally:
        cluster.terminate()
        cluster.wait(20)
