"""Speech synthesis: espeak-ng voices through pyttsx3, a prompt cache, and spoken forms."""

from voicebot.tts.engines import TtsError
from voicebot.tts.synth import PromptCache, Synthesizer

__all__ = ["PromptCache", "Synthesizer", "TtsError"]
