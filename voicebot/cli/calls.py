"""``voicebot call``, ``voicebot replay`` and ``voicebot demo``."""

from __future__ import annotations

import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from voicebot.call.runner import run_calls
from voicebot.cli.common import DB_OPTION, err_console, fail, load_settings
from voicebot.ops.logs import configure_logging
from voicebot.ops.startup import check_home_court
from voicebot.settings import Settings, SettingsError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from voicebot.call.line import Line

SAMPLE_CALL = Path(__file__).resolve().parent.parent / "replay" / "sample"
"""The bundled English sample call that ``voicebot demo`` replays."""


CONFIG_OPTION = typer.Option(None, "--config", help="TOML settings file (as `voicebot --config`).")


def _settings(ctx: typer.Context, db: str | None, home_court: str | None,
              config: Path | None = None) -> Settings:
    if config is not None:
        root = ctx.find_root()
        root.obj = {**(root.obj or {}), "config": config}
    settings = load_settings(ctx, db)
    if home_court:
        settings = settings.replace(home_court=home_court)
    return settings


def _line(settings: Settings, *, speech: bool,
          sessions: sessionmaker[Session] | None = None) -> Line:
    from voicebot.call.setup import load_line
    from voicebot.store import schema

    try:
        if sessions is None:
            schema.ensure(settings.resolved_database_url)
        return load_line(settings, speech=speech, sessions=sessions)
    except Exception as exc:
        code = getattr(exc, "code", "")
        fail(f"cannot start the line{f' ({code})' if code else ''}: {exc}")


