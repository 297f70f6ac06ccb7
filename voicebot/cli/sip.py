"""``voicebot sip serve``: answer telephone calls for the line over SIP/RTP."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor

import typer

from voicebot.cli.common import load_settings

app = typer.Typer(no_args_is_help=True)


async def _serve(listen: tuple[str, ...], register: str, demo: bool, ctx: typer.Context) -> None:
    from voicebot.sip.server import CallHandler, SipServer, endpoint_config

    settings = load_settings(ctx)
    loop = asyncio.get_running_loop()
    # blocking stages of every call (recognition, synthesis, the store) share these threads
    loop.set_default_executor(ThreadPoolExecutor(settings.worker_threads,
                                                 thread_name_prefix="voicebot-call"))
    handler: CallHandler
    if demo:
        from voicebot.sip.handler import handle_call

        mode, handler = "demo", handle_call
    else:
        from voicebot.ops.logs import configure_logging
        from voicebot.sip.line import SipLine

        configure_logging(settings)
        worker = (listen or settings.sip_listen)[0]
        sip_line = await asyncio.to_thread(SipLine.load, settings, worker)
        closed = await asyncio.to_thread(sip_line.start_up)
        if closed:
            print(f"sip: closed {len(closed)} call(s) left open by a previous run", flush=True)
        watch = loop.create_task(sip_line.watch())
        mode, handler = "line", sip_line.handle_call
    stop = asyncio.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with SipServer(endpoint_config(settings, listen, register), handler) as server:
        for address in server.addresses:
            print(f"sip: listening on {address} ({mode})", flush=True)
        await stop.wait()
    if not demo:
        watch.cancel()
    print("sip: stopped", flush=True)


@app.command("serve")
def serve(
    ctx: typer.Context,
    listen: list[str] = typer.Option(
        [], "--listen", help="udp:HOST:PORT or tcp:HOST:PORT (repeatable; default from settings)."
    ),
    register: str = typer.Option(
        "", "--register", help="Registrar URI, e.g. sip:12368@pbx.example (credentials: settings)."
    ),
    demo: bool = typer.Option(
        False, "--demo", help="Echo demo (greeting tone, echo, keys logged) instead of the line."
    ),
) -> None:
    """Answer SIP calls for the line until stopped (Ctrl-C or SIGTERM)."""
    from voicebot.sip.types import SipError

    try:
        import pjsua2  # noqa: F401
    except ImportError:
        raise typer.BadParameter("the SIP stack is missing: pip install 'voicebot[sip]'") from None
    try:
        asyncio.run(_serve(tuple(listen), register, demo, ctx))
    except SipError as exc:
        typer.echo(f"sip: {exc} [{exc.code}]", err=True)
        raise typer.Exit(2) from None
