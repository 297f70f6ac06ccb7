"""The call loop: caller input -> understanding -> dialog -> actions -> speech, one per call.

Each stage fails with its own error type and stable code; the loop catches at the stage boundary,
tells the dialog (``ActionFailed``) so the caller hears an apology and is offered the operator or a
callback, and always finishes the call record.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol
from zoneinfo import ZoneInfo

from voicebot.call.errors import DialogStageError, NluStageError, StageError, wrap
from voicebot.call.hypotheses import acted_reading
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec, listen_spec
from voicebot.call.ports import CallerInput, Channel
from voicebot.call.record import CallSummary, TurnLog
from voicebot.call.services import BACKEND_ACTIONS, CallContext, CallServices
from voicebot.call.spool_hooks import SpooledRecorder
from voicebot.callerid import normalize_caller_id
from voicebot.dialog.actions import Action, HangUp, Listen, Say, SwitchLanguage
from voicebot.dialog.events import (
    ActionFailed,
    BargeIn,
    CallStarted,
    Event,
    Heard,
    HungUp,
    Keyed,
    NoInput,
)
from voicebot.dialog.fallback import fallback_callback, fallback_end, fallback_handoff
from voicebot.dialog.snapshot import DialogSnapshot
from voicebot.nlu.types import Understanding
from voicebot.store.redact import keeps_audio, turn_text

log = logging.getLogger(__name__)


MAX_STAGE_ERRORS = 3
"""Stage errors in one call after which the loop stops trusting the dialog and ends the call."""


class Dialog(Protocol):
    """The dialog state machine as the loop drives it (``DialogMachine``)."""

    def handle(self, event: Event) -> list[Action]:
        """Actions in reply to ``event``."""
        ...

    def snapshot(self) -> DialogSnapshot:
        """The dialog's state as the call record needs it."""
        ...


@dataclass(frozen=True)
class CallResult:
    """A finished call."""

    call_id: int | None
    """Id of the call record."""
    language: str
    """Language the call ended in."""
    turns: tuple[TurnLog, ...]
    """Turns in order; the first is the greeting."""
    intent: str
    """The call's intent."""
    case_number: str
    """Case number in play (official form) or ``""``."""
    outcome: str
    """Outcome (``answered``, ``handoff``...)."""
    record_ref: str
    """Work order, ticket or handoff number, or ``""``."""
    verified: bool
    """Whether the caller passed the password check."""
    error_code: str
    """Stable code of the first stage error, or ``""``."""
    stage_ms: tuple[dict[str, float], ...] = field(default=())
    """Per caller turn: milliseconds per stage (endpoint, asr, nlu, dialog, tts, total)."""


def court_clock(tz: ZoneInfo, at: dt.datetime | None) -> Callable[[], dt.datetime]:
    """A clock in court time: wall time, or ``at`` advancing with real elapsed time."""
    if at is None:
        return lambda: dt.datetime.now(tz)
    start = at if at.tzinfo is not None else at.replace(tzinfo=tz)
    t0 = time.perf_counter()
    return lambda: start + dt.timedelta(seconds=time.perf_counter() - t0)


