"""What is left to do after the caller interrupted a prompt (the dialog heard ``BargeIn``).

The rest of the prompts are dropped (the caller is talking); the dialog's answer to the
barge-in comes first; a listen of its own replaces the listen that was queued.
"""

from __future__ import annotations

from collections.abc import Iterable

from voicebot.dialog.actions import Action, Listen, Say


def after_barge_in(follow: Iterable[Action], queued: Iterable[Action]) -> list[Action]:
    """The action queue once a prompt was interrupted: ``follow`` (the dialog's reply to the
    barge-in) and what was ``queued``, both without prompts."""
    reply: list[Action] = [a for a in follow if not isinstance(a, Say)]
    rest: list[Action] = [a for a in queued if not isinstance(a, Say)]
    if any(isinstance(a, Listen) for a in reply):
        rest = [a for a in rest if not isinstance(a, Listen)]
    return reply + rest
