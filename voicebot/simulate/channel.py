"""The simulated caller as a channel decorator: records what the line says, answers by policy.

Audio calls: :class:`SimulatedCaller` wraps ``AudioChannel.on_port`` over a
:class:`~voicebot.simulate.port.SimulatedPort`; before each ``hear`` it asks the policy and
queues the answer as speech (espeak-ng in the goal's voice and condition) or keypad tones.
Text calls: the same policy feeds a ``TextChannel``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from voicebot.asr.types import Recognizer
from voicebot.audio.chunk import AudioChunk
from voicebot.audio.convert import encode, to_mono_float
from voicebot.audio.dtmf import generate_dtmf
from voicebot.call.listening import ListenSpec
from voicebot.call.ports import CallerInput, Channel, Spoken
from voicebot.simulate.goals import Condition, Goal
from voicebot.simulate.policy import Answer, Turn, answer
from voicebot.simulate.port import SimulatedPort
from voicebot.simulate.voice import CallerVoice, silence
from voicebot.transport.media import CallInfo

TAIL_MS = 1200
"""Silence the caller leaves after speaking or keying (the line's end-of-turn wait is 700 ms)."""

Policy = Callable[[Goal, tuple[str, ...], tuple[Turn, ...]], Answer]
"""The caller's policy (:func:`voicebot.simulate.policy.answer`)."""


class CallerMind:
    """What one simulated caller has heard and answered so far."""

    def __init__(self, goal: Goal, policy: Policy = answer) -> None:
        self.goal = goal
        self._policy = policy
        self._said: list[str] = []
        self.bot_texts: list[str] = []
        """Everything the line said, in order."""
        self.turns: list[Turn] = []
        """The caller's answers with what the line said before each."""

    def heard(self, text: str, written: str | None = None) -> None:
        """The caller heard ``text`` (the line's ``written`` text, when it was transcribed)."""
        self._said.append(text)
        self.bot_texts.append(text if written is None else written)

    def next_answer(self) -> Answer:
        """Ask the policy; the line's texts so far are then answered."""
        said = tuple(self._said)
        ans = self._policy(self.goal, said, tuple(self.turns))
        self.turns.append(Turn(" ".join(said), ans))
        self._said.clear()
        return ans


class SimulatedCaller:
    """Decorates the line's audio channel on a simulated port (see the module docstring)."""

    def __init__(self, inner: Channel, port: SimulatedPort, mind: CallerMind,
                 voice: CallerVoice, *, ears: Recognizer | None = None) -> None:
        self._inner = inner
        self._port = port
        self.mind = mind
        self._voice = voice
        self._condition = mind.goal.condition
        self._ears = ears
        """With a recognizer, the caller goes by the line's audio transcribed, not its text."""

    @property
    def info(self) -> CallInfo:
        """The port's call."""
        return self._inner.info

    async def say(self, text: str, language: str, barge_in: bool) -> Spoken:
        """Note the prompt text (or what its audio sounds like), then let the line play it."""
        if self._ears is None:
            self.mind.heard(text)
            return await self._inner.say(text, language, barge_in)
        start = len(self._port.bot_audio)
        spoken = await self._inner.say(text, language, barge_in)
        pcm = b"".join(c.audio for c in self._port.bot_audio[start:])
        self.mind.heard(await asyncio.to_thread(self._transcribe, pcm), text)
        return spoken

    def _transcribe(self, pcm: bytes) -> str:
        assert self._ears is not None
        self._ears.set_grammar(None)
        self._ears.accept(pcm)
        return self._ears.finish().text

    def _keys_audio(self, keys: str) -> AudioChunk:
        rate = 8000 if self._condition == Condition.PHONE else 16000
        tones = generate_dtmf(keys, rate=rate, tone_ms=90, gap_ms=90)
        if self._condition == Condition.PHONE:
            return AudioChunk(encode(to_mono_float(tones), "mulaw", 1), rate, 1, 1,
                              encoding="mulaw")
        return tones

    def _silence(self, ms: int) -> AudioChunk:
        return silence(ms, self._condition, len(self.mind.turns))

    async def hear(self, spec: ListenSpec) -> CallerInput:
        """Queue the caller's answer, then let the line listen to it."""
        ans = self.mind.next_answer()
        goal = self.mind.goal
        if ans.kind == "speak":
            self._port.queue(await asyncio.to_thread(self._voice.speak, ans.text,
                                                     goal.voice_name, self._condition))
            self._port.queue(self._silence(TAIL_MS))
        elif ans.kind == "keys":
            self._port.queue(self._keys_audio(ans.text))
            self._port.queue(self._silence(TAIL_MS))
        elif ans.kind == "hang_up":
            self._port.hang_up_caller()
        return await self._inner.hear(spec)

    async def close(self) -> None:
        """Close the line's channel."""
        await self._inner.close()


def typed(ans: Answer) -> str | None:
    """An answer as a typed line for ``TextChannel`` (``/keys``, empty for silence)."""
    if ans.kind == "speak":
        return ans.text
    if ans.kind == "keys":
        return f"/keys {ans.text}"
    if ans.kind == "silence":
        return ""
    return None
