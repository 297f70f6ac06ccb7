"""``voicebot models fetch``: download a known model (its own URL, else a mirror) and install it."""

from __future__ import annotations

import hashlib
import http.client
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voicebot.asr.known_models import KNOWN_MODELS, ModelMirror
from voicebot.asr.models import InstalledModel, extract_zip, install_model
from voicebot.asr.types import AsrError

ProgressFn = Callable[[int, int | None], None]

_AIR_GAP_HINT = (
    "On a machine without access, download {name}.zip elsewhere and run: "
    "voicebot models install {name}.zip"
)


@dataclass(frozen=True)
class FetchResult:
    """What ``fetch_model`` installed and where it came from."""

    model: InstalledModel
    sha256: str
    """SHA-256 of the downloaded file (for a mirror: of the whole zip)."""
    url: str
    """The URL that was downloaded."""
    mirror: ModelMirror | None
    """The mirror used; None when the model came from its own URL."""

    @property
    def source(self) -> str:
        """One line for people: the URL, or the mirror's label."""
        return self.mirror.label if self.mirror else self.url


class _Unreachable(Exception):
    """A download failed for network reasons; another source may still work."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def fetch_model(
    name: str,
    models_dir: Path,
    *,
    progress: ProgressFn | None = None,
    connect_timeout: float = 5.0,
    url: str | None = None,
    sha256: str | None = None,
    mirror: ModelMirror | None = None,
    notify: Callable[[str], None] | None = None,
) -> FetchResult:
    """Download a known model (SHA-256 checked where known) and install it into ``models_dir``.

    When its URL cannot be reached, the model's mirror is downloaded instead (pinned SHA-256).
    ``url``, ``sha256`` and ``mirror`` override the table (tests); ``url`` without ``mirror``
    means no mirror. ``notify`` hears one line when the mirror is tried.
    """
    known = KNOWN_MODELS.get(name)
    if known is None and url is None:
        raise AsrError(
            f"unknown model {name!r}; known: {', '.join(sorted(KNOWN_MODELS))}", "asr.model_unknown"
        )
    src = url or (known.url if known else "")
    expected = sha256 or (known.sha256 if known else None)
    if mirror is None and url is None and known is not None:
        mirror = known.mirror
    language = known.language if known else None
    dest = models_dir / name
    if dest.exists() or dest.is_symlink():
        raise AsrError(f"{dest} already exists; remove it first", "asr.model_exists")
    models_dir.mkdir(parents=True, exist_ok=True)
    hint = _AIR_GAP_HINT.format(name=name)
    try:
        return _fetch_zip(name, src, expected, models_dir, language, progress, connect_timeout)
    except _Unreachable as exc:
        if mirror is None:
            raise AsrError(
                f"cannot download {name} from {src}: {exc.reason}. {hint}", "asr.fetch_failed"
            ) from exc
        first = exc
    if notify:
        notify(f"{src} unreachable ({first.reason}); trying {mirror.description}")
    try:
        return _fetch_mirror(name, mirror, models_dir, language, progress, connect_timeout)
    except _Unreachable as exc:
        raise AsrError(
            f"cannot download {name} from {src} ({first.reason}) nor from its mirror "
            f"{mirror.url} ({exc.reason}). {hint}",
            "asr.fetch_failed",
        ) from exc


def _fetch_zip(
    name: str,
    url: str,
    expected: str | None,
    models_dir: Path,
    language: str | None,
    progress: ProgressFn | None,
    timeout: float,
) -> FetchResult:
    part = models_dir / f".{name}.zip.part"
    digest = _download(url, part, progress, timeout)
    try:
        _check_digest(name, url, digest, expected)
        model = install_model(part, models_dir, name=name, language=language, origin=url)
    finally:
        part.unlink(missing_ok=True)
    return FetchResult(model, digest, url, None)


def _fetch_mirror(
    name: str,
    mirror: ModelMirror,
    models_dir: Path,
    language: str | None,
    progress: ProgressFn | None,
    timeout: float,
) -> FetchResult:
    part = models_dir / f".{name}.mirror.part"
    digest = _download(mirror.url, part, progress, timeout)
    try:
        _check_digest(name, mirror.url, digest, mirror.sha256)
        with tempfile.TemporaryDirectory(dir=models_dir, prefix=".fetch-") as tmp:
            root = Path(tmp) / name
            try:
                with zipfile.ZipFile(part) as zf:
                    extract_zip(zf, root, mirror.prefix)
            except zipfile.BadZipFile as exc:
                raise AsrError(
                    f"{mirror.url}: not a zip file ({exc})", "asr.model_invalid"
                ) from exc
            part.unlink()  # the zip is no longer needed: keep the disk peak low
            model = install_model(
                root, models_dir, name=name, language=language, origin=mirror.label
            )
    finally:
        part.unlink(missing_ok=True)
    return FetchResult(model, digest, mirror.url, mirror)


def _download(url: str, part: Path, progress: ProgressFn | None, timeout: float) -> str:
    """Stream ``url`` into ``part``; returns its SHA-256. ``part`` is removed on any failure."""
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, part.open("wb") as out:
            total = int(resp.headers.get("Content-Length") or 0) or None
            done = 0
            while block := resp.read(1 << 16):
                out.write(block)
                digest.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
        if total is not None and done != total:
            raise _Unreachable(url, f"connection closed after {done} of {total} bytes")
    except (OSError, http.client.HTTPException) as exc:
        part.unlink(missing_ok=True)
        reason = exc if isinstance(exc, urllib.error.HTTPError) else getattr(exc, "reason", exc)
        raise _Unreachable(url, str(reason)) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return digest.hexdigest()


def _check_digest(name: str, url: str, got: str, expected: str | None) -> None:
    if expected and got != expected:
        raise AsrError(
            f"{name}: SHA-256 mismatch for {url} (got {got}, expected {expected})",
            "asr.fetch_checksum",
        )
