"""The pjsua2 endpoint: one per process, driven from a thread of its own.

pjsua2 is used from exactly one thread (``libHandleEvents`` plus a job queue); only the media
clock thread of the null audio device calls into the per-call ports. pjsua caps calls per
process at the compiled ``PJSUA_MAX_CALLS`` (4 in the PyPI wheels; see README): more calls need
more worker processes behind Kamailio.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import dataclasses
import queue
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pjsua2 as pj

from voicebot.sip.headers import caller_uri, dialled, peer_allowed
from voicebot.sip.media import SipMedia
from voicebot.sip.types import (
    CODEC_PRIORITY,
    FRAME_MS,
    LINE_RATE,
    HangUpReason,
    ListenAddress,
    SipError,
    SipTransport,
)
from voicebot.transport.media import CallInfo, TransportKind

OnMedia = Callable[[SipMedia], None]
"""Called on the asyncio loop when a call's media is up."""


@dataclass(frozen=True)
class EndpointConfig:
    """What the endpoint needs from the settings."""

    listen: tuple[ListenAddress, ...]
    """Signalling addresses."""
    allow: tuple[str, ...] = ("127.0.0.0/8",)
    """Networks allowed to call; others get 403."""
    register: str = ""
    """Registrar URI, empty for none."""
    username: str = ""
    """Digest user for registration."""
    password: str = ""
    """Digest password for registration."""
    rtp_port: int = 0
    """First RTP port (0: stack's choice)."""
    rtp_timeout_s: int = 30
    """End a call after this long without RTP."""
    log_level: int = 1
    """pjsip console log level (0-6)."""


class _Port(pj.AudioMediaPort):
    def __init__(self, media: SipMedia) -> None:
        super().__init__()
        self.media = media

    def onFrameRequested(self, frame: Any) -> None:
        frame.type = pj.PJMEDIA_FRAME_TYPE_AUDIO
        frame.buf = pj.ByteVector(self.media.frame_requested())

    def onFrameReceived(self, frame: Any) -> None:
        if frame.type == pj.PJMEDIA_FRAME_TYPE_AUDIO:
            self.media.frame_received(bytes(frame.buf))


class _Call(pj.Call):
    def __init__(self, ep: SipEndpoint, acc: pj.Account, call_id: int) -> None:
        super().__init__(acc, call_id)
        self.ep = ep
        self.info = CallInfo("", transport=TransportKind.SIP)
        self.peer = ""
        self.media: SipMedia | None = None
        self.port: _Port | None = None
        self.local_hangup = False
        self.rx_packets = -1
        self.rx_changed = time.monotonic()
        self.ending: HangUpReason | None = None

    def onCallMediaState(self, prm: Any) -> None:
        ci = self.getInfo()
        for mi in ci.media:
            if mi.type == pj.PJMEDIA_TYPE_AUDIO and mi.status == pj.PJSUA_CALL_MEDIA_ACTIVE:
                if self.port is not None:
                    return
                codec = ""
                with contextlib.suppress(pj.Error):
                    codec = self.getStreamInfo(mi.index).codecName
                self.info = dataclasses.replace(self.info, codec=codec)
                media = SipMedia(self.info, self.ep.loop, self.ep.control_for(self),
                                 peer=self.peer)
                port = _Port(media)
                fmt = pj.MediaFormatAudio()
                fmt.type = pj.PJMEDIA_TYPE_AUDIO
                fmt.clockRate = LINE_RATE
                fmt.channelCount = 1
                fmt.bitsPerSample = 16
                fmt.frameTimeUsec = FRAME_MS * 1000
                port.createPort(f"call{self.getId()}", fmt)
                aud = self.getAudioMedia(mi.index)
                aud.startTransmit(port)
                port.startTransmit(aud)
                self.media, self.port = media, port
                self.rx_changed = time.monotonic()
                self.ep.loop.call_soon_threadsafe(self.ep.on_media, media)

    def onCallTransferStatus(self, prm: Any) -> None:
        if self.media is not None:
            self.media.transfer_status(int(prm.statusCode), bool(prm.finalNotify))

    def onDtmfDigit(self, prm: Any) -> None:
        if self.media is not None:
            self.media.key_pressed(str(prm.digit))

    def onCallState(self, prm: Any) -> None:
        ci = self.getInfo()
        if ci.state != pj.PJSIP_INV_STATE_DISCONNECTED:
            return
        if self.ending is not None:
            reason = self.ending
        elif self.local_hangup:
            reason = HangUpReason.LOCAL
        elif self.media is None:
            reason = HangUpReason.CANCEL if ci.lastStatusCode == 487 else HangUpReason.FAILED
        else:
            reason = HangUpReason.BYE
        if self.media is not None:
            self.media.ended(reason)
        self.ep.forget(self)


