import datetime as dt
from pathlib import Path

import pytest

from voicebot.settings import Settings, SettingsError


def test_defaults_need_no_environment() -> None:
    settings = Settings.load(env={})
    assert settings.home_court == "京0105"
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.resolved_database_url.endswith("data/voicebot.db")


def test_toml_then_environment(tmp_path: Path) -> None:
    config = tmp_path / "line.toml"
    config.write_text(
        '[voicebot]\nhome_court = "京0101"\nwork_end = "16:30"\nlanguages = ["en"]\n'
        'extra_holidays = ["2027-02-06"]\nkeep_caller_audio = true\n',
        encoding="utf-8",
    )
    settings = Settings.load(
        config, env={"VOICEBOT_HOME_COURT": "京0108", "VOICEBOT_WORK_ORDER_DAYS": "5"}
    )
    assert settings.home_court == "京0108"  # environment wins over the file
    assert settings.work_end == dt.time(16, 30)
    assert settings.languages == ("en",)
    assert settings.extra_holidays == (dt.date(2027, 2, 6),)
    assert settings.keep_caller_audio is True
    assert settings.work_order_days == 5


def test_environment_lists_and_paths() -> None:
    settings = Settings.load(
        env={
            "VOICEBOT_LANGUAGES": "en, zh",
            "VOICEBOT_DATA_DIR": "/tmp/x",
            "VOICEBOT_DATABASE_URL": "postgresql+psycopg://u@h/db",
        }
    )
    assert settings.languages == ("en", "zh")
    assert settings.data_dir == Path("/tmp/x")
    assert settings.resolved_database_url == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"VOICEBOT_WORK_ORDER_DAYS": "three"}, "work_order_days"),
        ({"VOICEBOT_WORK_START": "9 o'clock"}, "work_start"),
        ({"VOICEBOT_KEEP_CALLER_AUDIO": "maybe"}, "keep_caller_audio"),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(env=env)


def test_unknown_key_in_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("home_cort = 'x'\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="home_cort"):
        Settings.load(config, env={})


def test_settings_are_frozen() -> None:
    settings = Settings()
    with pytest.raises(AttributeError):
        settings.home_court = "x"  # type: ignore[misc]
