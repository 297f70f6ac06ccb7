"""``voicebot nlu``: train the intent classifiers and try the parser."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import typer

from voicebot.casenumber import CaseNumberError, validate_court_code
from voicebot.cli.common import fail, load_settings
from voicebot.nlu.errors import NluError
from voicebot.nlu.types import Understanding

app = typer.Typer(no_args_is_help=True)


@app.command("train")
def train(
    ctx: typer.Context,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print one summary line per language."),
    if_stale: bool = typer.Option(
        False, "--if-stale", help="Do nothing when the model was trained from the current data."
    ),
) -> None:
    """Train the intent classifiers from the labelled utterances into ``data_dir/nlu``."""
    from voicebot.nlu.classifier import is_current
    from voicebot.nlu.training import train_all

    settings = load_settings(ctx)
    if if_stale and all(is_current(settings.nlu_model_dir, lang) for lang in ("zh", "en")):
        typer.echo(f"nlu: the model in {settings.nlu_model_dir} is up to date")
        return
    try:
        evaluations = train_all(settings.nlu_model_dir)  # both languages, whatever the line offers
    except NluError as exc:
        fail(f"{exc} (code: {exc.code})")
    for ev in evaluations:
        worst = min(ev.per_intent, key=lambda s: s.recall)
        typer.echo(
            f"nlu {ev.language}: test accuracy {ev.accuracy:.1%}, lowest recall "
            f"{worst.intent} {worst.recall:.1%} -> {settings.nlu_model_dir / ev.language}"
        )
        if quiet:
            continue
        typer.echo(f"  {'intent':<18}{'precision':>10}{'recall':>10}{'support':>9}")
        for s in ev.per_intent:
            typer.echo(f"  {s.intent:<18}{s.precision:>10.1%}{s.recall:>10.1%}{s.support:>9}")


@app.command("parse")
def parse(
    ctx: typer.Context,
    text: str = typer.Argument(..., help="The utterance, or - to read one per line from stdin."),
    lang: str = typer.Option("zh", "--lang", "-l", help="Language of the utterance: zh or en."),
    expect: str | None = typer.Option(
        None, "--expect", help="Dialog hint: digits, yesno, case_number or intent."
    ),
    home_court: str | None = typer.Option(
        None, "--home-court", help="Court code completing numbers said without a court "
        "(default: VOICEBOT_HOME_COURT when set).",
    ),
) -> None:
    """Print what is understood of TEXT as JSON (one object per line with -)."""
    from voicebot.nlu.understander import Understander

    if lang not in ("zh", "en"):
        fail(f"--lang must be zh or en, not {lang!r}")
    settings = load_settings(ctx)
    if home_court is None and os.environ.get("VOICEBOT_HOME_COURT"):
        home_court = settings.home_court
    if home_court is not None:
        try:
            validate_court_code(home_court)
        except CaseNumberError as exc:
            fail(str(exc))
    try:
        understander = Understander.load(settings.nlu_model_dir, languages=(lang,))
    except NluError as exc:
        fail(f"{exc} (code: {exc.code})")
    lines = sys.stdin if text == "-" else [text]
    for line in lines:
        line = line.rstrip("\n")
        if text == "-" and not line.strip():
            continue
        result = understander.parse(line, lang, expect=expect)
        typer.echo(json.dumps(to_json(result, home_court), ensure_ascii=False))


def to_json(u: Understanding, home_court: str | None = None) -> dict[str, Any]:
    """The result as plain data; a number lacking the court is completed with ``home_court``."""
    case_number = u.case_number
    partial = u.partial_case_number
    if case_number is None and partial is not None and home_court:
        try:
            case_number = partial.complete(home_court)
        except CaseNumberError:
            case_number = None
    return {
        "text": u.text,
        "language": u.language,
        "intent": u.intent,
        "confidence": u.confidence,
        "topic": u.topic,
        "case_number": str(case_number) if case_number else None,
        "partial_case_number": None if partial is None else {
            "year": partial.year,
            "court": partial.court,
            "case_type": partial.case_type,
            "seq": partial.seq,
            "missing": list(partial.missing),
            "text": str(partial),
        },
        "digits": u.digits,
        "yes_no": u.yes_no,
        "language_switch": u.language_switch,
    }
