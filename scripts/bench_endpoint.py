"""Cut-offs of callers who pause inside a number, with the end of turn that knows its length.

A six-digit password is built from real human digits (FSDD, ``../shared/speech/fsdd``, 8 kHz,
all its speakers), one speaker per string, the digits joined by 120-350 ms gaps; in half of
the strings the caller also stops for 400-650 ms somewhere inside ("four eight two ... nine
one three"): longer than ``speculate_ms`` and the digit hold, shorter than ``silence_ms``.
Each string is heard at real time (four callers at once) by the line's real listening path
(``AudioChannel.hear``: endpointer, early final, :mod:`voicebot.call.turn_end`, the English
recognizer) at the password prompt.

A turn is cut off when the line ends it while the string is still being spoken (the replay
port still holds audio of it). Prints the cut-off rate (target: at most 2%), how many turns
ended early at their hold, and exact strings.

    python scripts/bench_endpoint.py [--strings 120] [--seed 7] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voicebot.asr.digits import words_to_digits  # noqa: E402
from voicebot.audio.wav import read_wav  # noqa: E402
from voicebot.call.audio_channel import AudioChannel  # noqa: E402
from voicebot.call.line import Line  # noqa: E402
from voicebot.call.listening import listen_spec  # noqa: E402
from voicebot.call.setup import endpointer_factory, ensure_demo, load_line  # noqa: E402
from voicebot.dialog.actions import Listen  # noqa: E402
from voicebot.dialog.kinds import Expect  # noqa: E402
from voicebot.nlu.classifier import is_current  # noqa: E402
from voicebot.nlu.training import ensure_trained  # noqa: E402
from voicebot.settings import Settings  # noqa: E402
from voicebot.transport.media import CallInfo, TransportKind  # noqa: E402
from voicebot.transport.scripted import ScriptedPort, speech_end_ms  # noqa: E402

RATE = 16000


def digit_clips(fsdd: Path) -> dict[str, dict[str, list[Path]]]:
    """speaker -> digit -> recordings."""
    out: dict[str, dict[str, list[Path]]] = {}
    for wav in sorted(fsdd.glob("*.wav")):
        digit, speaker, _ = wav.stem.split("_")
        out.setdefault(speaker, {}).setdefault(digit, []).append(wav)
    return out


def silence(ms: int) -> bytes:
    return bytes(RATE * ms // 1000 * 2)


def build(clips: dict[str, list[Path]], rng: random.Random, pause: bool
          ) -> tuple[str, bytes, int | None]:
    """A six-digit string of one speaker: its digits, audio, and where the long pause is."""
    digits = "".join(rng.choice("0123456789") for _ in range(6))
    at = rng.randint(1, 5) if pause else None
    audio = bytearray(silence(300))
    for i, d in enumerate(digits):
        if i:
            audio += silence(rng.randint(400, 650) if i == at else rng.randint(120, 350))
        audio += read_wav(rng.choice(clips[d]), rate=RATE).audio
    return digits, bytes(audio + silence(1500)), at


def prepare(data: Path) -> Line:
    """The line's engines on a demo store in ``data``."""
    base = Settings.load()
    model = base.nlu_model_dir.resolve()
    if not all(is_current(model, lang) for lang in ("zh", "en")):
        ensure_trained(model)
    (data / "nlu").symlink_to(model)
    settings = base.replace(data_dir=data, database_url=f"sqlite:///{data}/bench.db")
    ensure_demo(settings, 20)
    return load_line(settings, speech=True)


async def hear_one(line: Line, audio: bytes) -> tuple[str, bool, bool]:
    """(digits heard, cut off, ended early at the hold)."""
    port = ScriptedPort(CallInfo("bench", transport=TransportKind.REPLAY), RATE, realtime=True)
    chan = AudioChannel.on_port(line, port, endpointer_factory(line.settings))
    port.say_turn(audio, "digits")
    heard = await chan.hear(listen_spec(Listen(Expect.PASSWORD, "en", 6)))
    cut = speech_end_ms(port.pending, RATE) is not None  # speech of the string still to come
    await port.hang_up()
    await chan.close()
    return (words_to_digits(heard.text, "en") or ""), cut, bool(heard.timings.get("end_early"))


async def hear_all(line: Line, audios: list[bytes], at_once: int
                   ) -> list[tuple[str, bool, bool]]:
    """Each string heard at real time, ``at_once`` callers at a time."""
    gate = asyncio.Semaphore(at_once)

    async def one(audio: bytes) -> tuple[str, bool, bool]:
        async with gate:
            return await hear_one(line, audio)

    return list(await asyncio.gather(*(one(a) for a in audios)))


def main(argv: list[str] | None = None) -> int:
    """Command line entry."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strings", type=int, default=120)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--at-once", type=int, default=4, help="callers heard at once")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args(argv)
    fsdd = args.shared / "speech" / "fsdd"
    if not fsdd.is_dir():
        print(f"no FSDD recordings at {fsdd}")
        return 2
    speakers = digit_clips(fsdd)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        line = prepare(Path(tmp))
        print(f"silence_ms={line.settings.silence_ms} speculate_ms={line.settings.speculate_ms} "
              f"end_digits_ms={line.settings.end_digits_ms}; {len(speakers)} FSDD speakers")
        strings = [(sorted(speakers)[i % len(speakers)], i % 2 == 1)
                   for i in range(args.strings)]
        built = [(who, *build(speakers[who], rng, pause)) for who, pause in strings]
        t0 = time.perf_counter()
        heard = asyncio.run(hear_all(line, [audio for _, _, audio, _ in built], args.at_once))
        wall = time.perf_counter() - t0
        rows = [(who, at is not None, cut, early, got == digits)
                for (who, digits, _, at), (got, cut, early) in zip(built, heard, strict=True)]
    for label, sel in (("all strings", rows), ("with a pause inside", [r for r in rows if r[1]]),
                       ("without", [r for r in rows if not r[1]])):
        n = len(sel) or 1
        cuts = sum(r[2] for r in sel)
        print(f"{label:<20} {len(sel):4d}  cut off {cuts:3d} ({100 * cuts / n:4.1f}%)  "
              f"ended at the hold {sum(r[3] for r in sel):3d}  exact {sum(r[4] for r in sel):3d}")
    cut_all = sum(r[2] for r in rows) / (len(rows) or 1)
    print(f"{wall:.0f} s; target: at most 2% cut off: {'met' if cut_all <= 0.02 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
