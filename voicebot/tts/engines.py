"""Speech engines: the ``espeak-ng`` program (primary) and pyttsx3's espeak-ng driver.

Measured with the first ``scripts/bench_tts.py`` (now the round-trip intelligibility bench; the
engine comparison is in its git history) on this machine (espeak-ng 1.51, pyttsx3 2.99, five
prompts in both voices at 110/165/240 wpm, 600 renders each): both take 13-30 ms per prompt
(the program ~15% slower: a process per prompt). All 600 program renders were byte-identical to
the reference; of pyttsx3's, 267 had the wrong length and 1 failed. pyttsx3 queues
``setProperty`` and espeak-ng applies a new rate or voice late, so after a change the audio comes
out at the *previous* rate (36-69% off) or with voice state leaking from the last voice (up to 3%
longer); about 1 in 150 renders wrote no file or an empty one; unknown voices are silently ignored;
it prints "Audio saved to ..." on stdout and never returns from ``runAndWait`` on empty text.
A throwaway utterance to flush a property change made it worse (most renders then failed).
So ``auto`` uses the program and falls back to pyttsx3 only where the program is missing;
``pyttsx3`` can still be chosen, guarded here (lock, voice check, empty-text check, stdout
silenced, output checked) and retried once by the synthesizer.
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

    def render(
        self,
        text: str,
        voice: str,
        rate_wpm: int,
        *,
        pitch: int = 50,
        gap: int = 0,
        amplitude: int = 100,
    ) -> AudioChunk:
        """Speak ``text``; the text goes through stdin, never the command line. ``pitch`` is
        espeak-ng's 0-99, ``gap`` an extra pause between words in 10 ms, ``amplitude`` 0-200."""
        if not text.strip():
            raise TtsError("nothing to say", "tts.empty_text")
        self.check_voice(voice)
        cmd = [
            self.program,
            "-v",
            voice,
            "-s",
            str(rate_wpm),
            "-p",
            str(pitch),
            "-a",
            str(amplitude),
        ]
        cmd += ["-g", str(gap), "--stdout", "--stdin"]
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

    def _run(self, text: str, out: Path) -> None:
        self._engine.save_to_file(text, str(out))
        with contextlib.redirect_stdout(io.StringIO()):
            self._engine.runAndWait()

    def render(self, text: str, voice: str, rate_wpm: int) -> AudioChunk:
        """Speak ``text`` through ``save_to_file`` and ``runAndWait`` into a private temp file."""
        if not text.strip():
            raise TtsError("nothing to say", "tts.empty_text")  # runAndWait would never return
        name = self.resolve_voice(voice)
        with self._lock, tempfile.TemporaryDirectory(prefix="voicebot-tts-") as tmp:
            self._engine.setProperty("voice", name)
            self._engine.setProperty("rate", rate_wpm)
            out = Path(tmp) / "out.wav"
            self._run(text, out)
            if not out.exists():
                raise TtsError(f"pyttsx3 wrote no file for {text[:40]!r}", "tts.failed")
            try:
                chunk = read_wav(out, rate=None)
            except AudioError as exc:
                raise TtsError(f"pyttsx3 output is not usable audio: {exc}", "tts.failed") from exc
        return _min_samples(chunk, text, self.name)


def make_engine(kind: str = "auto") -> Engine:
    """``pyttsx3``, ``espeak-ng``, or ``auto`` (the program, else pyttsx3)."""
    if kind == "pyttsx3":
        return Pyttsx3Engine()
    if kind == "espeak-ng":
        return EspeakCliEngine()
    if kind != "auto":
        raise TtsError(
            f"unknown synthesis engine {kind!r} (pyttsx3, espeak-ng or auto)", "tts.engine_unknown"
        )
    try:
        return EspeakCliEngine()
    except TtsError:
        return Pyttsx3Engine()
