"""Call fixtures for replay: ``call.json`` plus WAVs, and checking a call against ``expect``."""

from __future__ import annotations

import datetime as dt
import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from voicebot.audio.chunk import AudioError
from voicebot.audio.wav import read_wav_checked

TURN_KINDS = ("wav", "text", "dtmf", "silence", "barge_in")
"""Kinds of caller turn a fixture may hold."""

TOP_KEYS = frozenset({"language", "at", "caller_id", "turns", "expect", "audio", "note"})
"""Keys ``call.json`` may hold at top level (documented in ``docs/fixtures.md``)."""
TURN_KEYS = frozenset({*TURN_KINDS, "after_ms", "alternatives", "doubtful", "fill", "note"})
"""Keys a turn object may hold: one kind, plus its options."""
EXPECT_KEYS = frozenset({"intent", "case_number", "outcome", "say", "not_say"})
"""Keys of ``expect``."""


class FixtureError(ValueError):
    """A call fixture that cannot be read; the message names the folder and the problem."""

    code = "fixture.invalid"


@dataclass(frozen=True)
class CallerTurn:
    """One caller turn, played when the bot listens (``barge_in``: while the bot speaks)."""

    kind: str
    """One of :data:`TURN_KINDS`."""
    value: str = ""
    """Text for ``text``, keys for ``dtmf``, file name for ``wav`` / ``barge_in``."""
    path: Path | None = None
    """Resolved WAV path for ``wav`` and ``barge_in``."""
    after_ms: int = 600
    """For ``barge_in``: how far into the bot's prompt the caller starts speaking."""
    alternatives: tuple[str, ...] = ()
    """For ``text``: other hypotheses, best first, as a recognizer's N-best would give them."""
    doubtful: bool = False
    """For ``text``: the recognizer judged this reading likely wrong."""

    @property
    def is_audio(self) -> bool:
        """Whether the turn goes through the audio path (``text`` does not)."""
        return self.kind != "text"


@dataclass(frozen=True)
class Expectation:
    """What a replayed call must show."""

    intent: str | None = None
    """The call's intent."""
    case_number: str | None = None
    """The case number in play (official form)."""
    outcome: str | None = None
    """The call's outcome."""
    say: tuple[str, ...] = ()
    """Substrings each of which must appear in some bot text."""
    not_say: tuple[str, ...] = ()
    """Substrings that must appear in no bot text (privacy checks)."""


@dataclass(frozen=True)
class CallFixture:
    """A recorded call."""

    name: str
    """The folder as given on the command line."""
    folder: Path
    """The fixture folder."""
    language: str | None
    """Language the line greets in; None means the line's default."""
    at: dt.datetime | None
    """Wall-clock time of the call (drives working hours); None means now."""
    caller_id: str
    """Caller's number, ``""`` if withheld."""
    turns: tuple[CallerTurn, ...]
    """The caller's side in order."""
    expect: Expectation | None
    """Expectations, if given."""
    audio: bool = False
    """``"audio": true`` in call.json: run through the audio path even without recorded speech."""

    @property
    def has_audio(self) -> bool:
        """Whether the call runs through the audio path: it has recorded speech.

        Keys and silence then go through the audio path too (real tones through the detector);
        in a typed call keys are passed as keyed digits and silence as a timeout.
        """
        return self.audio or any(t.kind in ("wav", "barge_in") for t in self.turns)


def load_fixture(folder: Path | str) -> CallFixture:
    """Read ``folder/call.json`` (or a path to the JSON file itself)."""
    given = str(folder)
    path = Path(folder)
    if path.is_dir():
        path = path / "call.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise FixtureError(f"{given}: cannot read call.json: {exc}") from exc
    if not isinstance(data, dict):
        raise FixtureError(f"{given}: call.json must hold an object")
    _known(data, TOP_KEYS, given)
    base = path.parent
    raw_turns = data.get("turns", [])
    if not isinstance(raw_turns, list):
        raise FixtureError(f"{given}: 'turns' must be a list")
    turns = tuple(_turn(t, base, given, i) for i, t in enumerate(raw_turns))
    at = None
    if data.get("at"):
        try:
            at = dt.datetime.fromisoformat(str(data["at"]))
        except ValueError as exc:
            raise FixtureError(f"{given}: bad 'at': {exc}") from exc
    exp = data.get("expect")
    expect = None
    if exp is not None and not isinstance(exp, dict):
        raise FixtureError(f"{given}: 'expect' must be an object")
    if isinstance(exp, dict):
        _known(exp, EXPECT_KEYS, f"{given}: expect")
        expect = Expectation(exp.get("intent"), exp.get("case_number"), exp.get("outcome"),
                             tuple(_strings(exp.get("say"))), tuple(_strings(exp.get("not_say"))))
    return CallFixture(given, base, data.get("language") or None, at,
                       str(data.get("caller_id") or ""), turns, expect, bool(data.get("audio")))


