"""Speech recognition: streaming recognizers per language, grammars, validity checks.

For the call loop::

    engines = load_engines(settings)          # once per process; print engines.status_text()
    engines.preload()                          # optional: load the models now, not on first call
    rec = engines.recognizer("zh")             # one per call; blocking: use asyncio.to_thread
    rec.set_grammar(digits_grammar("zh"))      # before an utterance; None = free decoding
    partial = rec.accept(pcm16_mono_at_rec_sample_rate)
    final = rec.finish()
    best_digits(final, length=6)               # first N-best hypothesis with 6 digits, or None
    yes_no_word(final, "zh")                        # "yes" / "no" / None
"""

from voicebot.asr.digits import best_digits, hypotheses, words_to_digits, yes_no_word
from voicebot.asr.engines import Engines, LanguageEngine, load_engines
from voicebot.asr.grammars import (
    digits_grammar,
    grammar_from_file,
    phrase_grammar,
    standard_grammar,
    yesno_grammar,
)
from voicebot.asr.types import AsrError, AsrResult, AsrWord, Grammar, Recognizer

__all__ = [
    "AsrError",
    "AsrResult",
    "AsrWord",
    "Engines",
    "Grammar",
    "LanguageEngine",
    "Recognizer",
    "best_digits",
    "digits_grammar",
    "grammar_from_file",
    "hypotheses",
    "load_engines",
    "phrase_grammar",
    "standard_grammar",
    "words_to_digits",
    "yes_no_word",
    "yesno_grammar",
]
