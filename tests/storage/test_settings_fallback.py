"""Answering through a database outage: the last known settings of each guild.

The outage is real: the store's engine is swapped for one whose server is gone (nothing
listens on 127.0.0.1:1), as after a database restart or a network cut.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import GuildSettings, Store, StoreUnavailableError, normalize_database_url

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
CHANNEL = 333_333_333_333_333_333
DEAD_POSTGRES = "postgresql://trivia:hunter2secret@127.0.0.1:1/trivia"


@contextmanager
def outage(store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make every operation of `store` fail as if its database had gone away."""
    dead = create_async_engine(normalize_database_url(DEAD_POSTGRES), connect_args={"timeout": 5})
    with monkeypatch.context() as patch:
        patch.setattr(store, "_engine", dead)
        yield


async def test_answers_use_the_settings_last_read(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written by another process: this store only ever read them.
    async with Store.open(db_url) as other:
        await other.update_guild_settings(GUILD, mode="channels", cooldown_seconds=3.0)
    read = await store.get_guild_settings(GUILD)

    with outage(store, monkeypatch):
        known = await store.get_guild_settings_or_last_known(GUILD)
        with pytest.raises(StoreUnavailableError):
            await store.get_guild_settings(GUILD)

    assert known == read
    assert known.mode == "channels" and known.cooldown_seconds == 3.0


async def test_answers_use_the_settings_last_saved(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.update_guild_settings(GUILD, mode="channels")
    saved = await store.add_channel(GUILD, CHANNEL)

    with outage(store, monkeypatch):
        known = await store.get_guild_settings_or_last_known(GUILD)

    assert known == saved
    assert known.channels == {CHANNEL}


async def test_a_reset_is_remembered_too(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    await store.update_guild_settings(GUILD, mode="off")
    await store.reset_guild_settings(GUILD)

    with outage(store, monkeypatch):
        assert await store.get_guild_settings_or_last_known(GUILD) == GuildSettings()


async def test_a_save_that_failed_is_not_remembered(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.update_guild_settings(GUILD, mode="channels")

    with outage(store, monkeypatch):
        with pytest.raises(StoreUnavailableError):
            await store.update_guild_settings(GUILD, mode="off")
        known = await store.get_guild_settings_or_last_known(GUILD)

    assert known.mode == "channels"


async def test_a_guild_never_seen_gets_the_defaults(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.update_guild_settings(GUILD, mode="off")

    with outage(store, monkeypatch):
        assert await store.get_guild_settings_or_last_known(OTHER_GUILD) == GuildSettings()


async def test_the_database_wins_again_once_it_is_back(
    store: Store, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.update_guild_settings(GUILD, mode="channels")
    with outage(store, monkeypatch):
        await store.get_guild_settings_or_last_known(GUILD)
    async with Store.open(db_url) as other:
        await other.update_guild_settings(GUILD, mode="off")

    assert (await store.get_guild_settings_or_last_known(GUILD)).mode == "off"


async def test_the_outage_is_logged_once_a_minute_not_per_message(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await store.get_guild_settings(GUILD)

    with outage(store, monkeypatch), caplog.at_level(logging.DEBUG, logger="bot.storage.store"):
        for _ in range(3):
            await store.get_guild_settings_or_last_known(GUILD)

    levels = [r.levelno for r in caplog.records if "last known settings" in r.getMessage()]
    assert levels == [logging.WARNING, logging.DEBUG, logging.DEBUG]
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert str(GUILD) in warning.getMessage()
    assert "database unavailable" in warning.getMessage()
    assert "hunter2secret" not in caplog.text
