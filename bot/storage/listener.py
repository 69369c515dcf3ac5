"""PostgreSQL LISTEN for settings changes, on a connection of its own, that heals itself.

Every transaction that changes a server's settings also runs `NOTIFY trivia_guild_settings`
(see `Store`), delivered by PostgreSQL only once that transaction commits. Each bot
process listens on one dedicated asyncpg connection (a pooled connection could not: it
is handed to other queries between notifications) and calls `on_change(payload)` for
each notification.

A notification sent while the connection is down is lost, so after every (re)connect,
once LISTEN is in place, `resync()` re-reads every server's settings (the store loads them
whole): nothing changed before LISTEN can be missed, and what changed after it is
notified. While the connection cannot be made, `resync()` runs every `poll_interval`
seconds instead, so settings still follow within that time. A connection that dies
silently (a network that drops packets instead of closing) is found by a `SELECT 1`
every `keepalive` seconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable, Callable

import asyncpg

log = logging.getLogger(__name__)

CHANNEL = "trivia_guild_settings"
# Shown in pg_stat_activity, with the process id, so an operator (or a test) can find it.
APPLICATION_NAME = "trivia-bot settings listener"
# Seconds: between re-reads while not listening; between liveness checks while listening;
# to connect, and for a liveness check to answer.
POLL_INTERVAL = 5.0
KEEPALIVE = 15.0
TIMEOUT = 5.0

_CONNECTION_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


class SettingsListener:
    """Listens for settings changes until closed; see the module docstring."""

    def __init__(
        self,
        dsn: str,
        on_change: Callable[[str], None],
        resync: Callable[[], Awaitable[bool]],
        *,
        poll_interval: float = POLL_INTERVAL,
        keepalive: float = KEEPALIVE,
        timeout: float = TIMEOUT,
    ) -> None:
        """Listen at `dsn` (a plain asyncpg DSN); `resync` returns whether it could read."""
        self._dsn = dsn
        self._on_change = on_change
        self._resync = resync
        self._poll_interval = poll_interval
        self._keepalive = keepalive
        self._timeout = timeout
        self._task: asyncio.Task[None] | None = None
        self._first_round = asyncio.Event()
        self.connected = False

    async def start(self) -> None:
        """Start listening; return once the first connection attempt and re-read are done."""
        self._task = asyncio.create_task(self._run(), name="settings listener")
        await self._first_round.wait()

    async def close(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        was_down = False
        while True:
            try:
                was_down = await self._round(was_down)
            except Exception:
                # A bug must not end the listening for good: settings would go stale
                # without a word. Say so loudly, and start over as after a lost connection.
                log.exception("settings listener failed; starting over")
                self._first_round.set()
                was_down = True
                await asyncio.sleep(self._poll_interval)

    async def _round(self, was_down: bool) -> bool:
        """Connect and listen until the connection is lost; return whether it is down."""
        try:
            conn = await self._connect()
        except _CONNECTION_ERRORS as exc:
            if not was_down:
                log.warning(
                    "settings listener cannot connect (%s); re-reading settings every "
                    "%g s until it can",
                    _reason(exc),
                    self._poll_interval,
                )
            await self._resync()
            self._first_round.set()
            await asyncio.sleep(self._poll_interval)
            return True
        try:
            await self._listen(conn, was_down)
        finally:
            self.connected = False
            await _close_quietly(conn)
        log.warning(
            "settings listener lost its connection; reconnecting, and re-reading "
            "settings every %g s meanwhile",
            self._poll_interval,
        )
        return True

    async def _connect(self) -> asyncpg.Connection:
        conn: asyncpg.Connection = await asyncpg.connect(
            self._dsn,
            timeout=self._timeout,
            server_settings={"application_name": f"{APPLICATION_NAME} {os.getpid()}"},
        )
        return conn

    async def _listen(self, conn: asyncpg.Connection, was_down: bool) -> None:
        """LISTEN on `conn`, re-read what may have been missed, and return once it is lost."""
        lost = asyncio.Event()
        conn.add_termination_listener(lambda _conn: lost.set())
        try:
            await conn.add_listener(CHANNEL, self._notified)
        except _CONNECTION_ERRORS:
            return
        caught_up = await self._resync()
        self.connected = True
        if was_down:
            log.info(
                "settings listener connected again; %s",
                "settings re-read" if caught_up else "settings will be re-read",
            )
        self._first_round.set()
        await self._watch(conn, lost, caught_up)

    async def _watch(self, conn: asyncpg.Connection, lost: asyncio.Event, caught_up: bool) -> None:
        """Return when `conn` closes, or fails to answer a liveness check.

        Until `caught_up` (a re-read after connecting succeeded), re-read on the poll
        interval: what was missed before LISTEN must still be read.
        """
        while not lost.is_set():
            with contextlib.suppress(TimeoutError):
                wait = self._keepalive if caught_up else self._poll_interval
                await asyncio.wait_for(lost.wait(), wait)
                return
            if not caught_up:
                caught_up = await self._resync()
                continue
            try:
                await conn.execute("SELECT 1", timeout=self._timeout)
            except _CONNECTION_ERRORS:
                return

    def _notified(self, _conn: object, _pid: int, _channel: str, payload: str) -> None:
        self._on_change(payload)


async def _close_quietly(conn: asyncpg.Connection) -> None:
    """Close `conn`, dropping it outright if the server does not answer the goodbye."""
    try:
        await asyncio.wait_for(conn.close(), TIMEOUT)
    except _CONNECTION_ERRORS:
        conn.terminate()
    except asyncio.CancelledError:
        conn.terminate()
        raise


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]
