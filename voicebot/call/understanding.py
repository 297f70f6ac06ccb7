"""The caller's speech understood for the dialog: the reading, and the other readings the
listening spec asks for (a case number the caller may have rejected), off the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from voicebot.call.errors import NluStageError
from voicebot.call.hypotheses import acted_reading
from voicebot.call.listening import ListenSpec
from voicebot.call.ports import CallerInput
from voicebot.dialog.events import Heard
from voicebot.nlu.types import Understanding

Understand = Callable[[str, str, str | None], Understanding]
"""Text, language, NLU hint -> what the caller meant."""


async def understand_speech(understand: Understand, heard: CallerInput, spec: ListenSpec
                            ) -> Heard:
    """The ``Heard`` event for a spoken turn (``NluStageError`` if understanding fails)."""
    others = heard.alternatives[:spec.alternatives]
    try:
        understood = await asyncio.to_thread(
            lambda: [understand(t, spec.language, spec.nlu_hint) for t in (heard.text, *others)])
    except Exception as exc:
        raise NluStageError(str(exc), getattr(exc, "code", None)) from exc
    i, doubt = acted_reading(understood, spec)  # an open prompt's list reading may stand in
    texts = (heard.text, *others)
    return Heard(understood[i], texts[i],
                 tuple(u for j, u in enumerate(understood) if j != i), heard.doubtful or doubt)
