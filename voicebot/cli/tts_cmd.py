"""``voicebot tts``: speak text through the line's synthesizer."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.wav import write_wav
from voicebot.cli.common import fail, load_settings
from voicebot.tts.engines import TtsError
from voicebot.tts.synth import Synthesizer, clear_cache

app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False, soft_wrap=True)


@app.callback()
def _tts() -> None:
    """Speech synthesis."""


def _play(audio: AudioChunk, backend: str, device: int | None) -> None:
    from voicebot.audio.devices import SpeakerSink, get_backend

    sink = SpeakerSink(get_backend(backend), audio.rate, device)
    try:
        asyncio.run(sink.play([audio]))
    finally:
        sink.close()


@app.command("say")
def say(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="What to say."),
    lang: str = typer.Option("zh", "--lang", help="zh or en."),
    out_file: Path | None = typer.Option(
        None, "--out", help="Write a WAV file instead of playing."
    ),
    rate: int | None = typer.Option(
        None, "--rate", help="Sample rate of the audio (default: settings)."
    ),
    engine: str = typer.Option("auto", "--engine", help="pyttsx3, espeak-ng or auto."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Do not use the prompt cache."),
    audio_backend: str | None = typer.Option(
        None, "--audio-backend", help="sounddevice or pyaudio."
    ),
    device: int | None = typer.Option(None, "--device", help="Output device number."),
) -> None:
    """Speak TEXT through the speaker, or into a WAV file with --out."""
    settings = load_settings(ctx)
    synth = Synthesizer.from_settings(settings, output_rate=rate, engine=engine, cache=not no_cache)
    started = time.perf_counter()
    try:
        audio = synth.synthesize(text, lang)
    except TtsError as exc:
        fail(escape(f"{exc} [{exc.code}]"))
    took_ms = 1000 * (time.perf_counter() - started)
    source = "cache" if synth.cache_hits else synth.engine_for(lang)
    if out_file is not None:
        write_wav(out_file, audio)
        out.print(
            f"wrote {out_file}: {audio.duration_ms / 1000:.2f} s at {audio.rate} Hz "
            f"({source}, {took_ms:.0f} ms)"
        )
        return
    try:
        _play(audio, audio_backend or settings.audio_backend, device)
    except AudioError as exc:
        fail(escape(f"{exc}; use --out FILE.wav to write the audio to a file instead"))


@app.command("clear-cache")
def clear(ctx: typer.Context) -> None:
    """Delete the cached prompts."""
    settings = load_settings(ctx)
    removed = clear_cache(settings.tts_cache_dir) if settings.tts_cache_dir.exists() else 0
    out.print(f"removed {removed} cached prompt(s) from {settings.tts_cache_dir}")
