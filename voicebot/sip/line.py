"""The SIP line on the real call loop: each SIP call is one channel on the process's ``Line``.

``SipMedia`` is the call's ``MediaPort`` (caller audio, RFC 4733 keys and the hang-up in; clock-
paced outbound frames out). ``AudioChannel.on_port`` listens on it (endpointing, recognition,
in-band DTMF in the same key stream as RFC 4733) and ``run_call`` drives the dialog and always
finishes the call record, exactly as for every other channel. One line per process, many calls.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import sys
from dataclasses import asdict, dataclass

from voicebot.call.audio_channel import AudioChannel, EndpointerFactory
from voicebot.call.line import Line
from voicebot.call.loop import CallResult, run_call
from voicebot.callerid import normalize_caller_id
from voicebot.dialog.prompts import text as say
from voicebot.settings import Settings
from voicebot.sip import hold, orphans
from voicebot.sip.media import SipMedia
from voicebot.transport.media import CallInfo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LineCallSummary:
    """One SIP call as the line ran it, printed as one JSON line (``{"call": ...}``) at its end."""

    call_id: str
    """SIP Call-ID."""
    record: int | None
    """Id of the call record in the store."""
    caller: str
    """Caller id, normalized."""
    callee: str
    """Number dialled."""
    codec: str
    """Negotiated codec."""
    ended: str
    """Why the media ended (``HangUpReason``), ``""`` if the line ended it first."""
    outcome: str
    """The call record's outcome."""
    verified: bool
    """Whether the caller passed the password check."""
    turns: int
    """Turns written to the record."""
    frames_out: int
    """Outbound frames the bridge asked for."""
    late_out: int
    """Outbound requests more than 5 ms late."""
    jitter_out_ms: float
    """Mean deviation of outbound request gaps from 20 ms."""


