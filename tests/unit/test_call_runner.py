"""Calls get enough worker threads: 20 blocking stages waiting at once do not starve each other."""

from __future__ import annotations

import asyncio
import threading

from voicebot.call.runner import run_calls
from voicebot.settings import DEFAULT_SETTINGS


async def _all_blocked_at_once(n: int) -> int:
    # every task blocks its thread until all n are in: with fewer threads than n it times out
    barrier = threading.Barrier(n, timeout=2)
    results = await asyncio.gather(*(asyncio.to_thread(barrier.wait) for _ in range(n)))
    return len(results)


def test_twenty_calls_can_each_hold_a_worker_thread() -> None:
    assert run_calls(_all_blocked_at_once(20), DEFAULT_SETTINGS) == 20


def test_the_pool_size_comes_from_the_settings() -> None:
    small = DEFAULT_SETTINGS.replace(worker_threads=4)
    try:
        run_calls(_all_blocked_at_once(5), small)
    except threading.BrokenBarrierError:
        return
    raise AssertionError("5 threads met with a pool of 4")
