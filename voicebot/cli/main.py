"""The ``voicebot`` command."""

from __future__ import annotations

from pathlib import Path

import typer

from voicebot.cli import (
    asr_cmd,
    audio_cmd,
    calls,
    db,
    models_cmd,
    nlu_cmd,
    serve_cmd,
    simulate_cmd,
    sip,
    tts_cmd,
    users_cmd,
)
from voicebot.cli.backup import register as register_backup

app = typer.Typer(
    help="voicebot: the court's 12368 self-service telephone line.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    ctx: typer.Context,
    config: Path | None = typer.Option(None, "--config", help="TOML settings file."),
) -> None:
    ctx.obj = {"config": config}


register_backup(db.app)  # db backup / db restore
app.add_typer(db.app, name="db", help="Create, migrate, import, export and fill the case store.")
app.add_typer(db.case_app, name="case", help="Look at cases as an operator would.")
app.add_typer(models_cmd.app, name="models", help="List, install, fetch and verify speech models.")
app.add_typer(asr_cmd.app, name="asr", help="Speech recognition on WAV files.")
app.add_typer(tts_cmd.app, name="tts", help="Speech synthesis.")
app.add_typer(audio_cmd.app, name="audio", help="Audio devices.")
app.add_typer(audio_cmd.dtmf_app, name="dtmf", help="Keypad tones in audio.")
app.add_typer(
    nlu_cmd.app, name="nlu", help="Understanding: train and try the intent and number parser."
)
app.add_typer(users_cmd.users_app, name="users", help="Console accounts.")
app.add_typer(sip.app, name="sip", help="Answer telephone calls over SIP/RTP.")
app.command("call", help="Talk to the line (microphone and speaker, or --text).")(calls.call)
app.command("replay", help="Replay recorded call fixtures against the line.")(calls.replay)
app.command("demo", help="Show the line working on the embedded defaults.")(calls.demo)
app.command("simulate", help="Goal-driven simulated callers against the line.")(
    simulate_cmd.simulate)
app.command("serve", help="Start the operator and judge console.")(serve_cmd.serve)


def main() -> None:
    """Entry point of the console script."""
    app()
