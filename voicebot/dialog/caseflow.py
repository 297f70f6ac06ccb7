"""Case matters: collect and confirm the case number, verify the password, answer."""

from __future__ import annotations

from types import MappingProxyType

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.dialog.actions import Action, LookUpCase, VerifyPassword
from voicebot.dialog.answers import answer as answer_text
from voicebot.dialog.conversation import Conversation, Router
from voicebot.dialog.events import CaseFound, CaseNotFound, PasswordChecked
from voicebot.dialog.kinds import DialogState, Expect, Outcome
from voicebot.dialog.prompts import KEYPAD_TYPES
from voicebot.dialog.turn import CallerTurn, Phrase, phrase
from voicebot.nlu.types import PartialCaseNumber, Understanding
from voicebot.store.facts import CaseFacts

MAX_PASSWORD_ATTEMPTS = 3
"""Wrong passwords per case number before the caller hears the lock message."""

_PARTS = ("year", "case_type", "seq")
_KEYPAD_LINES = MappingProxyType(
    {"year": "keypad_year", "case_type": "keypad_type", "seq": "keypad_seq"}
)
KEYPAD_AFTER_REJECTED = 2
"""Read-backs the caller said no to (or corrected) before every part is keyed instead."""
_KEYPAD_DIGITS = MappingProxyType({"year": 4, "case_type": 1, "seq": None})


def merge(old: PartialCaseNumber | None, new: PartialCaseNumber) -> PartialCaseNumber:
    """Parts said now override parts said before."""
    if old is None:
        return new
    return PartialCaseNumber(
        new.year if new.year is not None else old.year,
        new.court if new.court is not None else old.court,
        new.case_type if new.case_type is not None else old.case_type,
        new.seq if new.seq is not None else old.seq,
    )


def as_partial(number: CaseNumber) -> PartialCaseNumber:
    """A complete number as parts (to apply a correction to)."""
    return PartialCaseNumber(number.year, number.court, number.case_type, number.seq)


