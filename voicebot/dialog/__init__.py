"""The dialog: a pure state machine per call (events in, actions out). See README.md."""

from voicebot.dialog.core import KnowledgeLookup
from voicebot.dialog.errors import DialogError
from voicebot.dialog.machine import DialogMachine

__all__ = ["DialogError", "DialogMachine", "KnowledgeLookup"]
