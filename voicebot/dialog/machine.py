"""The dialog of one call: ``DialogMachine.handle(event) -> list[Action]``; pure, no I/O.

The machine routes events to composed flows (no inheritance): ``CaseFlow`` (number, password,
answers), ``ContactFlow`` (judge request, callback number), ``DeskFlow`` (operator, callbacks,
failures) and ``RequestFlow`` (consultation, messages), which share one ``Conversation``.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MappingProxyType
from zoneinfo import ZoneInfo

from voicebot.dialog.actions import Action, HangUp, Listen, Say, StopSpeaking, SwitchLanguage
from voicebot.dialog.caseflow import CaseFlow
from voicebot.dialog.contact import ContactFlow
from voicebot.dialog.conversation import CallSetup, Conversation
from voicebot.dialog.desk import DeskFlow
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
    KnowledgeAnswered,
    NoInput,
    PasswordChecked,
    RecordCreated,
)
from voicebot.dialog.intents import IntentFlow
from voicebot.dialog.kinds import (
    FREE_TEXT_STATES,
    OPEN_STATES,
    DialogState,
    Expect,
    HandoffReason,
    Outcome,
)
from voicebot.dialog.linefacts import LineFacts
from voicebot.dialog.prompts import text as prompt_text
from voicebot.dialog.requests import RequestFlow
from voicebot.dialog.snapshot import DialogSnapshot
from voicebot.dialog.turn import Asking, CallerTurn, Phrase, phrase

MENU_KEYS = MappingProxyType(
    {
        "1": "case_progress",
        "2": "contact_judge",
        "3": "consultation",
        "4": "complaint",
        "0": "operator",
    }
)
"""Main-menu keys and the intent each starts."""

LANGUAGE_KEYS = MappingProxyType({"9": "en", "8": "zh"})
"""Keys that switch the language at an open question."""

SHORT_TEXT = 12
"""While a message is being recorded, only an utterance this short can switch the language."""

SURE_REQUEST = 0.6
"""Below this, an operator request heard in a yes / no answer ("yes please") is the answer."""

NO_REHANDOFF = (DialogState.OFFER_OPERATOR, DialogState.OFFER_CALLBACK)
"""States where "operator" is an answer to the offer on the table, not a new handoff request."""

_WAITING = MappingProxyType(
    {
        PasswordChecked: DialogState.VERIFYING,
        CaseFound: DialogState.LOOKING_UP,
        CaseNotFound: DialogState.LOOKING_UP,
        KnowledgeAnswered: DialogState.CONSULTING,
        RecordCreated: DialogState.CREATING,
        HandoffQueued: DialogState.HANDOFF,
        DeskClosed: DialogState.HANDOFF,
    }
)


class DialogMachine:
    """One call's dialog. Construct per call; feed every event to :meth:`handle`.

    Read ``snapshot()`` (frozen) for the call record; ``language``, ``intent``, ``case_number``,
    ``verified``, ``outcome``, ``record_ref``, ``state``, ``ended`` and ``listening`` are exposed
    read-only for tests.
    """

    def __init__(self, tz: ZoneInfo, facts: LineFacts | None = None) -> None:
        self.c = Conversation(tz, facts or LineFacts())
        self._pending: tuple[str, str] | None = None
        """A consequential step asked back before it is taken: ("end", "") or ("switch", lang)."""
        self._held: Asking | None = None
        """The question in force when the step was asked back (asked again after a no)."""
        self.case = CaseFlow(self.c, self)
        self.contact = ContactFlow(self.c, self, self.case)
        self.desk = DeskFlow(self.c, self, self.case, self.contact)
        self.requests = RequestFlow(self.c, self, self.desk)
        self.intents = IntentFlow(self.c, self, self.case, self.desk, self.requests)
        self._handlers: dict[DialogState, Callable[[CallerTurn], list[Action]]] = {
            DialogState.INTENT: self.intents.on_intent,
            DialogState.ANYTHING_ELSE: self.intents.on_anything_else,
            DialogState.ASK_QUESTION: self.intents.on_question,
            DialogState.CASE_NUMBER: self.case.on_case_number,
            DialogState.CONFIRM_NUMBER: self.case.on_confirm,
            DialogState.PASSWORD: self.case.on_password,
            DialogState.ASK_REQUEST: self.contact.on_request,
            DialogState.CONFIRM_PHONE: self.contact.on_confirm_phone,
            DialogState.ASK_PHONE: self.contact.on_phone,
            DialogState.CONFIRM_KEYED_PHONE: self.contact.on_confirm_given,
            DialogState.ASK_MESSAGE: self.requests.on_message,
            DialogState.OFFER_CALLBACK: self.desk.on_offer_callback,
            DialogState.OFFER_OPERATOR: self.desk.on_offer_operator,
            DialogState.NO_NUMBER: self.intents.on_no_number,
            DialogState.MORE: self.intents.on_more,
        }

    # what the loop and tests read --------------------------------------------------------------

    def snapshot(self) -> DialogSnapshot:
        """The dialog's state as the call record needs it (frozen)."""
        return self.c.snapshot()

    @property
    def state(self) -> DialogState:
        """The current state."""
        return self.c.state

    @property
    def language(self) -> str:
        """The language the dialog speaks now."""
        return self.c.language

    @property
    def intent(self) -> str | None:
        """The call's intent so far."""
        return self.c.intent

    @property
    def case_number(self) -> object:
        """The case number in play."""
        return self.c.case_number

    @property
    def verified(self) -> bool:
        """Whether the caller passed the password check."""
        return self.c.verified

    @property
    def outcome(self) -> Outcome:
        """The call's outcome so far."""
        return self.c.outcome

    @property
    def record_ref(self) -> str | None:
        """Last ticket / work-order / handoff number."""
        return self.c.record_ref

    @property
    def ended(self) -> bool:
        """Whether the call is over for the dialog."""
        return self.c.ended

    @property
    def listening(self) -> Listen | None:
        """The ``Listen`` in force, if the machine waits for the caller."""
        return self.c.listen() if self.c.state in self._handlers else None

    # router (steps one flow hands to another) --------------------------------------------------

    def escalate(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Hand the call to a person (or offer a callback out of hours)."""
        return self.desk.escalate(reason, *before)

    def offer_operator(self, reason: HandoffReason, *before: Phrase) -> list[Action]:
        """Offer a person (yes/no)."""
        return self.desk.offer_operator(reason, *before)

    def start_case(self, intent: str, turn: CallerTurn) -> list[Action]:
        """Start a case intent."""
        return self.case.start_case(intent, turn)

    def ask_request(self, *before: Phrase) -> list[Action]:
        """Ask what to pass on to the judge."""
        return self.contact.ask_request(*before)

    def create_callback(self, phone: str) -> list[Action]:
        """Book a callback to ``phone``."""
        return self.desk.create_callback(phone)

    # events ------------------------------------------------------------------------------------

    def handle(self, event: Event) -> list[Action]:
        """Advance the dialog by one event; the actions to run, in order."""
        if self.c.ended:
            return []
        if isinstance(event, CallStarted):
            return self._start(event)
        if self.c.state == DialogState.START:
            raise DialogError(f"{type(event).__name__} before CallStarted", "dialog.not_started")
        if isinstance(event, HungUp):
            self.c.ended = True
            self.c.state = DialogState.ENDED
            return []
        if isinstance(event, ActionFailed):
            return self.desk.on_failed(event)
        waiting = _WAITING.get(type(event))
        if waiting is not None:
            return self._result(event) if self.c.state == waiting else []
        listening = self.c.state in self._handlers
        if isinstance(event, BargeIn):
            return [StopSpeaking(), self.c.listen()] if listening else [StopSpeaking()]
        if not listening:
            return []
        pending, self._pending = self._pending, None
        if pending is not None:
            self.c.asking = self._held
        if isinstance(event, NoInput):
            return self._silence()
        self.c.silences = 0
        if pending is not None and isinstance(event, Heard | Keyed):
            return self._confirmed(pending, event)
        if isinstance(event, Heard):
            return self._guarded(event)
        if isinstance(event, Keyed):
            return self._keyed(event)
        raise DialogError(f"unexpected event {event!r}", "dialog.unexpected_event")

    # start, silence, input -----------------------------------------------------------------------

    def _start(self, ev: CallStarted) -> list[Action]:
        if self.c.state != DialogState.START:
            raise DialogError("CallStarted twice", "dialog.restarted")
        self.c.language = "en" if ev.language == "en" else "zh"
        self.c.setup = CallSetup(ev.caller_id, ev.home_court, ev.at)
        self.c.desk_open = ev.desk_open
        court = ev.court_name_en if self.c.language == "en" else ev.court_name
        other = "zh" if self.c.language == "en" else "en"
        self.c.state = DialogState.INTENT
        head = self.c.say(phrase("greeting_head", court=court))
        hint = Say(prompt_text("other_language", other), other)
        return [head, hint, *self.c.ask(DialogState.INTENT, Expect.INTENT, phrase("how_help"))]

    def _silence(self) -> list[Action]:
        if self.c.state == DialogState.MORE:
            return self.c.next_page()  # a listener who says nothing hears the rest
        self.c.silences += 1
        if self.c.silences >= 2:
            return self.c.hang_up(phrase("silence_goodbye"))
        return self.c.reask(phrase("still_there"))

    # no consequential step on one doubtful hearing ---------------------------------------------

    def _guarded(self, ev: Heard) -> list[Action]:
        """:meth:`_heard`, except that a doubtful reading that would end the call is asked back
        ("Do you want to end the call?") instead."""
        state, asking = self.c.state, self.c.asking
        actions = self._heard(ev)
        if ev.doubtful and actions and isinstance(actions[-1], HangUp):
            self.c.state, self.c.asking, self.c.ended = state, asking, False
            return self._ask_back("end", "", phrase("confirm_end"), self.c.language)
        return actions

    def _ask_back(self, step: str, language: str, question: Phrase, say_in: str) -> list[Action]:
        self._pending, self._held = (step, language), self.c.asking
        self.c.asking = Asking(Expect.YESNO, (question,))
        return [Say(prompt_text(question.key, say_in), say_in), Listen(Expect.YESNO, say_in)]

    def _confirmed(self, pending: tuple[str, str], ev: Heard | Keyed) -> list[Action]:
        """The answer to a step asked back: yes (or key 1, or the language's key) takes it."""
        step, language = pending
        if isinstance(ev, Keyed):
            keys = ev.digits.strip().rstrip("#")
            yes = keys == "1" or (step == "switch" and LANGUAGE_KEYS.get(keys) == language)
        else:
            u = ev.understanding
            yes = u.yes_no is True and not ev.doubtful and u.language_switch in (None, language)
        if yes and step == "end":
            return self.c.hang_up(phrase("goodbye"))
        if yes:
            return self._switch(language, None)
        return self.c.reask()

    def _heard(self, ev: Heard) -> list[Action]:
        u = ev.understanding
        turn = CallerTurn(u, None, ev.transcript or u.text, ev.alternatives, ev.doubtful)
        free_text = self.c.state in FREE_TEXT_STATES
        switch = u.language_switch
        if (
            switch in ("zh", "en")
            and switch != self.c.language
            and (not free_text or len(u.text) <= SHORT_TEXT)
            and u.yes_no is None  # "yes chinese" answers the question; it asks for no language
            and not ev.doubtful
        ):
            # a spoken switch is asked back in the language asked for; keys switch at once
            return self._ask_back("switch", switch, phrase("confirm_switch"), switch)
        answers_yes_no = self.c.asking is not None and self.c.asking.expect in (
            Expect.YESNO,
            Expect.MENU,
        )
        if (
            not free_text
            and u.intent == "goodbye"
            and self.c.state != DialogState.INTENT
            and not (answers_yes_no and u.yes_no is not None)
        ):
            return self.c.hang_up(phrase("goodbye"))
        if (
            not free_text
            and u.intent == "operator"
            and self.c.state not in NO_REHANDOFF
            and not (answers_yes_no and u.yes_no is not None and u.confidence < SURE_REQUEST)
        ):
            if ev.doubtful:  # a phrase-list stand-in, or readings that disagree: ask first
                return self.desk.offer_operator("asked")
            if self.c.state in OPEN_STATES:
                self.c.intent = "operator"
            return self.desk.handoff("asked")
        if (not free_text and u.intent == "no_case_number" and turn.case_number is None
                and self.c.state not in (DialogState.NO_NUMBER, *NO_REHANDOFF)):
            return self.intents.no_number()
        if self._changes_subject(turn):
            return self.intents.dispatch(turn)
        return self._handlers[self.c.state](turn)

    def _keyed(self, ev: Keyed) -> list[Action]:
        if self.c.state == DialogState.MORE and ev.digits.strip() == "#":
            return self.c.next_page()  # "# for more" (elsewhere # only ends an entry)
        keys = ev.digits.strip().rstrip("#")
        if keys == "*" or not keys:
            return self.c.reask()
        if self.c.state in OPEN_STATES and keys in LANGUAGE_KEYS:
            if LANGUAGE_KEYS[keys] != self.c.language:
                return self._switch(LANGUAGE_KEYS[keys], None)
            return self.c.reask()
        turn = CallerTurn(None, keys, keys)
        if self.c.state == DialogState.INTENT and keys in MENU_KEYS:
            self.case.overview = keys == "1"
            return self.intents.start_intent(MENU_KEYS[keys], turn)
        return self._handlers[self.c.state](turn)

    def _switch(self, language: str, turn: CallerTurn | None) -> list[Action]:
        self.c.language = language
        actions: list[Action] = [SwitchLanguage(language)]
        if turn is not None and self.c.state in OPEN_STATES and turn.intent != "unknown":
            return actions + self.intents.dispatch(turn)
        if self.c.state == DialogState.INTENT:
            return actions + self.c.ask(DialogState.INTENT, Expect.INTENT, phrase("switched"))
        return actions + self.c.reask()

    def _changes_subject(self, turn: CallerTurn) -> bool:
        """A clear new request in the middle of collecting a slot."""
        u = turn.u
        if u is None or self.c.state in OPEN_STATES or self.c.state in FREE_TEXT_STATES:
            return False
        if u.intent in ("unknown", "goodbye", "operator", self.c.intent) or u.confidence < 0.6:
            return False
        has_slot = u.case_number or u.partial_case_number or u.digits or u.yes_no is not None
        return not has_slot

    # results -----------------------------------------------------------------------------------

    def _result(self, event: Event) -> list[Action]:
        if isinstance(event, PasswordChecked):
            return self.case.on_password_checked(event)
        if isinstance(event, CaseFound):
            return self.case.on_case_found(event)
        if isinstance(event, CaseNotFound):
            return self.case.on_case_not_found(event)
        if isinstance(event, RecordCreated):
            return self.requests.on_record_created(event)
        if isinstance(event, HandoffQueued):
            return self.desk.on_queued(event)
        if isinstance(event, DeskClosed):
            return self.desk.on_desk_closed(event)
        if isinstance(event, KnowledgeAnswered):
            return self.requests.on_knowledge(event)
        raise DialogError(f"unexpected result {event!r}", "dialog.unexpected_event")


__all__ = ["LANGUAGE_KEYS", "MENU_KEYS", "DialogMachine"]
