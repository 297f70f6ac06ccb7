"""Endpointing on real synthesized speech (espeak-ng), clean and in background noise."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import StreamConverter, convert, pcm16, samples16
from voicebot.audio.vad import Endpointer, EndpointEvent
from voicebot.audio.wav import read_wav

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]
RATE = 16000


def speech(tmp: Path, voice: str, text: str) -> np.ndarray:
    path = tmp / "s.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "170", "-w", str(path), text], check=True)
    x = samples16(read_wav(path, RATE)) / 32768.0
    loud = np.nonzero(np.abs(x) > 0.01)[0]
    return x[loud[0] : loud[-1] + 1]  # trim espeak's own leading and trailing silence


def feed(ep: Endpointer, x: np.ndarray) -> list[EndpointEvent]:
    events = []
    for i in range(0, len(x), 320):
        events += ep.feed(pcm16(x[i : i + 320].astype(np.float32), RATE, 1000 * i // RATE))
    return events


@pytest.mark.parametrize(
    ("voice", "text"),
    [
        ("en-us", "My case number is twenty twenty four, Jing zero one zero five, one two three."),
        ("cmn-latn-pinyin", "我想查询一下案件的进度，案号是二零二四年京零一零五民初一二三四五号。"),
    ],
)
@pytest.mark.parametrize("snr_db", [None, 15.0, 10.0])
def test_utterance_bounds_in_noise(
    tmp_path: Path, voice: str, text: str, snr_db: float | None
) -> None:
    s = speech(tmp_path, voice, text)
    x = np.concatenate([np.zeros(RATE), s, np.zeros(2 * RATE)])
    if snr_db is not None:
        power = np.mean(np.square(s))
        x = x + np.random.default_rng(7).normal(0, np.sqrt(power / 10 ** (snr_db / 10)), len(x))
    ep = Endpointer(RATE, silence_ms=700)
    ep.listen()
    events = feed(ep, x)
    assert [e.kind for e in events] == ["speech_start", "end_of_utterance"]
    start, end = events
    true_end = 1000 + 1000 * len(s) / RATE
    assert start.speech_start_ms is not None and abs(start.speech_start_ms - 1000) <= 100
    assert end.speech_end_ms is not None and abs(end.speech_end_ms - true_end) <= 250
    assert abs(end.at_ms - end.speech_end_ms - 700) <= 20


def test_barge_in_over_background_noise(tmp_path: Path) -> None:
    s = speech(tmp_path, "en-us", "operator please")
    noise = np.random.default_rng(1).normal(0, 0.01, 3 * RATE)
    ep = Endpointer(RATE, no_input_ms=1500)
    ep.listen(prompt_playing=True)
    assert feed(ep, noise[: 2 * RATE]) == []
    events = feed(ep, np.concatenate([s, np.zeros(RATE)]) + noise[: len(s) + RATE])
    assert [e.kind for e in events] == ["barge_in", "end_of_utterance"]


def test_telephone_band_mulaw_speech_streamed_through_the_converter(tmp_path: Path) -> None:
    s = speech(tmp_path, "cmn-latn-pinyin", "您好，我要转人工服务。")
    x = np.concatenate([np.zeros(RATE // 2), s, np.zeros(RATE * 3 // 2)])
    x = x + np.random.default_rng(3).normal(0, np.sqrt(np.mean(np.square(s)) / 10**1.5), len(x))
    phone = convert(pcm16(x.astype(np.float32), RATE), 8000, width=1, encoding="mulaw")
    conv = StreamConverter(RATE)
    ep = Endpointer(RATE)
    ep.listen()
    events = []
    for i in range(0, len(phone.audio), 160):  # 20 ms of 8-bit mu-law
        piece = AudioChunk(phone.audio[i : i + 160], 8000, 1, 1, i // 8, "mulaw")
        events += ep.feed(conv.convert(piece))
    events += ep.feed(conv.flush())
    assert [e.kind for e in events] == ["speech_start", "end_of_utterance"]
    assert events[0].speech_start_ms is not None and abs(events[0].speech_start_ms - 500) <= 120
