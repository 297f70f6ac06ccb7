"""The dialog of one call: ``DialogMachine.handle(event) -> list[Action]``; pure, no I/O."""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from zoneinfo import ZoneInfo

from voicebot.dialog import prompts
from voicebot.dialog.actions import Action, Listen, Say, StopSpeaking, SwitchLanguage
from voicebot.dialog.core import Input, Knowledge, line
from voicebot.dialog.errors import DialogError
from voicebot.dialog.events import (
    ActionFailed,
    BargeIn,
    CallStarted,
    CaseFound,
    CaseNotFound,
    DeskClosed,
    Event,
    HandoffQueued,
    Heard,
    HungUp,
    Keyed,
    NoInput,
    PasswordChecked,
    RecordCreated,
)
from voicebot.dialog.services import RECORD_INTENTS, Services
from voicebot.nlu.types import CASE_INTENTS

MENU_KEYS = MappingProxyType({"1": "case_progress", "2": "contact_judge", "3": "consultation",
                              "4": "complaint", "0": "operator"})
"""Main-menu keys and the intent each starts."""

LANGUAGE_KEYS = MappingProxyType({"9": "en", "8": "zh"})
"""Keys that switch the language at an open question."""

SHORT_TEXT = 12
"""While a message is being recorded, only an utterance this short can switch the language."""

NO_REHANDOFF = ("offer_operator", "offer_callback")
"""States where "operator" is an answer to the offer on the table, not a new handoff request."""

_OPEN_STATES = ("intent", "anything_else", "ask_question")
_WAITING = MappingProxyType({
    PasswordChecked: "verifying",
    CaseFound: "looking_up",
    CaseNotFound: "looking_up",
    RecordCreated: "creating",
    HandoffQueued: "handoff",
    DeskClosed: "handoff",
})


