"""Console languages: English source strings, looked up in a per-language catalogue.

Templates write ``{{ _("Queue") }}``; the text shown is the catalogue entry for the page's
language, or the English source when the catalogue has none. Chinese is the default.
"""

from __future__ import annotations

from typing import Literal

ConsoleLang = Literal["zh", "en"]
"""Languages the console is shown in."""

DEFAULT_LANG: ConsoleLang = "zh"
"""The language of a page for a user who has chosen none."""

HTML_LANG: dict[ConsoleLang, str] = {"zh": "zh-CN", "en": "en"}
"""The ``<html lang>`` value per console language."""

ZH: dict[str, str] = {}
"""Chinese for each English source string (filled as pages are translated)."""


def translate(text: str, lang: ConsoleLang) -> str:
    """``text`` in ``lang``; the English source when no translation exists."""
    if lang == "zh":
        from voicebot.console.i18n_ops import ZH_OPS

        return ZH.get(text, ZH_OPS.get(text, text))
    return text
