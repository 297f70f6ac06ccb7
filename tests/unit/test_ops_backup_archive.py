"""A backup file is checked before anything is taken from it."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from voicebot.ops.backup import FORMAT, BackupError, read_manifest, restore


def _archive(path: Path, names: list[str], fmt: int = FORMAT) -> None:
    with tarfile.open(path, "w") as tar:
        for name in names:
            data = (json.dumps({"format": fmt, "backend": "sqlite", "database": "store.sqlite"})
                    if name == "manifest.json" else "x").encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def test_entries_outside_the_folder_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "evil.tar"
    _archive(archive, ["manifest.json", "store.sqlite", "../../escaped.txt"])
    with pytest.raises(BackupError, match="unexpected entry"):
        restore(archive, f"sqlite:///{tmp_path}/db.sqlite", tmp_path / "rec")
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_other_formats_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "new.tar"
    _archive(archive, ["manifest.json"], fmt=FORMAT + 1)
    with pytest.raises(BackupError, match="format"):
        read_manifest(archive)
