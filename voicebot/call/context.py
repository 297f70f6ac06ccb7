"""What the services know of a running call besides the action itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallContext:
    """What the services know of the call besides the action itself."""

    call_id: int | None
    """Call record id (audit actor ``call:<id>``)."""
    caller_id: str
    """Caller's number as signalled, ``""`` if withheld."""
    language: str
    """Language the caller is using now."""
    transcript: tuple[tuple[str, str], ...] = ()
    """The call so far as (caller, bot) pairs, for handoff tickets."""
    audio_path: str = ""
    """Kept audio of the caller's latest message (complaints), ``""`` if none."""
    intent: str = ""
    """The call's current intent (context for callbacks)."""
