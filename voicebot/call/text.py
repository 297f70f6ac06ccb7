"""Typed calls: the caller's turns as text, the bot's as text (optionally spoken too)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from voicebot.call.errors import TtsStageError
from voicebot.call.listening import ListenSpec
from voicebot.call.ports import CallerInput, InputKind, Spoken
from voicebot.transport.media import CallInfo, TextPort, TransportKind

KEY_PREFIXES = ("/keys ", "/dtmf ", "k:")
"""Typed lines starting with these are keypad presses (``/keys 482913#``)."""


def parse_typed(line: str | None) -> CallerInput:
    """A typed line as caller input: text, ``/keys 123#``, empty (silence) or EOF / ``/hangup``."""
    now = time.perf_counter()
    if line is None or line.strip() in ("/hangup", "/quit", "/bye"):
        return CallerInput(InputKind.HUNG_UP, ended_at=now)
    text = line.strip()
    if not text or text == "/silence":
        return CallerInput(InputKind.NO_INPUT, ended_at=now)
    for prefix in KEY_PREFIXES:
        if text.startswith(prefix):
            keys = text[len(prefix):].replace(" ", "")
            return CallerInput(InputKind.KEYS, keys=keys, ended_at=now)
    return CallerInput(InputKind.SPEECH, text=text, ended_at=now)


def typed_hint(spec: ListenSpec) -> str:
    """What a person typing is asked for at this turn."""
    return (" (6 digits, or /keys 482913#)" if spec.digit_range == (6, 6)
            else " (yes/no)" if spec.nlu_hint == "yesno" else "")


class TextChannel:
    """Caller turns from ``read`` (None = hang-up), bot turns to ``write``."""

    def __init__(self, read: Callable[[ListenSpec], Awaitable[str | None]],
                 write: Callable[[str, str], None],
                 speak: Callable[[str, str], Awaitable[None]] | None = None, *,
                 info: CallInfo | None = None) -> None:
        self._info = info or CallInfo("text", transport=TransportKind.TEXT)
        self._read = read
        self._write = write
        self._speak = speak

    @classmethod
    def on_port(cls, port: TextPort,
                speak: Callable[[str, str], Awaitable[None]] | None = None) -> TextChannel:
        """A typed call on a transport's text port: prompts go out as ``line> ...`` lines
        (``speak``: also aloud)."""
        pending: list[str] = []

        async def read(spec: ListenSpec) -> str | None:
            return await port.read_line(typed_hint(spec))

        def write(text: str, language: str) -> None:
            pending.append(text)

        async def flush(text: str, language: str) -> None:
            while pending:
                await port.write_line(f"line> {pending.pop(0)}")
            if speak is not None:
                await speak(text, language)

        return cls(read, write, flush, info=port.info)

    @property
    def info(self) -> CallInfo:
        """Who is calling (the terminal user, or a text connection)."""
        return self._info

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Print the prompt (and speak it when asked to)."""
        t0 = time.perf_counter()
        self._write(text, language)
        first = time.perf_counter()
        if self._speak is not None:
            try:
                await self._speak(text, language)
            except Exception as exc:
                raise TtsStageError(str(exc), getattr(exc, "code", None)) from exc
        return Spoken(False, first, 1000 * (first - t0) if self._speak else 0.0)

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """The next typed line."""
        return parse_typed(await self._read(spec))

    async def close(self) -> None:
        """Nothing to release."""
        await asyncio.sleep(0)
