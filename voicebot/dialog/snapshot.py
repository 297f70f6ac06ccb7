"""What the call loop may read of a dialog: a frozen snapshot, taken after each event."""

from __future__ import annotations

from dataclasses import dataclass

from voicebot.casenumber import CaseNumber


@dataclass(frozen=True)
class DialogSnapshot:
    """The dialog's state as the call record needs it."""

    state: str
    """The dialog's state (``start``, ``menu``... ``ended``)."""
    language: str
    """The language the dialog speaks now."""
    intent: str = ""
    """The call's intent so far, ``""`` before one is known."""
    case_number: CaseNumber | None = None
    """The case number in play."""
    verified: bool = False
    """Whether the caller passed the password check."""
    outcome: str = "unresolved"
    """The call's outcome so far."""
    record_ref: str = ""
    """Work order, ticket or handoff number made on this call, ``""`` if none."""
