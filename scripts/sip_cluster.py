"""Start the SIP front door and its line workers on one machine: Kamailio plus N workers.

    python scripts/sip_cluster.py --listen 127.0.0.1:5060 --workers 2 --first-port 5071

Each worker is ``voicebot sip serve --listen udp:HOST:PORT`` (at most 4 calls each: see
voicebot/sip/README.md); Kamailio (``deploy/kamailio/kamailio.cfg``, a plain foreground process)
spreads INVITEs over them and probes them with OPTIONS. Worker output goes to
``RUN_DIR/worker-N.out``. Prints ``cluster: ready`` when every worker listens; Ctrl-C or
SIGTERM stops them all. For several machines, run workers there and list them in the same
dispatcher file.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CFG = ROOT / "deploy" / "kamailio" / "kamailio.cfg"


def _wait_listening(out: Path, proc: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"cluster: worker stopped: {out.read_text(errors='replace')[-500:]}")
        if "sip: listening on" in out.read_text(errors="replace"):
            return
        time.sleep(0.1)
    sys.exit(f"cluster: worker did not start ({out})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", default="127.0.0.1:5060", help="Kamailio's HOST:PORT (UDP)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-port", type=int, default=5071, help="port of worker 1")
    parser.add_argument("--ports", default="", help="comma-separated worker ports (overrides)")
    parser.add_argument("--run-dir", default="", help="folder for logs and the dispatcher list")
    parser.add_argument("--demo", action="store_true", help="workers run the echo demo")
    args = parser.parse_args()
    kamailio = shutil.which("kamailio") or "/usr/sbin/kamailio"
    voicebot = Path(sys.executable).with_name("voicebot")
    run = Path(args.run_dir or tempfile.mkdtemp(prefix="voicebot-sip-"))
    run.mkdir(parents=True, exist_ok=True)
    host = args.listen.rsplit(":", 1)[0]
    ports = ([int(p) for p in args.ports.split(",")] if args.ports
             else [args.first_port + i for i in range(args.workers)])
    (run / "dispatcher.list").write_text("".join(f"1 sip:{host}:{p}\n" for p in ports))
    procs: list[subprocess.Popen[bytes]] = []

    def stop(*_: object) -> None:
        for proc in reversed(procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for n, port in enumerate(ports, 1):  # started together: each loads its engines (seconds)
        out = run / f"worker-{n}.out"
        with out.open("wb") as sink, out.with_suffix(".err").open("wb") as errors:
            procs.append(subprocess.Popen(
                [str(voicebot), "sip", "serve", "--listen", f"udp:{host}:{port}",
                 *(["--demo"] if args.demo else [])],
                stdout=sink, stderr=errors))
    for n, proc in enumerate(procs, 1):
        _wait_listening(run / f"worker-{n}.out", proc, 120)
    with (run / "kamailio.log").open("wb") as log:
        procs.append(subprocess.Popen(
            [kamailio, "-f", str(CFG), "-DD", "-E", "-l", f"udp:{args.listen}",
             "-Y", str(run), "-A", f'DS_LIST="{run / "dispatcher.list"}"'],
            stdout=log, stderr=subprocess.STDOUT))
    time.sleep(1.0)
    if procs[-1].poll() is not None:
        print(f"cluster: kamailio stopped, see {run / 'kamailio.log'}", flush=True)
        stop()
    print(f"cluster: ready on udp:{args.listen} with workers {ports} (logs in {run})", flush=True)
    # a worker that dies is reported (Kamailio's probing takes it out); Kamailio ending ends all
    reported: set[int] = set()
    while procs[-1].poll() is None:
        for n, proc in enumerate(procs[:-1], 1):
            if proc.poll() is not None and n not in reported:
                reported.add(n)
                print(f"cluster: worker {n} stopped ({proc.returncode})", flush=True)
        time.sleep(0.5)
    print("cluster: kamailio stopped; stopping the workers", flush=True)
    stop()


if __name__ == "__main__":
    main()
