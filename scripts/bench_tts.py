"""Compare the synthesis engines: speed, and whether each render has the asked voice and rate.

    .venv/bin/python scripts/bench_tts.py [--renders 600]

The espeak-ng program is the reference (its output is deterministic); a pyttsx3 render counts as
right when its length is within 2% of the program's for the same text, voice and rate.
"""

from __future__ import annotations

import argparse
import collections
import time

from voicebot.tts.engines import EspeakCliEngine, Pyttsx3Engine, TtsError

PROMPTS = [
    ("您好，这里是一二三六八诉讼服务热线。", "cmn-latn-pinyin"),
    ("Hello, this is the court service line.", "en-us"),
    ("第3号", "cmn-latn-pinyin"),
    ("number 7", "en-us"),
    ("Please say your case number after the tone.", "en-us"),
]
RATES = (165, 110, 240)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--renders", type=int, default=600)
    args = parser.parse_args()
    program = EspeakCliEngine()
    reference = {(t, v, r): program.render(t, v, r) for t, v in PROMPTS for r in RATES}
    for engine in (program, Pyttsx3Engine()):
        stats: collections.Counter[str] = collections.Counter()
        started = time.perf_counter()
        for i in range(args.renders):
            text, voice = PROMPTS[i % len(PROMPTS)]
            rate = RATES[(i // len(PROMPTS)) % len(RATES)]
            try:
                audio = engine.render(text, voice, rate)
            except TtsError as exc:
                stats[exc.code] += 1
                continue
            ref = reference[(text, voice, rate)]
            if audio.audio == ref.audio:
                stats["identical"] += 1
            elif abs(audio.samples - ref.samples) <= 0.02 * ref.samples:
                stats["right length"] += 1
            else:
                stats["wrong length"] += 1
        ms = 1000 * (time.perf_counter() - started) / args.renders
        print(f"{engine.name:10s} {ms:6.1f} ms/render  {dict(stats)}")


if __name__ == "__main__":
    main()
