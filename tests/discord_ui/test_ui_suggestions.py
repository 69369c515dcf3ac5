"""Suggestion buttons under a decline: a click asks that question for whoever clicked."""

from __future__ import annotations

from unittest.mock import MagicMock

import discord

from bot.bot import TriviaBot
from bot.discord_ui.embeds import answer_embed
from bot.discord_ui.suggestions import (
    NOTHING_TO_ASK,
    TEMPLATE,
    SuggestionButton,
    answer_view,
    clicked_label,
)
from bot.engine import Answer, Engine
from tests.helpers import MockInteraction, buttons, mock_guild, mock_member, mock_text_channel, sent
from tests.helpers import mock_message as make_message

ASKER, OTHER = 1001, 1002
DECLINED = "what is the capital of France?"


def decline_message(bot: TriviaBot, answer: Answer) -> MagicMock:
    """Return the bot's decline as Discord hands it back with a click: embed and buttons."""
    guild = mock_guild()
    message = make_message(
        "",
        author=mock_member(guild=guild, bot=True),
        channel=mock_text_channel(guild=guild),
        guild=guild,
        embeds=[answer_embed(bot.knowledge, answer, DECLINED)],
    )
    rows = answer_view(answer, ASKER).to_components()
    message.components = [discord.ActionRow(row) for row in rows]  # type: ignore[arg-type]
    return message


def click(bot: TriviaBot, message: MagicMock, user_id: int) -> MagicMock:
    guild = mock_guild()
    return MockInteraction.make(
        bot, guild=guild, user=mock_member(user_id, guild=guild), message=message
    )


def first_suggestion(answer: Answer) -> SuggestionButton:
    item = answer_view(answer, ASKER).children[0]
    assert isinstance(item, SuggestionButton)
    return item


def test_a_decline_gets_up_to_three_suggestion_buttons_then_the_report(engine: Engine) -> None:
    decline = engine.answer(DECLINED)
    answered = engine.answer("who directed it?")

    shown = buttons(answer_view(decline, ASKER))
    assert [b.label for b in shown] == [*decline.suggestions[:3], "Should I know this?"]
    assert [b.row for b in shown] == [0] * (len(shown) - 1) + [1]
    for button in shown[:-1]:
        assert button.custom_id is not None and TEMPLATE.fullmatch(button.custom_id)
    assert [b.label for b in buttons(answer_view(answered, ASKER))] == ["Wrong answer?"]
    assert answer_view(decline, ASKER).is_persistent()


async def test_the_asker_gets_the_answer_in_public(bot: TriviaBot, engine: Engine) -> None:
    decline = engine.answer(DECLINED)
    message = decline_message(bot, decline)
    interaction = click(bot, message, ASKER)

    await first_suggestion(decline).callback(interaction)

    reply = sent(interaction)
    expected = engine.answer(decline.suggestions[0])
    assert not reply.ephemeral
    assert reply.embed is not None and reply.embed.description == expected.text
    assert reply.embed.title == decline.suggestions[0]


async def test_someone_else_gets_it_privately(bot: TriviaBot, engine: Engine) -> None:
    decline = engine.answer(DECLINED)
    interaction = click(bot, decline_message(bot, decline), OTHER)

    await first_suggestion(decline).callback(interaction)

    reply = sent(interaction)
    assert reply.ephemeral
    assert reply.embed is not None
    assert reply.embed.description == engine.answer(decline.suggestions[0]).text


async def test_rapid_clicks_by_the_asker_answer_privately_after_the_first(
    bot: TriviaBot, engine: Engine
) -> None:
    decline = engine.answer(DECLINED)
    message = decline_message(bot, decline)
    first, second = click(bot, message, ASKER), click(bot, message, ASKER)

    await first_suggestion(decline).callback(first)
    await first_suggestion(decline).callback(second)

    assert not sent(first).ephemeral
    assert sent(second).ephemeral  # no channel spam from clicking again and again


async def test_a_button_rebuilt_after_a_restart_reads_its_question_from_the_message(
    bot: TriviaBot, engine: Engine
) -> None:
    decline = engine.answer(DECLINED)
    message = decline_message(bot, decline)
    custom_id = f"aouad:ask:{ASKER}:1"
    match = TEMPLATE.fullmatch(custom_id)
    assert match is not None
    interaction = click(bot, message, ASKER)

    rebuilt = await SuggestionButton.from_custom_id(interaction, MagicMock(), match)
    await rebuilt.callback(interaction)

    assert clicked_label(message, custom_id) == decline.suggestions[1]
    reply = sent(interaction)
    assert reply.embed is not None and reply.embed.title == decline.suggestions[1]


async def test_a_button_missing_from_the_message_asks_nothing(
    bot: TriviaBot, engine: Engine
) -> None:
    decline = engine.answer(DECLINED)
    message = decline_message(bot, decline)
    message.components = []
    interaction = click(bot, message, ASKER)

    await first_suggestion(decline).callback(interaction)

    reply = sent(interaction)
    assert reply.ephemeral and reply.content == NOTHING_TO_ASK
