"""What the line may tell a verified caller about a case: a snapshot detached from the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from voicebot.casenumber import CaseNumber


@dataclass(frozen=True)
class PersonFacts:
    """A judge as the caller hears of them."""

    name: str
    """Chinese name."""
    name_en: str
    """Name in pinyin for English answers."""


@dataclass(frozen=True)
class HearingFacts:
    """A scheduled hearing."""

    at: dt.datetime
    """Start, timezone-aware."""
    room: str
    """Courtroom in Chinese."""
    room_en: str
    """Courtroom in English."""


@dataclass(frozen=True)
class EventFacts:
    """A progress event."""

    at: dt.datetime
    """When it happened, timezone-aware."""
    text: str
    """What happened, in Chinese."""
    text_en: str
    """What happened, in English."""


@dataclass(frozen=True)
class ResultFacts:
    """How the case ended."""

    on: dt.date
    """Date of the judgment or ruling."""
    text: str
    """Result in Chinese."""
    text_en: str
    """Result in English."""


@dataclass(frozen=True)
class ReplyFacts:
    """A judge's answer to a work order the caller's side opened."""

    work_order: str
    """Work-order number."""
    text: str
    """The judge's reply."""
    replied_at: dt.datetime
    """When the judge replied."""


@dataclass(frozen=True)
class CaseFacts:
    """Everything an answer about one case may draw on."""

    number: CaseNumber
    """The case number."""
    court_name: str
    """Court name in Chinese."""
    court_name_en: str
    """Court name in English."""
    cause: str
    """Cause of action in Chinese."""
    cause_en: str
    """Cause of action in English."""
    filed_on: dt.date | None
    """Filing date."""
    accepted: bool
    """Whether the court accepted the case."""
    status: str
    """One of filed, accepted, not_accepted, in_trial, adjourned, closed."""
    judge: PersonFacts | None
    """Responsible judge."""
    panel: tuple[PersonFacts, ...]
    """Collegial-panel members, presiding judge first."""
    next_hearing: HearingFacts | None
    """The next hearing after now, if any."""
    last_hearing: HearingFacts | None
    """The latest hearing before now, if any."""
    recent_events: tuple[EventFacts, ...]
    """Latest progress events, newest first (at most three)."""
    result: ResultFacts | None
    """The result, once there is one."""
    replies: tuple[ReplyFacts, ...] = ()
    """Answered work orders about this case, newest first."""
