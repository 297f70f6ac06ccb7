"""The listening policy: what a ``Listen`` means for recognition, keys and understanding.

The only place that reads ``Listen.expect``: everything downstream (the audio channel, the
N-best choice, the loop, the text prompt) reads the typed :class:`ListenSpec` built here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from voicebot.asr.types import Grammar
from voicebot.dialog.actions import Listen
from voicebot.nlu.types import NluHint
from voicebot.store.redact import is_secret

KEY_TIMEOUT_MS = 3000
"""Silence after the last key that ends keypad entry."""
MAX_ALTERNATIVES = 4
"""Other recognizer hypotheses understood for a case number (another reading after a "no")."""
PASSWORD_DIGITS = 6
"""Digits in a case password when the prompt does not say."""
PHONE_DIGITS = (7, 15)
"""Lengths of a telephone number."""

_NLU_HINT: dict[str, NluHint | None] = {
    "intent": NluHint.INTENT, "menu": NluHint.INTENT, "case_number": NluHint.CASE_NUMBER,
    "yesno": NluHint.YESNO, "digits": NluHint.DIGITS, "password": NluHint.DIGITS,
    "phone": NluHint.DIGITS, "message": None,
}
_ONE_KEY = frozenset({"menu", "yesno", "intent"})


class KeyRule(StrEnum):
    """When keypad entry is complete (besides ``#``, a lone ``*`` and the key timeout)."""

    ONE_KEY = "one_key"
    """A single key answers (menus, yes/no)."""
    COUNT = "count"
    """``max_keys`` digits complete the entry."""
    TERMINATED = "terminated"
    """Only ``#`` (or the timeout) ends it."""


@dataclass(frozen=True)
class ListenSpec:
    """How to listen for the caller's next turn."""

    language: str
    """Language to recognise."""
    grammar: Grammar | None = None
    """Recognition grammar (None: free decoding)."""
    nlu_hint: NluHint | None = None
    """What understanding should look for (``intent``, ``case_number``, ``yesno``, ``digits``)."""
    key_rule: KeyRule = KeyRule.TERMINATED
    """When keypad entry is complete."""
    max_keys: int | None = None
    """Digits that complete the entry (``KeyRule.COUNT``)."""
    digit_range: tuple[int, int] | None = None
    """Lengths of the digit string expected (password, phone): the N-best reading of that
    length is taken, and taking a lower one marks the turn doubtful."""
    keep_audio: bool = False
    """Keep the caller's audio of this turn whatever the settings (messages)."""
    alternatives: int = 0
    """Other recognizer hypotheses understood too."""
    secret: bool = False
    """The answer is a secret (the query password): never stored, logged or shown as heard."""


def listen_spec(listen: Listen,
                grammar_for: Callable[[str, str], Grammar | None] | None = None) -> ListenSpec:
    """The one mapping from the dialog's ``Listen`` to how the line listens."""
    expect = listen.expect
    grammar = grammar_for(expect, listen.language) if grammar_for else None
    if listen.max_digits is not None:
        rule = KeyRule.COUNT
    elif expect in _ONE_KEY:
        rule = KeyRule.ONE_KEY
    else:
        rule = KeyRule.TERMINATED
    digit_range: tuple[int, int] | None = None
    if expect == "password":
        n = listen.max_digits or PASSWORD_DIGITS
        digit_range = (n, n)
    elif expect == "phone":
        digit_range = PHONE_DIGITS
    return ListenSpec(
        language=listen.language,
        grammar=grammar,
        nlu_hint=_NLU_HINT.get(expect),
        key_rule=rule,
        max_keys=listen.max_digits,
        digit_range=digit_range,
        keep_audio=expect == "message",
        # an open prompt's phrase reading (first alternative) stands in where the free one
        # says nothing (hypotheses.acted_reading)
        alternatives=MAX_ALTERNATIVES if expect == "case_number" else int(
            grammar is not None and grammar.open),
        secret=is_secret(expect),
    )


def keys_done(keys: str, spec: ListenSpec, since_key_ms: float) -> bool:
    """Whether the keys pressed so far complete the caller's entry."""
    if keys.endswith("#") or keys == "*" or since_key_ms >= KEY_TIMEOUT_MS:
        return True
    if spec.key_rule is KeyRule.COUNT and spec.max_keys is not None:
        return sum(c.isdigit() for c in keys) >= spec.max_keys
    return spec.key_rule is KeyRule.ONE_KEY and len(keys) == 1
