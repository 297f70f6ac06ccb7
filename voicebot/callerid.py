"""Caller ids as signalled (SIP URI, E.164, trunk-prefixed, fullwidth) reduced to one form.

The call loop normalizes the caller id once, where the call enters; everything after it (the
password lock, callback numbers, tickets) sees only the normalized number. The raw value is kept
beside it on the call record, bounded in length.
"""

from __future__ import annotations

import re
import unicodedata

MAX_DIGITS = 20
"""Longer digit strings are no telephone number (E.164 allows 15): treated as withheld."""
RAW_MAX = 120
"""Characters of the raw caller id kept on the call record (the column's length)."""
CUT_MARK = "…"
"""Ends a raw caller id that was cut to :data:`RAW_MAX`."""

_MOBILE = re.compile(r"1[3-9]\d{9}")
_URI_SCHEMES = ("sips:", "sip:", "tel:")


def normalize_caller_id(raw: str) -> str:
    """The national form of a caller id: digits only, ``""`` when withheld or not a number.

    - SIP/tel URIs (``"Name" <sip:+86138…@host;user=phone>``) are reduced to their user part;
    - fullwidth and other Unicode decimal digits are folded to ASCII;
    - ``+86``/``0086`` are dropped; a Chinese mobile keeps no trunk ``0`` (``013800000001`` ->
      ``13800000001``), a landline keeps it (``+86 10 1234 5678`` -> ``01012345678``);
    - other countries keep ``00`` and the country code (``+1 415…`` -> ``001415…``).
    The function is idempotent: a normalized id normalizes to itself.
    """
    text = _user_part(unicodedata.normalize("NFKC", raw or "").strip())
    plus = text.lstrip(" (").startswith("+")
    digits = "".join(str(unicodedata.decimal(ch)) for ch in text if ch.isdecimal())
    if not digits:
        return ""
    if plus:
        digits = "00" + digits
    if digits.startswith("0086"):
        national = digits[4:]
        if national.startswith("0") or _MOBILE.fullmatch(national):
            digits = national
        else:
            digits = "0" + national
    if digits.startswith("0") and not digits.startswith("00") and _MOBILE.fullmatch(digits[1:]):
        digits = digits[1:]
    return digits if len(digits) <= MAX_DIGITS else ""


def bounded_raw(raw: str) -> str:
    """The raw caller id for the record: control characters dropped, cut with a marker."""
    text = "".join(ch if ch.isprintable() else " " for ch in raw or "").strip()
    if len(text) <= RAW_MAX:
        return text
    return text[: RAW_MAX - len(CUT_MARK)] + CUT_MARK


def caller_columns(raw: str) -> dict[str, str]:
    """The call record's ``caller_id`` (normalized) and ``caller_id_raw`` (bounded) for ``raw``."""
    return {"caller_id": normalize_caller_id(raw), "caller_id_raw": bounded_raw(raw)}


def _user_part(text: str) -> str:
    if "<" in text and ">" in text.split("<", 1)[1]:
        text = text.split("<", 1)[1].split(">", 1)[0].strip()
    lowered = text.lower()
    for scheme in _URI_SCHEMES:
        if lowered.startswith(scheme):
            text = text[len(scheme):]
            break
    return text.split("@", 1)[0].split(";", 1)[0]
