"""Decoding import files safely: duplicate keys kept for the validator, no huge ``int()``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LongNumber:
    """A JSON integer too long to be any field of an import file (never passed to int())."""

    digits: int
    """How many characters the number had."""


class JsonObject(dict[str, Any]):
    """A decoded JSON object that remembers keys given more than once."""

    repeated: tuple[str, ...] = ()


def json_object(pairs: list[tuple[str, Any]]) -> JsonObject:
    """``object_pairs_hook`` for :func:`json.loads`: duplicate keys are kept for the record's
    validator to reject (naming the record), not silently overwritten."""
    obj = JsonObject(pairs)
    if len(obj) != len(pairs):
        keys = [k for k, _ in pairs]
        obj.repeated = tuple(sorted({k for k in keys if keys.count(k) > 1}))
    return obj


def json_int(text: str) -> int | LongNumber:
    """``parse_int`` for :func:`json.loads`: no 5000-digit int() on a hostile file."""
    return int(text) if len(text) <= 20 else LongNumber(len(text))
