"""`/config …`: settings persist in a real store, non-admins are refused, outages apologised."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock, patch

import discord
import pytest
from discord import app_commands

from bot.bot import TriviaBot
from bot.discord_ui.tree import LOAD_FAILED, SAVE_FAILED
from bot.exts.config import MODE_CHOICES, ConfigCog
from bot.storage import MissReport, Store, StoreUnavailableError, hash_user
from tests.helpers import (
    ADMIN,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER,
    MockInteraction,
    mock_guild,
    mock_member,
    mock_text_channel,
    sent,
)

MODES = {choice.value: choice for choice in MODE_CHOICES}


@pytest.fixture
async def cog(bot: TriviaBot) -> ConfigCog:
    made = ConfigCog(bot)
    await bot.add_cog(made)
    return made


@pytest.fixture
def guild() -> MagicMock:
    return mock_guild(me=mock_member(900_000_000_000_000_001, bot=True))


def admin_interaction(bot: TriviaBot, guild: MagicMock, command: Any = None) -> MagicMock:
    return MockInteraction.make(bot, guild=guild, permissions=ADMIN, command=command)


async def run_checks(command: app_commands.Command[Any, ..., Any], interaction: Any) -> None:
    """Run `command`'s checks in order, as the tree does before calling it."""
    for check in command.checks:
        result = check(interaction)
        if not isinstance(result, bool):
            result = await result
        if not result:
            raise app_commands.CheckFailure()


async def test_show_replies_privately_with_the_settings(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock
) -> None:
    interaction = admin_interaction(bot, guild)

    await cog.show.callback(cog, interaction)

    reply = sent(interaction)
    assert reply.ephemeral
    assert reply.embed is not None
    fields = {f.name: f.value or "" for f in reply.embed.fields}
    assert "`mention`" in fields["Mode"]
    assert fields["Channels"] == "none"
    assert "10 seconds" in fields["Free-text cooldown"]


