"""The console's cookie-signing secret: long and random, or generated and kept owner-only."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from voicebot.console.security import SECRET_FILE, ConsoleSecretError, console_secret
from voicebot.settings import DEFAULT_SETTINGS


@pytest.mark.parametrize("weak", ["x", "short-but-not-32-bytes", "a" * 64, "ab" * 40,
                                  "秘" * 10])
def test_weak_configured_secrets_are_refused(tmp_path: Path, weak: str) -> None:
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path, console_secret=weak)
    with pytest.raises(ConsoleSecretError, match="at least 32 random bytes"):
        console_secret(settings)
    assert not (tmp_path / SECRET_FILE).exists()


@pytest.mark.parametrize("strong", [secrets.token_urlsafe(32), secrets.token_hex(32)],
                         ids=["urlsafe", "hex"])
def test_random_configured_secrets_are_used(tmp_path: Path, strong: str) -> None:
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path, console_secret=strong)
    assert console_secret(settings) == strong


def test_generated_secret_is_kept_owner_only(tmp_path: Path) -> None:
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path / "data")
    first = console_secret(settings)
    path = tmp_path / "data" / SECRET_FILE
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(first.encode()) >= 32 and console_secret(settings) == first
    path.chmod(0o644)
    assert console_secret(settings) == first
    assert path.stat().st_mode & 0o777 == 0o600
    path.write_text("a" * 40 + "\n")
    with pytest.raises(ConsoleSecretError):
        console_secret(settings)