def replay(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(None, help="Fixture folders, or folders of them."),
    junit: Path | None = typer.Option(None, "--junit", help="Write JUnit XML here."),
    db: str | None = typer.Option(
        None, "--db", help="Run against this store as it is (default: a fresh seeded store "
        "per fixture); with --from-call: the store holding the call."),
    home_court: str | None = typer.Option(None, "--home-court", help="Court code of the line."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No summary table."),
    config: Path | None = CONFIG_OPTION,
    demo_cases: int | None = typer.Option(
        None, "--demo-cases", min=0,
        help="Cases in the fresh seeded store (default: as `db demo`)."),
    out: Path | None = typer.Option(
        None, "--out", help="Write each call's line audio (per turn and whole) and report here."),
    from_call: int | None = typer.Option(
        None, "--from-call", help="Turn this logged call into a fixture (with --write)."),
    write: Path | None = typer.Option(None, "--write", help="Folder for the --from-call fixture."),
) -> None:
    """Replay call fixtures against the line; one JSON object per call on stdout.

    Each fixture runs on a fresh store seeded with the demo data unless --db is given."""
    from voicebot.call.setup import endpointer_factory
    from voicebot.replay.fixture import CallFixture, FixtureError, load_fixture
    from voicebot.replay.replay import ReplayResult, replay_fixture
    from voicebot.replay.report import find_fixtures, junit_xml, summary_rows
    from voicebot.replay.store import SeededStores

    settings = _settings(ctx, db, home_court, config)
    if from_call is not None or write is not None:
        _export(settings, from_call, write, paths)
        return
    if not paths:
        fail("give fixture folders to replay (or --from-call ID --write DIR)")
    fixtures: list[CallFixture] = []
    errors: list[tuple[str, str]] = []
    for name in find_fixtures(paths):
        try:
            fixtures.append(load_fixture(name))
        except FixtureError as exc:
            errors.append((name, str(exc)))
            err_console.print(f"[red]error:[/] {exc}", highlight=False)
    if not fixtures and not errors:
        fail("no fixtures found")
    with ExitStack() as stack:
        stores = None
        if not db:
            try:
                stores = stack.enter_context(SeededStores(settings, cases=demo_cases))
            except Exception as exc:
                fail(f"cannot seed the replay store: {exc}")
        speech = out is not None or any(f.has_audio for f in fixtures)
        if stores is None:
            line = _line(settings, speech=speech)
        else:  # models from the configured data_dir, courts from the seeded store
            line = _line(settings.replace(database_url=stores.template_url), speech=speech,
                         sessions=stores.template_sessions())
        if line.court.name == settings.home_court:  # the store does not hold the home court
            where = (f"the store at {settings.resolved_database_url}" if stores is None
                     else "the demo data")
            fix = ("run without --db for a fresh seeded store per fixture, or fill this one "
                   "with `voicebot db demo --db URL`" if stores is None
                   else "give a home court the demo data holds (--home-court)")
            err_console.print(
                f"[yellow]note:[/] {where} has no court {settings.home_court} (home_court): "
                f"fixtures that ask about cases will not find them; {fix}", highlight=False)
        endpointer = endpointer_factory(settings)

        async def run_all() -> list[ReplayResult]:
            done: list[ReplayResult] = []
            for fixture in fixtures:
                if stores is None:
                    result = await replay_fixture(line, fixture, endpointer=endpointer,
                                                  keep_audio=out is not None)
                else:
                    with stores.fresh(line) as fresh:
                        result = await replay_fixture(fresh, fixture, endpointer=endpointer,
                                                      keep_audio=out is not None)
                sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
                sys.stdout.flush()
                done.append(result)
            return done

        results = run_calls(run_all(), settings)
    if out is not None:
        from voicebot.replay.out import write_out

        write_out(out, results, line.synthesizer, settings.sample_rate)
        err_console.print(f"line audio and reports written to {out}", highlight=False)
    if not quiet:
        table = Table(title="replay")
        for col in ("call", "lang", "intent", "outcome", "turns", "p50 ms", "result"):
            table.add_column(col)
        for row in summary_rows(results):
            table.add_row(*row)
        err_console.print(table)
    passed = sum(1 for r in results if r.passed)
    failed = sum(1 for r in results if r.passed is False)
    err_console.print(f"{passed} passed, {failed} failed, {len(errors)} unreadable",
                      highlight=False)
    if junit is not None:
        junit.write_text(junit_xml(results, errors), encoding="utf-8")
    if failed or errors:
        raise typer.Exit(1)


def _export(settings: Settings, call_id: int | None, target: Path | None,
            paths: list[Path] | None) -> None:
    """``replay --from-call ID --write DIR``."""
    from voicebot.call.setup import open_sessions
    from voicebot.replay.export import ExportError, export_call

    if call_id is None or target is None or paths:
        fail("--from-call ID and --write DIR go together, without fixture folders")
    try:
        done = export_call(open_sessions(settings), call_id, target, timezone=settings.timezone)
    except ExportError as exc:
        fail(str(exc))
    err_console.print(f"fixture written to {done.folder} ({done.wavs} caller WAVs copied)",
                      highlight=False)
    if done.placeholders:
        err_console.print(
            f"[yellow]fill in:[/] turn(s) {', '.join(map(str, done.placeholders))} answered the "
            "password prompt; the store keeps no password: put the keys in 'dtmf' and remove "
            "'fill' (the fixture is refused until then)", highlight=False)


def call(
    ctx: typer.Context,
    text: bool = typer.Option(False, "--text", help="Type the caller's turns instead of talking."),
    lang: str | None = typer.Option(None, "--lang", help="Greeting language: zh or en."),
    audio_backend: str | None = typer.Option(
        None, "--audio-backend", help="sounddevice or pyaudio (default from settings)."),
    caller_id: str = typer.Option("", "--caller-id", help="Caller's number as signalled."),
    speak: bool = typer.Option(False, "--speak", help="With --text: also speak the bot's turns."),
    db: str | None = DB_OPTION,
) -> None:
    """Talk to the line: microphone and speaker, or --text."""
    from voicebot.cli.live import run_live, run_text

    settings = load_settings(ctx, db)
    if audio_backend:
        settings = settings.replace(audio_backend=audio_backend)
    if lang is not None and lang not in ("zh", "en"):
        fail("--lang must be zh or en")
    try:
        check_home_court(settings)
    except SettingsError as exc:
        fail(str(exc))
    if text:
        line = _line(settings, speech=speak)
        result = run_calls(run_text(line, language=lang, caller_id=caller_id, speak=speak),
                           settings)
    else:
        configure_logging(settings)  # the line's service: time-stamped log lines
        line = _line(settings, speech=True)
        result = run_calls(run_live(line, language=lang, caller_id=caller_id), settings)
    from voicebot.handoff.metrics import public_outcome  # no case-existence split on screen

    err_console.print(f"call {result.call_id}: {public_outcome(result.outcome)}"
                      f"{' ' + result.record_ref if result.record_ref else ''}", highlight=False)


def demo(
    ctx: typer.Context,
    db: str | None = DB_OPTION,
    cases: int = typer.Option(2000, "--cases", help="Cases in a newly made demo database."),
    out: Path | None = typer.Option(None, "--out", help="WAV of the bot's side."),
) -> None:
    """Make the demo database if needed, replay the bundled English call, write the bot's WAV."""
    from voicebot.audio.wav import write_wav
    from voicebot.call.setup import endpointer_factory, ensure_demo
    from voicebot.replay.fixture import load_fixture
    from voicebot.replay.replay import replay_fixture

    settings = load_settings(ctx, db)
    try:
        if ensure_demo(settings, cases):
            err_console.print(f"demo database made at {settings.resolved_database_url}",
                              highlight=False)
    except Exception as exc:
        fail(f"cannot prepare the demo database: {exc}")
    line = _line(settings, speech=True)
    fixture = load_fixture(SAMPLE_CALL)
    result = run_calls(replay_fixture(line, fixture, endpointer=endpointer_factory(settings),
                                      keep_audio=True), settings)
    for turn in result.call.turns:
        if turn.caller:
            typer.echo(f"caller: {turn.caller}")
        typer.echo(f"line:   {turn.bot}")
    target = out or settings.data_dir / "demo-call-bot.wav"
    if result.bot_audio:
        from voicebot.audio.chunk import AudioChunk

        audio = b"".join(c.audio for c in result.bot_audio)
        write_wav(target, AudioChunk(audio, settings.sample_rate, 2, 1))
        typer.echo(f"\nThe line's side of the call: {target}")
    verdict = "met" if result.passed else "NOT met: " + "; ".join(result.failures)
    from voicebot.handoff.metrics import public_outcome  # no case-existence split on screen

    typer.echo(f"Outcome: {public_outcome(result.call.outcome)} "
               f"(call record {result.call.call_id}); "
               f"expectations {verdict}")
    typer.echo("\nThe console: voicebot users add admin --role admin   (then)   voicebot serve\n"
               "and open http://127.0.0.1:8368/login ; try a call yourself: voicebot call --text")