class _Call:
    """State of one running call (not shared)."""

    def __init__(self, line: Line, channel: Channel, dialog: Dialog, *, language: str,
                 clock: Callable[[], dt.datetime],
                 understand: Callable[[str, str, str | None], Understanding] | None) -> None:
        self.line = line
        self.channel = channel
        self.dialog = dialog
        self.caller_raw = channel.info.caller
        self.caller_id = normalize_caller_id(self.caller_raw)
        self.language = language
        self.clock = clock
        self.understand = understand or (
            lambda text, lang, hint: line.understander.parse(text, lang, expect=hint))
        self.recorder = SpooledRecorder(line.sessions, line.settings.recordings_dir,
                                        keep_audio=line.settings.keep_caller_audio,
                                        settings=line.settings)
        self.services = CallServices(line.sessions, line.settings, clock, line.knowledge)
        self.turns: list[TurnLog] = []
        self.stage_ms: list[dict[str, float]] = []
        self.caller_text = ""
        self.turn_intent = ""
        self.bot_texts: list[str] = []
        self.heard_at: float | None = None
        self.latency_ms: int | None = None
        self.timings: dict[str, float] = {}
        self.audio_path = ""
        self.errors = 0
        self.error_code = ""
        self.outcome = ""
        self.record_ref = ""
        self.ended = False

    # -- the pieces ------------------------------------------------------------------------------
    def _handle(self, event: Event) -> list[Action]:
        t0 = time.perf_counter()
        try:
            return self.dialog.handle(event)
        except Exception as exc:
            raise DialogStageError(f"dialog failed on {type(event).__name__}: {exc}") from exc
        finally:
            self._add_time("dialog", t0)

    def _add_time(self, stage: str, t0: float) -> None:
        if self.heard_at is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + 1000 * (time.perf_counter() - t0)

    def _context(self) -> CallContext:
        pairs = [(t.caller, t.bot) for t in self.turns]
        if self.caller_text or self.bot_texts:
            pairs.append((self.caller_text, " ".join(self.bot_texts)))
        return CallContext(self.recorder.call_id, self.caller_id, self.language, tuple(pairs),
                           self.audio_path, self._snapshot().intent)

    def _note_error(self, exc: StageError) -> None:
        self.errors += 1
        if not self.error_code:
            self.error_code = exc.code
        log.warning("call %s: %s stage failed (%s): %s", self.recorder.call_id, exc.stage,
                    exc.code, exc)

    async def _close_turn(self) -> None:
        if not (self.caller_text or self.bot_texts or self.heard_at is not None):
            return
        turn = TurnLog(self.caller_text, " ".join(self.bot_texts), self.turn_intent,
                       self.latency_ms)
        self.turns.append(turn)
        if self.heard_at is not None:
            total = self.latency_ms if self.latency_ms is not None else 0
            self.stage_ms.append({**self.timings, "total": float(total)})
        self.caller_text, self.turn_intent, self.bot_texts = "", "", []
        self.heard_at, self.latency_ms, self.timings = None, None, {}
        try:
            await asyncio.to_thread(self.recorder.add_turn, turn, self.clock())
        except Exception as exc:  # the record must not end the call
            self._note_error(wrap(StageError, exc))

    # -- actions ---------------------------------------------------------------------------------
    async def _say(self, action: Say) -> bool:
        self.bot_texts.append(action.text)
        spoken = await self.channel.say(action.text, action.language, action.barge_in)
        if self.heard_at is not None and self.latency_ms is None:
            self.timings["tts"] = self.timings.get("tts", 0.0) + spoken.tts_ms
            if spoken.first_audio_at is not None:
                self.latency_ms = round(1000 * (spoken.first_audio_at - self.heard_at))
        return spoken.barged_in

    async def _hear(self, listen: Listen) -> Event:
        await self._close_turn()
        spec = listen_spec(listen, self.line.grammar_for)
        heard = await self.channel.hear(spec)
        if heard.kind == "hung_up":
            return HungUp()
        self.heard_at = heard.ended_at or time.perf_counter()
        self.timings = dict(heard.timings)
        return await self._event(heard, spec)

    async def _event(self, heard: CallerInput, spec: ListenSpec) -> Event:
        if heard.kind == "hung_up":
            return HungUp()
        if heard.kind == "no_input":
            self.caller_text = "[silence]"
            return NoInput()
        if heard.kind == "keys":
            self.caller_text = turn_text(spec.secret, f"[keys] {heard.keys}")
            return Keyed(heard.keys)
        self.caller_text = turn_text(spec.secret, heard.text)
        if heard.pcm and keeps_audio(spec.secret):
            force = spec.keep_audio
            name = f"turn-{len(self.turns):02d}"
            path = await asyncio.to_thread(self.recorder.save_audio, heard.pcm, heard.rate, name,
                                           force=force)
            self.audio_path = path if force else self.audio_path
        t0 = time.perf_counter()
        # other readings matter where the caller may have rejected the first one read back
        others = heard.alternatives[:spec.alternatives]
        try:
            understood = await asyncio.to_thread(
                lambda: [self.understand(t, spec.language, spec.nlu_hint)
                         for t in (heard.text, *others)])
        except Exception as exc:
            raise NluStageError(str(exc), getattr(exc, "code", None)) from exc
        finally:
            self._add_time("nlu", t0)
        i, doubt = acted_reading(understood, spec)  # an open prompt's list reading may stand in
        self.turn_intent = understood[i].intent
        return Heard(understood[i], (heard.text, *others)[i],
                     tuple(u for j, u in enumerate(understood) if j != i), heard.doubtful or doubt)

    async def _run_actions(self, actions: list[Action]) -> None:
        queue: deque[Action] = deque(actions)
        while queue and not self.ended:
            action = queue.popleft()
            event: Event | None
            try:
                event = await self._step(action, queue)
            except StageError as exc:
                self._note_error(exc)
                if isinstance(exc, DialogStageError) or self.errors >= MAX_STAGE_ERRORS:
                    await self._emergency()
                    return
                event = ActionFailed(exc.stage, exc.code)
            if self.ended or event is None:
                continue
            try:
                queue = deque(self._handle(event))
            except DialogStageError as exc:
                self._note_error(exc)
                await self._emergency()
                return

    async def _step(self, action: Action, queue: deque[Action]) -> Event | None:
        if isinstance(action, Say):
            if await self._say(action):
                follow = [a for a in self._handle(BargeIn()) if not isinstance(a, Say)]
                rest = [a for a in queue if not isinstance(a, Say)]
                if any(isinstance(a, Listen) for a in follow):
                    rest = [a for a in rest if not isinstance(a, Listen)]
                queue.clear()
                queue.extend(follow + rest)
            return None
        if isinstance(action, SwitchLanguage):
            self.language = action.language
            return None
        if isinstance(action, Listen):
            self.language = action.language
            return await self._hear(action)
        if isinstance(action, HangUp):
            self.outcome = action.outcome
            self.ended = True
            return None
        if isinstance(action, BACKEND_ACTIONS):
            t0 = time.perf_counter()
            event = await self.services.execute(action, self._context())
            self._add_time("dialog", t0)
            if isinstance(event, ActionFailed) and not self.error_code:
                self.error_code = event.code
            return event
        return None  # StopSpeaking: playback already stopped by the channel

    async def _emergency(self) -> None:
        """The dialog cannot go on: the dialog's fallback policy, carried out here."""
        ctx = self._context()
        handoff = await self.services.execute(fallback_handoff(self._snapshot(), ctx.intent), ctx)
        callback_action = fallback_callback(handoff, self.caller_id)
        callback = (await self.services.execute(callback_action, ctx)
                    if callback_action is not None else None)
        end = fallback_end(self.language, handoff, callback)
        self.outcome, self.record_ref = end.outcome, end.record_ref
        try:
            await self._say(Say(end.text, self.language, False))
        except Exception as exc:  # nothing more can be said
            self._note_error(wrap(StageError, exc))
        self.ended = True

    # -- the call --------------------------------------------------------------------------------
    async def run(self) -> CallResult:
        started = self.clock()
        try:
            await asyncio.to_thread(self.recorder.start, started_at=started,
                                    channel=str(self.channel.info.transport),
                                    language=self.language, caller_id=self.caller_raw)
        except Exception as exc:
            self._note_error(wrap(StageError, exc))
        try:
            try:
                desk_open = await asyncio.to_thread(self.services.desk_open)
            except Exception as exc:
                self._note_error(wrap(StageError, exc))
                desk_open = False
            court = self.line.court
            first = CallStarted(self.language, self.caller_id or None, court.code, court.name,
                                court.name_en, desk_open, started)
            try:
                actions = self._handle(first)
            except DialogStageError as exc:
                self._note_error(exc)
                await self._emergency()
            else:
                await self._run_actions(actions)
        except Exception as exc:  # a bug outside every stage: still finish the record
            self._note_error(wrap(StageError, exc))
            log.exception("call %s failed", self.recorder.call_id)
        finally:
            await self._finish()
        return self._result()

    async def _finish(self) -> None:
        try:
            await self._close_turn()
        except Exception:
            log.exception("cannot store the last turn")
        summary = self._summary()
        try:
            await asyncio.to_thread(self.recorder.finish, summary, self.clock())
        except Exception:
            log.exception("cannot finish the record of call %s", self.recorder.call_id)
        try:
            await self.channel.close()
        except Exception:
            log.exception("cannot close the channel")

    def _snapshot(self) -> DialogSnapshot:
        try:
            return self.dialog.snapshot()
        except Exception:  # a broken dialog still leaves a record
            log.exception("cannot read the dialog's state")
            return DialogSnapshot("unknown", self.language)

    def _summary(self) -> CallSummary:
        d = self._snapshot()
        return CallSummary(
            outcome=str(self.outcome or d.outcome or "unresolved"),  # plain str, not the enum
            intent=d.intent,
            case_number=str(d.case_number) if d.case_number else "",
            verified=d.verified,
            record_ref=self.record_ref or d.record_ref,
            error_code=self.error_code,
            language=d.language or self.language,
        )

    def _result(self) -> CallResult:
        s = self._summary()
        return CallResult(self.recorder.call_id, s.language, tuple(self.turns), s.intent,
                          s.case_number, s.outcome, s.record_ref, s.verified, s.error_code,
                          tuple(self.stage_ms))


def new_dialog(line: Line) -> Dialog:
    """A fresh dialog state machine for one call."""
    from voicebot.dialog.linefacts import LineFacts
    from voicebot.dialog.machine import DialogMachine
    from voicebot.store.cases import LOCK_DURATION

    facts = LineFacts.from_settings(line.settings, int(LOCK_DURATION.total_seconds() // 60))
    return DialogMachine(tz=ZoneInfo(line.settings.timezone), facts=facts)


async def run_call(line: Line, channel: Channel, *, language: str | None = None,
                   at: dt.datetime | None = None,
                   dialog: Dialog | None = None,
                   understand: Callable[[str, str, str | None], Understanding] | None = None,
                   ) -> CallResult:
    """Run one call on ``channel`` to the end; never raises for a stage failure.

    The caller id comes from the transport (``channel.info.caller``)."""
    tz = ZoneInfo(line.settings.timezone)
    call = _Call(line, channel, dialog or new_dialog(line),
                 language=language or line.default_language, clock=court_clock(tz, at),
                 understand=understand)
    return await call.run()
