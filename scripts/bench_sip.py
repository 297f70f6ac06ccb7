"""SIP line load: N simultaneous calls to one ``voicebot sip serve`` worker.

    python scripts/bench_sip.py --calls 1 2 4 --seconds 8          # echo demo: pacing, CPU
    python scripts/bench_sip.py --line --calls 1 2 4               # real call loop: latency
    python scripts/bench_sip.py --line --workers 2 --calls 4 6 8   # behind Kamailio

``--line`` runs the real line (engines, demo store) and N scripted pjsua2 callers at once (the
demo call's first three turns over G.722); turn latency p50/p95 comes from the call records:
end of the utterance as the endpointer saw it to the first answer frame queued for RTP (the
bridge sends it on its next 20 ms tick). The caller's speech ended ``silence_ms`` before the
endpointer said so: the figure from the end of speech adds it (printed too).

Each call is a pjsua2 caller in its own process playing espeak-ng speech in real time. Prints per
N: outbound packet pacing seen by the line (late-packet share, jitter), the worker's CPU per call
(share of one core) and RSS per call. One worker holds at most 4 calls (PJSUA_MAX_CALLS of the
wheel, voicebot/sip/README.md); beyond that, workers behind Kamailio (scripts/sip_cluster.py).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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


def _free_udp_ports(n: int) -> list[int]:
    import socket

    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(n)]
    for sock in socks:
        sock.bind(("127.0.0.1", 0))
    ports = [int(sock.getsockname()[1]) for sock in socks]
    for sock in socks:
        sock.close()
    return ports


@contextlib.contextmanager
def _cluster(tmp: Path, env: dict[str, str], workers: int) -> Iterator[tuple[str, list[int]]]:
    """Kamailio in front of ``workers`` line workers (scripts/sip_cluster.py); yields the front
    door's address and the workers' process ids."""
    front, *ports = _free_udp_ports(workers + 1)
    out = tmp / "cluster.out"
    with out.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("sip_cluster.py")), "--listen",
             f"127.0.0.1:{front}", "--ports", ",".join(map(str, ports)), "--run-dir", str(tmp)],
            stdout=sink, stderr=subprocess.STDOUT, env={**os.environ, **env})
    try:
        deadline = time.monotonic() + 240
        while "cluster: ready" not in out.read_text() and time.monotonic() < deadline:
            if proc.poll() is not None:
                sys.exit(f"cluster stopped: {out.read_text()[-2000:]}")
            time.sleep(0.5)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        pids = [int(c) for c in children
                if b"sip\0serve" in Path(f"/proc/{c}/cmdline").read_bytes()]
        yield f"127.0.0.1:{front}", pids
    finally:
        proc.terminate()
        proc.wait(30)


def _line_bench(calls: list[int], workers: int) -> None:
    import statistics

    from voicebot.call.setup import ensure_demo
    from voicebot.settings import Settings
    from voicebot.store.db import make_engine, make_sessionmaker, session_scope
    from voicebot.store.models import CallTurn

    tmp = Path(tempfile.mkdtemp(prefix="bench-sip-line-"))
    configured = Settings.load()
    (tmp / "nlu").symlink_to(configured.nlu_model_dir.resolve())
    (tmp / "tts-cache").symlink_to(configured.tts_cache_dir.resolve())
    env = {"VOICEBOT_DEFAULT_LANGUAGE": "en"}
    settings = Settings.load(env={"VOICEBOT_DATA_DIR": str(tmp), **env})
    ensure_demo(settings, 200)
    fixtures = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "calls"
    turns = ",".join(str(fixtures / "en_progress_audio" / n) for n in ("01.wav", "02.wav",
                                                                        "03.wav"))
    engine = make_engine(settings.resolved_database_url)
    print(f"{'calls':>5} {'answered':>8} {'turns':>5} {'p50 ms':>7} {'p95 ms':>7} "
          f"{'p95+silence':>11} {'cpu %/call':>10} {'rss MB':>7}")
    env["VOICEBOT_DATA_DIR"] = str(tmp)
    line: contextlib.AbstractContextManager[tuple[str, list[int]]] = (
        _cluster(tmp, env, workers) if workers > 1 else _one_worker(tmp, env))
    held = 0
    with line as (address, pids):
        print(f"# {workers} worker(s) {pids} at {address}", flush=True)
        for n in calls:
            with session_scope(make_sessionmaker(engine)) as session:
                seen = session.query(CallTurn.id).count()
            cpu0, t0 = sum(_cpu_s(p) for p in pids), time.monotonic()
            peers = [subprocess.Popen(
                [sys.executable, str(PEER), f"sip:12368@{address}", "--turns", turns,
                 "--codec", "G722/16000", "--gap", "1.5", "--done-after", "3", "--seconds", "90"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL) for _ in range(n)]
            rss = 0.0
            while any(p.poll() is None for p in peers):
                rss = max(rss, sum(_rss_mb(p) for p in pids))
                time.sleep(1)
            answered = sum('"answered": true' in p.communicate()[0].decode() for p in peers)
            cpu = (sum(_cpu_s(p) for p in pids) - cpu0) / (time.monotonic() - t0)
            time.sleep(2)
            with session_scope(make_sessionmaker(engine)) as session:
                lat = sorted(x for (x,) in session.query(CallTurn.latency_ms)
                             .filter(CallTurn.id > seen, CallTurn.latency_ms.isnot(None)))
            if not lat:
                print(f"{n:>5} {answered:>8} no turns")
                continue
            p50 = statistics.median(lat)
            p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
            print(f"{n:>5} {answered:>8} {len(lat):>5} {p50:>7.0f} {p95:>7.0f} "
                  f"{p95 + settings.silence_ms:>11.0f} {100 * cpu / max(answered, 1):>10.1f} "
                  f"{rss:>7.1f}", flush=True)
            if answered == n and p95 + settings.silence_ms <= 800:
                held = max(held, n)
    engine.dispose()
    print(f"most calls held with every call answered and p95 + silence_ms <= 800 ms: {held} "
          f"({workers} worker(s); p95 + silence_ms bounds the time from the end of speech: a "
          "turn that ends at a shorter hold answers sooner)")


@contextlib.contextmanager
def _one_worker(tmp: Path, env: dict[str, str]) -> Iterator[tuple[str, list[int]]]:
    with sip_line_process(tmp, env, demo=False) as (address, _, pid):
        yield address, [pid]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--codec", default="PCMU/8000")
    parser.add_argument("--line", action="store_true", help="the real call loop: turn latency")
    parser.add_argument("--workers", type=int, default=1,
                        help="with --line: this many workers behind Kamailio (sip_cluster.py)")
    args = parser.parse_args()
    if args.line:
        _line_bench(args.calls, args.workers)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-sip-"))
    speech = tmp / "speech.wav"
    subprocess.run(["espeak-ng", "-w", str(speech), "my case number is two zero two four "
                    "one two three, please tell me the progress of my case"], check=True)
    print(f"{'calls':>5} {'answered':>8} {'frames':>7} {'late %':>7} {'jitter ms':>9} "
          f"{'cpu %/call':>10} {'rss MB/call':>11} {'rss MB':>7}")
    with sip_line_process(tmp, demo=True) as (address, out, pid):
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
