"""Whether the judge-notification hook settings can work (checked at start-up)."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path
from urllib.parse import urlsplit


def hook_problem(command: str, webhook: str) -> tuple[str, str] | None:
    """(setting, why) for a hook setting that cannot work, else None (for ``settings.validate``)."""
    command = command.strip()
    if command:
        try:
            argv = shlex.split(command)
        except ValueError as exc:
            return "notify_command", f"cannot split into words: {exc}"
        exe = argv[0] if argv else ""
        if "/" in exe:
            if not (Path(exe).is_file() and os.access(exe, os.X_OK)):
                return "notify_command", f"{exe} is not an executable file"
        elif shutil.which(exe) is None:
            return "notify_command", f"{exe} is not found on PATH"
    hook = webhook.strip()
    if hook:
        parts = urlsplit(hook)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "notify_webhook", "must be an http:// or https:// URL with a host"
    return None
