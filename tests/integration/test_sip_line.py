"""``voicebot sip serve`` against real, independent peers: a pjsua2 caller in its own process
(espeak-ng speech, RFC 4733 keys, recording what it hears) and hand-written SIP over UDP.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
import wave
from pathlib import Path

import numpy as np
import pytest
from sip_wire import (
    SDP_G729_ONLY,
    SDP_PCMU,
    RawSip,
    call_summaries,
    header,
    run_peer,
    sip_line,
)

pjsua2 = pytest.importorskip("pjsua2", reason="voicebot[sip] is not installed")
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed"),
]

KEYS = "1234#"


def _pcm(path: Path) -> tuple[np.ndarray, int]:
    with wave.open(str(path)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64)
        return data, w.getframerate()


def _envelope(samples: np.ndarray, rate: int) -> np.ndarray:
    n = rate // 50
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    return np.sqrt((frames**2).mean(axis=1))


def _voiced(envelope: np.ndarray) -> int:
    return int((envelope > 300).sum())


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wav = tmp_path_factory.mktemp("sip-speech") / "caller.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(wav),
                    "my case number is twenty twenty four, one two three"], check=True)
    return wav


@pytest.fixture(scope="module")
def line(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    with sip_line(tmp_path_factory.mktemp("sip-line")) as running:
        yield running


@pytest.mark.parametrize("codec", ["G722/16000", "PCMU/8000"])
def test_call_carries_speech_and_keys_both_ways(
    line: tuple[str, Path], speech: Path, tmp_path: Path, codec: str
) -> None:
    address, out = line
    before = len(call_summaries(out))
    heard = tmp_path / "heard.wav"
    source, rate = _pcm(speech)
    # pjsua mutes its audio while it sends telephone-events, so the keys follow the speech
    after = len(source) / rate + 0.3
    outcome = run_peer(address, "--wav", str(speech), "--record", str(heard), "--codec", codec,
                       "--keys", KEYS, "--keys-after", f"{after:.1f}", "--seconds", "6")
    assert outcome["answered"] and outcome["codec"] == codec.split("/")[0]
    deadline = time.monotonic() + 10
    while len(call_summaries(out)) <= before and time.monotonic() < deadline:
        time.sleep(0.2)
    summary = call_summaries(out)[before]
    assert summary["codec"] == codec.split("/")[0]
    assert summary["caller"] == "010555123" and summary["callee"] == "12368"
    assert summary["keys"] == list(KEYS)
    assert summary["ended"] == "bye"
    source_env = _envelope(source, rate)
    # the line heard most of the caller's voiced frames (codec and jitter buffer lose a few)
    assert int(summary["voiced_frames_in"]) >= 0.6 * _voiced(source_env)  # type: ignore[call-overload]
    got, got_rate = _pcm(heard)
    got_env = _envelope(got, got_rate)
    # the caller heard the line's greeting tone (440 Hz) first ...
    first = got[: got_rate // 2]
    spectrum = np.abs(np.fft.rfft(first))
    assert abs(np.fft.rfftfreq(len(first), 1 / got_rate)[spectrum.argmax()] - 440) < 20
    # ... and then its own speech echoed by the line: the envelopes line up at some delay
    best = 0.0
    for lag in range(0, len(got_env) - len(source_env)):
        seg = got_env[lag : lag + len(source_env)]
        if seg.std() > 0:
            best = max(best, float(np.corrcoef(seg, source_env)[0, 1]))
    assert best > 0.7


def test_bad_sip_is_answered_and_the_line_keeps_serving(line: tuple[str, Path]) -> None:
    address, _ = line
    raw = RawSip(address)
    try:
        # no common codec -> 488
        cid = uuid.uuid4().hex
        raw.request("INVITE", cid, body=SDP_G729_ONLY)
        assert raw.final(cid)[0] == 488
        # an SDP body that is not SDP -> a 4xx, never a call
        cid = uuid.uuid4().hex
        raw.request("INVITE", cid, body="this is not an offer\r\n")
        code = raw.final(cid)[0]
        assert 400 <= code < 500
        # malformed headers: a CSeq without a number and garbage bytes -> 400 or dropped
        cid = uuid.uuid4().hex
        raw.request("INVITE", cid, raw=(
            f"INVITE sip:12368@{address} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:{raw.port}"
            f";branch=z9hG4bKx{cid}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\n"
            f"Call-ID: {cid}\r\nCSeq: abc INVITE\r\nContent-Length: 0\r\n\r\n").encode())
        code = raw.final(cid, 1.5)[0]
        assert code in (0, 400)
        raw.request("INVITE", cid, raw=b"\x00\xff garbage \r\n\r\n")
        # a flood of INVITEs: at most 4 calls are taken (PJSUA_MAX_CALLS), the rest get 486
        ids = [uuid.uuid4().hex for _ in range(10)]
        for cid in ids:
            raw.request("INVITE", cid, body=SDP_PCMU)
        finals: dict[str, tuple[int, str]] = {}
        deadline = time.monotonic() + 20  # a loaded machine answers a flood slowly
        while len(finals) < len(ids) and time.monotonic() < deadline:
            for msg in raw.responses(1.0):
                first = msg.split("\r\n", 1)[0].split()
                cid = header(msg, "Call-ID")
                if first[0] == "SIP/2.0" and int(first[1]) >= 200 and cid in ids:
                    finals.setdefault(cid, (int(first[1]), msg))
        codes = sorted(code for code, _ in finals.values())
        assert len(finals) == 10
        assert 1 <= codes.count(200) <= 4
        assert all(code in (200, 486) for code in codes)
        for cid, (code, msg) in finals.items():
            if code == 200:
                tag = header(msg, "To").split("tag=", 1)[1].split(";")[0]
                raw.request("ACK", cid, to_tag=tag)
                raw.request("BYE", cid, to_tag=tag, cseq=2)
        raw.responses(1.0)
        # the line still answers
        cid = uuid.uuid4().hex
        raw.request("OPTIONS", cid)
        assert raw.final(cid)[0] == 200
    finally:
        raw.close()
    outcome = run_peer(address, "--seconds", "1")
    assert outcome["answered"]


def test_peer_outside_the_allow_list_gets_403(tmp_path: Path) -> None:
    with sip_line(tmp_path, {"VOICEBOT_SIP_ALLOW": "10.0.0.0/8"}) as (address, out):
        raw = RawSip(address)
        try:
            cid = uuid.uuid4().hex
            raw.request("INVITE", cid, body=SDP_PCMU)
            code, _ = raw.final(cid)
        finally:
            raw.close()
        assert code == 403
        assert call_summaries(out) == []


def test_call_without_rtp_is_ended_by_the_line(tmp_path: Path) -> None:
    with sip_line(tmp_path, {"VOICEBOT_SIP_RTP_TIMEOUT_S": "2"}) as (address, out):
        raw = RawSip(address)
        try:
            cid = uuid.uuid4().hex
            raw.request("INVITE", cid, body=SDP_PCMU)  # media to a port nobody sends from
            code, msg = raw.final(cid)
            assert code == 200
            tag = header(msg, "To").split("tag=", 1)[1].split(";")[0]
            raw.request("ACK", cid, to_tag=tag)
            byes = [m for m in raw.responses(6.0) if m.startswith("BYE ")]
        finally:
            raw.close()
        assert byes and header(byes[0], "Call-ID") == cid
        deadline = time.monotonic() + 5
        while not call_summaries(out) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [s["ended"] for s in call_summaries(out)] == ["rtp_timeout"]
