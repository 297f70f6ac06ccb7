"""The dialog's error type."""

from __future__ import annotations


class DialogError(RuntimeError):
    """A dialog failure; ``code`` is stable for logs and tests."""

    def __init__(self, message: str, code: str = "dialog.failed") -> None:
        super().__init__(message)
        self.code = code


__all__ = ["DialogError"]
