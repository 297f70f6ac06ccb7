"""Facts about the line that the dialog speaks (desk hours, lock time), from the settings.

Prompts and knowledge-base answers hold ``{desk_open}`` / ``{desk_close}`` / ``{lock_minutes}``
placeholders; :meth:`LineFacts.fields` fills them, so nothing spoken about the line is hard-coded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from voicebot.settings import Settings


def clock_text(at: dt.time, language: str) -> str:
    """``9点`` / ``8点30分`` in Mandarin, ``9:00`` / ``8:30`` in English."""
    if language == "en":
        return f"{at.hour}:{at.minute:02d}"
    return f"{at.hour}点" + (f"{at.minute}分" if at.minute else "")


@dataclass(frozen=True)
class LineFacts:
    """What the line says about itself."""

    desk_opens: dt.time = dt.time(9, 0)
    """When operators start answering on a working day (``Settings.work_start``)."""
    desk_closes: dt.time = dt.time(17, 0)
    """When operators stop answering (``Settings.work_end``)."""
    lock_minutes: int = 30
    """How long telephone queries of a case pause after repeated wrong passwords."""

    @classmethod
    def from_settings(cls, settings: Settings, lock_minutes: int = 30) -> LineFacts:
        """The facts of a configured line."""
        return cls(settings.work_start, settings.work_end, lock_minutes)

    def fields(self, language: str) -> dict[str, object]:
        """Template fields for prompts and knowledge-base answers in ``language``."""
        return {"desk_open": clock_text(self.desk_opens, language),
                "desk_close": clock_text(self.desk_closes, language),
                "lock_minutes": self.lock_minutes}

    def fill(self, text: str, language: str) -> str:
        """``text`` with the line's placeholders filled (other braces are left alone)."""
        for name, value in self.fields(language).items():
            text = text.replace("{" + name + "}", str(value))
        return text


__all__ = ["LineFacts", "clock_text"]
