"""Serve SIP calls: the endpoint plus one asyncio task per call running ``handle_call``."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Awaitable, Callable

from voicebot.settings import Settings
from voicebot.sip.endpoint import EndpointConfig, SipEndpoint
from voicebot.sip.media import SipMedia
from voicebot.sip.types import ListenAddress
from voicebot.transport.media import CallInfo

CallHandler = Callable[[SipMedia, CallInfo], Awaitable[None]]
"""What runs one call: ``handle_call(media, info)``."""


def endpoint_config(settings: Settings, listen: tuple[str, ...] = (),
                    register: str = "") -> EndpointConfig:
    """The endpoint's configuration from the settings (command-line overrides for addresses)."""
    return EndpointConfig(
        listen=tuple(ListenAddress.parse(a) for a in (listen or settings.sip_listen)),
        allow=settings.sip_allow,
        register=register or settings.sip_register,
        username=settings.sip_username,
        password=settings.sip_password,
        rtp_port=settings.sip_rtp_port,
        rtp_timeout_s=settings.sip_rtp_timeout_s,
    )


class SipServer:
    """Answers SIP calls and runs ``handler`` for each; ``async with`` starts and stops it."""

    def __init__(self, config: EndpointConfig, handler: CallHandler) -> None:
        self._config = config
        self._handler = handler
        self._tasks: set[asyncio.Task[None]] = set()
        self._endpoint: SipEndpoint | None = None

    @property
    def addresses(self) -> list[str]:
        """Bound signalling addresses (``udp:HOST:PORT``)."""
        return self._endpoint.addresses if self._endpoint else []

    async def __aenter__(self) -> SipServer:
        self._endpoint = SipEndpoint(self._config, self._on_media)
        await self._endpoint.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._endpoint is not None:
            await self._endpoint.stop()

    def _on_media(self, media: SipMedia) -> None:
        task = asyncio.get_running_loop().create_task(self._run_call(media))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run_call(self, media: SipMedia) -> None:
        try:
            await self._handler(media, media.info)
        except Exception as exc:
            print(f"sip: call {media.info.call_id} failed: {exc!r}", file=sys.stderr, flush=True)
        finally:
            with contextlib.suppress(Exception):
                await media.hang_up()
