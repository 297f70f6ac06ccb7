"""``voicebot nlu train`` and ``voicebot nlu parse`` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from voicebot.nlu.classifier import is_current
from voicebot.settings import Settings

pytestmark = pytest.mark.integration


def run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``voicebot ARGS`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "voicebot", *args], input=stdin, capture_output=True, text=True,
        env=env, timeout=300, check=False,
    )


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOICEBOT_")}
    env["VOICEBOT_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with a current model: the set-up's, or one `voicebot nlu train --quiet` makes."""
    configured = Settings.load().data_dir
    if all(is_current(configured / "nlu", lang) for lang in ("zh", "en")):
        return configured
    shared = tmp_path_factory.getbasetemp() / "nlu-data"  # trained by the unit tests' fixture
    if all(is_current(shared / "nlu", lang) for lang in ("zh", "en")):
        return shared
    target = tmp_path_factory.mktemp("nlu-cli-data")
    done = run(["nlu", "train", "--quiet"], _env(target))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert [line.split()[1] for line in lines] == ["zh:", "en:"]
    assert all("test accuracy" in line for line in lines)
    assert (target / "nlu" / "zh" / "config.cfg").exists()
    return target


def test_parse_one_utterance(data_dir: Path) -> None:
    done = run(["nlu", "parse", "--lang", "zh", "二零二四年京零一零五民初一二三四五号什么时候开庭"],
               _env(data_dir))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["intent"] == "hearing_time"
    assert result["case_number"] == "（2024）京0105民初12345号"
    assert result["partial_case_number"] is None
    assert {"confidence", "digits", "yes_no", "topic", "language_switch"} <= set(result)


def test_parse_stdin_lines_and_home_court(data_dir: Path) -> None:
    lines = ["twenty twenty four civil first instance one two three", "",
             "no, it's one two three four six", "goodbye"]
    done = run(["nlu", "parse", "--lang", "en", "-"], _env(data_dir, VOICEBOT_HOME_COURT="京0108"),
               stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(results) == 3
    first, second, third = results
    assert first["case_number"] == "（2024）京0108民初123号"
    assert first["partial_case_number"]["missing"] == ["court"]
    assert (second["yes_no"], second["digits"]) == (False, "12346")
    assert third["intent"] == "goodbye"


def test_partial_stays_partial_without_home_court(data_dir: Path) -> None:
    done = run(["nlu", "parse", "--lang", "zh", "民初一二三四五号"], _env(data_dir))
    result = json.loads(done.stdout)
    assert result["case_number"] is None
    assert result["partial_case_number"]["seq"] == 12345
    assert set(result["partial_case_number"]["missing"]) == {"year", "court"}


def test_parse_without_model_says_how_to_fix(tmp_path: Path) -> None:
    done = run(["nlu", "parse", "--lang", "zh", "你好"], _env(tmp_path))
    assert done.returncode != 0
    message = " ".join(done.stderr.split())
    assert "nlu.model_missing" in message and "voicebot nlu train" in message
