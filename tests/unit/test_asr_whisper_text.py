"""Whisper's numerals spelled so its text fits word grammars (no model needed)."""

from __future__ import annotations

import pytest

from voicebot.asr.whisper_engine import spell_numbers


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        (
            "2024 civil first instance 12345",
            "twenty twenty four civil first instance one two three four five",
        ),
        ("20 20 4", "twenty twenty four"),
        ("case 619-3451", "case six one nine three four five one"),
        ("2005 and 1999", "two thousand five and nineteen ninety nine"),
        ("07 yes", "zero seven yes"),
        ("no numbers here", "no numbers here"),
    ],
)
def test_spell_numbers(text: str, spoken: str) -> None:
    assert spell_numbers(text) == spoken
