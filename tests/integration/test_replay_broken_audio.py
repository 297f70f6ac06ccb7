"""``voicebot replay`` and ``voicebot asr transcribe`` on broken or degenerate audio: a clear
error and a non-zero exit, never a pass or an empty transcript."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voicebot.call.setup import ensure_demo
from voicebot.settings import Settings

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
CALLS = ROOT / "tests" / "fixtures" / "calls"


def _wav(data: bytes, *, rate: int = 16000, width: int = 2, tag: int = 1,
         declared: int | None = None) -> bytes:
    size = len(data) if declared is None else declared
    fmt = struct.pack("<HHIIHH", tag, 1, rate, rate * width, width, width * 8)
    return (b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE" + b"fmt " + struct.pack("<I", 16)
            + fmt + b"data" + struct.pack("<I", size) + data)


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voicebot", *args], capture_output=True,
                          text=True, env={**os.environ, **env}, timeout=300, check=False)


def test_replay_reports_a_broken_turn_wav_as_a_fixture_error(tmp_path: Path) -> None:
    (tmp_path / "nlu").symlink_to(Settings.load().nlu_model_dir.resolve())
    settings = Settings.load().replace(data_dir=tmp_path,
                                       database_url=f"sqlite:///{tmp_path}/s.db")
    ensure_demo(settings, 20)
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "01.wav").write_bytes(_wav(b"\x00\x01" * 4000, rate=1))
    (broken / "call.json").write_text(json.dumps({"language": "zh", "turns": ["01.wav"]}),
                                      encoding="utf-8")
    env = {"VOICEBOT_DATA_DIR": str(tmp_path), "VOICEBOT_DATABASE_URL": settings.database_url}
    proc = _run(["replay", str(CALLS / "zh_consultation_fees_text"), str(broken)], env)
    assert proc.returncode == 1, proc.stderr
    lines = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [x["passed"] for x in lines] == [True]  # the broken call never "passes"
    assert "unreadable audio (audio.bad_rate)" in proc.stderr
    assert "1 unreadable" in proc.stderr and "Traceback" not in proc.stderr


def test_transcribe_refuses_degenerate_audio(tmp_path: Path) -> None:
    files = {
        "one_sample.wav": (_wav(b"\x10\x00"), "audio.too_short"),
        "three_bytes.wav": (_wav(b"\x10\x00\x20"), "audio.partial_frame"),
        "truncated.wav": (_wav(b"\x10\x00" * 8000, declared=64000), "audio.truncated"),
        "nan.wav": (_wav(np.full(8000, np.nan, "<f4").tobytes(), width=4, tag=3),
                    "audio.bad_samples"),
        "inf.wav": (_wav(np.full(8000, np.inf, "<f4").tobytes(), width=4, tag=3),
                    "audio.bad_samples"),
    }
    for name, (blob, _code) in files.items():
        (tmp_path / name).write_bytes(blob)
    proc = _run(["asr", "transcribe", *(str(tmp_path / n) for n in files), "--lang", "en",
                 "--engine", "pocketsphinx", "--json"], {"VOICEBOT_MODELS_DIR": str(tmp_path)})
    assert proc.returncode == 1, proc.stderr
    out = [json.loads(x) for x in proc.stdout.splitlines()]
    assert [o["file"] for o in out] == [str(tmp_path / n) for n in files]
    for o, (_blob, code) in zip(out, files.values(), strict=True):
        assert "text" not in o and o["code"] == "asr.bad_audio" and code in o["error"], o
