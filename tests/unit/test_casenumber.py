import pytest

from voicebot.casenumber import CaseNumber, CaseNumberError


@pytest.mark.parametrize(
    "text",
    [
        "（2024）京0105民初12345号",
        "(2024)京0105民初12345号",
        "(2024)京0105民初12345",
        " ( 2024 ) 京0105 民初 12345 号 ",
    ],
)
def test_parse_variants(text: str) -> None:
    number = CaseNumber.parse(text)
    assert (number.year, number.court, number.case_type, number.seq) == (
        2024,
        "京0105",
        "民初",
        12345,
    )
    assert str(number) == "（2024）京0105民初12345号"


def test_longest_type_code_wins() -> None:
    assert CaseNumber.parse("(2023)沪0101执保88号").case_type == "执保"
    assert CaseNumber.parse("(2023)沪0101执88号").case_type == "执"


def test_english_names() -> None:
    number = CaseNumber.parse("（2024）京0105民初12345号")
    assert number.type_name_en == "civil first instance"
    assert number.court_en == "Jing 0105"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("(2024)X0105民初1号", "province"),
        ("(2024)京0105火初1号", "case type"),
        ("(2024)京0105民初号", "sequence"),
        ("(2024)京0105民初0号", "positive"),
        ("(1800)京0105民初1号", "year"),
    ],
)
def test_invalid_numbers_say_why(text: str, reason: str) -> None:
    with pytest.raises(CaseNumberError, match=reason):
        CaseNumber.parse(text)
