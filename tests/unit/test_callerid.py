"""Caller ids as signalled reduce to one national form, so each caller has one lock."""

from __future__ import annotations

import pytest

from voicebot.callerid import CUT_MARK, RAW_MAX, bounded_raw, caller_columns, normalize_caller_id

SAME = ["13800000001", "+8613800000001", " 13800000001", "013800000001", "008613800000001",
        "１３８０００００００１", "+86 138 0000 0001", "sip:+8613800000001@10.0.0.1;user=phone",
        '"Zhang" <sip:013800000001@pbx.example>;tag=9', "tel:+86-138-0000-0001"]


@pytest.mark.parametrize("raw", SAME)
def test_every_form_of_one_mobile_is_one_caller(raw: str) -> None:
    assert normalize_caller_id(raw) == "13800000001"


@pytest.mark.parametrize(("raw", "expected"), [
    ("+86 10 1234 5678", "01012345678"), ("010-12345678", "01012345678"),
    ("+1 415 555 0100", "0014155550100"), ("12368", "12368"), ("anonymous", ""),
    ("sip:anonymous@anonymous.invalid", ""), ("", ""), ("1" * 30, ""),
])
def test_landlines_foreign_and_withheld(raw: str, expected: str) -> None:
    assert normalize_caller_id(raw) == expected
    assert normalize_caller_id(expected) == expected  # idempotent


def test_the_raw_value_is_bounded_with_a_marker() -> None:
    raw = "sip:" + "9" * 300 + "@host"
    cols = caller_columns(raw)
    assert cols["caller_id"] == "" and len(cols["caller_id_raw"]) == RAW_MAX
    assert cols["caller_id_raw"].endswith(CUT_MARK)
    assert bounded_raw("a\x00b") == "a b"
