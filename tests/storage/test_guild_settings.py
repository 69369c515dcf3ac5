"""Per-guild settings: defaults, updates, validation, channels, durability, reset."""

from __future__ import annotations

from typing import Any

import pytest

from bot.storage import GuildSettings, InvalidSettingError, Store

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
CHANNEL = 333_333_333_333_333_333
# Discord ids use the full signed 64-bit range; the schema must hold the largest.
BIG_ID = 2**63 - 1


async def test_unknown_guild_gets_defaults(store: Store) -> None:
    settings = await store.get_guild_settings(GUILD)

    assert settings == GuildSettings()
    assert settings.mode == "mention"
    assert settings.channels == frozenset()
    assert settings.cooldown_seconds == 10
    assert settings.trivia_round_seconds == 20
    assert settings.trivia_rounds == 5


async def test_update_is_returned_and_read_back(store: Store) -> None:
    returned = await store.update_guild_settings(
        GUILD, mode="channels", cooldown_seconds=2.5, trivia_rounds=10
    )

    assert returned.mode == "channels"
    assert returned.cooldown_seconds == 2.5
    assert returned.trivia_rounds == 10
    assert returned.trivia_round_seconds == 20  # untouched fields keep their default
    assert await store.get_guild_settings(GUILD) == returned
    assert await store.get_guild_settings(OTHER_GUILD) == GuildSettings()


async def test_updates_accumulate_field_by_field(store: Store) -> None:
    await store.update_guild_settings(GUILD, mode="off")
    await store.update_guild_settings(GUILD, trivia_round_seconds=60)

    settings = await store.get_guild_settings(GUILD)

    assert settings.mode == "off"
    assert settings.trivia_round_seconds == 60


async def test_largest_discord_ids_fit(store: Store) -> None:
    await store.update_guild_settings(BIG_ID, mode="off")
    await store.add_channel(BIG_ID, BIG_ID)

    settings = await store.get_guild_settings(BIG_ID)

    assert settings.mode == "off"
    assert settings.channels == {BIG_ID}


@pytest.mark.parametrize(
    "changes",
    [
        {"mode": "loud"},
        {"cooldown_seconds": -1},
        {"cooldown_seconds": 3600.5},
        {"cooldown_seconds": float("nan")},
        {"trivia_round_seconds": 4},
        {"trivia_round_seconds": 121},
        {"trivia_rounds": 0},
        {"trivia_rounds": 21},
        {"trivia_rounds": "5"},
        {"trivia_rounds": True},
        {"channels": [-5]},
        {"colour": "red"},
        # One bad value spoils the whole change: the valid part is not written either.
        {"mode": "off", "trivia_rounds": 99},
    ],
)
async def test_invalid_change_is_rejected_and_writes_nothing(
    store: Store, changes: dict[str, Any]
) -> None:
    before = await store.update_guild_settings(GUILD, mode="channels", trivia_rounds=7)

    with pytest.raises(InvalidSettingError) as excinfo:
        await store.update_guild_settings(GUILD, **changes)

    assert "\n" not in str(excinfo.value)
    assert await store.get_guild_settings(GUILD) == before


async def test_error_names_the_field(store: Store) -> None:
    with pytest.raises(InvalidSettingError, match="cooldown_seconds"):
        await store.update_guild_settings(GUILD, cooldown_seconds=9999)


async def test_boundaries_are_allowed(store: Store) -> None:
    low = await store.update_guild_settings(
        GUILD, cooldown_seconds=0, trivia_round_seconds=5, trivia_rounds=1
    )
    high = await store.update_guild_settings(
        GUILD, cooldown_seconds=3600, trivia_round_seconds=120, trivia_rounds=20
    )

    assert (low.cooldown_seconds, low.trivia_round_seconds, low.trivia_rounds) == (0, 5, 1)
    assert (high.cooldown_seconds, high.trivia_round_seconds, high.trivia_rounds) == (3600, 120, 20)


async def test_channels_add_and_remove(store: Store) -> None:
    await store.add_channel(GUILD, CHANNEL)
    await store.add_channel(GUILD, CHANNEL)  # adding twice is harmless
    after_add = await store.add_channel(GUILD, CHANNEL + 1)

    assert after_add.channels == {CHANNEL, CHANNEL + 1}
    assert (await store.get_guild_settings(OTHER_GUILD)).channels == frozenset()

    after_remove = await store.remove_channel(GUILD, CHANNEL)
    await store.remove_channel(GUILD, 999)  # removing an unknown channel is harmless

    assert after_remove.channels == {CHANNEL + 1}
    assert (await store.get_guild_settings(GUILD)).channels == {CHANNEL + 1}


async def test_the_first_channel_can_switch_mention_mode_to_channels(store: Store) -> None:
    first = await store.add_channel(GUILD, CHANNEL, first_switches_mode=True)
    await store.update_guild_settings(GUILD, mode="mention")  # the admin's later choice
    second = await store.add_channel(GUILD, CHANNEL + 1, first_switches_mode=True)
    await store.update_guild_settings(OTHER_GUILD, mode="off")
    off = await store.add_channel(OTHER_GUILD, CHANNEL, first_switches_mode=True)

    assert first.mode == "channels" and first.channels == {CHANNEL}
    assert second.mode == "mention"  # not the first channel: the chosen mode stays
    assert off.mode == "off" and off.channels == {CHANNEL}
    assert (await store.get_guild_settings(GUILD)).mode == "mention"


async def test_add_channel_rejects_bad_id(store: Store) -> None:
    with pytest.raises(InvalidSettingError):
        await store.add_channel(GUILD, 0)

    assert (await store.get_guild_settings(GUILD)).channels == frozenset()


async def test_update_channels_replaces_the_set(store: Store) -> None:
    await store.add_channel(GUILD, CHANNEL)

    settings = await store.update_guild_settings(GUILD, channels=[CHANNEL + 1, CHANNEL + 2])

    assert settings.channels == {CHANNEL + 1, CHANNEL + 2}
    assert (await store.get_guild_settings(GUILD)).channels == {CHANNEL + 1, CHANNEL + 2}


async def test_reset_restores_defaults(store: Store) -> None:
    await store.update_guild_settings(GUILD, mode="off", trivia_rounds=3)
    await store.add_channel(GUILD, CHANNEL)
    await store.update_guild_settings(OTHER_GUILD, mode="off")

    assert await store.reset_guild_settings(GUILD) == GuildSettings()
    assert await store.get_guild_settings(GUILD) == GuildSettings()
    assert (await store.get_guild_settings(OTHER_GUILD)).mode == "off"


async def test_settings_survive_reopening(db_url: str) -> None:
    async with Store.open(db_url) as store:
        await store.update_guild_settings(GUILD, mode="channels", cooldown_seconds=30)
        await store.add_channel(GUILD, CHANNEL)

    async with Store.open(db_url) as reopened:
        settings = await reopened.get_guild_settings(GUILD)

    assert settings.mode == "channels"
    assert settings.cooldown_seconds == 30
    assert settings.channels == {CHANNEL}


async def test_writes_are_visible_to_another_store_at_once(db_url: str) -> None:
    # Two bot processes sharing a database: no cache may hide the other's write.
    async with Store.open(db_url) as first, Store.open(db_url) as second:
        assert (await second.get_guild_settings(GUILD)).mode == "mention"
        await first.update_guild_settings(GUILD, mode="off")
        assert (await second.get_guild_settings(GUILD)).mode == "off"
