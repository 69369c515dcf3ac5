"""The message path's settings: held in memory, and right across processes.

On both backends: a store's own writes are what its next message uses, and the settings
are read once, not per message. On PostgreSQL (two stores, as two processes would have):
a write through one reaches the other by NOTIFY; a write made while the other's listener
was cut off is re-read once it is back; and while the listener cannot connect at all,
settings are re-read on an interval.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from unittest.mock import patch

import pytest

from bot.storage import GuildSettings, Store
from bot.storage import store as store_module
from bot.storage.listener import SettingsListener
from tests.postgres import postgres_behind_proxy, postgres_url, wipe

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
CHANNEL = 333_333_333_333_333_333
# Bound on waiting for something that happens in the background (a notification, a
# reconnect): reached only when it never happens.
WAIT = 20.0


async def until(condition: Callable[[], bool], what: str) -> None:
    """Wait (bounded) until `condition()` holds."""
    async with asyncio.timeout(WAIT):
        while not condition():
            await asyncio.sleep(0.02)
    assert condition(), what


@pytest.fixture
async def cached(db_url: str) -> Store:
    async with Store.open(db_url, cache_settings=True) as opened:
        yield opened


async def test_own_writes_are_used_on_the_next_message(cached: Store) -> None:
    assert await cached.settings_for_message(GUILD) == GuildSettings()
    assert not cached.may_answer_unmentioned(GUILD)

    await cached.update_guild_settings(GUILD, mode="channels")
    await cached.add_channel(GUILD, CHANNEL)
    assert (await cached.settings_for_message(GUILD)).channels == {CHANNEL}
    assert cached.may_answer_unmentioned(GUILD)
    assert not cached.may_answer_unmentioned(OTHER_GUILD)

    await cached.remove_channel(GUILD, CHANNEL)
    assert not cached.may_answer_unmentioned(GUILD)
    await cached.update_guild_settings(GUILD, mode="off")
    assert (await cached.settings_for_message(GUILD)).mode == "off"
    await cached.reset_guild_settings(GUILD)
    assert await cached.settings_for_message(GUILD) == GuildSettings()


async def test_messages_read_nothing_and_a_server_changed_elsewhere_once(cached: Store) -> None:
    await cached.update_guild_settings(GUILD, mode="off")
    with patch.object(cached, "get_guild_settings", wraps=cached.get_guild_settings) as reads:
        for guild_id in (GUILD, OTHER_GUILD) * 10:
            await cached.settings_for_message(guild_id)
        assert reads.await_count == 0  # all held: saved here, or the defaults

        assert cached._cache is not None
        cached._cache.invalidate(GUILD)  # what a notification from another process does
        for _ in range(10):
            assert (await cached.settings_for_message(GUILD)).mode == "off"
        assert reads.await_count == 1


async def test_servers_with_channels_are_known_from_the_start(db_url: str) -> None:
    async with Store.open(db_url) as admin:
        await admin.update_guild_settings(GUILD, mode="channels", channels=frozenset({CHANNEL}))
    async with Store.open(db_url, cache_settings=True) as started:
        assert started.may_answer_unmentioned(GUILD)
        assert not started.may_answer_unmentioned(OTHER_GUILD)


async def test_without_the_cache_every_message_reads(store: Store) -> None:
    assert store.may_answer_unmentioned(GUILD)  # nothing is known: look it up
    with patch.object(store, "get_guild_settings", wraps=store.get_guild_settings) as reads:
        await store.settings_for_message(GUILD)
        await store.settings_for_message(GUILD)
    assert reads.await_count == 2


# -- across processes (PostgreSQL) ---------------------------------------------------------


@pytest.fixture
async def pg_url() -> str:
    url = await postgres_url()
    await wipe(url)
    return url


async def test_a_write_elsewhere_is_used_on_the_next_message(pg_url: str) -> None:
    async with (
        Store.open(pg_url, cache_settings=True) as reader,
        Store.open(pg_url) as writer,
    ):
        assert await reader.settings_for_message(GUILD) == GuildSettings()

        await writer.update_guild_settings(GUILD, mode="channels", channels=frozenset({CHANNEL}))
        await until(lambda: reader.may_answer_unmentioned(GUILD), "the notification")

        settings = await reader.settings_for_message(GUILD)
        assert settings.mode == "channels" and settings.channels == {CHANNEL}
        await writer.reset_guild_settings(GUILD)
        await until(lambda: reader._cache is not None and reader._cache.get(GUILD) is None, "")
        assert await reader.settings_for_message(GUILD) == GuildSettings()


async def test_a_write_missed_while_the_listener_was_cut_is_read_once_back() -> None:
    async with postgres_behind_proxy() as (through_proxy, proxy):
        direct = await postgres_url()
        async with (
            Store.open(through_proxy, cache_settings=True) as reader,
            Store.open(direct) as writer,
        ):
            listener = reader._listener
            assert listener is not None and listener.connected
            assert (await reader.settings_for_message(GUILD)).mode == "mention"

            proxy.cut()  # the reader's connections drop: its listener's too
            await until(lambda: not listener.connected, "the listener to notice")
            await writer.update_guild_settings(GUILD, mode="off")  # no one to notify
            assert (await reader.settings_for_message(GUILD)).mode == "mention"

            proxy.restore()
            # `connected`: listening again, and done re-reading what it may have missed.
            await until(lambda: listener.connected, "the listener to reconnect")
            assert (await reader.settings_for_message(GUILD)).mode == "off"


async def test_settings_are_re_read_on_an_interval_while_the_listener_is_down(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def refused(self: SettingsListener) -> None:
        raise OSError("connection refused (test)")

    monkeypatch.setattr(SettingsListener, "_connect", refused)
    fast = functools.partial(SettingsListener, poll_interval=0.1)
    monkeypatch.setattr(store_module, "SettingsListener", fast)
    async with (
        Store.open(pg_url, cache_settings=True) as reader,
        Store.open(pg_url) as writer,
    ):
        assert reader._listener is not None and not reader._listener.connected
        assert not reader.may_answer_unmentioned(GUILD)

        await writer.update_guild_settings(GUILD, mode="channels", channels=frozenset({CHANNEL}))

        await until(lambda: reader.may_answer_unmentioned(GUILD), "the next re-read")
        assert (await reader.settings_for_message(GUILD)).channels == {CHANNEL}


async def test_a_failure_in_the_listener_is_logged_and_it_starts_over(
    pg_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real = Store.resync_settings
    calls: list[Store] = []

    async def fails_once(self: Store) -> bool:
        calls.append(self)
        if len(calls) == 1:
            raise RuntimeError("a bug (test)")
        return await real(self)

    monkeypatch.setattr(Store, "resync_settings", fails_once)
    monkeypatch.setattr(
        store_module, "SettingsListener", functools.partial(SettingsListener, poll_interval=0.1)
    )
    async with (
        Store.open(pg_url, cache_settings=True) as reader,
        Store.open(pg_url) as writer,
    ):
        listener = reader._listener
        assert listener is not None
        await until(lambda: listener.connected, "the listener to start over")
        assert "settings listener failed; starting over" in caplog.text
        assert not reader.may_answer_unmentioned(GUILD)

        await writer.update_guild_settings(GUILD, mode="channels", channels=frozenset({CHANNEL}))

        await until(lambda: reader.may_answer_unmentioned(GUILD), "the notification")
        assert (await reader.settings_for_message(GUILD)).channels == {CHANNEL}