class CaseFlow:
    """The case-number, verification and answer part of the dialog (its own slots below)."""

    def __init__(self, conversation: Conversation, router: Router) -> None:
        self.c = conversation
        self.router = router
        self.pending: CaseNumber | None = None
        """The number read back, awaiting yes / no."""
        self.rejected: set[CaseNumber] = set()
        """Numbers read back that the caller said were wrong (in this call)."""
        self.partial: PartialCaseNumber | None = None
        self.keypad_step: str | None = None
        self.keys_asked = False
        """The caller was asked to key in the password after a doubtful spoken one."""
        self.verified_numbers: set[CaseNumber] = set()
        self.failures: dict[CaseNumber, int] = {}
        self.facts: CaseFacts | None = None
        self.overview = False
        """Keypad 1 asked for an overview of the case."""
        self.notice_said = False
        """The lawful-use notice was said (once per call, before the first disclosure)."""

    def start_case(self, intent: str, turn: CallerTurn) -> list[Action]:
        """A case intent: reuse a verified number, or collect one."""
        self.c.intent = intent
        self.partial = None
        self.keypad_step = None
        said = turn.case_number
        partial = turn.partial
        digits = turn.digits if turn.u is not None else None
        if said is None and partial is None and digits and len(digits) >= 2 and int(digits):
            partial = PartialCaseNumber(None, None, None, int(digits))  # "case 12345"
        if said is None and partial is not None:
            merged = merge(None, partial)
            said = self._complete(merged)
            if said is None:
                self.partial = merged
                return self.ask_missing()
        if said is None and self.c.case_number is not None and self.c.verified:
            return self.after_verified()
        if (
            said is None
            and self.c.case_number is not None
            and (self.failures.get(self.c.case_number, 0) < MAX_PASSWORD_ATTEMPTS)
        ):
            return self.ask_password()
        if said is None:
            return self.c.ask(
                DialogState.CASE_NUMBER, Expect.CASE_NUMBER, phrase("ask_case_number")
            )
        return self.confirm_heard(said, turn, None)

    def _complete(self, partial: PartialCaseNumber) -> CaseNumber | None:
        try:
            return partial.complete(self.c.setup.home_court or None)
        except CaseNumberError:
            return None

    def _missing(self) -> tuple[str, ...]:
        partial = self.partial or PartialCaseNumber(None, None, None, None)
        return tuple(p for p in partial.missing if p in _PARTS)

    def ask_missing(self, *before: Phrase) -> list[Action]:
        """Ask for the parts still missing (by keypad once keypad entry started)."""
        missing = self._missing()
        if not missing:  # only the court is missing and the line has no home court
            self.partial = None
            self.keypad_step = None
            return self.c.ask(
                DialogState.CASE_NUMBER,
                Expect.CASE_NUMBER,
                phrase("ask_case_number"),
                before=before,
            )
        if self.keypad_step is not None:
            self.keypad_step = missing[0]
            return self.c.ask(
                DialogState.CASE_NUMBER,
                Expect.DIGITS,
                phrase(_KEYPAD_LINES[missing[0]]),
                before=before,
                max_digits=_KEYPAD_DIGITS[missing[0]],
            )
        parts = [phrase("part_" + p) for p in missing]
        sep = "、" if self.c.language == "zh" else " and "
        joined = sep.join(self.c.render([p]) for p in parts)
        return self.c.ask(
            DialogState.CASE_NUMBER,
            Expect.CASE_NUMBER,
            phrase("ask_missing", parts=joined),
            before=before,
        )

    def confirm_heard(
        self, number: CaseNumber, turn: CallerTurn, base: PartialCaseNumber | None
    ) -> list[Action]:
        """Read back a number heard in speech, but not one the caller already said no to: then
        the recognizer's next reading of the utterance, or else the keypad for the sequence."""
        if turn.u is None or number not in self.rejected:
            return self.confirm(number)
        without_seq = PartialCaseNumber(number.year, number.court, number.case_type, None)
        # parts another reading lacks come from what was said before, else from this reading
        fill = merge(without_seq, base) if base is not None else without_seq
        for alt in turn.alternatives:
            other = self._reading(alt, fill)
            if other is not None and other not in self.rejected:
                return self.confirm(other)
        self.partial = without_seq
        self.pending = None
        self.keypad_step = "seq"
        self.c.misses = 2
        return self.ask_missing(phrase("still_not_understood"))

    def _reading(self, alt: Understanding, base: PartialCaseNumber) -> CaseNumber | None:
        """The case number another hypothesis gives, completed from ``base``."""
        if alt.case_number is not None:
            return alt.case_number
        if alt.partial_case_number is not None:
            return self._complete(merge(base, alt.partial_case_number))
        if alt.digits and alt.digits.isdigit() and int(alt.digits):
            return self._complete(merge(base, PartialCaseNumber(None, None, None, int(alt.digits))))
        return None

    def confirm(self, number: CaseNumber, *before: Phrase) -> list[Action]:
        """Read the number back and ask for confirmation."""
        self.pending = number
        self.partial = None
        self.keypad_step = None
        self.c.misses = 0
        return self.c.ask(
            DialogState.CONFIRM_NUMBER,
            Expect.YESNO,
            phrase("confirm_number", number=number),
            before=before,
        )

    # case_number -------------------------------------------------------------------------------

    def on_case_number(self, turn: CallerTurn) -> list[Action]:
        """The caller gave (part of) the case number, by voice or keypad."""
        base = self.partial
        if turn.case_number is not None:
            return self.confirm_heard(turn.case_number, turn, base)
        if turn.u is not None and turn.agrees is False and not (turn.partial or turn.digits):
            return self.c.anything_else()
        if turn.keys is not None:
            return self._keyed_part(turn.keys)
        still_missing = self._missing()
        if turn.partial is not None:
            self.partial = merge(self.partial, turn.partial)
        elif turn.digits and self.partial is not None and self._missing() == ("seq",):
            self.partial = merge(
                self.partial, PartialCaseNumber(None, None, None, int(turn.digits))
            )
        elif turn.digits and self.keypad_step is not None:
            return self._keyed_part(turn.digits)
        else:
            return self._case_number_miss()
        if still_missing and self._missing() == still_missing:
            # heard something number-like that gives none of the parts asked for: a miss, so a
            # caller the recognizer keeps mishearing reaches the keypad instead of a loop
            return self._case_number_miss()
        self.c.misses = 0
        number = self._complete(self.partial)
        return self.confirm_heard(number, turn, base) if number is not None else self.ask_missing()

    def _keyed_part(self, keys: str) -> list[Action]:
        missing = self._missing()
        step = self.keypad_step if self.keypad_step in missing else missing[0]
        self.keypad_step = step
        partial = self.partial or PartialCaseNumber(None, None, None, None)
        value: PartialCaseNumber | None = None
        if step == "year" and len(keys) == 4 and keys.isdigit() and 1949 <= int(keys) <= 2100:
            value = PartialCaseNumber(int(keys), None, None, None)
        elif step == "case_type" and keys in {str(i + 1) for i in range(len(KEYPAD_TYPES))}:
            value = PartialCaseNumber(None, None, KEYPAD_TYPES[int(keys) - 1], None)
        elif step == "seq" and keys.isdigit() and int(keys) > 0:
            value = PartialCaseNumber(None, None, None, int(keys))
        if value is None:
            return self._case_number_miss()
        self.partial = merge(partial, value)
        self.c.misses = 0
        number = self._complete(self.partial)
        return self.confirm(number) if number is not None else self.ask_missing()

    def _case_number_miss(self) -> list[Action]:
        if self.c.misses == 1 and self.keypad_step is None:
            return self._all_by_keypad()
        self.c.misses += 1
        if self.c.misses >= 3:
            return self.router.escalate("not_understood", phrase("escalate"))
        return self.c.reask(phrase("not_understood"))

    # confirm_number ----------------------------------------------------------------------------

    def on_confirm(self, turn: CallerTurn) -> list[Action]:
        """Yes, no, or no with a correction."""
        assert self.pending is not None
        yes = turn.agrees
        if turn.case_number is not None and turn.case_number != self.pending:
            return self._corrected(turn.case_number)
        if yes is not True and turn.partial is not None:
            corrected = self._complete(merge(as_partial(self.pending), turn.partial))
            if corrected is not None and corrected != self.pending:
                return self._corrected(corrected)
        digits = turn.digits
        keyed_answer = turn.keys is not None and len(turn.keys) == 1
        if yes is not True and not keyed_answer and digits and digits.isdigit() and int(digits):
            p = self.pending
            if int(digits) != p.seq:
                return self._corrected(CaseNumber(p.year, p.court, p.case_type, int(digits)),
                                       keyed=turn.keys is not None)
        if yes is True:
            number = self.pending
            self.c.case_number = number
            if number in self.verified_numbers:
                self.c.verified = True
                return self.after_verified()
            self.c.verified = False
            self.facts = None
            return self.ask_password()
        if yes is False:
            self.rejected.add(self.pending)
            self.pending = None
            if len(self.rejected) >= KEYPAD_AFTER_REJECTED:
                return self._all_by_keypad()
            return self.c.ask(
                DialogState.CASE_NUMBER, Expect.CASE_NUMBER, phrase("ask_case_number")
            )
        return self.c.miss(self.router)

    def _corrected(self, number: CaseNumber, keyed: bool = False) -> list[Action]:
        """The caller corrected the reading: it was wrong; read back the correction (a spoken
        one after two wrong readings: the keypad instead)."""
        assert self.pending is not None
        self.rejected.add(self.pending)
        if not keyed and len(self.rejected) >= KEYPAD_AFTER_REJECTED:
            return self._all_by_keypad()
        return self.confirm(number)

    def _all_by_keypad(self) -> list[Action]:
        """Speech that failed twice (misses, or read-backs said no to): year, type and sequence
        by keypad. Parts heard in that speech are not kept: a misheard sequence would complete
        the keyed year and type."""
        self.pending = None
        self.partial = None
        self.keypad_step = "year"
        self.c.misses = 2
        return self.ask_missing(phrase("still_not_understood"))

    # password ----------------------------------------------------------------------------------

    def ask_password(self, *before: Phrase) -> list[Action]:
        """Ask for the 6-digit query password."""
        return self.c.ask(
            DialogState.PASSWORD,
            Expect.PASSWORD,
            phrase("ask_password"),
            before=before,
            max_digits=6,
        )

    def on_password(self, turn: CallerTurn) -> list[Action]:
        """Digits of the password, or a different case number."""
        if turn.case_number is not None and turn.case_number != self.c.case_number:
            return self.confirm(turn.case_number)
        digits = turn.digits
        if (
            digits is not None
            and len(digits) == 6
            and turn.u is not None
            and turn.doubtful
            and not self.keys_asked
        ):
            # a doubtful reading would cost one of three attempts: ask for the keys once
            self.keys_asked = True
            return self.c.ask(
                DialogState.PASSWORD, Expect.PASSWORD, phrase("password_keys"), max_digits=6
            )
        if digits is not None and len(digits) == 6 and digits.isdigit():
            assert self.c.case_number is not None
            self.c.await_result(DialogState.VERIFYING)
            return [VerifyPassword(self.c.case_number, digits)]
        if digits:
            return self.c.wrong_format(self.router, phrase("password_format"))
        if turn.u is not None and turn.agrees is False:
            return self.c.anything_else()
        return self.c.miss(self.router)

    def on_password_checked(self, ev: PasswordChecked) -> list[Action]:
        """Verified: look the case up. Wrong or unknown: the same words either way."""
        number = self.c.case_number
        assert number is not None
        if ev.ok and ev.known:
            self.c.verified = True
            self.verified_numbers.add(number)
            self.c.state = DialogState.LOOKING_UP
            if self.notice_said:
                return [LookUpCase(number)]
            # before the first disclosure of the call: case information is for lawful use only
            self.notice_said = True
            return [self.c.say(phrase("lawful_notice")), LookUpCase(number, lawful_notice=True)]
        failures = self.failures.get(number, 0) + 1
        self.failures[number] = failures
        left = min(ev.attempts_left, MAX_PASSWORD_ATTEMPTS - failures)
        if ev.locked or left <= 0:
            self.c.achieve(Outcome.VERIFICATION_FAILED if ev.known else Outcome.NOT_FOUND)
            self.c.verified = False
            # say what happened: this call's attempts, or a lock from before this call
            why = "locked_earlier" if failures == 1 else "locked"
            return self.c.anything_else(phrase(why), phrase("locked_help"))
        self.c.misses = 0
        return self.c.ask(
            DialogState.PASSWORD, Expect.PASSWORD, phrase("mismatch", left=left), max_digits=6
        )

    # answers -----------------------------------------------------------------------------------

    def on_case_found(self, ev: CaseFound) -> list[Action]:
        """Facts arrived: answer, or go on to the work order."""
        self.facts = ev.facts
        return self.after_verified()

    def on_case_not_found(self, ev: CaseNotFound) -> list[Action]:
        """The verified case vanished: apologise and offer a person."""
        self.c.achieve(Outcome.NOT_FOUND)
        return self.router.offer_operator("error", phrase("lookup_failed"))

    def after_verified(self) -> list[Action]:
        """Answer the current intent about the verified case."""
        if self.facts is None or self.facts.number != self.c.case_number:
            assert self.c.case_number is not None
            self.c.state = DialogState.LOOKING_UP
            return [LookUpCase(self.c.case_number)]
        if self.c.intent == "contact_judge":
            return self.router.ask_request()
        intent = "overview" if self.overview else (self.c.intent or "overview")
        text = answer_text(intent, self.facts, self.c.tz, self.c.language)
        self.c.achieve(Outcome.ANSWERED)
        return self.c.answer(text)


__all__ = ["MAX_PASSWORD_ATTEMPTS", "CaseFlow", "as_partial", "merge"]
