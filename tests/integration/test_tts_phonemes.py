"""Spoken forms checked on what espeak-ng will actually say (its phonemes, ``espeak-ng -x``)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from voicebot.settings import DEFAULT_SETTINGS
from voicebot.tts.speakable import speakable

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]
VOICE = DEFAULT_SETTINGS.tts_fallback_voice_zh  # the espeak-ng Mandarin voice


def phonemes(text: str) -> list[str]:
    done = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", VOICE, "--stdin"],
        input=text.encode(),
        capture_output=True,
        check=True,
    )
    marks = str.maketrans("", "", "',_ \n")  # stress marks and pauses: compare the sounds
    return [p for p in (x.translate(marks) for x in done.stdout.decode().split("|")) if p]


def said(written: str) -> list[str]:
    return phonemes(" ".join(s.text for s in speakable(written, "zh")))


def test_a_hearing_time_is_read_as_nine_in_the_morning_not_nine_zero_zero() -> None:
    written = "2026年12月2日9:00"
    assert said(written) == phonemes("二零二六年十二月二日上午九点")
    assert said(written) != phonemes(written)  # espeak on its own reads it wrong
    ling = phonemes("零")[0]
    assert ling not in said("9:00")  # no 零零 for the minutes


def test_one_in_a_phone_number_is_yao_and_groups_are_pauses() -> None:
    yao, yi = phonemes("幺")[0], phonemes("一")[0]
    got = said("请拨13812345678")
    assert got.count(yao) == 2 and yi not in got
    plain = phonemes("请拨13812345678")
    assert yao not in plain
