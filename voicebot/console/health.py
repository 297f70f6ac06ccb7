"""``/healthz`` (the process answers) and ``/readyz`` (store reachable, models in place)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from voicebot.settings import Settings
from voicebot.store.models import Base

router = APIRouter()


@dataclass(frozen=True)
class Check:
    """One readiness check."""

    name: str
    """What was checked: ``store``, ``nlu_model`` or ``asr_model_LANG``."""
    ok: bool
    """Whether it passed."""
    detail: str
    """What was found (no secrets: no URLs with passwords, no case data)."""


def readiness(settings: Settings, sessions: sessionmaker[Session]) -> list[Check]:
    """The checks ``/readyz`` reports (blocking: run off the event loop)."""
    from voicebot.asr.models import resolve_vosk_model

    checks: list[Check] = []
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
            tables = inspect(session.connection()).get_table_names()
        missing = sorted(set(Base.metadata.tables) - set(tables))
        checks.append(Check("store", not missing,
                            f"missing tables: {', '.join(missing)}" if missing else "reachable"))
    except Exception as exc:
        checks.append(Check("store", False, f"unreachable: {exc.__class__.__name__}"))
    nlu = settings.nlu_model_dir
    trained = nlu.is_dir() and any(nlu.iterdir())
    checks.append(Check("nlu_model", trained, str(nlu) if trained else
                        f"no trained model in {nlu} (run `voicebot nlu train`)"))
    for lang in settings.languages:
        setting = {"zh": settings.vosk_model_zh, "en": settings.vosk_model_en}.get(lang, "")
        if lang == "en" and not setting:
            continue  # English runs on the packaged pocketsphinx/Whisper models
        model = resolve_vosk_model(settings.models_dir, setting, lang)
        checks.append(Check(f"asr_model_{lang}", model is not None,
                            model.name if model else f"no {lang} vosk model in "
                            f"{settings.models_dir}"))
    return checks


@router.get("/healthz", include_in_schema=False)
async def healthz() -> JSONResponse:
    """Liveness: the process serves requests."""
    return JSONResponse({"status": "ok"})


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Readiness: 200 when every check passes, else 503; the checks as JSON."""
    checks = await run_in_threadpool(readiness, request.app.state.settings,
                                     request.app.state.sessions)
    ok = all(c.ok for c in checks)
    body = {"status": "ready" if ok else "not ready",
            "checks": {c.name: {"ok": c.ok, "detail": c.detail} for c in checks}}
    return JSONResponse(body, status_code=200 if ok else 503)
