"""The one error path: friendly ephemeral replies, unexpected errors logged on one line.

For slash commands (the tree) and for buttons (views and dynamic items alike).
"""

from __future__ import annotations

import logging
import re
from unittest.mock import MagicMock, patch

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot.bot import TriviaBot
from bot.cli.discord_common import LOG_FORMAT, OneLineFormatter
from bot.discord_ui import quiz_views
from bot.discord_ui.reports import ReportButton, ReportTag
from bot.discord_ui.tree import OUT_OF_DATE, UNEXPECTED, TriviaView, send_ephemeral
from bot.storage import Store
from tests.helpers import (
    USER_ID,
    MockInteraction,
    mock_guild,
    mock_member,
    mock_message,
    mock_text_channel,
    sent,
)


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


# -- buttons ----------------------------------------------------------------------------


def one_logged_line(caplog: pytest.LogCaptureFixture) -> str:
    """Return the one ERROR record of the capture as the bot's log prints it."""
    (record,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert record.exc_info is not None
    return OneLineFormatter(LOG_FORMAT).format(record)


def test_the_views_of_the_bot_share_the_error_path() -> None:
    assert issubclass(quiz_views.ConfirmView, TriviaView)


async def test_an_unexpected_error_in_a_view_button_is_logged_and_apologised_for(
    bot: TriviaBot, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken() -> str:
        raise ZeroDivisionError("boom")

    view = quiz_views.ConfirmView(USER_ID, broken, confirm_label="Delete")
    click = MockInteraction.make(bot, guild=mock_guild())

    with caplog.at_level(logging.ERROR):
        # How discord.py runs a click: the view's checks, the callback, on_error if it raised.
        await view._scheduled_task(view.confirm, click)

    line = one_logged_line(caplog)
    assert "\n" not in line and "Traceback (most recent call last):\\n" in line
    assert line.endswith("ZeroDivisionError: boom")
    assert "error in Button" in line
    # The click was acknowledged before the action: the apology is a private followup.
    click.followup.send.assert_awaited_once_with(content=UNEXPECTED, ephemeral=True)


async def test_an_unexpected_error_in_an_answer_button_is_apologised_for(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = MagicMock(spec_set=commands.Bot)
    client.get_cog.return_value = MagicMock(spec_set=quiz_views.ChoiceHandler)
    client.get_cog.return_value.answer_choice.side_effect = KeyError("game")
    click = MockInteraction.make(client)
    match = re.fullmatch(quiz_views.CHOICE_TEMPLATE, f"{quiz_views.CHOICE_PREFIX}:0123abcd:2:1")
    assert match is not None
    base = discord.ui.Button[discord.ui.View](label="B. Squid Game")
    button = await quiz_views.ChoiceButton.from_custom_id(click, base, match)

    with caplog.at_level(logging.ERROR):
        await button.callback(click)  # discord.py only logs what a dynamic item raises

    assert "error in ChoiceButton (aouad:quiz:0123abcd:2:1)" in one_logged_line(caplog)
    assert sent(click).content == UNEXPECTED and sent(click).ephemeral


async def test_an_unexpected_error_in_the_report_button_is_apologised_for(
    bot: TriviaBot, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    guild = mock_guild()
    message = mock_message(
        "",
        author=mock_member(guild=guild, bot=True),
        channel=mock_text_channel(guild=guild),
        guild=guild,
        embeds=[discord.Embed(title="who directed it?", description="Lee Jae-kyoo.")],
    )
    click = MockInteraction.make(bot, guild=guild, message=message)
    button = ReportButton(ReportTag(answered=True, intent="director", confidence=90))

    with (
        patch.object(store, "add_report", side_effect=AttributeError("bug")),
        caplog.at_level(logging.ERROR),
    ):
        await button.callback(click)

    assert one_logged_line(caplog).endswith("AttributeError: bug")
    click.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    click.followup.send.assert_awaited_once_with(content=UNEXPECTED, ephemeral=True)
