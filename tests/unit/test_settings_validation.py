"""Start-up validation of every setting, and paths that do not depend on the working folder."""

import os
from pathlib import Path

import pytest

from voicebot.settings import Settings, SettingsError, default_home


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"VOICEBOT_TIMEZONE": "Asia/Shanghia"}, "timezone.*unknown time zone"),
        ({"VOICEBOT_WORK_START": "18:00"}, "work_start.*before work_end"),
        ({"VOICEBOT_WORK_START": "17:00"}, "work_start.*before work_end"),
        ({"VOICEBOT_LANGUAGES": "zh,fr"}, "unsupported language 'fr'"),
        ({"VOICEBOT_LANGUAGES": ""}, "languages"),
        ({"VOICEBOT_DEFAULT_LANGUAGE": "en", "VOICEBOT_LANGUAGES": "zh"}, "default_language"),
        ({"VOICEBOT_WORK_ORDER_DAYS": "-2"}, "work_order_days.*1 or more"),
        ({"VOICEBOT_HANDOFF_WAIT_LIMIT_MIN": "0"}, "handoff_wait_limit_min.*more than 0"),
        ({"VOICEBOT_HANDOFF_WAIT_LIMIT_MIN": "-0.5"}, "handoff_wait_limit_min.*more than 0"),
        ({"VOICEBOT_HANDOFF_WAIT_LIMIT_MIN": "nan"}, "handoff_wait_limit_min.*finite"),
        ({"VOICEBOT_HANDOFF_WAIT_LIMIT_MIN": "inf"}, "handoff_wait_limit_min.*finite"),
        ({"VOICEBOT_HANDOFF_WAIT_LIMIT_MIN": "soon"}, "handoff_wait_limit_min.*'soon'"),
        ({"VOICEBOT_SPECULATE_MS": "-1"}, "speculate_ms.*negative"),
        ({"VOICEBOT_HOME_COURT": "XYZ"}, "home_court.*province"),
        ({"VOICEBOT_AUDIO_BACKEND": "alsa"}, "audio_backend"),
        ({"VOICEBOT_EXTRA_HOLIDAYS": "2027-02-06", "VOICEBOT_EXTRA_WORKDAYS": "2027-02-06"},
         "extra_holidays"),
        ({"VOICEBOT_HOME_COURTT": "京0101"}, "VOICEBOT_HOME_COURTT names no setting"),
    ],
)
def test_bad_settings_are_refused_with_the_setting_named(env: dict[str, str],
                                                         message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.load(env=env)


def test_good_values_pass() -> None:
    settings = Settings.load(env={"VOICEBOT_TIMEZONE": "Europe/Berlin", "VOICEBOT_CONFIG": "",
                                  "VOICEBOT_WORK_START": "08:30", "VOICEBOT_SPECULATE_MS": "0"})
    assert settings.timezone == "Europe/Berlin"
    assert settings.speculate_ms == 0


@pytest.mark.parametrize(("value", "minutes"), [("0.25", 0.25), ("2", 2.0), ("1.5", 1.5)])
def test_wait_limit_takes_fractions_of_a_minute(value: str, minutes: float) -> None:
    settings = Settings.load(env={"VOICEBOT_HANDOFF_WAIT_LIMIT_MIN": value})
    assert settings.handoff_wait_limit_min == minutes
    assert isinstance(settings.handoff_wait_limit_min, float)


def test_wait_limit_in_file_may_be_whole_or_fraction(tmp_path: Path) -> None:
    config = tmp_path / "line.toml"
    config.write_text("[voicebot]\nhandoff_wait_limit_min = 3\n", encoding="utf-8")
    assert Settings.load(config, env={}).handoff_wait_limit_min == 3.0
    config.write_text("[voicebot]\nhandoff_wait_limit_min = 0.5\n", encoding="utf-8")
    assert Settings.load(config, env={}).handoff_wait_limit_min == 0.5
    assert Settings.load(env={}).handoff_wait_limit_min == 15.0


def test_bad_value_in_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "line.toml"
    config.write_text('[voicebot]\nwork_start = "17:30"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="work_start"):
        Settings.load(config, env={})


def test_paths_do_not_depend_on_the_working_folder(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    here = Settings.load(env={})
    monkeypatch.chdir(tmp_path)
    there = Settings.load(env={})
    assert there.models_dir == here.models_dir == default_home() / "models"
    assert there.data_dir == here.data_dir == default_home() / "data"
    assert there.resolved_database_url == here.resolved_database_url
    relative = Settings.load(env={"VOICEBOT_MODELS_DIR": "models"})
    assert relative.models_dir == default_home() / "models"


def test_relative_paths_in_a_file_count_from_the_file(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "etc").mkdir()
    config = tmp_path / "etc" / "line.toml"
    config.write_text('[voicebot]\ndata_dir = "../var"\n', encoding="utf-8")
    monkeypatch.chdir(os.sep)
    settings = Settings.load(config, env={})
    assert settings.data_dir.resolve() == (tmp_path / "var").resolve()
