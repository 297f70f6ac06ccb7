"""What of a caller's turn may be kept: the answer to a password prompt never is.

The one place that decides it. The call loop asks :func:`turn_text` for the text it records
(call turns, the handoff ticket's transcript, the call's result) and :func:`keeps_audio` before it
writes the caller's audio of a turn; the migration that masks older rows uses
:func:`answers_password_prompt` on the bot's previous words.
"""

from __future__ import annotations

PASSWORD_GIVEN = "[password given]"
"""Stored instead of whatever the caller said or keyed in answer to a password prompt."""
SECRET_EXPECTS = frozenset({"password"})
"""``Listen.expect`` values whose answers are secrets."""
UNHEARD = frozenset({"", "[silence]"})
"""Caller texts that carry nothing, kept as they are."""
PASSWORD_PROMPT_MARKS = ("6位查询密码", "6-digit query password")
"""Words every prompt asking for the query password contains (zh, en)."""


def is_secret(expect: str) -> bool:
    """Whether the answer to a prompt expecting ``expect`` is a secret."""
    return expect in SECRET_EXPECTS


def turn_text(secret: bool, text: str) -> str:
    """The caller's text of a turn (the answer to a prompt that is ``secret`` or not) as it may
    be stored, logged and shown."""
    if secret and text not in UNHEARD:
        return PASSWORD_GIVEN
    return text


def keeps_audio(secret: bool) -> bool:
    """Whether the caller's audio of a turn (answering a ``secret`` prompt or not) may be kept."""
    return not secret


def answers_password_prompt(previous_bot_text: str) -> bool:
    """Whether the caller's next turn answers a password prompt in ``previous_bot_text``."""
    lowered = previous_bot_text.lower()
    return any(mark in lowered for mark in PASSWORD_PROMPT_MARKS)


def mask_turns(turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(caller, bot) turns in order with every answer to a password prompt masked."""
    out: list[tuple[str, str]] = []
    previous_bot = ""
    for caller, bot in turns:
        if answers_password_prompt(previous_bot) and caller not in UNHEARD:
            caller = PASSWORD_GIVEN
        out.append((caller, bot))
        previous_bot = bot
    return out
