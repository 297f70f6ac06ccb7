"""``voicebot replay --out DIR``: each call's line audio (per turn and whole) and its report.

Layout: ``DIR/NN-name/turn-00.wav`` (the greeting), ``turn-01.wav``..., ``call.wav`` (the bot's
side of the whole call) and ``report.json``; ``DIR/replay.json`` holds every call's report.
Calls that ran the audio path keep what the line actually played (a prompt cut by a barge-in is
cut); typed calls have no audio path, so their prompts are synthesized afterwards with the
line's synthesizer (the audio the line would have played).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.wav import write_wav
from voicebot.call.line import Speaks
from voicebot.replay.replay import ReplayResult


def turn_audio(result: ReplayResult, speak: Speaks | None, rate: int) -> list[bytes]:
    """The bot's audio of each turn of ``result.call.turns`` (16-bit mono PCM at ``rate``)."""
    count = len(result.call.turns)
    if result.bot_audio:
        chunks = result.bot_audio
        bounds = [*[0, *(h.audio_mark for h in result.heard)][:count], len(chunks)]
        bounds += [len(chunks)] * (count + 1 - len(bounds))
        return [b"".join(c.audio for c in chunks[bounds[i]:bounds[i + 1]]) for i in range(count)]
    pieces: list[list[bytes]] = [[] for _ in range(count)]
    if speak is not None:
        for said in result.said:
            if 0 <= said.turn < count and said.text:
                pieces[said.turn].append(speak.synthesize(said.text, said.language).audio)
    return [b"".join(p) for p in pieces]


def write_call(folder: Path, result: ReplayResult, speak: Speaks | None, rate: int) -> Path:
    """Write one call's WAVs and ``report.json`` into ``folder``; returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    audio = turn_audio(result, speak, rate)
    files: list[str | None] = []
    for i, pcm in enumerate(audio):
        if not pcm:
            files.append(None)
            continue
        name = f"turn-{i:02d}.wav"
        write_wav(folder / name, AudioChunk(pcm, rate, 2, 1))
        files.append(name)
    whole = b"".join(audio)
    report = result.to_json()
    if whole:
        write_wav(folder / "call.wav", AudioChunk(whole, rate, 2, 1))
        report["audio"] = "call.wav"
    turns = report.get("turns")
    if isinstance(turns, list):
        for turn, wav in zip(turns, files, strict=False):
            if wav is not None and isinstance(turn, dict):
                turn["audio"] = wav
    (folder / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                                        encoding="utf-8")
    return folder


def write_out(out: Path, results: Sequence[ReplayResult], speak: Speaks | None,
              rate: int) -> list[Path]:
    """Every call under ``out`` (``NN-name`` folders) and ``out/replay.json``."""
    out.mkdir(parents=True, exist_ok=True)
    folders: list[Path] = []
    reports: list[object] = []
    for n, result in enumerate(results, 1):
        folder = write_call(out / f"{n:02d}-{Path(result.fixture.name).name}", result, speak,
                            rate)
        folders.append(folder)
        reports.append(json.loads((folder / "report.json").read_text(encoding="utf-8")))
    (out / "replay.json").write_text(json.dumps(reports, ensure_ascii=False, indent=1) + "\n",
                                     encoding="utf-8")
    return folders
