"""The dialog: a pure state machine per call (events in, actions out). See README.md.

Seams: ``events.py`` in, ``actions.py`` out (``Listen`` is turned into a typed ``ListenSpec`` by
``voicebot.call.listening``); ``snapshot()`` gives the frozen ``DialogSnapshot`` the call loop
reads; ``kinds.py`` holds the closed sets (state, expect, outcome, record kind). The machine
composes flows (``caseflow``, ``contact``, ``desk``, ``requests``) over one ``Conversation``;
``fallback.py`` is the policy when the call cannot go on, with its words in ``prompts.py``.
"""

from voicebot.dialog.errors import DialogError
from voicebot.dialog.machine import DialogMachine

__all__ = ["DialogError", "DialogMachine"]
