"""The command tree's one error path: friendly ephemeral replies, unexpected errors logged."""

from __future__ import annotations

import logging
from unittest.mock import MagicMock

import pytest
from discord import app_commands

from bot.bot import TriviaBot
from bot.discord_ui.tree import OUT_OF_DATE, UNEXPECTED, send_ephemeral
from tests.helpers import MockInteraction, mock_guild, sent


def cooldown_error() -> app_commands.CommandOnCooldown:
    return app_commands.CommandOnCooldown(app_commands.Cooldown(1, 30.0), 12.5)


async def test_cooldown_says_when_with_a_relative_time(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)

    await bot.tree.on_error(interaction, cooldown_error())

    reply = sent(interaction)
    assert reply.ephemeral
    assert "Slow down" in (reply.content or "")
    assert "<t:" in (reply.content or "") and ":R>" in (reply.content or "")


async def test_missing_permissions_names_them(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot, guild=mock_guild())

    await bot.tree.on_error(interaction, app_commands.MissingPermissions(["manage_guild"]))

    assert "**Manage Server** permission" in (sent(interaction).content or "")


async def test_out_of_date_commands(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)

    await bot.tree.on_error(interaction, app_commands.CommandNotFound("gone", []))

    assert sent(interaction).content == OUT_OF_DATE


async def test_unexpected_errors_are_logged_with_traceback(
    bot: TriviaBot, caplog: pytest.LogCaptureFixture
) -> None:
    interaction = MockInteraction.make(bot)
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError as exc:
        error = app_commands.CommandInvokeError(MagicMock(qualified_name="ask"), exc)

    with caplog.at_level(logging.ERROR, logger="bot.discord_ui.tree"):
        await bot.tree.on_error(interaction, error)

    assert sent(interaction).content == UNEXPECTED
    (record,) = caplog.records
    assert record.exc_info is not None


async def test_a_second_reply_goes_through_the_followup(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)
    await interaction.response.send_message("first")

    await send_ephemeral(interaction, "second")

    interaction.followup.send.assert_awaited_once_with(content="second", ephemeral=True)
