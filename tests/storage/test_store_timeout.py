"""A database that hangs instead of refusing: each operation gives up after its timeout.

On SQLite a statement is made slow on purpose; on PostgreSQL (when TEST_POSTGRES_URL is
set, skipped with the reason otherwise) the server really stops answering, behind a proxy
that stops forwarding without closing anything (tests/e2e/tcp_proxy.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

import bot.storage.store as store_module
from bot.storage import GuildSettings, Store, StoreUnavailableError
from tests.e2e.tcp_proxy import TcpProxy
from tests.postgres import postgres_behind_proxy

GUILD = 111_111_111_111_111_111
# What bounds a call that would hang without the store's own timeout: only a hang reaches
# it, so it is generous for a loaded machine (how fast is a benchmark's business).
HANG = 30.0


def test_the_default_leaves_a_deferred_command_time_to_answer() -> None:
    # Discord's window to acknowledge is 3 s; after a defer the reply may take longer,
    # but a person waits for it: a few seconds, not the connect timeout.
    assert 1.0 <= store_module.OPERATION_TIMEOUT <= 3.0


async def test_an_operation_slower_than_the_timeout_is_an_outage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bot.sqlite3"
    async with Store.open(f"sqlite:///{path}", operation_timeout=0.2) as store:
        saved = await store.update_guild_settings(GUILD, mode="channels")
        read_settings = store_module._read_settings
        abandoned: list[int] = []

        async def hanging_read(conn: Any, guild_id: int) -> GuildSettings:
            try:
                await asyncio.Event().wait()  # never answers
            finally:
                abandoned.append(guild_id)
            return await read_settings(conn, guild_id)  # pragma: no cover

        monkeypatch.setattr(store_module, "_read_settings", hanging_read)
        with pytest.raises(StoreUnavailableError) as raised:
            # wait_for: without the store's own timeout this fails instead of hanging
            await asyncio.wait_for(store.get_guild_settings(GUILD), HANG)
        known = await store.get_guild_settings_or_last_known(GUILD)
        monkeypatch.undo()

        # The store gave up when its 0.2 s were over (the message says so only then),
        # and cancelled the read: nothing is left running.
        assert str(raised.value) == f"database unavailable (SQLite {path}): no answer within 0.2 s"
        assert abandoned == [GUILD, GUILD]  # get_guild_settings, then ..._or_last_known
        assert known == saved  # answering goes on with the last known settings
        assert await store.get_guild_settings(GUILD) == saved  # and the store recovers


@pytest.fixture
async def hanging_postgres() -> AsyncIterator[tuple[str, TcpProxy]]:
    """Yield a URL to the test PostgreSQL server through a proxy, and the proxy to stall."""
    async with postgres_behind_proxy() as (url, proxy):
        yield url, proxy


async def test_a_hanging_postgresql_fails_each_operation_in_bounded_time(
    hanging_postgres: tuple[str, TcpProxy], caplog: pytest.LogCaptureFixture
) -> None:
    url, proxy = hanging_postgres
    async with Store.open(url, operation_timeout=1.0) as store:
        saved = await store.update_guild_settings(GUILD, mode="channels")
        proxy.stall()

        # First on the pooled connection (its pre-ping hangs), then on new connections
        # that never get an answer either.
        for _ in range(3):
            with pytest.raises(StoreUnavailableError, match=r"no answer within 1 s$"):
                # wait_for: without the store's own timeout this fails instead of hanging
                update = store.update_guild_settings(GUILD, cooldown_seconds=5)
                await asyncio.wait_for(update, HANG)
        assert await store.get_guild_settings_or_last_known(GUILD) == saved

        proxy.restore()
        assert await store.get_guild_settings(GUILD) == saved  # back by itself
        proxy.stall()
        # Closing a store whose database hangs does not hang a stopping bot either: once
        # its operation timeout is over it drops the connections without a goodbye.
        with caplog.at_level(logging.WARNING, logger=store_module.__name__):
            await asyncio.wait_for(store.close(), HANG)
    assert "did not answer while closing: connections dropped" in caplog.text
