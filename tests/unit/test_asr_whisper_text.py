"""Whisper's numerals spelled so its text fits word grammars (no model needed)."""

from __future__ import annotations

import math

import pytest

from voicebot.asr.whisper_engine import pool_by_length, pool_nbest, spell_numbers


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


def test_looped_phrases_of_free_speech_are_recognized() -> None:
    from voicebot.asr.whisper_engine import _looks_looped

    # free decodings of espeak-ng paraphrases over the telephone band
    assert _looks_looped([("hi i'm ed hi i'm ed hi i'm ed hi i'm ed", -1.0)])
    assert _looks_looped([("i need to report my treatment i need to report my treatment "
                           "i need to report my treatment", -1.0)])
    assert _looks_looped([("when the 2014-1321-1321-1321-1321-1321", -1.0)])
    assert not _looks_looped([("thank you thank you", -1.0)])
    assert not _looks_looped([("no no no", -1.0)])
    assert not _looks_looped([("my case number is one two three one two three", -1.0)])


def test_pooling_prefers_what_several_decodes_agree_on() -> None:
    ln = math.log
    lists = [
        [("five two nine", ln(0.5)), ("nine two nine", ln(0.4)), ("two nine", ln(0.1))],
        [("nine two nine", ln(0.6)), ("one two nine", ln(0.4))],
        [("nine two nine", ln(0.7)), ("five two nine", ln(0.3))],
        [],  # a decode that heard nothing still counts in the average
    ]
    ranked = pool_nbest(lists)
    assert [t for t, _ in ranked][:2] == ["nine two nine", "five two nine"]
    assert ranked[0][1] == pytest.approx((0.4 + 0.6 + 0.7) / 4)
    assert sum(p for _, p in ranked) == pytest.approx(3 / 4)
    assert pool_nbest([]) == [] and pool_nbest([[]]) == []


def test_pool_by_length_orders_each_length_by_the_decodes_restricted_to_it() -> None:
    # decode 1 is sure of three words but, given two, clearly says "five two"; decode 2 prefers
    # "nine two" a little: plain pooling ranks "nine two" first of the two-word readings, pooling
    # each decode's two-word readings alone ranks "five two" first
    lists = [
        [("one two three", 0.0), ("five two", -5.0), ("nine two", -8.0)],
        [("nine two", 0.0), ("five two", -0.5), ("one two three", -3.0)],
    ]
    plain = pool_nbest(lists)
    assert [t for t, _ in plain] == ["one two three", "nine two", "five two"]
    by_len = pool_by_length(lists)
    assert [t for t, _ in by_len] == ["one two three", "five two", "nine two"]
    assert dict(by_len) == dict(plain)  # the same posteriors, another order within a length
    assert pool_by_length([]) == [] and pool_by_length([[]]) == []