def _known(raw: dict[str, Any], keys: frozenset[str], where: str) -> None:
    """Reject a key outside ``keys``, naming it, the place and the nearest known key."""
    for key in raw:
        if key not in keys:
            near = difflib.get_close_matches(str(key), sorted(keys), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise FixtureError(f"{where}: unknown key {key!r}{hint}; known keys: "
                               f"{', '.join(sorted(keys))} (see docs/fixtures.md)")


def _strings(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _turn(raw: Any, base: Path, given: str, idx: int) -> CallerTurn:
    where = f"{given}: turn {idx + 1}"
    if isinstance(raw, str):
        raw = {"wav": raw}
    if not isinstance(raw, dict):
        raise FixtureError(f"{where}: must be a file name or an object")
    _known(raw, TURN_KEYS, where)
    if "fill" in raw:
        raise FixtureError(f"{where}: placeholder to fill in ({raw['fill']}): put the real "
                           f"value in the turn and remove 'fill'")
    kinds = [k for k in TURN_KINDS if k in raw]
    if len(kinds) != 1:
        raise FixtureError(f"{where}: needs exactly one of {', '.join(TURN_KINDS)}")
    kind = kinds[0]
    value = raw[kind]
    if "after_ms" in raw and kind != "barge_in":
        raise FixtureError(f"{where}: 'after_ms' belongs to a barge_in turn")
    alternatives = raw.get("alternatives", [])
    if "alternatives" in raw and (kind != "text" or not isinstance(alternatives, list)):
        raise FixtureError(f"{where}: 'alternatives' is a list of texts on a text turn")
    doubtful = raw.get("doubtful", False)
    if "doubtful" in raw and (kind != "text" or not isinstance(doubtful, bool)):
        raise FixtureError(f"{where}: 'doubtful' is true or false on a text turn")
    if kind == "silence":
        return CallerTurn("silence")
    if kind in ("wav", "barge_in"):
        after = raw.get("after_ms", 600)
        if not isinstance(after, int) or isinstance(after, bool) or after < 0:
            raise FixtureError(f"{where}: 'after_ms' is a whole number of milliseconds >= 0")
        return CallerTurn(kind, str(value), turn_wav(base, str(value), where), after)
    if kind == "dtmf" and not all(c in "0123456789*#ABCD" for c in str(value)):
        raise FixtureError(f"{where}: dtmf keys must be 0-9, *, #")
    return CallerTurn(kind, str(value), alternatives=tuple(str(a) for a in alternatives),
                      doubtful=doubtful)


def turn_wav(base: Path, name: str, where: str) -> Path:
    """The WAV of a turn: inside the fixture folder, and readable as audio (else FixtureError)."""
    wav = (base / name).resolve()
    if not wav.is_relative_to(base.resolve()):
        raise FixtureError(f"{where}: {name} is outside the fixture folder")
    if not wav.is_file():
        raise FixtureError(f"{where}: {base / name} does not exist")
    try:
        read_wav_checked(wav, min_s=0.0)
    except AudioError as exc:
        raise FixtureError(f"{where}: unreadable audio ({exc.code}): {exc}") from exc
    return wav


def check(expect: Expectation, *, intent: str, case_number: str, outcome: str,
          bot_texts: list[str]) -> list[str]:
    """Failed expectations, each as a sentence; empty when the call passed."""
    failures: list[str] = []
    if expect.intent is not None and expect.intent != intent:
        failures.append(f"intent {intent!r}, expected {expect.intent!r}")
    if expect.case_number is not None and expect.case_number != case_number:
        failures.append(f"case number {case_number!r}, expected {expect.case_number!r}")
    if expect.outcome is not None and expect.outcome != outcome:
        failures.append(f"outcome {outcome!r}, expected {expect.outcome!r}")
    for text in expect.say:
        if not any(text in b for b in bot_texts):
            failures.append(f"the bot never said {text!r}")
    for text in expect.not_say:
        if any(text in b for b in bot_texts):
            failures.append(f"the bot said {text!r}, which it must not")
    return failures
