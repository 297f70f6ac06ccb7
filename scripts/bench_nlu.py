"""Time the understanding: pipeline load time and parse latency p50 / p99 (target p99 <= 5 ms).

    .venv/bin/python scripts/bench_nlu.py [--model-dir data/nlu] [--rounds 3]

Parses every utterance of both languages' data sets (held-out and training) ``--rounds`` times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from voicebot.nlu.classifier import load_data
from voicebot.nlu.errors import NluError
from voicebot.nlu.understander import Understander
from voicebot.settings import Settings


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    """Print load time and latency figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model-dir", type=Path, default=None, help="default: settings")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    model_dir = args.model_dir or Settings.load().nlu_model_dir
    start = time.perf_counter()
    try:
        understander = Understander.load(model_dir)
    except NluError as exc:
        sys.exit(f"{exc} (code: {exc.code})")
    load_s = time.perf_counter() - start
    print(f"pipeline load (zh + en, from {model_dir}): {load_s * 1000:.0f} ms")
    for language in ("zh", "en"):
        texts = [row.text for row in load_data(language)]
        expects = (None, "digits", "yesno", "case_number")
        for text in texts[:50]:
            understander.parse(text, language)
        times: list[float] = []
        cpu: list[float] = []
        for round_ in range(args.rounds):
            for i, text in enumerate(texts):
                t0, c0 = time.perf_counter(), time.thread_time()
                understander.parse(text, language, expect=expects[(i + round_) % len(expects)])
                cpu.append((time.thread_time() - c0) * 1000)
                times.append((time.perf_counter() - t0) * 1000)
        print(
            f"parse {language}: n={len(times)} wall mean {statistics.fmean(times):.2f} ms, "
            f"p50 {percentile(times, 0.5):.2f} ms, p99 {percentile(times, 0.99):.2f} ms, "
            f"max {max(times):.2f} ms; cpu p50 {percentile(cpu, 0.5):.2f} ms, "
            f"p99 {percentile(cpu, 0.99):.2f} ms"
        )
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall-clock tails "
          "include waiting for the CPU when the machine is busy)")


if __name__ == "__main__":
    main()
