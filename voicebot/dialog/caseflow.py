"""Case matters: collect and confirm the case number, verify the password, answer, work orders."""

from __future__ import annotations

from types import MappingProxyType

from voicebot.casenumber import CaseNumber, CaseNumberError
from voicebot.dialog import answers
from voicebot.dialog.actions import Action, CreateWorkOrder, LookUpCase, VerifyPassword
from voicebot.dialog.core import MAX_PASSWORD_ATTEMPTS, DialogBase, Input, PromptLine, line
from voicebot.dialog.events import CaseFound, CaseNotFound, PasswordChecked
from voicebot.dialog.prompts import KEYPAD_TYPES
from voicebot.nlu.types import PartialCaseNumber, Understanding

_PARTS = ("year", "case_type", "seq")
_KEYPAD_LINES = MappingProxyType(
    {"year": "keypad_year", "case_type": "keypad_type", "seq": "keypad_seq"})
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


class CaseFlow(DialogBase):
    """The case-number, verification, answer and work-order part of the dialog."""

    def start_case(self, intent: str, inp: Input) -> list[Action]:
        """A case intent: reuse a verified number, or collect one."""
        self.intent = intent
        self.partial = None
        self.keypad_step = None
        said = inp.case_number
        partial = inp.partial
        digits = inp.digits if inp.u is not None else None
        if said is None and partial is None and digits and len(digits) >= 2 and int(digits):
            partial = PartialCaseNumber(None, None, None, int(digits))  # "case 12345"
        if said is None and partial is not None:
            merged = merge(None, partial)
            said = self._complete(merged)
            if said is None:
                self.partial = merged
                return self.ask_missing()
        if said is None and self.case_number is not None and self.verified:
            return self.after_verified()
        if said is None and self.case_number is not None and (
                self.failures.get(self.case_number, 0) < MAX_PASSWORD_ATTEMPTS):
            return self.ask_password()
        if said is None:
            return self.ask("case_number", "case_number", line("ask_case_number"))
        return self.confirm_heard(said, inp, None)

    def _complete(self, partial: PartialCaseNumber) -> CaseNumber | None:
        try:
            return partial.complete(self.home_court or None)
        except CaseNumberError:
            return None

    def _missing(self) -> tuple[str, ...]:
        partial = self.partial or PartialCaseNumber(None, None, None, None)
        return tuple(p for p in partial.missing if p in _PARTS)

    def ask_missing(self, *before: PromptLine) -> list[Action]:
        """Ask for the parts still missing (by keypad once keypad entry started)."""
        missing = self._missing()
        if not missing:  # only the court is missing and the line has no home court
            self.partial = None
            self.keypad_step = None
            return self.ask("case_number", "case_number", line("ask_case_number"), before=before)
        if self.keypad_step is not None:
            self.keypad_step = missing[0]
            return self.ask("case_number", "digits", line(_KEYPAD_LINES[missing[0]]),
                            before=before, max_digits=_KEYPAD_DIGITS[missing[0]])
        parts = [line("part_" + p) for p in missing]
        sep = "、" if self.language == "zh" else " and "
        joined = sep.join(self.render([p]) for p in parts)
        return self.ask("case_number", "case_number", line("ask_missing", parts=joined),
                        before=before)

    def confirm_heard(self, number: CaseNumber, inp: Input,
                      base: PartialCaseNumber | None) -> list[Action]:
        """Read back a number heard in speech, but not one the caller already said no to: then
        the recognizer's next reading of the utterance, or else the keypad for the sequence."""
        if inp.u is None or number not in self.rejected:
            return self.confirm(number)
        without_seq = PartialCaseNumber(number.year, number.court, number.case_type, None)
        # parts another reading lacks come from what was said before, else from this reading
        fill = merge(without_seq, base) if base is not None else without_seq
        for alt in inp.alternatives:
            other = self._reading(alt, fill)
            if other is not None and other not in self.rejected:
                return self.confirm(other)
        self.partial = without_seq
        self.pending = None
        self.keypad_step = "seq"
        self.misses = 2
        return self.ask_missing(line("still_not_understood"))

    def _reading(self, alt: Understanding, base: PartialCaseNumber) -> CaseNumber | None:
        """The case number another hypothesis gives, completed from ``base``."""
        if alt.case_number is not None:
            return alt.case_number
        if alt.partial_case_number is not None:
            return self._complete(merge(base, alt.partial_case_number))
        if alt.digits and alt.digits.isdigit() and int(alt.digits):
            return self._complete(merge(base, PartialCaseNumber(None, None, None, int(alt.digits))))
        return None

    def confirm(self, number: CaseNumber, *before: PromptLine) -> list[Action]:
        """Read the number back and ask for confirmation."""
        self.pending = number
        self.partial = None
        self.keypad_step = None
        self.misses = 0
        return self.ask("confirm_number", "yesno", line("confirm_number", number=number),
                        before=before)

    # case_number -------------------------------------------------------------------------------

    def on_case_number(self, inp: Input) -> list[Action]:
        """The caller gave (part of) the case number, by voice or keypad."""
        base = self.partial
        if inp.case_number is not None:
            return self.confirm_heard(inp.case_number, inp, base)
        if inp.u is not None and inp.yes_no is False and not (inp.partial or inp.digits):
            return self.anything_else()
        if inp.keys is not None:
            return self._keyed_part(inp.keys)
        if inp.partial is not None:
            self.partial = merge(self.partial, inp.partial)
        elif inp.digits and self.partial is not None and self._missing() == ("seq",):
            self.partial = merge(self.partial, PartialCaseNumber(None, None, None, int(inp.digits)))
        elif inp.digits and self.keypad_step is not None:
            return self._keyed_part(inp.digits)
        else:
            return self._case_number_miss()
        self.misses = 0
        number = self._complete(self.partial)
        return self.confirm_heard(number, inp, base) if number is not None else self.ask_missing()

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
        self.misses = 0
        number = self._complete(self.partial)
        return self.confirm(number) if number is not None else self.ask_missing()

    def _case_number_miss(self) -> list[Action]:
        if self.misses == 1 and self.keypad_step is None:
            self.misses = 2
            self.keypad_step = self._missing()[0]
            return self.ask_missing(line("still_not_understood"))
        self.misses += 1
        if self.misses >= 3:
            return self.escalate("not_understood", line("escalate"))
        return self.reask(line("not_understood"))

    # confirm_number ----------------------------------------------------------------------------

    def on_confirm(self, inp: Input) -> list[Action]:
        """Yes, no, or no with a correction."""
        assert self.pending is not None
        yes = inp.yes_no
        if inp.case_number is not None and inp.case_number != self.pending:
            return self._corrected(inp.case_number)
        if yes is not True and inp.partial is not None:
            corrected = self._complete(merge(as_partial(self.pending), inp.partial))
            if corrected is not None and corrected != self.pending:
                return self._corrected(corrected)
        digits = inp.digits
        keyed_answer = inp.keys is not None and len(inp.keys) == 1
        if yes is not True and not keyed_answer and digits and digits.isdigit() and int(digits):
            p = self.pending
            if int(digits) != p.seq:
                return self._corrected(CaseNumber(p.year, p.court, p.case_type, int(digits)))
        if yes is True:
            number = self.pending
            self.case_number = number
            if number in self.verified_numbers:
                self.verified = True
                return self.after_verified()
            self.verified = False
            self.facts = None
            return self.ask_password()
        if yes is False:
            self.rejected.add(self.pending)
            self.pending = None
            return self.ask("case_number", "case_number", line("ask_case_number"))
        return self.miss()

    def _corrected(self, number: CaseNumber) -> list[Action]:
        """The caller corrected the reading: it was wrong; read back the correction."""
        assert self.pending is not None
        self.rejected.add(self.pending)
        return self.confirm(number)

    # password ----------------------------------------------------------------------------------

    def ask_password(self, *before: PromptLine) -> list[Action]:
        """Ask for the 6-digit query password."""
        return self.ask("password", "password", line("ask_password"), before=before, max_digits=6)

    def on_password(self, inp: Input) -> list[Action]:
        """Digits of the password, or a different case number."""
        if inp.case_number is not None and inp.case_number != self.case_number:
            return self.confirm(inp.case_number)
        digits = inp.digits
        if (digits is not None and len(digits) == 6 and inp.u is not None and inp.doubtful
                and not self.keys_asked):
            # a doubtful reading would cost one of three attempts: ask for the keys once
            self.keys_asked = True
            return self.ask("password", "password", line("password_keys"), max_digits=6)
        if digits is not None and len(digits) == 6 and digits.isdigit():
            assert self.case_number is not None
            self.state = "verifying"
            self.asking = None
            return [VerifyPassword(self.case_number, digits)]
        if digits:
            return self.wrong_format(line("password_format"))
        if inp.u is not None and inp.yes_no is False:
            return self.anything_else()
        return self.miss()

    def wrong_format(self, hint: PromptLine) -> list[Action]:
        """Digits of the wrong length: say what is expected (counts as a miss)."""
        self.misses += 1
        if self.misses >= 3:
            return self.escalate("not_understood", line("escalate"))
        return self.reask(hint)

    def on_password_checked(self, ev: PasswordChecked) -> list[Action]:
        """Verified: look the case up. Wrong or unknown: the same words either way."""
        number = self.case_number
        assert number is not None
        if ev.ok and ev.known:
            self.verified = True
            self.verified_numbers.add(number)
            self.state = "looking_up"
            return [LookUpCase(number)]
        failures = self.failures.get(number, 0) + 1
        self.failures[number] = failures
        left = min(ev.attempts_left, MAX_PASSWORD_ATTEMPTS - failures)
        if ev.locked or left <= 0:
            self.achieve("verification_failed" if ev.known else "not_found")
            self.verified = False
            return self.anything_else(line("locked"))
        self.misses = 0
        return self.ask("password", "password", line("mismatch", left=left), max_digits=6)

    # answers -----------------------------------------------------------------------------------

    def on_case_found(self, ev: CaseFound) -> list[Action]:
        """Facts arrived: answer, or go on to the work order."""
        self.facts = ev.facts
        return self.after_verified()

    def on_case_not_found(self, ev: CaseNotFound) -> list[Action]:
        """The verified case vanished: apologise and offer a person."""
        self.achieve("not_found")
        return self.offer_operator("error", line("lookup_failed"))

    def after_verified(self) -> list[Action]:
        """Answer the current intent about the verified case."""
        if self.facts is None or self.facts.number != self.case_number:
            assert self.case_number is not None
            self.state = "looking_up"
            return [LookUpCase(self.case_number)]
        if self.intent == "contact_judge":
            return self.ask_request()
        intent = "overview" if self.overview else (self.intent or "overview")
        text = answers.answer(intent, self.facts, self.tz, self.language)
        self.achieve("answered")
        return [self.say_text(text), *self.anything_else()]

    # work order --------------------------------------------------------------------------------

    def ask_request(self, *before: PromptLine) -> list[Action]:
        """Ask what to pass on to the judge."""
        first: list[PromptLine] = list(before)
        if self.facts is not None and self.facts.judge is not None:
            name = self.facts.judge.name_en if self.language == "en" else self.facts.judge.name
            first.append(line("judge_is", judge=name))
        self.phone_purpose = "work_order"
        return self.ask("ask_request", "message", line("ask_request"), before=tuple(first))

    def on_request(self, inp: Input) -> list[Action]:
        """The caller's request for the judge."""
        message = (inp.transcript or (inp.u.text if inp.u else "")).strip()
        if inp.keys is not None or not message:
            return self.miss()
        self.request = message
        return self.ask_phone_or_confirm()

    def ask_phone_or_confirm(self) -> list[Action]:
        """Offer the caller id for the callback, or ask for a number."""
        if self.caller_id:
            key = "confirm_callback_phone" if self.phone_purpose == "callback" else "confirm_phone"
            return self.ask("confirm_phone", "yesno", line(key, phone=self.caller_id))
        return self.ask("ask_phone", "phone", line("ask_phone"))

    def on_confirm_phone(self, inp: Input) -> list[Action]:
        """Yes: use the caller id; no: ask; digits: use them."""
        digits = inp.digits
        if digits and 7 <= len(digits) <= 15 and inp.yes_no is not True:
            return self.create_with_phone(digits)
        if inp.yes_no is True and self.caller_id:
            return self.create_with_phone(self.caller_id)
        if inp.yes_no is False:
            return self.ask("ask_phone", "phone", line("ask_phone"))
        return self.miss()

    def on_phone(self, inp: Input) -> list[Action]:
        """A phone number said or keyed."""
        digits = inp.digits
        if digits and 7 <= len(digits) <= 15:
            return self.create_with_phone(digits)
        if digits:
            return self.wrong_format(line("phone_invalid"))
        return self.miss()

    def create_with_phone(self, phone: str) -> list[Action]:
        """Create the work order or callback for ``phone``."""
        if self.phone_purpose == "callback":
            return self.create_callback(phone)
        assert self.case_number is not None
        self.state = "creating"
        self.creating = "work_order"
        self.asking = None
        return [CreateWorkOrder(self.case_number, self.request, phone)]

    # hooks implemented by the services flow
    def create_callback(self, phone: str) -> list[Action]:
        """Book a callback to ``phone``."""
        raise NotImplementedError

    def offer_operator(self, reason: str, *before: PromptLine) -> list[Action]:
        """Offer a person (yes/no)."""
        raise NotImplementedError


__all__ = ["CaseFlow", "as_partial", "merge"]