async def test_mode_persists(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    interaction = admin_interaction(bot, guild)

    await cog.mode.callback(cog, interaction, mode=MODES["channels"])

    assert (await store.get_guild_settings(GUILD_ID)).mode == "channels"
    reply = sent(interaction)
    assert reply.ephemeral
    assert "/config channel add" in (reply.content or "")


async def test_channel_add_and_remove_persist(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    channel = mock_text_channel(CHANNEL_ID, guild=guild)
    add = admin_interaction(bot, guild)
    remove = admin_interaction(bot, guild)
    remove_again = admin_interaction(bot, guild)

    await cog.channel_add.callback(cog, add, channel=channel)
    assert (await store.get_guild_settings(GUILD_ID)).channels == {CHANNEL_ID}
    assert sent(add).ephemeral
    assert channel.mention in (sent(add).content or "")

    await cog.channel_remove.callback(cog, remove, channel=channel)
    assert (await store.get_guild_settings(GUILD_ID)).channels == frozenset()
    assert "no longer" in (sent(remove).content or "")

    await cog.channel_remove.callback(cog, remove_again, channel=channel)
    assert "wasn't enabled" in (sent(remove_again).content or "")


async def test_the_first_channel_added_in_mention_mode_switches_to_channels(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    add = admin_interaction(bot, guild)

    await cog.channel_add.callback(cog, add, channel=mock_text_channel(CHANNEL_ID, guild=guild))

    settings = await store.get_guild_settings(GUILD_ID)
    assert settings.mode == "channels" and settings.channels == {CHANNEL_ID}
    content = sent(add).content or ""
    assert "was `mention`, so I switched it to `channels`" in content
    assert "`/config mode` changes it back" in content


async def test_a_later_channel_keeps_the_mode_the_admin_chose(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    await store.add_channel(GUILD_ID, CHANNEL_ID)
    await store.update_guild_settings(GUILD_ID, mode="mention")  # chosen after a channel
    add = admin_interaction(bot, guild)

    await cog.channel_add.callback(cog, add, channel=mock_text_channel(CHANNEL_ID + 1, guild=guild))

    assert (await store.get_guild_settings(GUILD_ID)).mode == "mention"
    assert "applies once you choose `/config mode`" in (sent(add).content or "")


async def test_channel_add_keeps_off_mode_and_says_so(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    await store.update_guild_settings(GUILD_ID, mode="off")
    add = admin_interaction(bot, guild)

    await cog.channel_add.callback(cog, add, channel=mock_text_channel(CHANNEL_ID, guild=guild))

    settings = await store.get_guild_settings(GUILD_ID)
    assert settings.mode == "off" and settings.channels == {CHANNEL_ID}
    assert "The mode is `off`, so this applies once you choose" in (sent(add).content or "")


async def test_channel_add_warns_about_missing_permissions(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock
) -> None:
    channel = mock_text_channel(
        CHANNEL_ID, guild=guild, bot_permissions=discord.Permissions(view_channel=True)
    )
    interaction = admin_interaction(bot, guild)

    await cog.channel_add.callback(cog, interaction, channel=channel)

    content = sent(interaction).content or ""
    assert "missing" in content and "Send Messages" in content and "Embed Links" in content


async def test_cooldown_persists(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    interaction = admin_interaction(bot, guild)

    await cog.cooldown.callback(cog, interaction, seconds=45)

    assert (await store.get_guild_settings(GUILD_ID)).cooldown_seconds == 45.0
    assert "45 seconds" in (sent(interaction).content or "")


async def test_reset_restores_defaults(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    await store.update_guild_settings(GUILD_ID, mode="off", cooldown_seconds=99.0)
    await store.add_channel(GUILD_ID, CHANNEL_ID)
    interaction = admin_interaction(bot, guild)

    await cog.reset.callback(cog, interaction)

    settings = await store.get_guild_settings(GUILD_ID)
    assert (settings.mode, settings.channels, settings.cooldown_seconds) == (
        "mention",
        frozenset(),
        10.0,
    )
    assert sent(interaction).ephemeral


async def test_reports_lists_this_servers_reports(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    for number, guild_id in enumerate((GUILD_ID, GUILD_ID, 12345)):
        await store.add_report(
            MissReport(
                question=f"question {number}",
                answer="an answer",
                intent="director",
                confidence=0.7,
                answered=True,
                guild_id=guild_id,
                message_id=1000 + number,
                user_hash=hash_user(number, "salt"),
            )
        )
    interaction = admin_interaction(bot, guild)

    await cog.reports.callback(cog, interaction)

    reply = sent(interaction)
    assert reply.ephemeral and reply.embed is not None
    assert [f.name for f in reply.embed.fields] == ["question 1", "question 0"]
    assert "`director` 70%" in (reply.embed.fields[0].value or "")


async def test_reports_when_there_are_none(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock
) -> None:
    interaction = admin_interaction(bot, guild)

    await cog.reports.callback(cog, interaction)

    assert "No reports yet" in (sent(interaction).embed.description or "")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "name", ["show", "mode", "channel_add", "channel_remove", "cooldown", "reset", "reports"]
)
async def test_every_subcommand_refuses_non_admins(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, name: str
) -> None:
    command = getattr(cog, name)
    interaction = MockInteraction.make(bot, guild=guild, permissions=MEMBER, command=command)

    with pytest.raises(app_commands.MissingPermissions) as caught:
        await run_checks(command, interaction)
    await bot.tree.on_error(interaction, caught.value)

    reply = sent(interaction)
    assert reply.ephemeral
    assert "Manage Server" in (reply.content or "")


async def test_admins_pass_the_checks(cog: ConfigCog, bot: TriviaBot, guild: MagicMock) -> None:
    interaction = admin_interaction(bot, guild, command=cog.mode)

    await run_checks(cog.mode, interaction)  # no exception


async def test_refused_in_dms(cog: ConfigCog, bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot, guild=None, permissions=ADMIN, command=cog.show)

    with pytest.raises(app_commands.NoPrivateMessage) as caught:
        await run_checks(cog.show, interaction)
    await bot.tree.on_error(interaction, caught.value)

    assert "only works in a server" in (sent(interaction).content or "")


def test_group_is_guild_only_and_hidden_from_non_admins(cog: ConfigCog) -> None:
    group = cog.app_command
    assert group is not None
    assert group.name == "config"
    assert group.guild_only
    assert group.default_permissions == discord.Permissions(manage_guild=True)


async def test_a_database_outage_is_apologised_for(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    interaction = admin_interaction(bot, guild, command=cog.cooldown)
    outage = StoreUnavailableError("database unavailable (test)")

    with (
        patch.object(store, "update_guild_settings", side_effect=outage),
        pytest.raises(StoreUnavailableError) as caught,
    ):
        await cog.cooldown.callback(cog, interaction, seconds=5)
    error = app_commands.CommandInvokeError(cog.cooldown, caught.value)
    await bot.tree.on_error(interaction, error)

    reply = sent(interaction)
    assert reply.ephemeral and reply.content == SAVE_FAILED


async def test_a_database_outage_when_reading_says_load(
    cog: ConfigCog, bot: TriviaBot, guild: MagicMock, store: Store
) -> None:
    interaction = admin_interaction(bot, guild, command=cog.show)
    outage = StoreUnavailableError("database unavailable (test)")

    with patch.object(store, "get_guild_settings", side_effect=outage):
        with pytest.raises(StoreUnavailableError) as caught:
            await cog.show.callback(cog, interaction)
        await bot.tree.on_error(
            interaction, app_commands.CommandInvokeError(cog.show, caught.value)
        )

    assert sent(interaction).content == LOAD_FAILED
