"""Chinese for the operator and judge pages' own strings (merged into ``i18n.ZH``)."""

from __future__ import annotations

ZH_OPS: dict[str, str] = {}
"""Chinese for each English source string of the operator/judge pages."""
