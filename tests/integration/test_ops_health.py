"""``/healthz`` and ``/readyz`` on the console, and the home court checked at start-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from voicebot.cli.main import app as cli
from voicebot.console import create_app
from voicebot.settings import DEFAULT_SETTINGS
from voicebot.store.db import make_engine, make_sessionmaker
from voicebot.store.models import Base, Court

pytestmark = pytest.mark.integration


def test_health_and_readiness(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/h.db"
    engine = make_engine(url)
    settings = DEFAULT_SETTINGS.replace(data_dir=tmp_path, database_url=url)
    (tmp_path / "nlu" / "zh").mkdir(parents=True)
    app = create_app(settings, make_sessionmaker(engine), housekeeping_s=None)
    with TestClient(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        empty = client.get("/readyz")  # no tables yet
        assert empty.status_code == 503
        assert empty.json()["checks"]["store"]["ok"] is False
        Base.metadata.create_all(engine)
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.json()
        assert set(ready.json()["checks"]) == {"store", "nlu_model", "asr_model_zh"}
    missing = settings.replace(models_dir=tmp_path / "no-models")
    app = create_app(missing, make_sessionmaker(engine), housekeeping_s=None)
    with TestClient(app) as client:
        r = client.get("/readyz")
        assert r.status_code == 503
        assert r.json()["checks"]["asr_model_zh"]["ok"] is False
    engine.dispose()


def test_unknown_home_court_stops_serve_and_the_line(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/c.db"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as s:
        s.add(Court(code="京0105", name="朝阳法院"))
        s.commit()
    engine.dispose()
    monkeypatch.setenv("VOICEBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VOICEBOT_HOME_COURT", "京0101")
    runner = CliRunner()
    for args in (["serve", "--db", url, "--port", "1"], ["call", "--text", "--db", url]):
        r = runner.invoke(cli, args, input="")
        assert r.exit_code == 1, (args, r.output)
        assert "home_court" in r.output and "京0105" in r.output, r.output
