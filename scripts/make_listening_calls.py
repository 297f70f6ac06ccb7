"""Write 20 English audio call fixtures in new espeak-ng voices and wordings (issue 12's "3 of
20 English audio calls" kind of set) into a folder outside the checkout, for `voicebot replay`::

    python scripts/make_listening_calls.py /tmp/listening-calls
    voicebot replay /tmp/listening-calls

Voices: neither the call fixtures' (en-us+f2) nor the ASR benches'; conditions rotate clean /
noise (babble 10 dB) / phone (8 kHz mu-law + noise 20 dB). The password is keyed, as the line
asks a spoken password to be keyed when it is doubtful: these calls judge the open prompts.

The fixtures ``tests/fixtures/calls/en_open_progress_audio`` and ``en_open_operator_audio`` are
calls 00 and 18 of this set (both failed before open prompts; ``make_call_fixtures.py`` leaves
them alone).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from asr_bench_sets import NOISE_SNR_DB  # noqa: E402
from asr_prompt_sets import PROMPT_VOICES  # noqa: E402
from make_fixtures import synth_wav  # noqa: E402

CASE = "（2024）京0105民初12345号"
CASE_SAID = ("twenty twenty four civil first instance one two three four five",
             "case number twenty twenty four civil first instance one two three four five",
             "it's twenty twenty four civil first instance number one two three four five")
REQUESTS = (
    ("case_progress", "i would like to know the progress of my case", ["hearing"]),
    ("case_progress", "what is going on with my lawsuit", ["hearing"]),
    ("case_progress", "i want to see how far my case has got", ["hearing"]),
    ("hearing_time", "could you tell me when my court date is", ["Courtroom"]),
    ("hearing_time", "when do i have to come to court", ["Courtroom"]),
    ("case_panel", "which judge is handling my case", ["Zhang Wei"]),
    ("case_panel", "who are the judges in my case", ["Zhang Wei"]),
)
YES = ("yes please", "that's right", "correct", "yeah", "yes that is correct")
BYE = ("no thanks goodbye", "nope that's all", "no thank you", "that's everything bye")
OTHERS = (
    ("operator", "can i talk to somebody please", "handoff", ["You are number"]),
    ("operator", "i want to speak to a real person", "handoff", ["You are number"]),
    ("consultation", "how much does it cost to file a lawsuit", "answered", ["fee"]),
)


def calls() -> list[dict[str, object]]:
    """20 calls: 14 case enquiries (request, case number, yes, keyed password, goodbye), then
    operator and consultation requests."""
    out: list[dict[str, object]] = []
    for i in range(14):
        intent, text, say = REQUESTS[i % len(REQUESTS)]
        out.append({"intent": intent, "outcome": "answered", "say": say, "case": CASE,
                    "said": [text, CASE_SAID[i % 3], YES[i % len(YES)], None,
                             BYE[i % len(BYE)]]})
    for i in range(6):
        intent, text, outcome, say = OTHERS[i % len(OTHERS)]
        said: list[str | None] = [text] + ([BYE[i % len(BYE)]] if intent == "consultation"
                                           else [])
        out.append({"intent": intent, "outcome": outcome, "say": say, "said": said})
    return out


def main() -> int:
    """Write the fixtures."""
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    conds = ("clean", "noise", "tel")
    for n, call in enumerate(calls()):
        cond = conds[n % 3]
        voice = PROMPT_VOICES[n % len(PROMPT_VOICES)]
        folder = args.out / f"en_{n:02d}_{cond}_{call['intent']}"
        folder.mkdir(parents=True, exist_ok=True)
        turns: list[object] = []
        for t, text in enumerate(call["said"]):  # type: ignore[arg-type]
            if text is None:  # the password, keyed; then "#" twice for the long answer's pages
                turns += [{"dtmf": "482913#"}, {"dtmf": "#"}, {"dtmf": "#"}]
                continue
            name = f"{t + 1:02d}.wav"
            synth_wav(text, folder / name, voice=voice, speed=150 + 5 * (n % 4),
                      pitch=40 + 3 * n % 30, noise_snr_db=NOISE_SNR_DB[cond],
                      telephone=cond == "tel", seed=100 + 10 * n + t)
            turns.append(name)
        expect: dict[str, object] = {"intent": call["intent"], "outcome": call["outcome"],
                                     "say": call["say"]}
        if "case" in call:
            expect["case_number"] = call["case"]
        (folder / "call.json").write_text(json.dumps(
            {"language": "en", "at": "2026-03-03T10:15:00+08:00", "caller_id": "13800000001",
             "turns": turns, "expect": expect}, ensure_ascii=False, indent=1) + "\n",
            encoding="utf-8")
    print(f"{len(calls())} calls in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
