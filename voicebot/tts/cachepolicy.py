"""Which prompts may be kept after the call: only fixed text that carries no case data.

A prompt is split into sentences; a sentence is kept (on disk and in memory) only when it is a
sentence of a prompt template that has no fields, so case numbers, dates, names, phone numbers
and answers about a case are synthesized afresh and never stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_SENTENCE_END = re.compile(r"(?<=[。？！；?!;])\s*|(?<=(?<![Nn]o)\.)\s+")
"""After a Chinese or Latin sentence end; not after the "No." of an English case number."""


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence end (Chinese or Latin), spaces trimmed, none empty."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def fixed_sentences(templates: Iterable[str]) -> frozenset[str]:
    """The sentences of ``templates`` that contain no ``{field}``."""
    out: set[str] = set()
    for template in templates:
        out |= {" ".join(s.split()) for s in sentences(template) if "{" not in s}
    return frozenset(out)


def line_prompts_policy() -> Callable[[str], bool]:
    """Keep a sentence iff it is a fixed sentence of the line's prompts (voicebot.dialog)."""
    from voicebot.dialog.prompts import PROMPTS

    fixed = fixed_sentences(t for lang in PROMPTS.values() for t in lang.values())
    return lambda sentence: " ".join(sentence.split()) in fixed
