"""The report button: what a click stores, once per user, and that it survives a restart."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock, patch

import discord

from bot.bot import TriviaBot
from bot.discord_ui.embeds import answer_embed
from bot.discord_ui.reports import (
    ALREADY_NOTED,
    NOT_SAVED,
    NOTHING_TO_REPORT,
    TEMPLATE,
    THANKS,
    ReportButton,
    ReportTag,
    report_view,
)
from bot.engine import Answer, Engine
from bot.knowledge import KnowledgeBase
from bot.storage import Store, StoreUnavailableError, hash_user
from tests.helpers import (
    GUILD_ID,
    MockInteraction,
    buttons,
    mock_guild,
    mock_member,
    mock_text_channel,
    sent,
)
from tests.helpers import mock_message as make_message

SALT = "test-salt-for-reports-0123456789"  # the conftest's


def answer_message(kb: KnowledgeBase, answer: Answer, question: str) -> MagicMock:
    """Return the bot's answer message, as Discord hands it back with a click."""
    guild = mock_guild()
    return make_message(
        "",
        author=mock_member(guild=guild, bot=True),
        channel=mock_text_channel(guild=guild),
        guild=guild,
        embeds=[answer_embed(kb, answer, question)],
    )


def click(bot: TriviaBot, message: MagicMock, user_id: int) -> MagicMock:
    guild = mock_guild()
    return MockInteraction.make(
        bot, guild=guild, user=mock_member(user_id, guild=guild), message=message
    )


def the_button(answer: Answer) -> ReportButton:
    (item,) = report_view(answer).children
    assert isinstance(item, ReportButton)
    return item


def test_custom_id_encodes_the_answer_and_fits(engine: Engine) -> None:
    answered = ReportTag.of(engine.answer("who directed it?"))
    declined = ReportTag.of(engine.answer("what is the capital of France?"))

    assert answered.custom_id == "aouad:miss:a:100:director"
    assert declined.custom_id.startswith("aouad:miss:d:")
    for tag in (answered, declined):
        match = TEMPLATE.fullmatch(tag.custom_id)
        assert match is not None
        assert ReportTag.parse(match) == tag
        assert len(tag.custom_id) <= 100


def test_view_is_persistent(engine: Engine) -> None:
    view = report_view(engine.answer("who directed it?"))
    assert view.timeout is None
    assert view.is_persistent()
    (button,) = buttons(view)
    assert button.label == "Wrong answer?"
    assert button.style is discord.ButtonStyle.secondary


async def test_click_stores_the_report_once_per_user(
    bot: TriviaBot, kb: KnowledgeBase, engine: Engine, store: Store
) -> None:
    answer = engine.answer("who directed it?")
    message = answer_message(kb, answer, "who directed it?")
    button = the_button(answer)
    first, again, other = click(bot, message, 1), click(bot, message, 1), click(bot, message, 2)

    await button.callback(first)
    await button.callback(again)
    await button.callback(other)

    assert sent(first).content == THANKS and sent(first).ephemeral
    assert sent(again).content == ALREADY_NOTED and sent(again).ephemeral
    assert sent(other).content == THANKS
    reports = await store.all_reports()
    assert len(reports) == 2
    report = reports[0]
    assert report.question == "who directed it?"
    assert report.answer == answer.text
    assert report.intent == "director"
    assert report.confidence == answer.confidence / 100
    assert report.answered
    assert report.guild_id == GUILD_ID
    assert report.message_id == message.id
    assert report.user_hash == hash_user(1, SALT)


async def test_should_i_know_this_on_a_decline(
    bot: TriviaBot, kb: KnowledgeBase, engine: Engine, store: Store
) -> None:
    answer = engine.answer("who plays the main character?")
    assert not answer.answered
    message = answer_message(kb, answer, "who plays the main character?")
    button = the_button(answer)
    assert button.item.label == "Should I know this?"

    await button.callback(click(bot, message, 1))

    (report,) = await store.all_reports()
    assert not report.answered
    assert report.question == "who plays the main character?"


async def test_a_click_after_a_restart_is_rebuilt_from_the_custom_id(
    bot: TriviaBot, kb: KnowledgeBase, engine: Engine, store: Store
) -> None:
    answer = engine.answer("who directed it?")
    message = answer_message(kb, answer, "who directed it?")
    custom_id = ReportTag.of(answer).custom_id
    interaction = click(bot, message, 3)
    match = TEMPLATE.fullmatch(custom_id)
    assert match is not None

    rebuilt = await ReportButton.from_custom_id(interaction, MagicMock(), match)
    await rebuilt.callback(interaction)

    (report,) = await store.all_reports()
    assert report.intent == "director"


async def test_outage_is_told_to_the_user(
    bot: TriviaBot, kb: KnowledgeBase, engine: Engine, store: Store
) -> None:
    answer = engine.answer("who directed it?")
    interaction = click(bot, answer_message(kb, answer, "who directed it?"), 1)

    with patch.object(store, "add_report", side_effect=StoreUnavailableError("down")):
        await the_button(answer).callback(interaction)

    assert sent(interaction).content == NOT_SAVED


async def test_a_message_without_embed_has_nothing_to_report(
    bot: TriviaBot, engine: Engine
) -> None:
    guild = mock_guild()
    bare: Any = make_message(
        "", author=mock_member(guild=guild), channel=mock_text_channel(guild=guild), guild=guild
    )
    interaction = click(bot, bare, 1)

    await the_button(engine.answer("who directed it?")).callback(interaction)

    assert sent(interaction).content == NOTHING_TO_REPORT
