"""pocketsphinx with its bundled US-English model: JSGF grammars and free decoding."""

from __future__ import annotations

import logging
import math
import tempfile
import threading
import weakref
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

from voicebot.asr.grammars import DIGIT_WORDS, YES_NO, filter_vocabulary, to_jsgf
from voicebot.asr.types import AsrError, AsrResult, AsrWord, Grammar

log = logging.getLogger(__name__)

FRAME_S = 0.01  # pocketsphinx frames are 10 ms
_PHONE_SIL = frozenset({"SIL", "+NSN+", "+SPN+", "(NULL)"})
REJECT_BELOW = -32.0
"""Grammar finals whose :func:`fit_score` is below this come out empty ("not understood").

Chosen by measurement (README "Rejection"): correctly recognized in-grammar requests scored down to
-27 (the call fixtures' "i would like to check the progress of my case"), forced out-of-grammar
speech mostly -20 to -45, so the fit score alone overlaps; this threshold keeps a margin for the
in-grammar side and leaves most of the work to :data:`MAX_UNEXPLAINED`.
"""
REPEAT_SLACK = 10.0
"""Grammars of phrase sequences (digits, case-number parts) get this much lower a threshold: a
sequence of short words fits any speech loosely, and a partly wrong sequence still carries words
the dialog can use (a case-number sentence with "first instance" heard as "two two" scored -30)."""
MAX_UNEXPLAINED = 0.72
"""... and so do those where more than this share of the speech frames (phones of the phone loop)
lie outside the grammar path's words (forced speech hides in silence and filler segments)."""
CONF_SCALE = 4.0
"""Spread of the logistic that maps the fit score to a confidence (0.5 at the threshold)."""


LiveScoring = Literal["none", "open"]
"""Grammar utterances scored while they stream: none, or open grammars only."""


def bundled_model_dir() -> Path:
    """The US-English model shipped inside the pocketsphinx wheel."""
    import pocketsphinx

    return Path(pocketsphinx.get_model_path()) / "en-us"


def _read_dict(path: Path) -> dict[str, list[str]]:
    prons: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0].split("(", 1)[0].lower()
            prons.setdefault(word, []).append(" ".join(parts[1:]))
    return prons


