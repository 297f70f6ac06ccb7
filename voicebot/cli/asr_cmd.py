"""``voicebot asr``: speech recognition on WAV files."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from voicebot.asr.digits import best_digits, words_to_digits
from voicebot.asr.engines import load_engines
from voicebot.asr.grammars import standard_grammar
from voicebot.asr.models import packaged_ko_model, resolve_vosk_model
from voicebot.asr.sphinx_engine import SphinxModel
from voicebot.asr.types import AsrError, AsrResult, AsrWord, Grammar, Recognizer
from voicebot.asr.vosk_engine import VoskModel
from voicebot.asr.wavin import read_pcm16
from voicebot.audio.segments import speech_segments
from voicebot.cli.common import err_console, fail, load_settings
from voicebot.settings import Settings

app = typer.Typer(no_args_is_help=True)


@dataclass(frozen=True)
class DigitReading:
    """A digit string of known length as the dialog takes it from one result."""

    digits: str | None
    """The first N-best reading with that many digits, or None."""
    doubtful: bool
    """The recognizer doubts its reading, or a lower reading than its best had to be taken."""


def dialog_digit_grammar(lang: str) -> Grammar:
    """The grammar the call line listens with for a password (``voicebot.call.grammars``)."""
    from voicebot.call.grammars import grammar_for

    gram = grammar_for("password", lang)
    if gram is None:
        raise AsrError(f"the line has no digit grammar for {lang!r}", "asr.grammar")
    return gram


def digit_reading(res: AsrResult, length: int, lang: str) -> DigitReading:
    """``best_digits`` with the length, and doubtful as the call's audio channel marks it."""
    found = best_digits(res, length, lang=lang)
    top = words_to_digits(res.text, lang) if res.text else None
    return DigitReading(found, res.doubtful or (found is not None and found != top))
out = Console(highlight=False, soft_wrap=True)


def _recognizer(settings: Settings, lang: str, engine: str | None) -> Recognizer:
    if engine is None:
        return load_engines(settings, [lang]).recognizer(lang)
    if engine == "pocketsphinx":
        if lang != "en":
            raise AsrError("pocketsphinx has a model for English only", "asr.settings")
        return SphinxModel().recognizer()
    if engine == "whisper":
        if lang != "en":
            raise AsrError("the Whisper engine is set up for English only", "asr.settings")
        from voicebot.asr.hybrid import HybridModel

        return HybridModel().recognizer()
    if engine == "vosk":
        setting = {"zh": settings.vosk_model_zh, "en": settings.vosk_model_en}.get(lang, "")
        found = resolve_vosk_model(settings.models_dir, setting, lang)
        if found is None and lang == "ko" and (ko := packaged_ko_model()) is not None:
            return VoskModel(ko, "ko").recognizer()
        if found is None:
            raise AsrError(
                f"no vosk model for {lang} in {settings.models_dir} (see: voicebot models list)",
                "asr.no_engine",
            )
        return VoskModel(found.path, lang, found.name).recognizer()
    raise AsrError(f"unknown engine {engine!r} (vosk, pocketsphinx, whisper)", "asr.settings")


SEGMENT_AFTER_S = 20.0
"""Free decoding of a longer recording goes segment by segment (``--segment`` auto)."""


