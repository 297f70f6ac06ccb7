"""Checking an installed model by loading it with its engine (``voicebot models list --verify``).

Apart from ``models.py`` (which finds models and imports no engine), so no import cycle.
"""

from __future__ import annotations

from voicebot.asr.models import InstalledModel
from voicebot.asr.types import AsrError


def verify_model(model: InstalledModel) -> str | None:
    """Load ``model`` with its engine; None when it works, else the reason."""
    try:
        if model.engine == "whisper":
            from voicebot.asr.whisper_engine import WhisperModel

            WhisperModel(model.path).recognizer().finish()
        elif model.engine == "pocketsphinx":
            from voicebot.asr.sphinx_engine import SphinxModel

            SphinxModel(model.path).recognizer()
        else:
            from voicebot.asr.vosk_engine import VoskModel

            VoskModel(model.path, model.language).recognizer().finish()
    except AsrError as exc:
        return str(exc)
    except Exception as exc:  # an engine failing in an unforeseen way is what verify reports
        return f"{type(exc).__name__}: {exc}"
    return None