class SphinxModel:
    """The pocketsphinx model files and pronunciation dictionary, read once per process.

    Each recognizer gets its own decoder with a small dictionary of the grammar words, so it costs
    little memory; the full dictionary and language model load only for free decoding.
    """

    engine = "pocketsphinx"
    sample_rate = 16000

    def __init__(self, model_dir: Path | None = None, **tuning: Any) -> None:
        base = model_dir or bundled_model_dir()
        self.path = base
        self.language = "en"
        self.name = "pocketsphinx-en-us"
        self.hmm = base / "en-us"
        self.dict_path = base / "cmudict-en-us.dict"
        self.lm_path = base / "en-us.lm.bin"
        for p in (self.hmm, self.dict_path, self.lm_path):
            if not p.exists():
                raise AsrError(f"pocketsphinx model file missing: {p}", "asr.model_load")
        # No bestpath lattice pass: building the lattice costs ~0.6 s per second of audio.
        self.tuning: dict[str, Any] = {"bestpath": False, **tuning}
        self.prons = _read_dict(self.dict_path)
        self._tmp = tempfile.TemporaryDirectory(prefix="voicebot-ps-")
        weakref.finalize(self, self._tmp.cleanup)
        self.small_dict = Path(self._tmp.name) / "base.dict"
        base_words = {*DIGIT_WORDS["en"], *(w for p in YES_NO["en"] for w in p.split())}
        self.small_dict.write_text(
            "".join(self._dict_lines(w) for w in sorted(base_words) if w in self.prons),
            encoding="utf-8",
        )
        self.phone_lm = base / "en-us-phone.lm.bin"
        self._lock = threading.Lock()
        self._jsgf: dict[Grammar, str] = {}

    def _dict_lines(self, word: str) -> str:
        out = []
        for i, pron in enumerate(self.prons[word]):
            out.append(f"{word}{'' if i == 0 else f'({i + 1})'} {pron}\n")
        return "".join(out)

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the pronunciation dictionary."""
        return word.lower() in self.prons

    def grammar_jsgf(self, grammar: Grammar) -> str:
        """JSGF text for ``grammar`` with out-of-dictionary phrases dropped (logged)."""
        with self._lock:
            text = self._jsgf.get(grammar)
        if text is None:
            kept, _ = filter_vocabulary(grammar, self.knows, "the pocketsphinx dictionary")
            text = to_jsgf(kept)
            with self._lock:
                self._jsgf[grammar] = text
        return text

    def decoder(self) -> Any:
        """A new decoder with the small dictionary and no language model."""
        from pocketsphinx import Decoder

        try:
            return Decoder(
                hmm=str(self.hmm),
                dict=str(self.small_dict),
                lm=None,
                loglevel="FATAL",
                **self.tuning,
            )
        except (RuntimeError, ValueError) as exc:
            raise AsrError(f"cannot start pocketsphinx: {exc}", "asr.model_load") from exc

    def recognizer(
        self,
        grammar: Grammar | None = None,
        nbest: int = 0,
        reject_below: float | None = REJECT_BELOW,
    ) -> SphinxRecognizer:
        """A new streaming recognizer for one call.

        ``nbest`` > 0 adds N-best alternatives in grammar mode, at the cost of a lattice
        (~0.6 s per second of audio on this machine's cores: too slow for the final delay target).
        ``reject_below``: grammar finals with a lower :func:`fit_score` come out empty (None:
        never; the confidence still says how well the utterance fits).
        """
        rec = SphinxRecognizer(self, nbest, reject_below)
        rec.set_grammar(grammar)
        return rec


class SphinxRecognizer:
    """Streaming recognizer with its own pocketsphinx decoder; thread-safe per instance."""

    def __init__(
        self, model: SphinxModel, nbest: int = 0, reject_below: float | None = REJECT_BELOW
    ) -> None:
        self.model = model
        self.language = "en"
        self.sample_rate = model.sample_rate
        self.nbest = nbest
        self.reject_below = reject_below
        self._pcm: list[bytes] = []
        self._has_phones = False
        self.live_scoring: LiveScoring = "none"
        """Grammar utterances whose scoring phone loop runs as the audio streams, not over the
        whole utterance at its end (~150-200 ms a request; asr README, "Latency and capacity")."""
        self._phones: Any = None  # a second decoder running the phone loop while audio streams
        self._phones_live = False  # whether it runs in the current utterance
        self._lock = threading.Lock()
        self._dec = model.decoder()
        self._grammar: Grammar | None = None
        self._utt_grammar: Grammar | None = None  # the grammar the current utterance started with
        self._searches: dict[Grammar, str] = {}
        self._has_free = False
        self._in_utt = False
        self._last_partial = ""

    @property
    def grammar(self) -> Grammar | None:
        """The grammar of the next (or current) utterance."""
        return self._grammar

    def set_grammar(self, grammar: Grammar | None) -> None:
        """Use ``grammar`` (None: free decoding with the language model) from the next utterance."""
        if grammar is not None:
            self.model.grammar_jsgf(grammar)
        with self._lock:
            self._grammar = grammar

    def _add_words(self, grammar: Grammar) -> None:
        for phrase in grammar.phrases:
            for w in phrase.split():
                if self.model.knows(w) and self._dec.lookup_word(w) is None:
                    for i, pron in enumerate(self.model.prons[w]):
                        name = w if i == 0 else f"{w}({i + 1})"
                        self._dec.add_word(name, pron, i == len(self.model.prons[w]) - 1)

    def _activate(self) -> None:
        g = self._grammar
        if g is None:
            if not self._has_free:
                self._dec.load_dict(str(self.model.dict_path))
                self._dec.add_lm_file("free", str(self.model.lm_path))
                self._has_free = True
            self._dec.activate_search("free")
            return
        name = self._searches.get(g)
        if name is None:
            name = f"g{len(self._searches)}"
            self._add_words(g)
            self._dec.add_jsgf_string(name, self.model.grammar_jsgf(g))
            self._searches[g] = name
        self._dec.activate_search(name)

    def accept(self, pcm: bytes) -> AsrResult | None:
        """Feed 16-bit mono PCM at 16 kHz; returns a partial result when the hypothesis changed."""
        with self._lock:
            if not self._in_utt:
                self._activate()
                self._dec.start_utt()
                self._in_utt = True
                self._pcm = []
                self._utt_grammar = self._grammar
                self._start_phones()
            if self._phones_live:
                self._phones.process_raw(pcm, False, False)
            elif self._utt_grammar is not None:
                self._pcm.append(pcm)  # for the phone-loop pass that scores the final
            self._dec.process_raw(pcm, False, False)
            hyp = self._dec.hyp()
            text = hyp.hypstr if hyp is not None else ""
            if text == self._last_partial:
                return None
            self._last_partial = text
            return AsrResult(text=text, is_final=False) if text else None

    def finish(self, score: bool = True) -> AsrResult:
        """End the utterance: final text, word timings, N-best; ready for the next utterance.

        ``score``: in grammar mode, run the phone-loop pass that gives the confidence and rejects
        speech outside the grammar (~15-40 ms per second of audio); False skips it (a caller
        that takes the final from another engine).
        """
        with self._lock:
            if not self._in_utt:
                return AsrResult(text="", is_final=True, confidence=0.0)
            self._dec.end_utt()
            live, self._phones_live = self._phones_live, False
            if live:
                self._phones.end_utt()
            self._in_utt, self._last_partial = False, ""
            res = self._result()
            pcm, self._pcm = b"".join(self._pcm), []
            if not score or not res.text or self._utt_grammar is None or not (pcm or live):
                return res
            return self._scored(res, pcm, live)

    def _start_phones(self) -> None:
        """Run the phone loop beside the grammar search from the utterance's first sample, so
        the final's score is ready when it ends: the same pass over the whole utterance at the
        end took ~150-200 ms per request (asr README, "Latency")."""
        g = self._utt_grammar
        self._phones_live = g is not None and g.open and self.live_scoring == "open"
        if not self._phones_live:
            return
        if self._phones is None:
            self._phones = self.model.decoder()
            self._phones.add_allphone_file("phones", str(self.model.phone_lm))
            self._phones.activate_search("phones")
        self._phones.start_utt()

    def _scored(self, res: AsrResult, pcm: bytes, live: bool = False) -> AsrResult:
        """Confidence from how well the grammar path fits the audio; empty below the threshold.
        ``live``: the phone loop ran as the audio streamed (else it is run now)."""
        lm = self._dec.get_logmath()
        frames = max(1, self._dec.n_frames())
        segs = list(self._dec.seg() or [])
        path = sum(lm.log(s.ascore) for s in segs if s.ascore > 0)
        words = [(s.start_frame, s.end_frame) for s in segs if _is_word(s.word)]
        phones, speech = self._phone_segments(self._phones) if live else self._phone_loop(pcm)
        fit = fit_score(path, phones, frames)
        loose = unexplained(speech, words)
        floor = self.reject_below if self.reject_below is not None else REJECT_BELOW
        if self._utt_grammar is not None and self._utt_grammar.repeat:
            floor -= REPEAT_SLACK
        conf = _logistic((fit - floor) / CONF_SCALE)
        conf *= _logistic((MAX_UNEXPLAINED - loose) / 0.1)
        # the words themselves are never logged: a spoken password may be among them
        log.debug("%d words: fit %.1f, unexplained speech %.2f", len(words), fit, loose)
        if self.reject_below is not None and (fit < floor or loose > MAX_UNEXPLAINED):
            return AsrResult(text="", is_final=True, confidence=conf)
        conf *= res.confidence
        return replace(
            res,
            confidence=conf,
            words=tuple(replace(w, conf=conf) for w in res.words),
        )

    def _phone_loop(self, pcm: bytes) -> tuple[int, list[tuple[int, int]]]:
        """Acoustic score of the best free phone sequence for the same audio (same decoder), and
        its speech (non-silence) phone spans."""
        if not self._has_phones:
            self._dec.add_allphone_file("phones", str(self.model.phone_lm))
            self._has_phones = True
        self._dec.activate_search("phones")
        self._dec.start_utt()
        self._dec.process_raw(pcm, False, True)
        self._dec.end_utt()
        return self._phone_segments(self._dec)

    @staticmethod
    def _phone_segments(dec: Any) -> tuple[int, list[tuple[int, int]]]:
        lm = dec.get_logmath()
        segs = list(dec.seg() or [])
        score = sum(lm.log(s.ascore) for s in segs if s.ascore > 0)
        return score, [(s.start_frame, s.end_frame) for s in segs if s.word not in _PHONE_SIL]

    def _result(self) -> AsrResult:
        # Decoder.hyp() would compute lattice posteriors (~0.6 s per second of audio): use the
        # segmentation for the text and the N-best scores for a confidence instead.
        segs = self._dec.seg()
        if segs is None:  # the search ended outside the grammar's final states: nothing matched
            return AsrResult(text="", is_final=True, confidence=0.0)
        words: list[tuple[str, float, float]] = []
        for seg in segs:
            w = seg.word.split("(", 1)[0]  # "word(2)" alternates; "(NULL)" FSG null steps
            if not w or w.startswith(("<", "[")):
                continue
            words.append((w, seg.start_frame * FRAME_S, (seg.end_frame + 1) * FRAME_S))
        text = " ".join(w for w, _, _ in words)
        scored: list[tuple[str, int]] = [(text, 0)]
        if self.nbest > 0 and self._utt_grammar is not None:
            for i, nb in enumerate(self._dec.nbest()):
                if i >= self.nbest * 3 or len(scored) > self.nbest:
                    break
                if nb is None:
                    continue
                s = " ".join(t.split("(", 1)[0] for t in nb.hypstr.split())
                if i == 0 and s == text:
                    scored[0] = (text, nb.score)
                elif s and s not in (x for x, _ in scored):
                    scored.append((s, nb.score))
        conf = _nbest_confidence([sc for _, sc in scored]) if text else 0.0
        return AsrResult(
            text=text,
            is_final=True,
            words=tuple(AsrWord(w, a, b, conf) for w, a, b in words),
            confidence=conf,
            alternatives=tuple(x for x, _ in scored[1:]),
        )


def _nbest_confidence(scores: list[int]) -> float:
    """Share of the best among the N-best (scores are log base 1.0001, acoustic scale ~1/10)."""
    if len(scores) < 2:
        return 1.0
    top = scores[0]
    k = math.log(1.0001) / 10.0
    return 1.0 / sum(math.exp(max(-50.0, min(50.0, (s - top) * k))) for s in scores)


def fit_score(path_ascore: int, phone_ascore: int, frames: int) -> float:
    """Per-frame acoustic score of the grammar path minus that of a free phone loop.

    pocketsphinx scores each frame relative to its best senone, so both are <= 0; in-grammar
    speech follows the phone loop closely (~0 to -25 per frame on the bench), speech forced onto
    a phrase it does not contain falls far behind (down to -45).
    """
    return (path_ascore - phone_ascore) / max(1, frames)


def _is_word(word: str) -> bool:
    return bool(word) and not word.startswith(("<", "[", "(", "+"))


def unexplained(speech: list[tuple[int, int]], words: list[tuple[int, int]]) -> float:
    """Share of the speech frames (inclusive spans) that no word span covers."""
    total = sum(b - a + 1 for a, b in speech)
    if total == 0:
        return 0.0
    covered = 0
    for a, b in speech:
        for c, d in words:
            covered += max(0, min(b, d) - max(a, c) + 1)
    return max(0.0, 1.0 - covered / total)


def _logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, x))))


def _clamp(p: float) -> float:
    if math.isnan(p):
        return 0.0
    return max(0.0, min(1.0, float(p)))
