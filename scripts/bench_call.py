"""Turn latency of the line: the caller's last speech sample -> first bot audio sample.

Replays the English audio call fixtures through the real engines (endpointer, recognizer,
understanding, dialog + store, synthesis) with the caller's audio paced at real time while the
line listens, first one call at a time, then 20 simultaneous calls in one process sharing one
``Line``. Prints p50/p95 latency and each stage's share of it, from the moment the line
decides the caller has finished (``silence_ms`` of silence after speech, or the shorter hold of
a turn whose early reading completes it: ``voicebot.call.turn_end``). Voice-to-voice is
measured on the caller's side by the replay port: from the last 10 ms of speech in the turn's
audio (as the caller spoke it, at real time) to the line's first answer sample, per kind of
turn. Recognition finishes early, at a pause of ``speculate_ms`` (redone if the caller goes on), so
the ASR share is what was still left to do when the utterance ended.

    python scripts/bench_call.py [--calls 20] [--engine auto|pocketsphinx] [--rounds 1]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicebot.call.line import Line  # noqa: E402
from voicebot.call.runner import run_calls  # noqa: E402
from voicebot.call.setup import endpointer_factory, ensure_demo, load_line  # noqa: E402
from voicebot.nlu.classifier import is_current  # noqa: E402
from voicebot.nlu.training import ensure_trained  # noqa: E402
from voicebot.replay.fixture import CallFixture, load_fixture  # noqa: E402
from voicebot.replay.replay import ReplayResult, replay_fixture  # noqa: E402
from voicebot.replay.report import percentile  # noqa: E402
from voicebot.settings import Settings  # noqa: E402

CALLS = ROOT / "tests" / "fixtures" / "calls"
BENCH_FIXTURES = ("en_progress_audio", "en_hearing_audio", "en_panel_audio",
                  "en_consultation_audio", "en_operator_audio", "en_complaint_audio",
                  "en_contact_judge_audio", "en_corrected_number_audio")
STAGES = ("endpoint", "asr", "nlu", "dialog", "tts")
STAGE_NAMES = {"endpoint": "endpointing", "asr": "ASR final", "nlu": "NLU",
               "dialog": "dialog+store", "tts": "TTS"}


def prepare(engine: str, data: Path) -> Line:
    """A demo store, the trained NLU model and the line's engines in ``data``."""
    base = Settings.load()
    model = base.nlu_model_dir.resolve()
    if not all(is_current(model, lang) for lang in ("zh", "en")):
        ensure_trained(model)
    (data / "nlu").symlink_to(model)
    cache = base.tts_cache_dir.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    (data / "tts-cache").symlink_to(cache)
    settings = base.replace(data_dir=data, database_url=f"sqlite:///{data}/bench.db",
                            asr_engine_en=engine)
    ensure_demo(settings, 200)
    return load_line(settings, speech=True)


async def run(line: Line, fixtures: list[CallFixture], simultaneous: int) -> list[ReplayResult]:
    """``simultaneous`` calls at once, cycling through ``fixtures``."""
    endpointer = endpointer_factory(line.settings)
    jobs = [replay_fixture(line, fixtures[i % len(fixtures)], endpointer=endpointer,
                           realtime=True, caller_id=f"1390000{i:04d}")
            for i in range(simultaneous)]
    return list(await asyncio.gather(*jobs))


