"""Console languages: English source strings, looked up in a per-language catalogue.

Templates write ``{{ _("Queue") }}``; the text shown is the catalogue entry for the page's
language, or the English source when the catalogue has none. Chinese is the default. Messages
made in Python (``?msg=``, errors) go through :func:`translate_message`, which also knows
catalogue entries with ``{}`` slots ("Work order {}"). The Chinese catalogue is the union of
this package's pages (:mod:`voicebot.console.i18n_zh`) and the operator/judge pages
(:mod:`voicebot.console.i18n_ops`).
"""

from __future__ import annotations

import re
from typing import Literal, get_args

from voicebot.console.i18n_ops import ZH_OPS
from voicebot.console.i18n_zh import ZH_UI

ConsoleLang = Literal["zh", "en"]
"""Languages the console is shown in."""

LANGS: tuple[ConsoleLang, ...] = get_args(ConsoleLang)
"""Every console language."""

DEFAULT_LANG: ConsoleLang = "zh"
"""The language of a page for a user who has chosen none."""

LANG_COOKIE = "console_lang"
"""Cookie holding the browser's language (before sign-in, and on pages without a user)."""

HTML_LANG: dict[ConsoleLang, str] = {"zh": "zh-CN", "en": "en"}
"""The ``<html lang>`` value per console language."""

LANG_NAMES: dict[ConsoleLang, str] = {"zh": "中文", "en": "English"}
"""Each language's name in itself (the language switch)."""

ZH: dict[str, str] = {**ZH_UI, **ZH_OPS}
"""Chinese for each English source string."""


def parse_lang(value: object) -> ConsoleLang | None:
    """``value`` as a console language, or None when it names none."""
    for lang in LANGS:
        if value == lang:
            return lang
    return None


def translate(text: str, lang: ConsoleLang) -> str:
    """``text`` in ``lang``; the English source when no translation exists."""
    if lang == "zh":
        return ZH.get(text, text)
    return text


def _slot_patterns(catalogue: dict[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Catalogue entries with ``{}`` slots, as anchored patterns."""
    return tuple(
        (re.compile("^" + re.escape(source).replace(r"\{\}", "(.+?)") + "$", re.DOTALL), target)
        for source, target in catalogue.items() if "{}" in source
    )


SLOT_PATTERNS = _slot_patterns(ZH)
"""The Chinese entries with ``{}`` slots, compiled once."""


def translate_message(text: str, lang: ConsoleLang) -> str:
    """A message made in Python (a flash or an error) in ``lang``.

    An exact catalogue entry wins; else an entry with ``{}`` slots whose fixed parts match
    (slot values that are catalogue entries are translated, others kept); else the English text.
    """
    if lang != "zh" or not text:
        return text
    if text in ZH:
        return ZH[text]
    for pattern, target in SLOT_PATTERNS:
        match = pattern.match(text)
        if match:
            # slot values that are catalogue words (a contact step, a status) are translated too
            return target.format(*(ZH.get(group, group) for group in match.groups()))
    return text
