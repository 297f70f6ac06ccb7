"""Live calls from the command line: typed (``--text``) or through microphone and speaker.

The terminal and the audio devices are transports (``voicebot.transport.text``,
``voicebot.transport.device``); the call side only sees their ports.
"""

from __future__ import annotations

import asyncio

from voicebot.audio.devices import open_speaker
from voicebot.call.audio_channel import AudioChannel
from voicebot.call.errors import AudioStageError
from voicebot.call.line import Line
from voicebot.call.loop import CallResult, run_call
from voicebot.call.setup import endpointer_factory
from voicebot.call.text import TextChannel
from voicebot.transport.device import DevicePort
from voicebot.transport.text import TerminalTextPort

NO_DEVICE_HINT = (
    "no usable audio device ({reason}); on a machine without microphone or speaker use "
    "`voicebot call --text`"
)


async def run_text(line: Line, *, language: str | None, caller_id: str,
                   speak: bool = False) -> CallResult:
    """A call typed on the terminal; ``/keys 123#`` for the keypad, empty line for silence."""
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

    channel = TextChannel.on_port(TerminalTextPort(caller_id),
                                  say_aloud if speaker is not None else None)
    return await run_call(line, channel, language=language)


async def run_live(line: Line, *, language: str | None, caller_id: str) -> CallResult:
    """A call through the microphone and the speaker (``settings.audio_backend``)."""
    try:
        port = DevicePort.open(line.settings, caller_id)
    except Exception as exc:
        raise SystemExit(NO_DEVICE_HINT.format(reason=exc)) from exc
    try:
        channel = AudioChannel.on_port(line, port, endpointer_factory(line.settings))
        return await run_call(line, channel, language=language)
    except AudioStageError as exc:
        raise SystemExit(str(exc)) from exc
    finally:
        port.close()
