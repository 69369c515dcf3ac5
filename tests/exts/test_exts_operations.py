"""What the cogs do for operations: count questions for /metrics, answer through outages."""

from __future__ import annotations

import logging
from unittest.mock import MagicMock

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import create_async_engine

from bot.bot import TriviaBot
from bot.exts.free_text import FreeTextCog
from bot.exts.knowledge import KnowledgeCog
from bot.storage import Store, normalize_database_url
from tests.helpers import (
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MockInteraction,
    mock_guild,
    mock_member,
    mock_message,
    mock_text_channel,
    replied,
    sent,
)

QUESTION = "who directed all of us are dead?"
UNKNOWN = "what is the capital of France?"
DEAD_POSTGRES = "postgresql://trivia:secret@127.0.0.1:1/trivia"


def questions(bot: TriviaBot, source: str, outcome: str) -> float:
    """Return how many questions from `source` the bot counted as `outcome`."""
    text = bot.metrics.exposition().decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "trivia_questions_total" and sample.labels == {
                "source": source,
                "outcome": outcome,
            }:
                return sample.value
    raise AssertionError(f"no trivia_questions_total for {source}/{outcome}")


def engine_count(bot: TriviaBot) -> float:
    text = bot.metrics.exposition().decode()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == "trivia_engine_seconds_count":
                return sample.value
    raise AssertionError("no trivia_engine_seconds_count")


def channel_message(guild: MagicMock, content: str, *, author_id: int, mention: bool) -> MagicMock:
    return mock_message(
        f"<@{BOT_ID}> {content}" if mention else content,
        author=mock_member(author_id, guild=guild),
        channel=mock_text_channel(CHANNEL_ID, guild=guild),
        guild=guild,
        mentions=[BOT_ID] if mention else [],
    )


@pytest.fixture
async def free_text(bot: TriviaBot) -> FreeTextCog:
    cog = FreeTextCog(bot)
    await bot.add_cog(cog)
    return cog


async def test_slash_questions_are_counted_and_timed(bot: TriviaBot) -> None:
    cog = KnowledgeCog(bot)
    await bot.add_cog(cog)

    await cog.ask.callback(cog, MockInteraction.make(bot, guild=mock_guild()), question=QUESTION)
    await cog.ask.callback(cog, MockInteraction.make(bot), question=UNKNOWN)

    assert questions(bot, "slash", "answered") == 1
    assert questions(bot, "slash", "declined") == 1
    assert questions(bot, "free_text", "answered") == 0
    assert engine_count(bot) == 2


async def test_free_text_questions_are_counted(bot: TriviaBot, free_text: FreeTextCog) -> None:
    guild = mock_guild()

    await free_text.on_message(channel_message(guild, QUESTION, author_id=1, mention=True))
    await free_text.on_message(channel_message(guild, UNKNOWN, author_id=2, mention=True))
    await free_text.on_message(channel_message(guild, QUESTION, author_id=3, mention=False))

    assert questions(bot, "free_text", "answered") == 1
    assert questions(bot, "free_text", "declined") == 1  # the unmentioned one was not asked


async def test_questions_are_logged_at_debug_only(
    bot: TriviaBot, free_text: FreeTextCog, caplog: pytest.LogCaptureFixture
) -> None:
    guild = mock_guild()

    with caplog.at_level(logging.INFO):
        await free_text.on_message(channel_message(guild, QUESTION, author_id=1, mention=True))
    assert QUESTION not in caplog.text
    with caplog.at_level(logging.DEBUG, logger="bot.bot"):
        await free_text.on_message(channel_message(guild, QUESTION, author_id=2, mention=True))

    (record,) = [r for r in caplog.records if r.name == "bot.bot"]
    assert record.levelno == logging.DEBUG
    assert f"free_text in guild {GUILD_ID}: answered (intent director" in record.getMessage()
    assert QUESTION in record.getMessage()


async def test_an_outage_keeps_the_last_known_settings_not_the_defaults(
    bot: TriviaBot, free_text: FreeTextCog, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    guild = mock_guild()
    await store.update_guild_settings(GUILD_ID, mode="channels")
    await store.add_channel(GUILD_ID, CHANNEL_ID)
    before = channel_message(guild, QUESTION, author_id=1, mention=False)
    await free_text.on_message(before)
    assert replied(before) is not None

    dead = create_async_engine(normalize_database_url(DEAD_POSTGRES), connect_args={"timeout": 5})
    monkeypatch.setattr(store, "_engine", dead)
    during = channel_message(guild, QUESTION, author_id=2, mention=False)
    await free_text.on_message(during)

    # The defaults ("mention" mode) would have stayed silent in this channel.
    assert replied(during) is not None


async def test_help_works_through_an_outage(
    bot: TriviaBot, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    cog = KnowledgeCog(bot)
    await bot.add_cog(cog)
    await store.update_guild_settings(GUILD_ID, mode="off")
    dead = create_async_engine(normalize_database_url(DEAD_POSTGRES), connect_args={"timeout": 5})
    monkeypatch.setattr(store, "_engine", dead)
    interaction = MockInteraction.make(bot, guild=mock_guild())

    await cog.help.callback(cog, interaction)

    reply = sent(interaction)
    assert reply.ephemeral and reply.embed is not None
    assert "turned off" in str(reply.embed.to_dict())
