"""SIP line load: N simultaneous calls to one ``voicebot sip serve`` worker (demo handler).

    python scripts/bench_sip.py --calls 1 2 4 --seconds 8

Each call is a pjsua2 caller in its own process playing espeak-ng speech in real time. Prints per
N: outbound packet pacing seen by the line (late-packet share, jitter), the worker's CPU per call
(share of one core) and RSS per call. One worker holds at most 4 calls (PJSUA_MAX_CALLS of the
wheel, voicebot/sip/README.md); beyond that, workers behind Kamailio (scripts/sip_cluster.py).
Turn latency p50/p95 needs the real call loop behind the line and is not measured yet.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "integration"))
from sip_wire import PEER, call_summaries, sip_line_process

TICK = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--codec", default="PCMU/8000")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-sip-"))
    speech = tmp / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(speech), "my case number is two zero two four "
                    "one two three, please tell me the progress of my case"], check=True)
    print(f"{'calls':>5} {'answered':>8} {'frames':>7} {'late %':>7} {'jitter ms':>9} "
          f"{'cpu %/call':>10} {'rss MB/call':>11} {'rss MB':>7}")
    with sip_line_process(tmp) as (address, out, pid):
        time.sleep(1.0)
        idle_rss = _rss_mb(pid)
        for n in args.calls:
            before = len(call_summaries(out))
            cpu0, t0 = _cpu_s(pid), time.monotonic()
            peers = [subprocess.Popen(
                [sys.executable, str(PEER), f"sip:12368@{address}", "--wav", str(speech),
                 "--codec", args.codec, "--seconds", str(args.seconds)],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for _ in range(n)]
            time.sleep(args.seconds / 2)
            rss = _rss_mb(pid)
            answered = sum('"answered": true' in p.communicate()[0].decode() for p in peers)
            cpu = (_cpu_s(pid) - cpu0) / (time.monotonic() - t0)
            time.sleep(1.0)
            rows = call_summaries(out)[before:]
            frames = sum(int(r["frames_out"]) for r in rows)  # type: ignore[call-overload]
            late = sum(int(r["late_out"]) for r in rows)  # type: ignore[call-overload]
            jitter = (sum(float(r["jitter_out_ms"]) for r in rows)  # type: ignore[arg-type]
                      / max(len(rows), 1))
            per_call = max(answered, 1)
            print(f"{n:>5} {answered:>8} {frames:>7} {100 * late / max(frames, 1):>7.2f} "
                  f"{jitter:>9.2f} {100 * cpu / per_call:>10.1f} "
                  f"{(rss - idle_rss) / per_call:>11.1f} {rss:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
