"""Scoring recognition against a reference: edit distance and error rates (CER, WER).

Shared by the benchmarks (``scripts/bench_asr.py``, ``scripts/bench_tts.py``) and the tests that
measure the engines on human speech, so every figure is computed the same way.
"""

from __future__ import annotations

from collections.abc import Sequence


def edit_distance(ref: Sequence[str], hyp: Sequence[str]) -> int:
    """Levenshtein distance between two token sequences (substitutions, insertions, deletions)."""
    prev = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        cur = [i]
        for j, h in enumerate(hyp, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (r != h)))
        prev = cur
    return prev[-1]


def error_rate(pairs: Sequence[tuple[Sequence[str], Sequence[str]]]) -> float:
    """Edits over reference tokens, pooled over (reference, hypothesis) pairs (CER or WER)."""
    return sum(edit_distance(r, h) for r, h in pairs) / max(1, sum(len(r) for r, _ in pairs))
