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


def test_looped_digit_strings_are_recognized() -> None:
    from voicebot.asr.whisper_engine import _looks_looped

    assert _looks_looped([])
    assert _looks_looped([("nine zero zero zero zero zero", -1.0)])
    assert _looks_looped([("eight eight eight eight", -1.0), ("eight zero nine six", -2.0)])
    assert not _looks_looped([("eight eight eight one", -1.0)])  # three in a row is a number
    assert not _looks_looped([("eighteen eight", -1.0), ("eight eight eight eight", -2.0)])