def _decode(rec: Recognizer, pcm: bytes, chunk_ms: int) -> AsrResult:
    step = max(2, rec.sample_rate * chunk_ms // 1000 * 2)
    for i in range(0, len(pcm), step):
        rec.accept(pcm[i : i + step])
    return rec.finish()


def _decode_segments(rec: Recognizer, pcm: bytes, chunk_ms: int) -> AsrResult:
    """A long recording (a whole call) decoded pause by pause: one decoder window over many
    sentences drops most of them; the texts joined, word times shifted to the recording's."""
    texts: list[str] = []
    words: list[AsrWord] = []
    confs: list[float] = []
    for start, end in speech_segments(pcm, rec.sample_rate):
        res = _decode(rec, pcm[start:end], chunk_ms)
        if not res.text:
            continue
        offset = start / 2 / rec.sample_rate
        texts.append(res.text)
        confs.append(res.confidence)
        words.extend(replace(w, start_s=w.start_s + offset, end_s=w.end_s + offset)
                     for w in res.words)
    return AsrResult(text=" ".join(texts), is_final=True, words=tuple(words),
                     confidence=min(confs, default=0.0))


def _as_json(
    file: Path, res: AsrResult, audio_s: float, decode_s: float, extra: Mapping[str, object]
) -> str:
    return json.dumps(
        {
            "file": str(file),
            "text": res.text,
            "words": [
                {
                    "word": w.word,
                    "start": round(w.start_s, 3),
                    "end": round(w.end_s, 3),
                    "conf": round(w.conf, 3),
                }
                for w in res.words
            ],
            "confidence": round(res.confidence, 4),
            "alternatives": list(res.alternatives),
            "audio_s": round(audio_s, 3),
            "decode_s": round(decode_s, 4),
            "rtf": round(decode_s / audio_s, 4) if audio_s else None,
            **extra,
        },
        ensure_ascii=False,
    )


@app.command()
def transcribe(
    ctx: typer.Context,
    files: list[Path] = typer.Argument(..., help="WAV files (any rate, width, channels; G.711)."),
    lang: str = typer.Option("en", "--lang", help="en, zh or ko."),
    engine: str | None = typer.Option(
        None, "--engine", help="vosk, pocketsphinx or whisper (default: settings)."
    ),
    grammar: str | None = typer.Option(
        None, "--grammar", help="digits, yesno, or a file of phrases (one a line; #repeat)."
    ),
    digits: int | None = typer.Option(
        None, "--digits", min=1, max=32,
        help="A digit string of this length, read the way the dialog reads a password: its "
        "digit grammar, the first N-best reading of that length, doubtful if the recognizer "
        "doubts it or a lower reading had to be taken.",
    ),
    segment: bool | None = typer.Option(
        None, "--segment/--whole",
        help="Decode pause by pause (default: for free decoding of recordings over "
        f"{SEGMENT_AFTER_S:.0f} s, such as a whole call) or the file as one utterance.",
    ),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
    chunk_ms: int = typer.Option(100, "--chunk-ms", help="Streaming chunk size."),
) -> None:
    """Print the transcript of each file."""
    settings = load_settings(ctx)
    try:
        rec = _recognizer(settings, lang, engine)
        if digits is not None and grammar:
            raise AsrError("--digits sets the digit grammar: no --grammar", "asr.settings")
        gram: Grammar | None = (
            dialog_digit_grammar(lang) if digits is not None
            else standard_grammar(grammar, lang) if grammar else None
        )
        rec.set_grammar(gram)
    except AsrError as exc:
        fail(escape(f"{exc} [{exc.code}]"))
    failures = 0
    for file in files:
        try:
            pcm, audio_s = read_pcm16(file, rec.sample_rate)
            t0 = time.perf_counter()
            by_pause = segment if segment is not None else (
                gram is None and audio_s > SEGMENT_AFTER_S)
            res = (_decode_segments if by_pause else _decode)(rec, pcm, chunk_ms)
            decode_s = time.perf_counter() - t0
        except AsrError as exc:
            failures += 1
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
            if as_json:
                out.print(json.dumps({"file": str(file), "error": str(exc), "code": exc.code}),
                          markup=False)
            continue
        text = res.text
        if digits is not None:
            reading = digit_reading(res, digits, lang)
            text = (reading.digits or f"(no {digits}-digit reading: {res.text!r})") + (
                " (doubtful)" if reading.doubtful else "")
        if as_json:
            extra = ({"digits": reading.digits, "doubtful": reading.doubtful}
                     if digits is not None else {})
            out.print(_as_json(file, res, audio_s, decode_s, extra), markup=False)
        elif len(files) > 1:
            out.print(f"{file}: {text}")
        else:
            out.print(text)
    if failures:
        raise typer.Exit(1)
