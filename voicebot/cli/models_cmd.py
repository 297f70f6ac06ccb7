"""``voicebot models``: list, fetch, install and verify speech models."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn
from rich.table import Table

from voicebot.asr.engines import load_engines
from voicebot.asr.fetch import fetch_model
from voicebot.asr.known_models import KNOWN_MODELS
from voicebot.asr.models import install_model, is_vosk_model_dir, list_models
from voicebot.asr.types import AsrError
from voicebot.asr.verify import verify_model
from voicebot.cli.common import fail, load_settings

app = typer.Typer(no_args_is_help=True)
out = Console(highlight=False)


def _mb(n: int) -> str:
    return f"{n / 1e6:.0f} MB"


@app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """Installed models (models_dir, Python packages, bundled) and what each language uses."""
    settings = load_settings(ctx)
    table = Table("name", "language", "engine", "size", "where")
    for m in list_models(settings.models_dir):
        table.add_row(m.name, m.language, m.engine, _mb(m.size_bytes), f"{m.source}: {m.path}")
    out.print(table)
    try:
        out.print(load_engines(settings).status_text())
    except AsrError as exc:
        out.print(f"[red]{escape(str(exc))}[/]")
    out.print(f"Known for fetch: {', '.join(sorted(KNOWN_MODELS))}")


@app.command()
def fetch(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A known vosk model name, e.g. vosk-model-small-cn-0.22."),
    timeout: float = typer.Option(5.0, "--timeout", help="Connect timeout, seconds."),
    if_missing: bool = typer.Option(
        False, "--if-missing", help="Do nothing when models_dir already holds a model of this name."
    ),
) -> None:
    """Download a known vosk model (else its mirror), check its SHA-256, install it."""
    settings = load_settings(ctx)
    existing = settings.models_dir / name
    if if_missing and is_vosk_model_dir(existing):
        out.print(f"{name} already installed at {existing}", soft_wrap=True)
        return
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=out,
        transient=True,
    ) as bar:
        task = bar.add_task(name, total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        def notify(line: str) -> None:
            out.print(escape(line), soft_wrap=True)
            bar.reset(task, description=f"{name} (mirror)")

        try:
            got = fetch_model(
                name,
                settings.models_dir,
                progress=progress,
                connect_timeout=timeout,
                notify=notify,
            )
        except AsrError as exc:
            fail(escape(f"{exc} [{exc.code}]"))
    model = got.model
    out.print(
        f"installed {model.name} ({model.language}, {_mb(model.size_bytes)}) at {model.path}",
        soft_wrap=True,
    )
    out.print(f"source: {escape(got.source)}", soft_wrap=True)
    out.print(f"sha256 {got.sha256}")
    known = KNOWN_MODELS.get(name)
    if got.mirror is None and known is not None and known.sha256 is None:
        out.print(
            f"note: no SHA-256 on record for {name}; the download was checked for structure only"
        )


@app.command()
def install(
    ctx: typer.Context,
    source: Path = typer.Argument(..., help="A vosk model .zip or directory."),
    language: str | None = typer.Option(None, "--language", help="zh, en, ko ... (else guessed)."),
    name: str | None = typer.Option(None, "--name", help="Directory name under models_dir."),
    link: bool = typer.Option(
        False, "--link", help="Symlink a directory's files instead of copying."
    ),
) -> None:
    """Install a model from a file or directory (air-gapped machines)."""
    settings = load_settings(ctx)
    try:
        model = install_model(source, settings.models_dir, language=language, name=name, link=link)
    except AsrError as exc:
        fail(escape(f"{exc} [{exc.code}]"))
    out.print(f"installed {model.name} ({model.language}, {_mb(model.size_bytes)}) at {model.path}")


@app.command()
def verify(ctx: typer.Context) -> None:
    """Load every installed model; report OK or broken."""
    settings = load_settings(ctx)
    broken = 0
    for m in list_models(settings.models_dir):
        problem = verify_model(m)
        if problem is None:
            out.print(f"[green]OK[/]     {m.name} ({m.language}, {m.engine})")
        else:
            broken += 1
            out.print(f"[red]BROKEN[/] {m.name} ({m.language}, {m.engine}): {escape(problem)}")
    if broken:
        raise typer.Exit(1)