class _Account(pj.Account):
    def __init__(self, ep: SipEndpoint) -> None:
        super().__init__()
        self.ep = ep

    def onIncomingCall(self, prm: Any) -> None:
        self.ep.incoming(self, prm)


class SipEndpoint:
    """The process's SIP stack; ``start`` it from the asyncio loop, ``stop`` it at the end."""

    def __init__(self, config: EndpointConfig, on_media: OnMedia) -> None:
        self.config = config
        self.on_media = on_media
        self.loop: asyncio.AbstractEventLoop = asyncio.get_running_loop()
        self.addresses: list[str] = []
        self._jobs: queue.SimpleQueue[tuple[Callable[[], Any], concurrent.futures.Future[Any]]]
        self._jobs = queue.SimpleQueue()
        self._calls: dict[int, _Call] = {}
        self._dead: list[_Call] = []
        self._stop = threading.Event()
        self._started: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._thread = threading.Thread(target=self._run, name="pjsua2", daemon=True)
        self._ep: pj.Endpoint | None = None
        self._acc: _Account | None = None

    async def start(self) -> None:
        """Start the stack and its transports; raises SipError when a transport cannot bind."""
        self._thread.start()
        await asyncio.wrap_future(self._started)

    async def stop(self) -> None:
        """Hang up every call and shut the stack down."""
        self._stop.set()
        await asyncio.get_running_loop().run_in_executor(None, self._thread.join, 10.0)

    def submit(self, fn: Callable[[], Any]) -> asyncio.Future[Any]:
        """Run ``fn`` on the pjsua2 thread."""
        fut: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._jobs.put((fn, fut))
        return asyncio.wrap_future(fut, loop=self.loop)

    @property
    def active_calls(self) -> int:
        """Calls up right now."""
        return len(self._calls)

    # ----- pjsua2 thread -----
    def _run(self) -> None:
        try:
            self._boot()
        except Exception as exc:
            err = exc if isinstance(exc, SipError) else SipError(str(exc), "sip.start_failed")
            self._started.set_exception(err)
            self._shutdown()
            return
        self._started.set_result(None)
        last_check = time.monotonic()
        while not self._stop.is_set():
            assert self._ep is not None
            self._ep.libHandleEvents(10)
            self._drain_jobs()
            self._dead.clear()
            if time.monotonic() - last_check >= 0.5:
                last_check = time.monotonic()
                self._check_rtp()
        self._shutdown()

    def _boot(self) -> None:
        ep = pj.Endpoint()
        self._ep = ep
        ep.libCreate()
        cfg = pj.EpConfig()
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = False
        cfg.uaConfig.maxCalls = 4  # the wheel's PJSUA_MAX_CALLS; higher values are clamped
        cfg.uaConfig.userAgent = "voicebot-12368"
        cfg.logConfig.level = self.config.log_level
        cfg.logConfig.consoleLevel = self.config.log_level
        cfg.medConfig.clockRate = LINE_RATE
        cfg.medConfig.sndClockRate = LINE_RATE
        cfg.medConfig.audioFramePtime = FRAME_MS
        cfg.medConfig.noVad = True
        ep.libInit(cfg)
        ep.audDevManager().setNullDev()
        for codec in ep.codecEnum2():
            ep.codecSetPriority(codec.codecId, 0)
        for name, prio in CODEC_PRIORITY:
            ep.codecSetPriority(name, prio)
        for addr in self.config.listen:
            tc = pj.TransportConfig()
            tc.port = addr.port
            tc.boundAddress = addr.host if addr.host != "0.0.0.0" else ""
            kind = pj.PJSIP_TRANSPORT_UDP if addr.transport is SipTransport.UDP \
                else pj.PJSIP_TRANSPORT_TCP
            try:
                tid = ep.transportCreate(kind, tc)
            except pj.Error as exc:
                raise SipError(f"cannot listen on {addr}: {exc.reason}", "sip.bind") from None
            port = ep.transportGetInfo(tid).localName.rsplit(":", 1)[-1]
            self.addresses.append(f"{addr.transport.value}:{addr.host}:{port}")
        ep.libStart()
        ac = pj.AccountConfig()
        first = self.config.listen[0]
        ac.idUri = self.config.register or f"sip:line@{first.host}"
        if self.config.register:
            ac.regConfig.registrarUri = "sip:" + self.config.register.split("@", 1)[-1]
            if self.config.username:
                ac.sipConfig.authCreds.append(pj.AuthCredInfo(
                    "digest", "*", self.config.username, 0, self.config.password))
        ac.mediaConfig.transportConfig.port = self.config.rtp_port
        acc = _Account(self)
        acc.create(ac, True)
        self._acc = acc

    def _drain_jobs(self) -> None:
        while True:
            try:
                fn, fut = self._jobs.get_nowait()
            except queue.Empty:
                return
            try:
                fut.set_result(fn())
            except Exception as exc:
                fut.set_exception(exc)

    def _check_rtp(self) -> None:
        now = time.monotonic()
        for call in list(self._calls.values()):
            if call.port is None or call.ending is not None:
                continue
            try:
                packets = call.getStreamStat(0).rtcp.rxStat.pkt
            except pj.Error:
                continue
            if packets != call.rx_packets:
                call.rx_packets, call.rx_changed = packets, now
            elif now - call.rx_changed >= self.config.rtp_timeout_s:
                call.ending = HangUpReason.RTP_TIMEOUT
                self._hangup(call, 408)

    def _hangup(self, call: _Call, code: int = 200) -> None:
        op = pj.CallOpParam()
        op.statusCode = code
        with contextlib.suppress(pj.Error):
            call.hangup(op)

    def _shutdown(self) -> None:
        ep = self._ep
        if ep is None:
            return
        try:
            for call in list(self._calls.values()):
                call.local_hangup = True
            ep.hangupAllCalls()
            until = time.monotonic() + 0.5
            while time.monotonic() < until:
                ep.libHandleEvents(10)
        except pj.Error:
            pass
        self._calls.clear()
        self._acc = None
        ep.libDestroy()
        self._ep = None

    def incoming(self, acc: _Account, prm: Any) -> None:
        """An INVITE: 403 for peers not allowed, else answer."""
        message = prm.rdata.wholeMsg
        peer = prm.rdata.srcAddress
        call = _Call(self, acc, prm.callId)
        call.info = CallInfo(call.getInfo().callIdString, caller_uri(message), dialled(message),
                             "", TransportKind.SIP)
        call.peer = peer
        op = pj.CallOpParam()
        if not peer_allowed(peer, self.config.allow):
            op.statusCode = 403
            call.local_hangup = True
            self._dead.append(call)
            call.answer(op)
            return
        self._calls[call.getId()] = call
        op.statusCode = 200
        try:
            call.answer(op)
        except pj.Error:
            self._calls.pop(call.getId(), None)

    def forget(self, call: _Call) -> None:
        """A call is over; drop it after this callback returns."""
        self._calls.pop(call.getId(), None)
        self._dead.append(call)

    def control_for(self, call: _Call) -> Callable[[str, str], asyncio.Future[None]]:
        """The hang-up/transfer entry a call's media uses from the loop.

        It holds the call weakly: a strong reference would make a cycle (call -> media ->
        control -> call) that Python's cycle collector may free on the asyncio thread, and
        pjsua2 objects must die on the pjsua2 thread (``pj_thread_this`` aborts otherwise).
        """
        ref = weakref.ref(call)

        def run(action: str, target: str) -> asyncio.Future[None]:
            def job() -> None:
                call = ref()
                if call is None:
                    return
                if action == "hangup":
                    call.local_hangup = True
                    self._hangup(call)
                elif action == "transfer":
                    call.xfer(target, pj.CallOpParam(True))

            return self.submit(job)

        return run
