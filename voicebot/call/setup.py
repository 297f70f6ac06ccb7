"""Loading the ``Line`` once per process: store, court, understanding, knowledge, speech."""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from voicebot.asr.types import Recognizer
from voicebot.audio.chunk import AudioChunk
from voicebot.audio.vad import Endpointer as VadEndpointer
from voicebot.call.audio_channel import EndpointerFactory, TurnEndpointer
from voicebot.call.grammars import grammar_for
from voicebot.call.line import CourtInfo, Knows, Line, Speaks, Understands
from voicebot.settings import Settings
from voicebot.store.db import make_engine, make_sessionmaker, session_scope
from voicebot.store.models import Court

log = logging.getLogger(__name__)

_EVENTS = {"speech_start": "start", "barge_in": "start", "end_of_utterance": "end",
           "max_speech": "end", "no_input": "no_input", "pause": "pause", "resume": "resume"}
_RANK = ("end", "no_input", "start", "resume", "pause")
"""Which event a chunk reports when it completes several (20 ms chunks, 10 ms frames)."""


class _Endpointing:
    """Adapts :class:`voicebot.audio.vad.Endpointer` to the loop's one-event-per-chunk view."""

    def __init__(self, settings: Settings, mode: str) -> None:
        self._ep = VadEndpointer.from_settings(settings)
        self._ep.listen(prompt_playing=mode == "barge_in")

    def feed(self, chunk: AudioChunk) -> str | None:
        kinds = {_EVENTS[e.kind] for e in self._ep.feed(chunk) if e.kind in _EVENTS}
        return next((k for k in _RANK if k in kinds), None)


def endpointer_factory(settings: Settings) -> EndpointerFactory:
    """Endpointers with the line's silence and no-input times."""

    def make(mode: str) -> TurnEndpointer:
        return _Endpointing(settings, mode)

    return make


def open_sessions(settings: Settings) -> sessionmaker[Session]:
    """Session factory on the configured database."""
    return make_sessionmaker(make_engine(settings.resolved_database_url))


def load_court(sessions: sessionmaker[Session], settings: Settings
               ) -> tuple[CourtInfo, dict[str, str]]:
    """The home court, and every court's names and aliases mapped to its code."""
    aliases: dict[str, str] = {}
    home = CourtInfo(settings.home_court, settings.home_court, settings.home_court)
    with session_scope(sessions) as session:
        for court in session.scalars(select(Court)):
            for name in [court.name, court.name_en, *(court.aliases or [])]:
                if name:
                    aliases[name] = court.code
            if court.code == settings.home_court:
                home = CourtInfo(court.code, court.name, court.name_en or court.name)
    if home.name == settings.home_court:
        # The line still answers (consultation, records, operator), but no case can be found.
        log.warning(
            "the store at %s has no court %s (home_court): case enquiries will find nothing; "
            "load court data with `voicebot db import FILE.json` or `voicebot db demo`",
            settings.resolved_database_url, settings.home_court,
        )
    return home, aliases


def _load_understander(settings: Settings, aliases: dict[str, str]) -> Understands:
    from voicebot.nlu.understander import Understander

    return Understander.load(settings.nlu_model_dir, aliases or None)


def _load_knowledge() -> Knows:
    from voicebot.knowledge.base import KnowledgeBase

    return KnowledgeBase.load()


def _load_synthesizer(settings: Settings) -> Speaks:
    from voicebot.tts import Synthesizer

    return Synthesizer.from_settings(settings)


def load_line(settings: Settings, *, speech: bool = True,
              sessions: sessionmaker[Session] | None = None) -> Line:
    """Everything a call needs, loaded once; ``speech=False`` loads no ASR or TTS (text calls)."""
    sessions = sessions or open_sessions(settings)
    court, aliases = load_court(sessions, settings)
    understander = _load_understander(settings, aliases)
    knowledge = _load_knowledge()
    recognizer_for: Callable[[str], Recognizer] | None = None
    synthesizer = None
    has_zh = False
    if speech:
        from voicebot.asr.engines import load_engines

        engines = load_engines(settings)
        engines.preload()
        log.info("%s", engines.status_text())
        has_zh = "zh" in engines.languages
        recognizer_for = engines.recognizer
        synthesizer = _load_synthesizer(settings)
    default = settings.default_language or ("zh" if has_zh or not speech else "en")
    return Line(settings, sessions, court, understander, knowledge, synthesizer,
                recognizer_for, grammar_for, default)


def ensure_demo(settings: Settings, cases: int = 2000) -> bool:
    """Create or migrate the store and fill an empty one with the demo data; True if demo data
    was written. A store with other cases is left alone (:class:`DemoStoreError`)."""
    from voicebot.store import schema
    from voicebot.store.demo import SHOWCASE, build_demo
    from voicebot.store.models import Case

    url = settings.resolved_database_url
    schema.ensure(url)
    engine = make_engine(url)
    try:
        sessions = make_sessionmaker(engine)
        with session_scope(sessions) as session:
            if session.scalar(select(Case.id).where(Case.number == SHOWCASE[0][0])) is not None:
                return False
            if session.scalar(select(Case.id).limit(1)) is not None:
                raise DemoStoreError(
                    "the configured database holds cases but not the demo data; the demo will "
                    "not write into it (give it an empty database with --db)")
            build_demo(session, cases=cases)
        return True
    finally:
        engine.dispose()


class DemoStoreError(RuntimeError):
    """The configured store is someone's real data, not a demo store."""

    code = "call.demo_store"
