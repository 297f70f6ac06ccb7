"""Live calls from the command line: typed (``--text``) or through microphone and speaker."""

from __future__ import annotations

import asyncio
import sys

from voicebot.audio.devices import open_microphone, open_speaker
from voicebot.call.audio_channel import AudioChannel
from voicebot.call.errors import AudioStageError
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import CallResult, run_call
from voicebot.call.setup import endpointer_factory
from voicebot.call.text import TextChannel
from voicebot.transport.media import CallInfo, TransportKind

NO_DEVICE_HINT = (
    "no usable audio device ({reason}); on a machine without microphone or speaker use "
    "`voicebot call --text`"
)


async def run_text(line: Line, *, language: str | None, caller_id: str,
                   speak: bool = False) -> CallResult:
    """A call typed on the terminal; ``/keys 123#`` for the keypad, empty line for silence."""

    async def read(spec: ListenSpec) -> str | None:
        hint = (" (6 digits, or /keys 482913#)" if spec.digit_range == (6, 6)
                else " (yes/no)" if spec.nlu_hint == "yesno" else "")
        try:
            return await asyncio.to_thread(input, f"you{hint}> ")
        except EOFError:
            return None

    def write(text: str, language: str) -> None:
        sys.stdout.write(f"line> {text}\n")
        sys.stdout.flush()

    speaker = None
    if speak:
        try:
            speaker = open_speaker(line.settings)
        except Exception as exc:
            raise SystemExit(NO_DEVICE_HINT.format(reason=exc)) from exc

    async def say_aloud(text: str, language: str) -> None:
        assert line.synthesizer is not None and speaker is not None
        audio = await asyncio.to_thread(line.synthesizer.synthesize, text, language)
        await speaker.write(audio)

    info = CallInfo("terminal", caller=caller_id, transport=TransportKind.TEXT)
    channel = TextChannel(read, write, say_aloud if speaker is not None else None, info=info)
    return await run_call(line, channel, language=language)


async def run_live(line: Line, *, language: str | None, caller_id: str) -> CallResult:
    """A call through the microphone and the speaker (``settings.audio_backend``)."""
    try:
        source = open_microphone(line.settings)
        sink = open_speaker(line.settings)
    except Exception as exc:
        raise SystemExit(NO_DEVICE_HINT.format(reason=exc)) from exc
    try:
        info = CallInfo("microphone", caller=caller_id, codec="pcm",
                        transport=TransportKind.AUDIO)
        channel = AudioChannel(line, source, sink, endpointer_factory(line.settings), info=info)
        return await run_call(line, channel, language=language)
    except AudioStageError as exc:
        raise SystemExit(str(exc)) from exc
    finally:
        source.close()
        sink.close()
