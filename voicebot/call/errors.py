"""Stage errors of the call loop: each stage has its own type and a stable ``code``."""

from __future__ import annotations


class StageError(RuntimeError):
    """A pipeline stage failed; ``stage`` names it and ``code`` is stable for logs and tests."""

    stage = "call"
    default_code = "call.failed"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code or self.default_code


class AudioStageError(StageError):
    """Reading, converting or playing audio failed."""

    stage = "audio"
    default_code = "audio.failed"


class AsrStageError(StageError):
    """Speech recognition failed."""

    stage = "asr"
    default_code = "asr.failed"


class NluStageError(StageError):
    """Understanding failed."""

    stage = "nlu"
    default_code = "nlu.failed"


class DialogStageError(StageError):
    """The dialog state machine raised."""

    stage = "dialog"
    default_code = "dialog.failed"


class StoreStageError(StageError):
    """An action against the store, work orders or the handoff queue failed."""

    stage = "store"
    default_code = "store.unavailable"


class TtsStageError(StageError):
    """Speech synthesis failed."""

    stage = "tts"
    default_code = "tts.failed"


def wrap(kind: type[StageError], exc: BaseException) -> StageError:
    """``exc`` as a ``kind`` stage error, keeping a stable ``code`` the original carries."""
    if isinstance(exc, StageError):
        return exc
    code = getattr(exc, "code", None)
    if not isinstance(code, str) or not code:
        code = None
    return kind(f"{type(exc).__name__}: {exc}", code)
