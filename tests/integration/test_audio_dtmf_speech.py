"""No keypad digits are heard in real synthesized speech (espeak-ng), in both languages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from voicebot.audio.dtmf import detect_dtmf, detect_dtmf_file, generate_dtmf
from voicebot.audio.wav import iter_wav, read_wav

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

SPEECH = [
    ("en-us", 150, 50, "one two three four five six seven eight nine zero, pound, star, yes, no."),
    ("en-gb", 190, 80, "Hello, I would like to check the progress of my case, number twelve."),
    ("en-us+f3", 120, 99, "Eeeeeeee, ooooooooh, mmmmmmm, aaaaaaaah, please hold the line."),
    (
        "cmn-latn-pinyin",
        165,
        50,
        "您好，这里是一二三六八诉讼服务热线。我想查询案件进度，零一二三四五六七八九。",
    ),
    ("cmn-latn-pinyin", 120, 90, "是的，不是，转人工，投诉法官，谢谢。"),
    # very high voices whose sparse harmonics come closest to keypad tones
    ("en-us+m3", 175, 99, "One two three, Mmmm. Aaaaah! Eeeeee! Ooooooh! 您好，嗯嗯嗯，啊啊啊"),
    ("de", 175, 99, "One two three, Mmmm. Aaaaah! Eeeeee! Ooooooh! 您好，嗯嗯嗯，啊啊啊"),
    ("cmn-latn-pinyin+f4", 175, 80, "您好，我想查询案件进度，零一二三四五六七八九，嗯嗯嗯，啊啊啊"),
]


def espeak(tmp: Path, voice: str, rate: int, pitch: int, text: str) -> Path:
    path = tmp / f"{voice}-{rate}-{pitch}.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(rate), "-p", str(pitch), "-w", str(path), text],
        check=True,
        capture_output=True,
    )
    return path


@pytest.mark.parametrize(("voice", "rate", "pitch", "text"), SPEECH)
def test_speech_gives_no_digits(
    tmp_path: Path, voice: str, rate: int, pitch: int, text: str
) -> None:
    path = espeak(tmp_path, voice, rate, pitch, text)
    assert read_wav(path).duration_ms > 1500
    assert detect_dtmf_file(path, rate=8000) == ""
    assert detect_dtmf_file(path, rate=16000) == ""


def test_keys_pressed_after_speech_are_heard(tmp_path: Path) -> None:
    path = espeak(tmp_path, "en-us", 170, 50, "please key in your case number, then the hash key")
    speech = list(iter_wav(path, chunk_ms=20, rate=8000))
    keys = generate_dtmf("20240105#", 8000, tone_ms=45, gap_ms=45)
    assert detect_dtmf([*speech, keys]) == "20240105#"
