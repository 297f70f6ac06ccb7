"""End of turn that knows what it waits for: an early reading that completes the turn ends it.

The endpointer ends an utterance after ``silence_ms`` of silence. At a pause of ``speculate_ms``
recognition already finishes early (:mod:`voicebot.call.early_final`); :class:`TurnEnd` judges
that early reading against what the prompt asked for (:class:`EndRule`). A digit string of the
expected length, a confident yes or no, or a complete, confident request ends the turn once
its own, shorter silence has passed; anything else (a number cut by a pause, "no, it's ...",
a message) still waits for ``silence_ms``. A caller who goes on voids the judgement with the
early reading.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from voicebot.asr.digits import words_to_digits
from voicebot.asr.types import AsrResult
from voicebot.call.hypotheses import acted_reading
from voicebot.call.listening import ListenSpec
from voicebot.nlu.types import NluHint, Understanding
from voicebot.settings import Settings

log = logging.getLogger(__name__)


class EndRule(StrEnum):
    """Which early reading ends a turn before ``silence_ms``."""

    DIGITS = "digits"
    """A digit string of one known length (the password): that many digits."""
    YES_NO = "yes_no"
    """A confirmation: a yes or a no with nothing left hanging."""
    REQUEST = "request"
    """A request or menu choice: a confident intent with nothing left hanging."""
    SILENCE = "silence"
    """Everything else (case numbers, phone numbers, messages): ``silence_ms`` only."""


def end_rule(spec: ListenSpec) -> EndRule:
    """The rule for a prompt's turn."""
    if spec.digit_range is not None:
        lo, hi = spec.digit_range
        return EndRule.DIGITS if lo == hi else EndRule.SILENCE
    if spec.nlu_hint is NluHint.YESNO:
        return EndRule.YES_NO
    if spec.nlu_hint is NluHint.INTENT:
        return EndRule.REQUEST
    return EndRule.SILENCE


@dataclass(frozen=True)
class EndHolds:
    """Silence (ms) that ends a turn whose early reading completes it, per rule (0: never)."""

    digits_ms: int = 250
    """After the last digit of a string of the expected length."""
    yes_no_ms: int = 300
    """After a confident yes or no."""
    request_ms: int = 400
    """After a complete, confident request."""
    request_confidence: float = 0.6
    """Least intent confidence of such a request."""

    @classmethod
    def from_settings(cls, settings: Settings) -> EndHolds:
        """The line's holds (``end_*_ms``); none of them ends a turn without ``speculate_ms``."""
        if not settings.speculate_ms:
            return cls(0, 0, 0)
        return cls(settings.end_digits_ms, settings.end_yes_no_ms, settings.end_request_ms,
                   settings.end_request_confidence_pct / 100)

    def hold_ms(self, rule: EndRule) -> int:
        """The silence for ``rule`` (0: the turn waits for ``silence_ms``)."""
        return {EndRule.DIGITS: self.digits_ms, EndRule.YES_NO: self.yes_no_ms,
                EndRule.REQUEST: self.request_ms}.get(rule, 0)


_HANGING = {
    "en": frozenset({"a", "an", "the", "my", "our", "his", "her", "their", "of", "for", "to",
                     "and", "or", "but", "with", "about", "is", "it's", "its", "was", "number",
                     "no.", "um", "uh", "er", "erm", "hmm", "like", "so", "because", "if",
                     "what", "when", "which", "i", "i'm", "it", "that", "this", "at", "on",
                     "in", "by", "from", "want", "need", "would", "could", "can"}),
    "zh": ("是", "那个", "这个", "就是", "嗯", "呃", "啊", "和", "跟", "还有", "案号",
           "号码", "然后", "我想", "我要", "请问", "关于", "因为", "所以", "但是", "在"),
}
"""Last words after which a caller is still speaking ("the case number is ...", "不是，是...")."""
_WORD = re.compile(r"[a-z']+|[^\sa-z]", re.IGNORECASE)


def hangs(text: str, language: str) -> bool:
    """Whether ``text`` ends on a word that leaves the sentence open."""
    text = text.strip().rstrip("。，,.!?！？、 ")
    if not text:
        return True
    if language == "zh":  # a lone 是 or 嗯 is an answer
        return any(text.endswith(w) and len(text) > len(w) for w in _HANGING["zh"])
    words = _WORD.findall(text.lower())
    return not words or words[-1] in _HANGING["en"]


Parse = Callable[[str, str, NluHint | None], Understanding]
"""Text, language, hint -> what the caller meant (the line's understander)."""


class TurnEnd:
    """Judges whether an early reading completes one turn (one per listen)."""

    def __init__(self, spec: ListenSpec, holds: EndHolds, parse: Parse | None) -> None:
        self._spec = spec
        self._holds = holds
        self._parse = parse
        self.rule = end_rule(spec)
        """What this turn waits for."""
        if self.rule is not EndRule.DIGITS and parse is None:
            self.rule = EndRule.SILENCE
        self.hold_ms = holds.hold_ms(self.rule)
        """Silence after which a complete early reading ends the turn (0: never early)."""

    async def complete(self, result: AsrResult) -> bool:
        """Whether ``result`` (an early final) is all this turn waits for."""
        if self.hold_ms <= 0 or result.doubtful or not result.text.strip():
            return False
        lang = self._spec.language
        if self.rule is EndRule.DIGITS:
            assert self._spec.digit_range is not None
            digits = words_to_digits(result.text, lang)
            return digits is not None and len(digits) == self._spec.digit_range[0]
        if hangs(result.text, lang):
            return False
        texts = (result.text, *result.alternatives[:self._spec.alternatives])
        parse, hint = self._parse, self._spec.nlu_hint
        assert parse is not None
        try:
            understood = await asyncio.to_thread(lambda: [parse(t, lang, hint) for t in texts])
        except Exception:  # the loop's own understanding reports it; here: wait for silence
            log.warning("understanding an early reading failed", exc_info=True)
            return False
        i, doubt = acted_reading(understood, self._spec)
        u = understood[i]
        if doubt or i != 0:  # a stand-in reading is doubtful: let the caller finish
            return False
        if self.rule is EndRule.YES_NO:
            # a "no" that brings its correction ("no, it's one two ...") may go on with digits
            return u.yes_no is not None and not (u.digits or u.case_number
                                                 or u.partial_case_number)
        return (u.intent != "unknown" and u.confidence >= self._holds.request_confidence
                and u.partial_case_number is None and u.language_switch is None)
