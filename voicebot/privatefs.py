"""Owner-only files and folders for what holds case data: the data dir, database, recordings."""

from __future__ import annotations

import os
from pathlib import Path

DIR_MODE = 0o700
"""Mode of every folder the line creates for its data."""
FILE_MODE = 0o600
"""Mode of every data file the line creates (database, recordings, cached prompts)."""


def private_dir(path: Path | str) -> Path:
    """Create ``path`` and any missing parents as 0700 (existing folders are left as they are)."""
    path = Path(path)
    missing = []
    at = path
    while not at.exists():
        missing.append(at)
        if at.parent == at:
            break
        at = at.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue
        os.chmod(folder, DIR_MODE)  # mkdir's mode is masked by the umask
    return path


def private_file(path: Path | str) -> Path:
    """Make sure ``path`` exists (in a 0700 folder if new) and is readable by its owner only."""
    path = Path(path)
    private_dir(path.parent)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    os.chmod(path, FILE_MODE)
    return path
