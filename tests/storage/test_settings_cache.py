"""The in-memory settings of the message path: reads shared, stale reads never kept."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage import GuildSettings
from bot.storage.settings_cache import SettingsCache

GUILD = 10
OTHER = 11
CHANNELS = GuildSettings(mode="channels", channels=frozenset({5}))


class Reads:
    """A read the test releases by hand, counting the calls."""

    def __init__(self, result: GuildSettings) -> None:
        self.result = result
        self.calls: list[int] = []
        self.release = asyncio.Event()

    async def __call__(self, guild_id: int) -> GuildSettings:
        self.calls.append(guild_id)
        await self.release.wait()
        return self.result


async def test_a_read_is_shared_by_every_message_waiting_and_then_held() -> None:
    cache = SettingsCache()
    read = Reads(CHANNELS)
    waiting = [asyncio.create_task(cache.get_or_read(GUILD, read)) for _ in range(5)]
    await asyncio.sleep(0)
    read.release.set()

    assert await asyncio.gather(*waiting) == [CHANNELS] * 5
    assert await cache.get_or_read(GUILD, read) == CHANNELS
    assert read.calls == [GUILD]
    assert cache.get(GUILD) == CHANNELS


async def test_a_read_that_was_overtaken_by_a_change_is_not_kept() -> None:
    cache = SettingsCache()
    before = Reads(GuildSettings())
    reading = asyncio.create_task(cache.get_or_read(GUILD, before))
    await asyncio.sleep(0)
    cache.invalidate(GUILD)  # changed elsewhere while the read was in flight
    before.release.set()

    assert await reading == GuildSettings()  # that message used what it read...
    assert cache.get(GUILD) is None  # ...but the next one reads again
    after = Reads(CHANNELS)
    after.release.set()
    assert await cache.get_or_read(GUILD, after) == CHANNELS
    assert after.calls == [GUILD]


async def test_a_failed_read_reaches_the_waiters_and_keeps_nothing() -> None:
    cache = SettingsCache()

    async def failing(guild_id: int) -> GuildSettings:
        raise RuntimeError("down")

    with pytest.raises(RuntimeError):
        await cache.get_or_read(GUILD, failing)
    assert cache.get(GUILD) is None


def test_before_a_snapshot_every_server_is_looked_up() -> None:
    cache = SettingsCache()
    assert cache.may_answer_unmentioned(GUILD)
    assert cache.get(GUILD) is None
    assert cache.put(GUILD, GuildSettings(), version=0)
    assert cache.get(GUILD) == GuildSettings()  # held once read, defaults too


def test_after_a_snapshot_a_server_without_saved_settings_has_the_defaults() -> None:
    cache = SettingsCache()
    cache.load({GUILD: CHANNELS}, cache.versions())

    assert cache.get(GUILD) == CHANNELS
    assert cache.get(OTHER) == GuildSettings()
    assert cache.may_answer_unmentioned(GUILD)
    assert not cache.may_answer_unmentioned(OTHER)


def test_only_servers_with_channels_may_answer_unmentioned_messages() -> None:
    cache = SettingsCache()
    cache.load({}, cache.versions())
    assert not cache.may_answer_unmentioned(GUILD)
    assert cache.put(GUILD, CHANNELS, version=0)
    assert cache.may_answer_unmentioned(GUILD)
    assert cache.put(GUILD, GuildSettings(mode="channels"), version=0)
    assert not cache.may_answer_unmentioned(GUILD)


def test_a_server_changed_elsewhere_is_read_again_before_use() -> None:
    cache = SettingsCache()
    cache.load({}, cache.versions())
    cache.invalidate(GUILD)

    assert cache.get(GUILD) is None  # not the defaults: it must be read
    assert cache.may_answer_unmentioned(GUILD)  # it may have chosen channels meanwhile
    assert not cache.put(GUILD, CHANNELS, version=0)  # read before the change: stale
    assert cache.put(GUILD, GuildSettings(), version=cache.version(GUILD))
    assert cache.get(GUILD) == GuildSettings()
    assert not cache.may_answer_unmentioned(GUILD)


def test_a_snapshot_replaces_everything_but_what_changed_while_it_was_read() -> None:
    cache = SettingsCache()
    cache.load({GUILD: GuildSettings(mode="off"), OTHER: GuildSettings(mode="off")}, {})
    before = cache.versions()
    cache.invalidate(OTHER)  # a notification while the snapshot was read

    cache.load({GUILD: CHANNELS, OTHER: GuildSettings(mode="off")}, before)

    assert cache.get(GUILD) == CHANNELS
    assert cache.get(OTHER) is None  # not what was read before its change: read again
    assert cache.may_answer_unmentioned(GUILD) and cache.may_answer_unmentioned(OTHER)
    cache.load({}, cache.versions())
    assert cache.get(GUILD) == cache.get(OTHER) == GuildSettings()  # their rows are gone
    assert not cache.may_answer_unmentioned(GUILD)
    assert not cache.may_answer_unmentioned(OTHER)
