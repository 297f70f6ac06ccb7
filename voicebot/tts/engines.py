"""Speech engines: pyttsx3 (espeak-ng driver) and the ``espeak-ng`` program, as a fallback.

Measured on this machine (short prompts, 165 wpm, both voices alternating): both take about
13 ms per prompt. The program's output is deterministic and identical to pyttsx3's *first*
utterance in a process; later pyttsx3 utterances come out up to ~3% longer because espeak-ng keeps
voice state between utterances, pyttsx3 swallows errors from ``setProperty`` (an unknown voice
silently keeps the previous one), prints "Audio saved to ..." on stdout, never returns from
``runAndWait`` on empty text, and once produced an empty file. pyttsx3 stays the primary engine as
the design asks, guarded against all of that here; the program is the fallback (``auto``) and can
be chosen outright (``espeak-ng``).
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any, ClassVar, Protocol

from voicebot.audio.chunk import AudioChunk, AudioError
from voicebot.audio.wav import read_wav, wav_from_bytes


class TtsError(RuntimeError):
    """Synthesis failed; ``code`` is stable for logs and tests."""

    def __init__(self, message: str, code: str = "tts.failed") -> None:
        super().__init__(message)
        self.code = code


INSTALL_HINT = "install espeak-ng (Debian: apt-get install espeak-ng)"


class Engine(Protocol):
    """Turns text into audio in the engine's own format (blocking)."""

    name: str

    def render(self, text: str, voice: str, rate_wpm: int) -> AudioChunk:
        """Speak ``text`` with an espeak-ng ``voice`` at ``rate_wpm`` words per minute."""


def _min_samples(chunk: AudioChunk, text: str, engine: str) -> AudioChunk:
    if chunk.samples < chunk.rate // 50:  # under 20 ms: nothing was synthesized
        raise TtsError(f"{engine} produced no audio for {text[:40]!r}", "tts.failed")
    return chunk


