"""Pointing discord.py (2.7) at the fake, and running a client against it.

What ``point_discord_py_at`` patches (process-wide class attributes):

* ``discord.http.Route.BASE`` - every REST URL is built from it when a ``Route``
  is created; this covers ``HTTPClient`` *and* the webhook adapter used for
  interaction callbacks/followups (``discord.webhook.async_`` imports the same
  ``Route``).
* ``discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY`` - ``Client.connect()`` in
  2.7 does not call GET /gateway/bot; the first connection (and re-IDENTIFY after
  INVALID_SESSION) goes to ``DEFAULT_GATEWAY``. RESUME uses READY's
  ``resume_gateway_url``, which the fake points back at itself.
  (``AutoShardedClient`` asks GET /gateway/bot, which the fake answers with its
  own URL, so it needs only ``Route.BASE``.)

The bot can do the same from DISCORD_API_BASE / DISCORD_GATEWAY_URL before it
logs in. discord.py adds ``?v=10&encoding=json&compress=zlib-stream`` to the
gateway URL; the fake ignores ``compress`` and sends plain text frames, which
discord.py accepts.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any


def point_discord_py_at(api_base: str, gateway_url: str) -> Callable[[], None]:
    """Patches discord.py to use ``api_base`` and ``gateway_url``; returns an undo function."""
    import discord.gateway
    import discord.http
    import yarl

    old_base = discord.http.Route.BASE
    old_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    discord.http.Route.BASE = api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)

    def restore() -> None:
        discord.http.Route.BASE = old_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = old_gateway

    return restore


@contextlib.contextmanager
def pointed_at(fake: Any):
    """``with pointed_at(fake_discord): ...`` - patch for the duration of the block."""
    restore = point_discord_py_at(fake.api_base, fake.gateway_url)
    try:
        yield
    finally:
        restore()


@contextlib.asynccontextmanager
async def running_client(client: Any, token: str, *, timeout: float = 10.0) -> AsyncIterator[Any]:
    """Starts ``client.start(token)`` in a task, waits for ``on_ready``, yields, closes.

    Errors from ``start`` (LoginFailure, PrivilegedIntentsRequired, ...) propagate.
    Tip: pass ``guild_ready_timeout=0.05`` to the client, otherwise discord.py waits
    2 s after the last GUILD_CREATE before firing on_ready. With so short a wait a busy
    machine may fire on_ready before a GUILD_CREATE is read, so this also waits until
    every guild READY announced has arrived (with the GUILDS intent).
    """
    task = asyncio.create_task(client.start(token), name="discord-client")
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    try:
        while not client.is_ready() or _guilds_pending(client):
            if task.done():
                task.result()  # raises the client's error
                raise RuntimeError("client stopped before becoming ready")
            if loop.time() > deadline:
                raise TimeoutError("discord.py client did not become ready")
            await asyncio.sleep(0.01)
    except BaseException:
        await _shutdown(client, task)
        raise
    failed = False
    try:
        yield client
    except BaseException:
        failed = True
        raise
    finally:
        await _shutdown(client, task)
    if not failed and not task.cancelled() and task.exception() is not None:
        raise task.exception()  # type: ignore[misc]


def _guilds_pending(client: Any) -> bool:
    """Whether a guild of READY is still unavailable (its GUILD_CREATE not read yet)."""
    return bool(client.intents.guilds) and any(g.unavailable for g in client.guilds)


async def _shutdown(client: Any, task: asyncio.Task[Any]) -> None:
    if not client.is_closed():
        await client.close()
    if not task.done():
        try:
            await asyncio.wait_for(task, timeout=5)
        except BaseException:
            task.cancel()
    if task.done() and not task.cancelled():
        task.exception()  # mark retrieved
