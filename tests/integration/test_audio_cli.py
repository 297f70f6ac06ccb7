"""``voicebot audio``, ``voicebot dtmf`` and ``voicebot tts say`` from the command line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from voicebot.audio.devices import list_devices
from voicebot.audio.wav import read_wav, wav_info
from voicebot.cli.main import app

pytestmark = pytest.mark.integration
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="no espeak-ng")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("VOICEBOT_DATA_DIR", str(tmp_path / "data"))
    return CliRunner()


def test_dtmf_detect_and_generate(runner: CliRunner, tmp_path: Path) -> None:
    done = runner.invoke(app, ["dtmf", "detect", str(FIXTURES / "dtmf_1590hs_8k_mulaw.wav")])
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == "1590#*"
    made = tmp_path / "keys.wav"
    done = runner.invoke(
        app,
        ["dtmf", "generate", "482913#", "--out", str(made), "--tone-ms", "40", "--gap-ms", "40"],
    )
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["dtmf", "detect", "--json", str(made)])
    result = json.loads(done.stdout)
    assert result["digits"] == "482913#" and len(result["keys"]) == 7


def test_dtmf_detect_on_a_bad_file_fails_clearly(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio")
    done = runner.invoke(app, ["dtmf", "detect", str(bad)])
    assert done.exit_code == 1
    assert "not a WAV file" in done.output and "Traceback" not in done.output


def test_audio_devices_never_shows_a_traceback(runner: CliRunner) -> None:
    done = runner.invoke(app, ["audio", "devices"])
    assert done.exit_code == 0, done.output
    if not list_devices():
        assert "no audio devices" in done.stdout
    done = runner.invoke(app, ["audio", "devices", "--audio-backend", "pyaudio"])
    if done.exit_code:
        assert "pip install 'voicebot[pyaudio]'" in " ".join(done.output.split())


def test_audio_info_and_convert(runner: CliRunner, tmp_path: Path) -> None:
    src = FIXTURES / "sine440_44k1_stereo.wav"
    done = runner.invoke(app, ["audio", "info", str(src)])
    assert "pcm 16-bit, 2 channel(s), 44100 Hz" in done.stdout
    dst = tmp_path / "mono.wav"
    done = runner.invoke(app, ["audio", "convert", str(src), str(dst), "--rate", "8000"])
    assert done.exit_code == 0, done.output
    info = wav_info(dst)
    assert (info.rate, info.channels, info.width) == (8000, 1, 2)


@needs_espeak
def test_tts_say_to_a_file_then_from_the_cache(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "hello.wav"
    args = [
        "tts",
        "say",
        "请问有什么可以帮您？",  # a fixed prompt: only those are cached
        "--lang",
        "zh",
        "--out",
        str(out),
        "--rate",
        "8000",
    ]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    audio = read_wav(out, rate=None)
    assert audio.rate == 8000 and audio.duration_ms > 1000
    second = runner.invoke(app, args)
    assert "(cache," in second.stdout
    assert read_wav(out, rate=None) == audio


@needs_espeak
def test_tts_say_without_a_speaker_explains(runner: CliRunner) -> None:
    done = runner.invoke(app, ["tts", "say", "hello", "--lang", "en"])
    if list_devices():
        pytest.skip("this machine has audio devices")
    assert done.exit_code == 1
    text = " ".join(done.output.split())
    assert "no output device" in text and "--out FILE.wav" in text
    done = runner.invoke(app, ["tts", "say", "hello", "--lang", "ko", "--out", "x.wav"])
    assert done.exit_code == 1 and "[tts.language]" in done.output
