"""Errors of the understanding layer, each with a stable ``code``."""

from __future__ import annotations


class NluError(RuntimeError):
    """Understanding cannot run; ``code`` says why (e.g. ``nlu.model_missing``)."""

    def __init__(self, message: str, code: str = "nlu.error") -> None:
        super().__init__(message)
        self.code = code
