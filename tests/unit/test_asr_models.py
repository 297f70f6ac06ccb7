"""Model discovery, install, fetch failing fast, engine choice (no model is loaded here)."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
import time
import zipfile
from pathlib import Path

import pytest

from voicebot.asr.engines import load_engines
from voicebot.asr.fetch import fetch_model
from voicebot.asr.models import (
    MARKER,
    guess_language,
    install_model,
    is_vosk_model_dir,
    list_models,
    resolve_vosk_model,
)
from voicebot.asr.types import AsrError
from voicebot.asr.verify import verify_model
from voicebot.settings import Settings


def fake_model(root: Path, name: str = "vosk-model-small-cn-0.22", flat: bool = False) -> Path:
    d = root / name
    (d / "conf").mkdir(parents=True)
    (d / "conf" / "mfcc.conf").write_text("--sample-frequency=16000\n")
    if flat:
        (d / "final.mdl").write_bytes(b"x" * 10)
    else:
        (d / "am").mkdir()
        (d / "am" / "final.mdl").write_bytes(b"x" * 10)
    return d


def test_structure_and_language(tmp_path: Path) -> None:
    m = fake_model(tmp_path)
    assert is_vosk_model_dir(m) and guess_language(m) == "zh"
    flat = fake_model(tmp_path, "vosk-model-en-in-0.5", flat=True)
    assert is_vosk_model_dir(flat) and guess_language(flat) == "en"
    assert not is_vosk_model_dir(tmp_path)
    assert guess_language(fake_model(tmp_path, "mystery")) is None


def test_install_from_dir_and_zip(tmp_path: Path) -> None:
    src = fake_model(tmp_path / "src")
    models = tmp_path / "models"
    got = install_model(src, models)
    assert got.path == models / src.name and got.language == "zh" and (got.path / MARKER).is_file()
    with pytest.raises(AsrError) as exc:
        install_model(src, models)
    assert exc.value.code == "asr.model_exists"
    z = tmp_path / "vosk-model-small-en-us-0.15.zip"
    en = fake_model(tmp_path / "zsrc", "vosk-model-small-en-us-0.15")
    with zipfile.ZipFile(z, "w") as zf:
        for p in en.rglob("*"):
            zf.write(p, p.relative_to(en.parent))
    got = install_model(z, models)
    assert got.name == "vosk-model-small-en-us-0.15" and got.language == "en"
    names = {m.name: m for m in list_models(models, packaged=False)}
    assert set(names) == {"vosk-model-small-cn-0.22", "vosk-model-small-en-us-0.15"}
    assert not any(p.name.startswith(".install-") for p in models.iterdir())


def test_install_rejects_bad_sources(tmp_path: Path) -> None:
    models = tmp_path / "models"
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(AsrError, match="not a zip"):
        install_model(tmp_path / "junk.zip", models)
    (tmp_path / "empty").mkdir()
    with pytest.raises(AsrError) as exc:
        install_model(tmp_path / "empty", models)
    assert exc.value.code == "asr.model_invalid"
    with pytest.raises(AsrError, match="language"):
        install_model(fake_model(tmp_path, "mystery"), models)
    got = install_model(tmp_path / "mystery", models, language="ko", name="my-ko")
    assert got.language == "ko" and guess_language(got.path) == "ko"


def test_fetch_fails_fast_with_install_hint(tmp_path: Path) -> None:
    t0 = time.monotonic()
    with pytest.raises(AsrError) as exc:
        # port 9 (discard) on loopback: nothing listens, so the connection is refused
        fetch_model(
            "vosk-model-small-cn-0.22", tmp_path, url="http://127.0.0.1:9/x.zip", connect_timeout=2
        )
    assert time.monotonic() - t0 < 5
    assert exc.value.code == "asr.fetch_failed"
    assert "voicebot models install vosk-model-small-cn-0.22.zip" in str(exc.value)
    assert not list(tmp_path.iterdir())
    with pytest.raises(AsrError) as exc:
        fetch_model("no-such-model", tmp_path)
    assert exc.value.code == "asr.model_unknown"


def test_settings_choose_models(tmp_path: Path) -> None:
    models = tmp_path / "models"
    cn = fake_model(models)
    s = Settings(models_dir=models, languages=("zh", "en"), asr_engine_en="pocketsphinx")
    engines = load_engines(s)
    assert engines.languages["zh"].engine == "vosk"
    assert engines.languages["zh"].model_name == cn.name
    assert engines.languages["en"].engine == "pocketsphinx"
    assert resolve_vosk_model(models, cn.name, "zh") is not None
    with pytest.raises(AsrError) as exc:
        resolve_vosk_model(models, "nope", "zh")
    assert exc.value.code == "asr.model_missing"


def test_english_auto_prefers_whisper_to_an_installed_vosk_model(tmp_path: Path) -> None:
    from voicebot.asr.whisper_engine import whisper_available

    en = fake_model(tmp_path, "vosk-model-small-en-us-0.15")
    auto = load_engines(Settings(models_dir=tmp_path, languages=("en",))).languages["en"]
    assert auto.engine == ("pocketsphinx+whisper" if whisper_available() else "vosk")
    named = Settings(models_dir=tmp_path, languages=("en",), vosk_model_en=en.name)
    assert load_engines(named).languages["en"].engine == "vosk"
    asked = Settings(models_dir=tmp_path, languages=("en",), asr_engine_en="vosk")
    assert load_engines(asked).languages["en"].engine == "vosk"


def test_missing_mandarin_model_says_how_to_install(tmp_path: Path) -> None:
    s = Settings(models_dir=tmp_path, languages=("zh", "en"))
    engines = load_engines(s)
    assert "zh" not in engines.languages and "en" in engines.languages
    assert "voicebot models fetch vosk-model-small-cn-0.22" in engines.status_text()
    assert "models install vosk-model-small-cn-0.22.zip" in engines.missing["zh"]
    with pytest.raises(AsrError) as exc:
        engines.recognizer("zh")
    assert exc.value.code == "asr.no_engine"
    with pytest.raises(AsrError):
        load_engines(Settings(models_dir=tmp_path, asr_engine_zh="pocketsphinx"), ["zh"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def test_fetch_downloads_checks_and_installs(tmp_path: Path) -> None:
    src = fake_model(tmp_path / "src", "vosk-model-small-cn-0.22")
    z = tmp_path / "srv" / "m.zip"
    z.parent.mkdir()
    with zipfile.ZipFile(z, "w") as zf:
        for p in src.rglob("*"):
            zf.write(p, p.relative_to(src.parent))
    digest = hashlib.sha256(z.read_bytes()).hexdigest()
    handler = functools.partial(_QuietHandler, directory=str(z.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/m.zip"
    seen: list[tuple[int, int | None]] = []
    try:
        with pytest.raises(AsrError) as exc:
            fetch_model("vosk-model-small-cn-0.22", tmp_path / "m", url=url, sha256="0" * 64)
        assert exc.value.code == "asr.fetch_checksum"
        assert not list((tmp_path / "m").iterdir())
        result = fetch_model(
            "vosk-model-small-cn-0.22",
            tmp_path / "m",
            url=url,
            sha256=digest,
            progress=lambda done, total: seen.append((done, total)),
        )
    finally:
        server.shutdown()
        server.server_close()
    got = result.model
    assert result.sha256 == digest and result.url == url and result.mirror is None
    assert got.language == "zh" and is_vosk_model_dir(got.path)
    assert seen[-1] == (z.stat().st_size, z.stat().st_size)
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == ["vosk-model-small-cn-0.22"]


def test_a_whisper_model_setting_that_names_no_model_fails_clearly(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    for setting in ("empty", "no-such-dir"):
        s = Settings(models_dir=tmp_path, languages=("en",), whisper_model=setting)
        with pytest.raises(AsrError) as exc:
            load_engines(s)
        assert exc.value.code == "asr.model_missing"
        assert "no model.bin" in str(exc.value) and setting in str(exc.value)
    # pocketsphinx asked for: the Whisper setting is not consulted
    s = Settings(models_dir=tmp_path, languages=("en",), whisper_model="empty",
                 asr_engine_en="pocketsphinx")
    assert load_engines(s).languages["en"].engine == "pocketsphinx"


def test_a_whisper_model_in_models_dir_is_listed_not_taken_for_vosk(tmp_path: Path) -> None:
    models = tmp_path / "models"
    wh = models / "faster-whisper-small.en"
    wh.mkdir(parents=True)
    (wh / "model.bin").write_bytes(b"\0" * 10)
    fake_model(models, "vosk-model-small-en-us-0.15")
    listed = {m.name: m for m in list_models(models, packaged=False)}
    assert listed["faster-whisper-small.en"].engine == "whisper"
    assert listed["faster-whisper-small.en"].language == "en"
    assert listed["vosk-model-small-en-us-0.15"].engine == "vosk"
    assert resolve_vosk_model(models, "", "en") == listed["vosk-model-small-en-us-0.15"]
    # verify loads it with Whisper and reports the broken file instead of crashing
    assert verify_model(listed["faster-whisper-small.en"]) is not None