class EspeakCliEngine:
    """Runs ``espeak-ng --stdout`` once per prompt (separate process, safe from any thread)."""

    name = "espeak-ng"

    def __init__(self, program: str = "espeak-ng", timeout_s: float = 30.0) -> None:
        path = shutil.which(program)
        if path is None:
            raise TtsError(
                f"the {program} program is not installed; {INSTALL_HINT}", "tts.engine_unavailable"
            )
        self.program = path
        self.timeout_s = timeout_s
        self._names = self._voice_names()

    def _voice_names(self) -> set[str]:
        listing = subprocess.run(
            [self.program, "--voices"],
            capture_output=True,
            text=True,
            timeout=self.timeout_s,
            check=False,
        ).stdout
        names: set[str] = set()
        for line in listing.splitlines()[1:]:
            cols = line.split()
            if len(cols) >= 5:
                names |= {cols[1].lower(), cols[4].lower(), cols[4].rsplit("/", 1)[-1].lower()}
                names |= {m.lower() for m in re.findall(r"\(([^ )]+) \d+\)", line)}
        return names

    def check_voice(self, voice: str) -> None:
        """Raise unless espeak-ng has ``voice`` (a variant such as ``+f3`` may follow)."""
        if voice.split("+", 1)[0].lower() not in self._names:
            raise TtsError(
                f"espeak-ng has no voice {voice!r} (see espeak-ng --voices)", "tts.voice_missing"
            )

    def render(self, text: str, voice: str, rate_wpm: int) -> AudioChunk:
        """Speak ``text``; the text goes through stdin, never the command line."""
        if not text.strip():
            raise TtsError("nothing to say", "tts.empty_text")
        self.check_voice(voice)
        cmd = [self.program, "-v", voice, "-s", str(rate_wpm), "--stdout", "--stdin"]
        try:
            done = subprocess.run(
                cmd,
                input=text.encode("utf-8"),
                capture_output=True,
                timeout=self.timeout_s,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise TtsError(f"espeak-ng took over {self.timeout_s:.0f} s", "tts.timeout") from exc
        message = done.stderr.decode("utf-8", "replace").strip()
        if "voice does not exist" in message:
            raise TtsError(
                f"espeak-ng has no voice {voice!r} (see espeak-ng --voices)", "tts.voice_missing"
            )
        if done.returncode != 0:
            raise TtsError(f"espeak-ng failed ({done.returncode}): {message}", "tts.failed")
        try:
            chunk = wav_from_bytes(done.stdout, "espeak-ng output")
        except AudioError as exc:
            raise TtsError(f"espeak-ng output is not audio: {exc}", "tts.failed") from exc
        return _min_samples(chunk, text, self.name)


class Pyttsx3Engine:
    """pyttsx3 with its espeak-ng driver; one utterance at a time in the whole process."""

    name = "pyttsx3"
    _lock: ClassVar[threading.Lock] = threading.Lock()
    """libespeak-ng and pyttsx3's engine are process-wide, so every instance shares this lock."""

    def __init__(self) -> None:
        try:
            import pyttsx3

            with self._lock:
                self._engine: Any = pyttsx3.init("espeak")
                voices = self._engine.getProperty("voices")
        except ImportError as exc:
            raise TtsError(
                "pyttsx3 is not installed (pip install pyttsx3)", "tts.engine_unavailable"
            ) from exc
        except (OSError, RuntimeError, AttributeError) as exc:
            raise TtsError(
                f"pyttsx3 cannot start espeak-ng: {exc}; {INSTALL_HINT}", "tts.engine_unavailable"
            ) from exc
        self._voices = {v.id: tuple(v.languages or ()) for v in voices}

    def resolve_voice(self, voice: str) -> str:
        """The voice file name espeak's SetVoiceByName accepts, for a name as ``espeak-ng -v``
        takes it (``en-us``, ``gmw/en-us``, a language such as ``en-gb``)."""
        for vid in self._voices:
            if voice in (vid, vid.rsplit("/", 1)[-1]):
                return vid.rsplit("/", 1)[-1]
        for vid, languages in self._voices.items():
            if voice in languages:
                return vid.rsplit("/", 1)[-1]
        raise TtsError(
            f"espeak-ng has no voice {voice!r} (see espeak-ng --voices)", "tts.voice_missing"
        )

    def render(self, text: str, voice: str, rate_wpm: int) -> AudioChunk:
        """Speak ``text`` through ``save_to_file`` and ``runAndWait`` into a private temp file."""
        if not text.strip():
            raise TtsError("nothing to say", "tts.empty_text")  # runAndWait would never return
        name = self.resolve_voice(voice)
        with self._lock, tempfile.TemporaryDirectory(prefix="voicebot-tts-") as tmp:
            out = Path(tmp) / "out.wav"
            self._engine.setProperty("voice", name)
            self._engine.setProperty("rate", rate_wpm)
            self._engine.save_to_file(text, str(out))
            with contextlib.redirect_stdout(io.StringIO()):
                self._engine.runAndWait()
            if not out.exists():
                raise TtsError(f"pyttsx3 wrote no file for {text[:40]!r}", "tts.failed")
            try:
                chunk = read_wav(out, rate=None)
            except AudioError as exc:
                raise TtsError(f"pyttsx3 output is not usable audio: {exc}", "tts.failed") from exc
        return _min_samples(chunk, text, self.name)


def make_engine(kind: str = "auto") -> Engine:
    """``pyttsx3``, ``espeak-ng``, or ``auto`` (pyttsx3, else the program)."""
    if kind == "pyttsx3":
        return Pyttsx3Engine()
    if kind == "espeak-ng":
        return EspeakCliEngine()
    if kind != "auto":
        raise TtsError(
            f"unknown synthesis engine {kind!r} (pyttsx3, espeak-ng or auto)", "tts.engine_unknown"
        )
    try:
        return Pyttsx3Engine()
    except TtsError:
        return EspeakCliEngine()
