"""Make the caller WAVs of the call fixtures in ``tests/fixtures/calls`` with espeak-ng.

Each fixture's ``call.json`` names its WAVs; this script holds what each WAV says and writes
them (16 kHz mono) with the speech fixtures' synthesizer::

    python scripts/make_call_fixtures.py            # write missing WAVs
    python scripts/make_call_fixtures.py --force    # rewrite all
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.make_fixtures import synth_wav  # noqa: E402

CALLS = ROOT / "tests" / "fixtures" / "calls"
SAMPLE = ROOT / "voicebot" / "replay" / "sample"
VOICE = "en-us+f2"
"""Caller voice: pocketsphinx recognizes it best among espeak-ng's English voices."""
SPEED = 165
VOICE_ZH = "cmn-latn-pinyin"
"""Mandarin caller voice (espeak-ng's ``cmn`` reads many characters as English)."""
SPEED_ZH = 160

CASE_12345 = "twenty twenty four civil first instance one two three four five"

SPEECH: dict[str, dict[str, str]] = {
    "en_progress_audio": {
        "01.wav": "i would like to check the progress of my case",
        "02.wav": CASE_12345,
        "03.wav": "yes",
        "05.wav": "no thank you goodbye",
    },
    "en_hearing_audio": {
        "01.wav": "when is my hearing",
        "02.wav": CASE_12345,
        "03.wav": "yes",
        "05.wav": "no thanks",
    },
    "en_panel_audio": {
        "01.wav": "who is the judge",
        "02.wav": CASE_12345,
        "03.wav": "yes",
        "05.wav": "goodbye",
    },
    "en_consultation_audio": {
        "01.wav": "how much are the court fees",
        "02.wav": "no thank you goodbye",
    },
    "en_operator_audio": {"01.wav": "i want to speak to an operator"},
    "en_barge_in_audio": {"01.wav": "operator"},
    "en_complaint_audio": {
        "01.wav": "i want to make a complaint",
        "02.wav": "my name is li ming my phone is one three eight and the clerk was rude to me",
        "03.wav": "no thank you goodbye",
    },
    "en_wrong_password_audio": {
        "01.wav": "i would like to check the progress of my case",
        "02.wav": CASE_12345,
        "03.wav": "yes",
    },
    "en_silence_audio": {},
    "en_contact_judge_audio": {
        "01.wav": "i want to contact the judge",
        "02.wav": CASE_12345,
        "03.wav": "yes",
        "04.wav": "four eight two nine one three",
        "05.wav": "please call me about moving the hearing date",
        "07.wav": "no thanks",
    },
    "en_corrected_number_audio": {
        "01.wav": "i would like to check the progress of my case",
        "02.wav": "twenty twenty four civil first instance one two three four six",
        "03.wav": "no it's one two three four five",
        "04.wav": "yes",
        "06.wav": "no thanks",
    },
    "zh_hearing_audio": {
        "01.wav": "我想查开庭时间",
        "05.wav": "对",
        "07.wav": "没有了谢谢",
    },
    "zh_operator_audio": {"01.wav": "转人工"},
}
"""Per fixture folder: WAV file name -> what the caller says."""

SAMPLE_SPEECH = SPEECH["en_progress_audio"]


def make(folder: Path, files: dict[str, str], force: bool) -> int:
    """Write the WAVs of one fixture; returns how many were written."""
    written = 0
    for name, text in files.items():
        out = folder / name
        if out.exists() and not force:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        zh = folder.name.startswith("zh_")
        synth_wav(text, out, voice=VOICE_ZH if zh else VOICE, speed=SPEED_ZH if zh else SPEED,
                  pad_s=0.2)
        written += 1
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--force", action="store_true", help="rewrite existing WAVs")
    args = parser.parse_args(argv)
    total = sum(make(CALLS / name, files, args.force) for name, files in SPEECH.items())
    total += make(SAMPLE, SAMPLE_SPEECH, args.force)
    print(f"{total} WAV file(s) written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
