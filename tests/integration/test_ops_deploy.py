"""The production kit: the systemd units' commands run from another working folder, the env
file holds only real settings, and the Containerfile runs only commands that exist."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from voicebot.settings import Settings, default_home

pytestmark = pytest.mark.integration
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INSTALLED = "/opt/voicebot/.venv/bin/voicebot"
VOICEBOT = str(Path(sys.executable).parent / "voicebot")


def _unit(name: str) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser["Service"]


def _env_file() -> dict[str, str]:
    pairs = {}
    for line in (DEPLOY / "voicebot.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key.strip()] = value.strip()
    return pairs


def _argv(command: str) -> list[str]:
    argv = shlex.split(command)
    assert argv[0] == INSTALLED, command
    return [VOICEBOT, *argv[1:]]


def _service_env(tmp_path: Path) -> dict[str, str]:
    """The env file with this machine's folders, no other VOICEBOT_* variable and no PWD hint."""
    data = tmp_path / "var-lib-voicebot"
    shutil.copytree(default_home() / "data" / "nlu", data / "nlu")  # trained by make setup
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICEBOT_")}
    env.update(_env_file())
    env.update(VOICEBOT_DATA_DIR=str(data), VOICEBOT_DATABASE_URL=f"sqlite:///{data}/vb.db")
    env.pop("VOICEBOT_MODELS_DIR")  # the default: the checkout's models/, wherever we run
    return env


def test_env_file_names_only_settings() -> None:
    settings = Settings.load(env=_env_file())
    assert settings.data_dir == Path("/var/lib/voicebot")
    assert all(Path(v).is_absolute() for k, v in _env_file().items() if k.endswith("_DIR"))


def test_units_run_from_another_working_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = _service_env(tmp_path)
    run = {"cwd": elsewhere, "env": env, "capture_output": True, "text": True, "timeout": 300}
    console, line = _unit("voicebot-console.service"), _unit("voicebot-line.service")
    for unit in (console, line):
        assert unit["User"] == "voicebot"
        assert unit["EnvironmentFile"] == "/etc/voicebot/voicebot.env"
        pre = subprocess.run(_argv(unit["ExecStartPre"]), **run)  # type: ignore[call-overload]
        assert pre.returncode == 0, pre.stderr
    listed = subprocess.run([VOICEBOT, "models", "list"], **run)  # type: ignore[call-overload]
    assert "vosk-model-small-cn" in listed.stdout, listed.stdout + listed.stderr
    demo = subprocess.run([VOICEBOT, "db", "demo", "--cases", "20"], **run)  # type: ignore[call-overload]
    assert demo.returncode == 0, demo.stderr

    call = subprocess.run([*_argv(line["ExecStart"]), "--text"], input="",
                          **run)  # type: ignore[call-overload]
    assert call.returncode == 0, call.stderr
    assert re.search(r"call \d+:", call.stderr), call.stderr

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    argv = _argv(console["ExecStart"])
    argv[argv.index("--port") + 1] = str(port)
    proc = subprocess.Popen(argv, cwd=elsewhere, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline, "console did not start"
                time.sleep(0.3)
        assert health.status_code == 200
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=30)
        assert ready.status_code == 200, ready.text  # the Mandarin model was found from elsewhere
        assert httpx.get(f"http://127.0.0.1:{port}/login?next=x", timeout=5).status_code == 200
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
    stamped = [ln for ln in out.splitlines() if re.match(r"\d{4}-\d\d-\d\dT[\d:.]+Z [A-Z]+ ", ln)]
    assert any("GET /login 200" in ln or '"GET /login' in ln for ln in stamped), out
    assert not any("/healthz" in ln or "/readyz" in ln or "next=x" in ln for ln in out.splitlines())


def _instructions() -> list[tuple[str, str]]:
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def test_containerfile_runs_only_what_exists() -> None:
    steps = _instructions()
    assert steps[0][0] == "FROM"
    root = DEPLOY.parent
    for word, rest in steps:
        if word == "COPY":
            for src in shlex.split(rest)[:-1]:
                assert (root / src).exists(), src
        if word == "ENV":
            pairs = dict(p.split("=", 1) for p in shlex.split(rest))
            Settings.load(env={k: v for k, v in pairs.items() if k.startswith("VOICEBOT_")})
    runs = " && ".join(rest for word, rest in steps if word == "RUN")
    commands = [shlex.split(c) for c in re.split(r"&&", runs)]
    packages = next(c for c in commands if "install" in c and "apt-get" in c)
    for pkg in [p for p in packages[packages.index("install") + 1:] if not p.startswith("-")]:
        assert subprocess.run(["apt-cache", "show", pkg], capture_output=True).returncode == 0, pkg
    entry = next(rest for word, rest in steps if word == "ENTRYPOINT")
    cmd = next(rest for word, rest in steps if word == "CMD")
    voicebot_runs = [c[1:] for c in commands if c[0] == "voicebot"]
    voicebot_runs.append(json.loads(cmd))
    assert json.loads(entry) == ["voicebot"]
    for args in voicebot_runs:
        words = [a for a in args if not a.startswith("-")]
        sub = words[:2] if words[0] in ("models", "nlu", "db") else words[:1]
        helped = subprocess.run([VOICEBOT, *sub, "--help"], capture_output=True, text=True,
                                env={**os.environ, "COLUMNS": "200"})
        assert helped.returncode == 0, (sub, helped.stderr)
        for option in (a for a in args if a.startswith("--")):
            assert option in helped.stdout, (sub, option)
