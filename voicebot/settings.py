"""The one settings object: defaults, then an optional TOML file, then ``VOICEBOT_*`` variables."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
import types
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

ENV_PREFIX = "VOICEBOT_"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""

    code = "settings.invalid"


@dataclass(frozen=True)
class Settings:
    """Everything an operator of the line can configure."""

    data_dir: Path = Path("data")
    """Folder for the default SQLite database, caches, recordings and the trained NLU model."""
    database_url: str = ""
    """SQLAlchemy URL; empty means SQLite at ``data_dir/voicebot.db``."""
    models_dir: Path = Path("models")
    """Folder holding speech models (vosk model directories)."""
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
    handoff_wait_limit_min: int = 15
    """Minutes a handed-off caller waits before the ticket turns into a callback."""
    asr_engine_zh: str = "vosk"
    """Recognition engine for Mandarin: ``vosk``."""
    asr_engine_en: str = "auto"
    """English engine: ``vosk``, ``pocketsphinx``, ``whisper`` or ``auto`` (pocketsphinx + Whisper
    where installed, else a vosk model, else pocketsphinx; ``vosk_model_en`` set: vosk, unless
    ``whisper_model`` is set too)."""
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
    no_input_ms: int = 6000
    """Silence before any speech that counts as no input."""
    tts_rate: int = 165
    """Speaking rate of synthesis, words per minute."""
    tts_voice_zh: str = "cmn-latn-pinyin"
    """espeak-ng voice for Mandarin (``cmn`` is broken in espeak-ng 1.51)."""
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
        for name in names:
            key = ENV_PREFIX + name.upper()
            if key in env:
                raw[name] = env[key]
        hints = get_type_hints(cls)
        values = {name: _coerce(name, hints[name], value) for name, value in raw.items()}
        return cls(**values)


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
    if typ is Path:
        return Path(str(value)).expanduser()
    if typ is dt.time:
        return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))
    if typ is dt.date:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if typ is str:
        return str(value)
    raise TypeError(f"unsupported setting type {typ}")


DEFAULT_SETTINGS = Settings()
"""Defaults only, for code and tests that need no environment."""

__all__ = ["DEFAULT_SETTINGS", "Settings", "SettingsError"]