def report(title: str, results: list[ReplayResult], wall_s: float,
           worst: int = 0) -> tuple[float, float]:
    """Print latency percentiles and stage shares; returns (p50, p95)."""
    turns = [t for r in results for t in r.call.stage_ms if "total" in t]
    totals = [t["total"] for t in turns]
    failed = [r.fixture.name for r in results if r.passed is False]
    p50, p95 = percentile(totals, 50), percentile(totals, 95)
    print(f"\n{title}: {len(results)} call(s), {len(totals)} caller turns, {wall_s:.1f} s wall"
          + (f", FAILED: {', '.join(failed)}" if failed else ", all calls passed"))
    print(f"  turn latency p50 {p50:6.0f} ms   p95 {p95:6.0f} ms   max {max(totals):6.0f} ms")
    means = {s: statistics.fmean(t.get(s, 0.0) for t in turns) for s in STAGES}
    whole = sum(means.values()) or 1.0
    for s in STAGES:
        print(f"  {STAGE_NAMES[s]:<13} mean {means[s]:6.1f} ms  {100 * means[s] / whole:5.1f} %")
    other = max(0.0, statistics.fmean(totals) - whole)
    print(f"  {'(queueing)':<13} mean {other:6.1f} ms  (latency not spent in a stage)")
    heard = [t for t in turns if "asr_early" in t]
    early = sum(t["asr_early"] > 0 for t in heard)
    redone = sum(int(t.get("asr_redone", 0)) for t in heard)
    print(f"  finals started early at a pause: {early} of {len(heard)} spoken turns; "
          f"{redone} redone because the caller went on")
    for t in sorted(turns, key=lambda t: -t["total"])[:worst]:
        parts = "  ".join(f"{s} {t.get(s, 0.0):.0f}" for s in STAGES)
        print(f"    slow turn {t['total']:6.0f} ms: {parts}")
    return p50, p95


def report_voice(results: list[ReplayResult]) -> float:
    """Print the caller's wait (last speech sample -> first answer sample) per kind of turn;
    returns the p95 over all turns."""
    waits = [w for r in results for w in r.voice_to_voice]
    if not waits:
        print("  voice-to-voice: no turns measured")
        return 0.0
    kinds = sorted({w.kind for w in waits})
    every = [w.ms for w in waits]
    print(f"  voice-to-voice (caller's last speech sample -> line's first answer sample), "
          f"{len(every)} turns: p50 {percentile(every, 50):.0f} ms  "
          f"p95 {percentile(every, 95):.0f} ms  max {max(every):.0f} ms")
    for kind in kinds:
        ms = [w.ms for w in waits if w.kind == kind]
        print(f"    {kind:<9} {len(ms):3d} turns  p50 {percentile(ms, 50):5.0f}  "
              f"p95 {percentile(ms, 95):5.0f}  max {max(ms):5.0f} ms")
    early = [t for r in results for t in r.call.stage_ms if t.get("end_early")]
    print(f"  turns ended early by what they waited for: {len(early)}")
    return percentile(every, 95)


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=20, help="simultaneous calls")
    parser.add_argument("--engine", default="auto", help="English engine: auto, pocketsphinx")
    parser.add_argument("--worst", type=int, default=0, help="print the N slowest turns' stages")
    args = parser.parse_args(argv)
    fixtures = [load_fixture(CALLS / name) for name in BENCH_FIXTURES]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        line = prepare(args.engine, Path(tmp))
        print(f"line loaded in {time.perf_counter() - t0:.1f} s; English engine setting "
              f"{args.engine!r}; silence_ms={line.settings.silence_ms}")
        # warm the prompt cache and models
        run_calls(run(line, fixtures, len(fixtures)), line.settings)
        t0 = time.perf_counter()
        singles: list[ReplayResult] = []
        for fixture in fixtures:
            singles += run_calls(run(line, [fixture], 1), line.settings)
        report("one call at a time", singles, time.perf_counter() - t0, args.worst)
        v2v_one = report_voice(singles)
        t0 = time.perf_counter()
        many = run_calls(run(line, fixtures, args.calls), line.settings)
        report(f"{args.calls} simultaneous calls", many, time.perf_counter() - t0,
                       args.worst)
        v2v_many = report_voice(many)
    ok = v2v_one <= 500 and v2v_many <= 800
    print(f"\ntargets: voice-to-voice p95 <= 500 ms for one call ({v2v_one:.0f}), <= 800 ms "
          f"with {args.calls} calls ({v2v_many:.0f}): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