class SipLine:
    """The shared ``Line`` plus what each SIP call needs to run on it."""

    def __init__(self, line: Line, endpointer: EndpointerFactory, worker: str) -> None:
        self.line = line
        self.endpointer = endpointer
        self.worker = worker
        """This worker's name on its call records and heartbeat."""

    @classmethod
    def load(cls, settings: Settings, worker: str) -> SipLine:
        """Load the line once (store, understanding, speech engines): blocking, seconds."""
        from voicebot.call.setup import endpointer_factory, load_line

        return cls(load_line(settings, speech=True), endpointer_factory(settings),
                   settings.sip_worker or worker)

    def start_up(self) -> list[int]:
        """Before taking calls: close this worker's calls left open by its previous run, beat."""
        now = dt.datetime.now(dt.UTC)
        closed = orphans.close_own(self.line.sessions, self.worker, now)
        orphans.beat(self.line.sessions, self.worker, now, starting=True)
        return closed

    async def watch(self) -> None:
        """Heartbeat, and close the open calls of workers that stopped beating (forever)."""
        every = self.line.settings.sip_heartbeat_s
        while True:
            await asyncio.sleep(every)
            now = dt.datetime.now(dt.UTC)
            try:
                await asyncio.to_thread(orphans.beat, self.line.sessions, self.worker, now)
                await asyncio.to_thread(orphans.close_dead, self.line.sessions, self.worker,
                                        now, every)
            except Exception:  # the store is away: the next beat tries again
                log.exception("heartbeat of worker %s failed", self.worker)

    async def _tag(self, record_id: int) -> None:
        await asyncio.to_thread(orphans.tag, self.line.sessions, record_id, self.worker)

    async def run(self, media: SipMedia) -> CallResult:
        """Run one call to the end on the real call loop; the record is always finished."""
        channel = AudioChannel.on_port(self.line, media, self.endpointer)
        return await run_call(self.line, channel, on_record=self._tag)

    async def _say(self, media: SipMedia, text: str, language: str) -> None:
        synth = self.line.synthesizer
        assert synth is not None
        audio = await asyncio.to_thread(synth.synthesize, text, language)
        await media.play([audio]).done

    async def _note(self, record_id: int | None, text: str) -> None:
        if record_id is not None:
            await asyncio.to_thread(hold.note_turn, self.line.sessions, record_id, text,
                                    dt.datetime.now(dt.UTC))

    async def wait_for_operator(self, media: SipMedia, result: CallResult) -> str:
        """A handed-off caller in desk hours stays on the line: position messages while the
        ticket waits; transferred (REFER) to the operator who claims it; a callback when none
        does in ``handoff_wait_limit_min`` or the operator does not answer. What happened."""
        settings, sessions, lang = self.line.settings, self.line.sessions, result.language
        number, spoke_at = result.record_ref, 0.0
        loop = asyncio.get_running_loop()
        while media.ended_reason is None:
            state = await asyncio.to_thread(hold.ticket_state, sessions, number)
            if state.status == "waiting":
                if loop.time() - spoke_at >= settings.sip_hold_message_s:
                    hold_text = say("hold_position", lang, position=state.position)
                    await self._say(media, hold_text, lang)
                    spoke_at = loop.time()
                await asyncio.sleep(1.0)
                await asyncio.to_thread(hold.expire, sessions, settings, dt.datetime.now(dt.UTC))
                continue
            if state.status != "claimed":  # expired (here or by the console)
                await self._note(result.call_id, f"[hold] ticket {number} {state.status}")
                booked = state.status == "callback"  # a withheld caller's ticket just expires
                await self._say(media, say("hold_callback" if booked else "hold_expired", lang),
                                lang)
                return state.status
            return await self._transfer(media, result, state)
        await self._note(result.call_id, f"[hold] caller hung up while ticket {number} waited")
        return "hung_up"

    async def _transfer(self, media: SipMedia, result: CallResult,
                        state: hold.TicketState) -> str:
        settings, lang, number = self.line.settings, result.language, result.record_ref
        at = state.claimed_at.isoformat() if state.claimed_at else ""
        code = 0
        if state.sip_uri:
            await self._say(media, say("hold_connecting", lang), lang)
            await media.transfer(state.sip_uri)
            assert media.transferred is not None
            try:
                code = await asyncio.wait_for(media.transferred, settings.sip_transfer_timeout_s)
            except TimeoutError:
                code = 408
        if code == 200:
            await self._note(result.call_id, f"[transferred] to {state.operator} "
                             f"({state.sip_uri}), claimed {at}")
            return "transferred"
        why = (f"operator {state.operator} did not answer the transfer ({code})" if code
               else f"operator {state.operator} has no SIP URI")
        callback = await asyncio.to_thread(hold.operator_missed, self.line.sessions, settings,
                                           number, dt.datetime.now(dt.UTC), why)
        await self._note(result.call_id, f"[hold] {why}; callback {callback or 'none'}")
        if media.ended_reason is None:
            await self._say(media, say("hold_callback" if callback else "hold_expired", lang),
                            lang)
        return "callback"

    async def handle_call(self, media: SipMedia, info: CallInfo) -> None:
        """The server's per-call entry: run the call (and keep a handed-off caller on the line
        for an operator), print its summary line."""
        result = await self.run(media)
        if (result.outcome == "handoff" and result.record_ref.startswith("HT")
                and media.ended_reason is None):
            handed = await self.wait_for_operator(media, result)
            log.info("call %s after handoff: %s", result.call_id, handed)
        pacing = media.pacing
        summary = LineCallSummary(
            info.call_id, result.call_id, normalize_caller_id(info.caller), info.callee,
            media.info.codec, media.ended_reason.value if media.ended_reason else "",
            result.outcome, result.verified, len(result.turns), pacing.frames, pacing.late,
            round(pacing.jitter_ms, 3))
        print(json.dumps({"call": asdict(summary)}, ensure_ascii=False), file=sys.stdout,
              flush=True)
