"""``voicebot audio`` (devices, WAV files) and ``voicebot dtmf`` (keypad tones)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from voicebot.audio.chunk import AudioError
from voicebot.audio.devices import BACKENDS, list_devices
from voicebot.audio.dtmf import DtmfDetector, generate_dtmf
from voicebot.audio.wav import iter_wav, wav_info, write_wav
from voicebot.cli.common import fail, load_settings

app = typer.Typer(no_args_is_help=True)
dtmf_app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)

BACKEND_OPTION = typer.Option(
    None,
    "--audio-backend",
    help=f"Audio device library: {' or '.join(BACKENDS)} (default: settings).",
)


@app.command("devices")
def devices(ctx: typer.Context, audio_backend: str | None = BACKEND_OPTION) -> None:
    """List microphones and speakers."""
    settings = load_settings(ctx)
    backend = audio_backend or settings.audio_backend
    try:
        found = list_devices(backend)
    except AudioError as exc:
        fail(escape(str(exc)))
    if not found:
        out.print(f"no audio devices ({backend}): this machine has no sound hardware.")
        out.print("Calls still work with `voicebot call --text` and WAV files (`voicebot replay`).")
        return
    table = Table("#", "name", "in", "out", "rate", "default", title=f"audio devices ({backend})")
    for d in found:
        default = " ".join(
            k for k, on in (("in", d.default_input), ("out", d.default_output)) if on
        )
        table.add_row(
            str(d.index), d.name, str(d.inputs), str(d.outputs), str(d.default_rate), default
        )
    out.print(table)


@app.command("info")
def info(files: list[Path] = typer.Argument(..., help="WAV files.")) -> None:
    """Show the format of WAV files (or why they cannot be used)."""
    bad = 0
    for file in files:
        try:
            i = wav_info(file)
        except AudioError as exc:
            out.print(f"{file}: [red]{exc.code}[/]: {escape(str(exc))}")
            bad += 1
            continue
        out.print(
            f"{file}: {i.encoding} {i.width * 8}-bit, {i.channels} channel(s), {i.rate} Hz, "
            f"{i.duration_s:.2f} s"
        )
    if bad:
        raise typer.Exit(1)


@app.command("convert")
def convert_cmd(
    src: Path = typer.Argument(..., help="Any supported WAV file."),
    dst: Path = typer.Argument(..., help="16-bit mono WAV to write."),
    rate: int = typer.Option(16000, "--rate", help="Sample rate of the output."),
) -> None:
    """Convert a WAV file to 16-bit mono at one rate (as the line does where audio enters)."""
    try:
        write_wav(dst, iter_wav(src, chunk_ms=1000, rate=rate), rate=rate)
    except AudioError as exc:
        fail(escape(str(exc)))
    out.print(f"wrote {dst}")


@dtmf_app.command("detect")
def detect(
    files: list[Path] = typer.Argument(..., help="WAV files (any rate or coding)."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file, with times."),
) -> None:
    """Print the keypad digits heard in each file."""
    failed = False
    for file in files:
        try:
            detector = DtmfDetector(8000)
            found = [
                d for chunk in iter_wav(file, chunk_ms=200, rate=8000) for d in detector.feed(chunk)
            ]
        except AudioError as exc:
            failed = True
            out.print(escape(f"{file}: error: {exc}" if len(files) > 1 else f"error: {exc}"))
            continue
        digits = "".join(d.digit for d in found)
        if as_json:
            keys = [{"digit": d.digit, "start_ms": d.start_ms} for d in found]
            out.print(json.dumps({"file": str(file), "digits": digits, "keys": keys}))
        elif len(files) > 1:
            out.print(f"{file}: {digits}")
        else:
            out.print(digits)
    if failed:
        raise typer.Exit(1)


@dtmf_app.command("generate")
def generate(
    digits: str = typer.Argument(..., help="Keys to sound, e.g. 482913#."),
    out_file: Path = typer.Option(..., "--out", help="WAV file to write."),
    rate: int = typer.Option(8000, "--rate"),
    tone_ms: int = typer.Option(100, "--tone-ms"),
    gap_ms: int = typer.Option(100, "--gap-ms"),
) -> None:
    """Write keypad tones to a WAV file (for tests and fixtures)."""
    try:
        write_wav(out_file, generate_dtmf(digits, rate, tone_ms, gap_ms))
    except AudioError as exc:
        fail(escape(str(exc)))
    out.print(f"wrote {out_file}")