class DialogMachine(Services):
    """One call's dialog. Construct per call; feed every event to :meth:`handle`.

    Exposes ``language``, ``intent``, ``case_number``, ``verified``, ``outcome``, ``record_ref``,
    ``state`` and ``ended`` for the call record.
    """

    def __init__(self, tz: ZoneInfo, knowledge: Knowledge | None = None) -> None:
        super().__init__(tz, knowledge)
        self._handlers: dict[str, Callable[[Input], list[Action]]] = {
            "intent": self.on_intent,
            "anything_else": self.on_anything_else,
            "ask_question": self.on_question,
            "case_number": self.on_case_number,
            "confirm_number": self.on_confirm,
            "password": self.on_password,
            "ask_request": self.on_request,
            "confirm_phone": self.on_confirm_phone,
            "ask_phone": self.on_phone,
            "ask_message": self.on_message,
            "offer_callback": self.on_offer_callback,
            "offer_operator": self.on_offer_operator,
        }

    def handle(self, event: Event) -> list[Action]:
        """Advance the dialog by one event; the actions to run, in order."""
        if self.ended:
            return []
        if isinstance(event, CallStarted):
            return self._start(event)
        if self.state == "start":
            raise DialogError(f"{type(event).__name__} before CallStarted", "dialog.not_started")
        if isinstance(event, HungUp):
            self.ended = True
            self.state = "ended"
            return []
        if isinstance(event, ActionFailed):
            return self.on_failed(event)
        waiting = _WAITING.get(type(event))
        if waiting is not None:
            return self._result(event) if self.state == waiting else []
        listening = self.state in self._handlers
        if isinstance(event, BargeIn):
            return [StopSpeaking(), self.listen()] if listening else [StopSpeaking()]
        if not listening:
            return []
        if isinstance(event, NoInput):
            return self._silence()
        self.silences = 0
        if isinstance(event, Heard):
            return self._heard(event)
        if isinstance(event, Keyed):
            return self._keyed(event)
        raise DialogError(f"unexpected event {event!r}", "dialog.unexpected_event")

    # start, silence, input -----------------------------------------------------------------------

    def _start(self, ev: CallStarted) -> list[Action]:
        if self.state != "start":
            raise DialogError("CallStarted twice", "dialog.restarted")
        self.language = "en" if ev.language == "en" else "zh"
        self.caller_id = ev.caller_id
        self.home_court = ev.home_court
        self.court_name, self.court_name_en = ev.court_name, ev.court_name_en
        self.desk_open = ev.desk_open
        self.started_at = ev.at
        court = ev.court_name_en if self.language == "en" else ev.court_name
        other = "zh" if self.language == "en" else "en"
        self.state = "intent"
        head = self.say(line("greeting_head", court=court))
        hint = Say(prompts.text("other_language", other), other)
        return [head, hint, *self.ask("intent", "intent", line("how_help"))]

    def _silence(self) -> list[Action]:
        self.silences += 1
        if self.silences >= 2:
            return self.hang_up(line("silence_goodbye"))
        return self.reask(line("still_there"))

    def _heard(self, ev: Heard) -> list[Action]:
        u = ev.understanding
        inp = Input(u, None, ev.transcript or u.text, ev.alternatives, ev.doubtful)
        free_text = self.state in ("ask_message", "ask_request")
        switch = u.language_switch
        if switch in ("zh", "en") and switch != self.language and (
                not free_text or len(u.text) <= SHORT_TEXT):
            return self._switch(switch, inp)
        answers_yes_no = self.asking is not None and self.asking.expect in ("yesno", "menu")
        if (not free_text and u.intent == "goodbye" and self.state != "intent"
                and not (answers_yes_no and u.yes_no is not None)):
            return self.hang_up(line("goodbye"))
        if not free_text and u.intent == "operator" and self.state not in NO_REHANDOFF:
            if self.state in _OPEN_STATES:
                self.intent = "operator"
            return self.handoff("asked")
        if self._changes_subject(inp):
            return self.dispatch(inp)
        return self._handlers[self.state](inp)

    def _keyed(self, ev: Keyed) -> list[Action]:
        keys = ev.digits.strip().rstrip("#")
        if keys == "*" or not keys:
            return self.reask()
        if self.state in _OPEN_STATES and keys in LANGUAGE_KEYS:
            if LANGUAGE_KEYS[keys] != self.language:
                return self._switch(LANGUAGE_KEYS[keys], None)
            return self.reask()
        inp = Input(None, keys, keys)
        if self.state == "intent" and keys in MENU_KEYS:
            self.overview = keys == "1"
            return self.start_intent(MENU_KEYS[keys], inp)
        return self._handlers[self.state](inp)

    def _switch(self, language: str, inp: Input | None) -> list[Action]:
        self.language = language
        actions: list[Action] = [SwitchLanguage(language)]
        if inp is not None and self.state in _OPEN_STATES and inp.intent != "unknown":
            return actions + self.dispatch(inp)
        if self.state == "intent":
            return actions + self.ask("intent", "intent", line("switched"))
        return actions + self.reask()

    def _changes_subject(self, inp: Input) -> bool:
        """A clear new request in the middle of collecting a slot."""
        u = inp.u
        if u is None or self.state in _OPEN_STATES or self.state in ("ask_message", "ask_request"):
            return False
        if u.intent in ("unknown", "goodbye", "operator", self.intent) or u.confidence < 0.6:
            return False
        has_slot = (u.case_number or u.partial_case_number or u.digits or u.yes_no is not None)
        return not has_slot

    # intents ---------------------------------------------------------------------------------

    def on_intent(self, inp: Input) -> list[Action]:
        """The answer to "How can I help you?" (or to the menu)."""
        self.overview = False
        plain = inp.intent == "unknown" and not (inp.case_number or inp.partial)
        if plain and inp.yes_no is False and self._outcome is not None:
            return self.hang_up(line("goodbye"))
        return self.dispatch(inp)

    def on_anything_else(self, inp: Input) -> list[Action]:
        """Another request, yes, no or goodbye."""
        self.overview = False
        weak = inp.intent == "unknown" or (inp.u is not None and inp.u.confidence < 0.5)
        plain = weak and not (inp.case_number or inp.partial)
        if (inp.intent == "goodbye" and inp.yes_no is not True) or (plain and inp.yes_no is False):
            return self.hang_up(line("goodbye"))
        if plain and inp.yes_no is True:
            return self.ask("intent", "intent", line("ask_anything"))
        return self.dispatch(inp)

    def on_question(self, inp: Input) -> list[Action]:
        """The consultation question (anything but a clear other intent is a question)."""
        if inp.intent not in ("unknown", "consultation"):
            return self.dispatch(inp)
        return self.consult(inp)

    def dispatch(self, inp: Input) -> list[Action]:
        """Start whatever the caller asked for."""
        return self.start_intent(inp.intent, inp)

    def start_intent(self, intent: str, inp: Input) -> list[Action]:
        """Start the flow for ``intent``."""
        if intent == "unknown":
            if inp.case_number is not None or inp.partial is not None:
                return self.start_case("case_progress", inp)
            self.intent = self.intent or "unknown"
            self.unknowns += 1
            if self.unknowns >= 2:
                self.unknowns = 0
                return self.escalate("not_understood", line("escalate"))
            return self.ask("intent", "intent", line("menu"), before=(line("not_understood"),))
        self.unknowns = 0
        if intent == "goodbye":
            return self.hang_up(line("goodbye"))
        if intent == "operator":
            self.intent = "operator"
            return self.handoff("asked")
        if intent == "consultation":
            if inp.u is None:
                self.intent = "consultation"
                self.asked_question = True
                return self.ask("ask_question", "intent", line("ask_question"))
            return self.consult(inp)
        if intent in CASE_INTENTS:
            return self.start_case(intent, inp)
        if intent in RECORD_INTENTS:
            return self.start_record(intent, inp)
        raise DialogError(f"unknown intent {intent!r}", "dialog.unknown_intent")

    # results -----------------------------------------------------------------------------------

    def _result(self, event: Event) -> list[Action]:
        if isinstance(event, PasswordChecked):
            return self.on_password_checked(event)
        if isinstance(event, CaseFound):
            return self.on_case_found(event)
        if isinstance(event, CaseNotFound):
            return self.on_case_not_found(event)
        if isinstance(event, RecordCreated):
            return self.on_record_created(event)
        if isinstance(event, HandoffQueued):
            return self.on_queued(event)
        if isinstance(event, DeskClosed):
            return self.on_desk_closed(event)
        raise DialogError(f"unexpected result {event!r}", "dialog.unexpected_event")

    @property
    def listening(self) -> Listen | None:
        """The ``Listen`` in force, if the machine waits for the caller."""
        return self.listen() if self.state in self._handlers else None


__all__ = ["LANGUAGE_KEYS", "MENU_KEYS", "DialogMachine"]
