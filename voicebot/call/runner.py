"""Running calls on an event loop with enough worker threads for the line's blocking stages."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from voicebot.settings import Settings

T = TypeVar("T")


def run_calls(main: Coroutine[Any, Any, T], settings: Settings) -> T:
    """Run ``main`` (one call or many) with ``settings.worker_threads`` threads behind
    ``asyncio.to_thread``.

    asyncio's default pool has cpu count + 4 threads (6 on a 2-core machine); a decode waiting
    for the shared Whisper model or a write waiting for the database would hold a thread each,
    and every other call's recognition, lookups and synthesis would queue behind them.
    """
    with asyncio.Runner() as runner:
        pool = ThreadPoolExecutor(settings.worker_threads, thread_name_prefix="voicebot-call")
        runner.get_loop().set_default_executor(pool)
        return runner.run(main)
