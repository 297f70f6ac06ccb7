"""An independent SIP caller for the tests: its own process and pjsua2 endpoint.

``python sip_peer.py URI --wav IN.wav --record OUT.wav --codec PCMU --keys 123# --seconds 6``
dials URI, plays IN.wav into the call, sends the keys as RFC 4733 events, records what it hears
and prints one JSON line with the outcome.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
import traceback
from typing import Any

import pjsua2 as pj


class _Call(pj.Call):
    def __init__(self, acc: pj.Account, args: argparse.Namespace) -> None:
        super().__init__(acc)
        self.args = args
        self.player: Any = None
        self.recorder: Any = None
        self.media_at = 0.0
        self.state = -1
        self.code = 0

    def onCallState(self, prm: Any) -> None:
        ci = self.getInfo()
        self.state, self.code = ci.state, ci.lastStatusCode

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
    args = parser.parse_args()
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


if __name__ == "__main__":
    main()
