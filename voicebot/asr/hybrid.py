"""Streaming partials from one engine, the final result from another where it measured better."""

from __future__ import annotations

import threading
import weakref
from dataclasses import replace

from voicebot.asr.sphinx_engine import SphinxModel, SphinxRecognizer
from voicebot.asr.types import AsrResult, Grammar
from voicebot.asr.whisper_engine import WhisperModel, WhisperRecognizer

WHISPER_FINAL_FOR = frozenset({"digits", "free"})
"""Grammar names whose final comes from Whisper (``free``: no grammar; ``*``: all); every other
grammar's final pocketsphinx makes.

By measurement: on digit strings and free speech pocketsphinx is far behind
(``scripts/bench_asr.py``); on yes/no both reach 100% and pocketsphinx answers in ~1 ms, not
~0.5 s; on closed phrase lists of short commands (the call fixtures' "operator", request phrases)
pocketsphinx's constrained search is right where Whisper's free text is not.
"""


class PhrasePasses:
    """How many utterances may run pocketsphinx's phrase pass beside Whisper at once, in one
    process. The pass streams the utterance through the prompt's phrase list and a phone loop
    (~0.2 of a core while the caller speaks); past the budget an utterance is read by Whisper
    alone, its N-best still re-ranked by the list. Measured (``scripts/bench_call.py``, 2
    cores): with the pass on every utterance 20 calls fell ~25 s behind real time; without it
    p95 voice-to-voice was 1.4 s, but 3 of the 8 English fixtures failed (phrases Whisper
    mishears: asr README, "Open prompts")."""

    def __init__(self, limit: int | None) -> None:
        self.limit = limit
        """At most this many at once; None: no limit."""
        self._lock = threading.Lock()
        self._busy = 0

    @property
    def busy(self) -> int:
        """Phrase passes running now."""
        return self._busy

    def take(self) -> bool:
        """A pass for one utterance, if the budget has one."""
        with self._lock:
            if self.limit is not None and self._busy >= self.limit:
                return False
            self._busy += 1
            return True

    def give(self) -> None:
        """The utterance is over."""
        with self._lock:
            self._busy = max(0, self._busy - 1)


class HybridRecognizer:
    """pocketsphinx streams partials (cheap, real time); Whisper decodes some grammars' finals."""

    def __init__(
        self,
        stream: SphinxRecognizer,
        final: WhisperRecognizer,
        final_for: frozenset[str] = WHISPER_FINAL_FOR,
        passes: PhrasePasses | None = None,
    ) -> None:
        self.stream = stream
        stream.live_scoring = "open"  # the open prompts' finals wait for no phrase scoring
        self.final = final
        self.final_for = final_for
        self.passes = passes
        self._release: weakref.finalize[[], HybridRecognizer] | None = None  # gives a pass back
        self.language = stream.language
        self.sample_rate = stream.sample_rate
        self._lock = threading.Lock()
        self._utt_whisper: bool | None = None  # decided when an utterance starts
        self._utt_stream = True
        self._utt_grammar: Grammar | None = None

    def _whisper_final(self) -> bool:
        if self._utt_whisper is None:
            g = self._utt_grammar = self.stream.grammar
            name = g.name if g is not None else "free"
            self._utt_whisper = ("*" in self.final_for or name in self.final_for
                                 or (g is not None and g.open))
            # No partials in free decoding when Whisper makes the final: pocketsphinx's language
            # model would cost ~100 MB and RTF ~0.45 per recognizer (measured); VAD endpoints.
            self._utt_stream = g is not None or not self._utt_whisper
            if self._utt_stream and self._utt_whisper and self.passes is not None:
                # pocketsphinx's reading is only an alternative here: within the budget
                self._utt_stream = self.passes.take()
                if self._utt_stream:  # given back at finish, or if the call drops this
                    self._release = weakref.finalize(self, self.passes.give)
        return self._utt_whisper

    def set_grammar(self, grammar: Grammar | None) -> None:
        """Use ``grammar`` from the next utterance on, in both engines."""
        with self._lock:
            self.stream.set_grammar(grammar)
            self.final.set_grammar(grammar)

    def accept(self, pcm: bytes) -> AsrResult | None:
        """Feed PCM to both; the partial comes from the streaming engine."""
        with self._lock:
            whisper = self._whisper_final()
            if whisper:
                self.final.accept(pcm)
            if not self._utt_stream:
                return None
            return self.stream.accept(pcm)

    def finish(self) -> AsrResult:
        """Final result: Whisper's for the selected grammars (with the stream's N-best appended)."""
        with self._lock:
            use_whisper, self._utt_whisper = self._whisper_final(), None
            release, self._release = self._release, None
            try:
                return self._finish(use_whisper)
            finally:
                if release is not None:
                    release()

    def _finish(self, use_whisper: bool) -> AsrResult:
        # Whisper makes this final: skip pocketsphinx's phone-loop scoring pass (its text
        # only becomes an N-best alternative)
        g = self._utt_grammar
        is_open = g is not None and g.open
        streamed = self.stream.finish(score=not use_whisper or is_open)
        if not use_whisper:
            self.final.discard()
            return streamed
        best = self.final.finish()
        if is_open:
            return open_reading(streamed, best)
        if g is None or not g.digits:  # a grammar-bound guess would shadow Whisper's text
            return best
        alts = [*best.alternatives]
        for alt in (streamed.text, *streamed.alternatives):
            if alt and alt != best.text and alt not in alts:
                alts.append(alt)
        return replace(best, alternatives=tuple(alts))


def open_reading(phrase: AsrResult, free: AsrResult) -> AsrResult:
    """An open grammar's final: Whisper's free reading (its N-best re-ranked by the phrase
    list), with pocketsphinx's phrase reading as an alternative. Chosen by measurement (asr
    README, "Open prompts"): the phrase reading taken where it exists lost callers whose
    wording the list lacks (it is forced onto a phrase, not rejected)."""
    alts = [*free.alternatives]
    if phrase.text and phrase.text != free.text and phrase.text not in alts:
        alts.insert(0, phrase.text)
    if not free.text:  # Whisper heard nothing: the phrase reading is all there is
        return phrase
    return replace(free, alternatives=tuple(alts))


class HybridModel:
    """pocketsphinx + Whisper, both loaded once."""

    engine = "pocketsphinx+whisper"
    language = "en"
    sample_rate = 16000

    def __init__(
        self,
        sphinx: SphinxModel | None = None,
        whisper: WhisperModel | None = None,
        final_for: frozenset[str] = WHISPER_FINAL_FOR,
        phrase_passes: int | None = None,
    ) -> None:
        self.sphinx = sphinx or SphinxModel()
        self.whisper = whisper or WhisperModel()
        self.final_for = final_for
        self.passes = PhrasePasses(phrase_passes)
        """The process's budget of phrase passes beside Whisper (see :class:`PhrasePasses`)."""
        self.name = f"{self.sphinx.name}+{self.whisper.name}"

    def recognizer(self, grammar: Grammar | None = None) -> HybridRecognizer:
        """A new recognizer for one call."""
        rec = HybridRecognizer(self.sphinx.recognizer(), self.whisper.recognizer(), self.final_for,
                               self.passes)
        rec.set_grammar(grammar)
        return rec
