"""An independent SIP caller for the tests: its own process and pjsua2 endpoint.

``python sip_peer.py URI --wav IN.wav --record OUT.wav --codec PCMU --keys 123# --seconds 6``
dials URI, plays IN.wav into the call, sends the keys as RFC 4733 events, records what it hears
and prints one JSON line with the outcome.

``--turns 01.wav,02.wav,dtmf:482913#,05.wav`` holds a conversation instead: each turn (a WAV, or
keys sent as RFC 4733 events) starts once the line has spoken and then been silent for
``--gap`` seconds; everything heard is recorded at 16 kHz; the call ends when the line hangs up,
or when the line has answered the last turn and waits (the caller hangs up).

``--answer PORT`` is an operator's phone instead: it answers the first call on PORT (or refuses
it with ``--reject 486``) and prints who called and how long the call was up.
"""

from __future__ import annotations

import argparse
import array
import contextlib
import json
import math
import threading
import time
import traceback
import wave
from typing import Any

import pjsua2 as pj

RATE = 16000
FRAME = RATE // 50  # samples in 20 ms


class _Talker(pj.AudioMediaPort):
    """Plays queued caller audio, records what the line says, tracks when it last spoke."""

    def __init__(self) -> None:
        super().__init__()
        self.lock = threading.Lock()
        self.out: list[bytes] = []
        self.heard = bytearray()
        self.voiced_at = 0.0
        self.spoke = False

    def queue(self, pcm: bytes) -> None:
        with self.lock:
            self.out = [pcm[i:i + 2 * FRAME] for i in range(0, len(pcm), 2 * FRAME)]

    def busy(self) -> bool:
        with self.lock:
            return bool(self.out)

    def onFrameRequested(self, frame: Any) -> None:
        with self.lock:
            data = self.out.pop(0) if self.out else b""
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(data.ljust(2 * FRAME, b"\0"))

    def onFrameReceived(self, frame: Any) -> None:
        if frame.type != pj.PJMEDIA_FRAME_TYPE_AUDIO:
            return
        data = bytes(frame.buf)
        self.heard += data
        samples = array.array("h", data[: len(data) // 2 * 2])
        if samples and math.sqrt(sum(v * v for v in samples) / len(samples)) > 300:
            self.voiced_at, self.spoke = time.monotonic(), True


def _read_wav(path: str) -> bytes:
    with wave.open(path) as w:
        if w.getframerate() != RATE or w.getsampwidth() != 2 or w.getnchannels() != 1:
            raise SystemExit(f"{path}: need 16 kHz 16-bit mono")
        return w.readframes(w.getnframes())


class _Leg(pj.Call):
    """The call pjsua makes to a REFER's target (the caller's own call stays as it is)."""

    def __init__(self, acc: pj.Account) -> None:
        super().__init__(acc)
        self.code = 0

    def onCallState(self, prm: Any) -> None:
        self.code = self.getInfo().lastStatusCode


class _Call(pj.Call):
    def __init__(self, acc: pj.Account, args: argparse.Namespace) -> None:
        super().__init__(acc)
        self.acc = acc
        self.leg: _Leg | None = None
        self.args = args
        self.player: Any = None
        self.recorder: Any = None
        self.media_at = 0.0
        self.talker: _Talker | None = None
        self.state = -1
        self.code = 0

    referred_to = ""

    def onCallState(self, prm: Any) -> None:
        ci = self.getInfo()
        self.state, self.code = ci.state, ci.lastStatusCode

    def onCallTransferRequest(self, prm: Any) -> None:
        self.referred_to = str(prm.dstUri)  # pjsua accepts the REFER and dials the target
        # on a Call of its own: left unset, pjsua2 reuses this one and its state is the leg's
        self.leg = prm.newCall = _Leg(self.acc)

    def onCallMediaState(self, prm: Any) -> None:
        try:
            self._media_up()
        except Exception:
            traceback.print_exc()

    def _media_up(self) -> None:
        info = self.getInfo()  # keep it alive: the media list points into it
        for mi in info.media:
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                if self.media_at:
                    return
                aud = self.getAudioMedia(mi.index)
                if self.args.turns:
                    talker = _Talker()
                    fmt = pj.MediaFormatAudio()
                    fmt.type = pj.PJMEDIA_TYPE_AUDIO
                    fmt.clockRate, fmt.channelCount, fmt.bitsPerSample = RATE, 1, 16
                    fmt.frameTimeUsec = 20000
                    talker.createPort("talker", fmt)
                    aud.startTransmit(talker)
                    talker.startTransmit(aud)
                    self.talker = talker
                    self.media_at = time.monotonic()
                    return
                if self.args.record:
                    self.recorder = pj.AudioMediaRecorder()
                    self.recorder.createRecorder(self.args.record)
                    aud.startTransmit(self.recorder)
                if self.args.wav:
                    self.player = pj.AudioMediaPlayer()
                    self.player.createPlayer(self.args.wav, pj.PJMEDIA_FILE_NO_LOOP)
                    self.player.startTransmit(aud)
                self.media_at = time.monotonic()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("uri")
    parser.add_argument("--wav", default="")
    parser.add_argument("--record", default="")
    parser.add_argument("--codec", default="PCMU/8000")
    parser.add_argument("--keys", default="")
    parser.add_argument("--keys-after", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--no-hangup", action="store_true")
    parser.add_argument("--turns", default="", help="WAV files and dtmf:KEYS, comma-separated")
    parser.add_argument("--gap", type=float, default=1.5, help="line silence before a turn")
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--after-transfer", type=float, default=3.0,
                        help="seconds to stay on the operator's call after a transfer")
    parser.add_argument("--answer", type=int, default=0,
                        help="operator mode: answer calls on this UDP port instead of dialling")
    parser.add_argument("--reject", type=int, default=0,
                        help="operator mode: refuse the call with this status (486, 603)")
    parser.add_argument("--done-after", type=float, default=0.0,
                        help="line silence after the last turn before the caller hangs up")
    parser.add_argument("--from-uri", default="sip:+8610555123@127.0.0.1")
    args = parser.parse_args()
    if args.answer:
        answer(args)
        return
    if args.turns:
        converse(args)
        return
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = False
    cfg.logConfig.level = cfg.logConfig.consoleLevel = 0
    ep.libInit(cfg)
    ep.audDevManager().setNullDev()
    for codec in ep.codecEnum2():
        ep.codecSetPriority(codec.codecId, 0)
    ep.codecSetPriority(args.codec, 255)
    tc = pj.TransportConfig()
    tc.port = 0
    tc.boundAddress = "127.0.0.1"
    ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
    ep.libStart()
    acc = pj.Account()
    ac = pj.AccountConfig()
    ac.idUri = "sip:+8610555123@127.0.0.1"
    acc.create(ac)
    call = _Call(acc, args)
    call.makeCall(args.uri, pj.CallOpParam(True))
    sent_keys = False
    start = time.monotonic()
    codec = ""
    while time.monotonic() - start < args.seconds + 5:
        ep.libHandleEvents(10)
        if call.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            break
        if call.media_at and not codec:
            with contextlib.suppress(pj.Error):
                codec = call.getStreamInfo(0).codecName
        if call.media_at and not sent_keys and args.keys and \
                time.monotonic() - call.media_at >= args.keys_after:
            call.dialDtmf(args.keys)
            sent_keys = True
        if call.media_at and time.monotonic() - call.media_at >= args.seconds:
            break
    was_up = bool(call.media_at)
    line_ended = call.state == pj.PJSIP_INV_STATE_DISCONNECTED
    if call.state != pj.PJSIP_INV_STATE_DISCONNECTED and not args.no_hangup:
        call.hangup(pj.CallOpParam(True))
        until = time.monotonic() + 1
        while time.monotonic() < until:
            ep.libHandleEvents(10)
    result = {"answered": was_up, "code": call.code, "ended_by_line": line_ended, "codec": codec}
    print(json.dumps(result), flush=True)
    call.recorder = call.player = None
    del call
    ep.libDestroy()


def _endpoint() -> pj.Endpoint:
    ep = pj.Endpoint()
    ep.libCreate()
    cfg = pj.EpConfig()
    cfg.uaConfig.threadCnt = 0
    cfg.uaConfig.mainThreadOnly = False
    cfg.logConfig.level = cfg.logConfig.consoleLevel = 0
    cfg.medConfig.clockRate = cfg.medConfig.sndClockRate = RATE
    cfg.medConfig.noVad = True
    ep.libInit(cfg)
    ep.audDevManager().setNullDev()
    return ep


class _Answering(pj.Account):
    def __init__(self, status: int = 200) -> None:
        super().__init__()
        self.calls: list[_Incoming] = []
        self.status = status

    def onIncomingCall(self, prm: Any) -> None:
        call = _Incoming(self, prm.callId, prm.rdata.wholeMsg)
        self.calls.append(call)
        op = pj.CallOpParam()
        op.statusCode = self.status
        call.answer(op)


class _Incoming(pj.Call):
    def __init__(self, acc: pj.Account, call_id: int, message: str) -> None:
        super().__init__(acc, call_id)
        self.caller = next((x.split(":", 1)[1].strip() for x in message.splitlines()
                            if x.lower().startswith(("from:", "f:"))), "")
        self.state = -1
        self.media_at = 0.0
        self.up_at = 0.0
        self.ended_at = 0.0

    def onCallState(self, prm: Any) -> None:
        self.state = self.getInfo().state
        if self.state == pj.PJSIP_INV_STATE_CONFIRMED:
            self.up_at = time.monotonic()
        if self.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            self.ended_at = time.monotonic()


def answer(args: argparse.Namespace) -> None:
    """Operator side: answer the first call on ``--answer PORT`` (or refuse it with
    ``--reject CODE``); print who called, how long the call was up and the status given."""
    ep = _endpoint()
    tc = pj.TransportConfig()
    tc.port = args.answer
    tc.boundAddress = "127.0.0.1"
    ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
    ep.libStart()
    acc = _Answering(args.reject or 200)
    ac = pj.AccountConfig()
    ac.idUri = f"sip:op1@127.0.0.1:{args.answer}"
    acc.create(ac, True)
    print(json.dumps({"listening": args.answer}), flush=True)
    start = time.monotonic()
    while time.monotonic() - start < args.seconds:
        ep.libHandleEvents(10)
        if acc.calls and acc.calls[0].ended_at:
            break
    first = acc.calls[0] if acc.calls else None
    up_s = ((first.ended_at or time.monotonic()) - first.up_at) if first and first.up_at else 0
    print(json.dumps({"rang": first is not None, "caller": first.caller if first else "",
                      "up_s": round(up_s, 2), "status": acc.status}), flush=True)
    ep.hangupAllCalls()
    for _ in range(20):
        ep.libHandleEvents(10)
    acc.calls.clear()
    first = None
    ep.libDestroy()


def converse(args: argparse.Namespace) -> None:
    """Hold a scripted conversation with the line (see the module docstring)."""
    turns = [t for t in args.turns.split(",") if t]
    audio = {t: _read_wav(t) for t in turns if not t.startswith("dtmf:")}
    ep = _endpoint()
    for codec in ep.codecEnum2():
        ep.codecSetPriority(codec.codecId, 0)
    ep.codecSetPriority(args.codec, 255)
    tc = pj.TransportConfig()
    tc.boundAddress = "127.0.0.1"
    ep.transportCreate(pj.PJSIP_TRANSPORT_UDP, tc)
    ep.libStart()
    acc = pj.Account()
    ac = pj.AccountConfig()
    ac.idUri = args.from_uri
    acc.create(ac)
    call = _Call(acc, args)
    call.makeCall(args.uri, pj.CallOpParam(True))
    start, codec, sent, turn_at = time.monotonic(), "", 0, 0.0
    while time.monotonic() - start < args.seconds:
        ep.libHandleEvents(10)
        if call.state == pj.PJSIP_INV_STATE_DISCONNECTED:
            break
        talker = call.talker
        if talker is None:
            continue
        if not codec:
            with contextlib.suppress(pj.Error):
                codec = call.getStreamInfo(0).codecName
        now = time.monotonic()
        if (sent == len(turns) and talker.spoke and not talker.busy()
                and now - talker.voiced_at >= (args.done_after or 2 * args.gap)):
            break  # the line answered the last turn and waits: the caller hangs up
        if (sent < len(turns) and talker.spoke and not talker.busy()
                and now - talker.voiced_at >= args.gap and now - turn_at >= args.gap):
            turn = turns[sent]
            if turn.startswith("dtmf:"):
                call.dialDtmf(turn[5:])
            else:
                talker.queue(audio[turn])
            sent, turn_at, talker.spoke = sent + 1, now, False
            if args.verbose:
                print(f"peer: turn {sent} at {now - start:.1f} s", flush=True)
    line_ended = call.state == pj.PJSIP_INV_STATE_DISCONNECTED
    until = time.monotonic() + args.after_transfer
    while call.referred_to and time.monotonic() < until:  # talk to the operator a while
        ep.libHandleEvents(10)
    if call.referred_to:
        ep.hangupAllCalls()
        for _ in range(50):
            ep.libHandleEvents(10)
    if not line_ended:
        with contextlib.suppress(pj.Error):
            call.hangup(pj.CallOpParam(True))
        until = time.monotonic() + 1
        while time.monotonic() < until:
            ep.libHandleEvents(10)
    heard = bytes(call.talker.heard) if call.talker else b""
    talker = None
    if args.record:
        with wave.open(args.record, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            out.writeframes(heard)
    print(json.dumps({"answered": bool(call.media_at), "code": call.code, "codec": codec,
                      "ended_by_line": line_ended, "turns_sent": sent,
                      "referred_to": call.referred_to,
                      "transfer_code": call.leg.code if call.leg else 0,
                      "heard_s": round(len(heard) / 2 / RATE, 2)}), flush=True)
    call.talker = call.leg = None
    del call
    ep.libDestroy()


if __name__ == "__main__":
    main()
