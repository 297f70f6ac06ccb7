"""Spoken numbers in Mandarin and English become Arabic digits."""

from __future__ import annotations

import random

import pytest

from voicebot.nlu.numbers import normalize, zh_number_value
from voicebot.nlu.speak import en_digits, en_value, en_year, zh_digits, zh_value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一二三四五六", "123456"),
        ("零一零五", "0105"),
        ("〇〇七", "007"),
        ("洞幺拐", "017"),
        ("两三", "23"),
        ("二〇二四年", "2024年"),
        ("二零二四年", "2024年"),
        ("两千零二十四年", "2024年"),
        ("一万二千三百四十五", "12345"),
        ("一万二", "12000"),
        ("三百五", "350"),
        ("三百零五", "305"),
        ("十二号", "12号"),
        ("二十", "20"),
        ("五号", "5号"),
        ("十号", "10号"),
        ("一亿", "100000000"),
        ("二 零 二 四 年", "2024年"),
        ("幺三八 一二三四 五六七八", "13812345678"),
        ("不对，是一二三四六", "不对,是12346"),
        ("我想查一下一个案子", "我想查一下一个案子"),
        ("十分感谢", "十分感谢"),
        ("万一不行呢", "万一不行呢"),
        ("北京一中院", "北京一中院"),
    ],
)
def test_mandarin(text: str, expected: str) -> None:
    assert normalize(text, "zh") == expected


def test_mandarin_singles_when_digits_expected() -> None:
    assert normalize("五", "zh", singles=True) == "5"
    assert normalize("五", "zh") == "五"


def test_english_homophones_when_digits_expected() -> None:
    assert normalize("one to three for five", "en", singles=True) == "12345"
    assert normalize("one to three for five", "en") == "1 to 3 for 5"
    assert normalize("I want to go", "en", singles=True) == "i want to go"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one two three four five six", "123456"),
        ("zero one zero five", "0105"),
        ("oh one oh five", "0105"),
        ("oh I see", "oh i see"),
        ("double five", "55"),
        ("triple zero seven", "0007"),
        ("twenty twenty four", "2024"),
        ("twenty oh five", "2005"),
        ("nineteen ninety nine", "1999"),
        ("two thousand twenty four", "2024"),
        ("two thousand and twenty four", "2024"),
        ("twelve thousand three hundred forty five", "12345"),
        ("twelve thousand three hundred and forty-five", "12345"),
        ("one hundred", "100"),
        ("three hundred twenty", "320"),
        ("No, it's one two three four six", "no, it's 12346"),
        ("one two three, four five six", "123, 456"),
        ("1 2 3 4", "1234"),
        ("I have two cases", "i have 2 cases"),
    ],
)
def test_english(text: str, expected: str) -> None:
    assert normalize(text, "en") == expected


def test_generated_mandarin_round_trip() -> None:
    rng = random.Random(7)
    for _ in range(500):
        n = rng.choice((rng.randrange(1, 100), rng.randrange(100, 100_000), rng.randrange(10**7)))
        assert zh_number_value(zh_value(n)) == n, zh_value(n)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(2, 12)))
        assert normalize(zh_digits(digits, rng), "zh") == digits


def test_generated_english_round_trip() -> None:
    rng = random.Random(8)
    for _ in range(500):
        n = rng.randrange(1, 1_000_000)
        assert normalize(en_value(n), "en") == str(n), en_value(n)
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randrange(2, 12)))
        assert normalize(en_digits(digits, rng), "en") == digits, en_digits(digits, rng)
        year = rng.randrange(1990, 2100)
        assert normalize(en_year(year, rng), "en") == str(year), en_year(year, rng)
