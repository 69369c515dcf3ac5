"""The public slash commands, called through their callbacks with spec'd interaction mocks."""

from __future__ import annotations

import random

import discord
import pytest
from discord import app_commands

from bot.bot import TriviaBot
from bot.discord_ui.choices import QuoteTopicTransformer, ShowTransformer
from bot.discord_ui.tree import error_message
from bot.engine import Engine
from bot.exts.knowledge import KnowledgeCog
from bot.knowledge import KnowledgeBase
from bot.storage import Store
from tests.helpers import GUILD_ID, MockInteraction, buttons, mock_guild, sent

CITATION = "Virgin Radio, 9 Feb 2022"


@pytest.fixture
async def cog(bot: TriviaBot) -> KnowledgeCog:
    made = KnowledgeCog(bot, rng=random.Random(7))
    await bot.add_cog(made)
    return made


def footer(embed: discord.Embed | None) -> str:
    assert embed is not None
    return embed.footer.text or ""


async def test_ask_answers_with_the_engine_and_cites_the_article(
    cog: KnowledgeCog, bot: TriviaBot, engine: Engine
) -> None:
    interaction = MockInteraction.make(bot, guild=mock_guild())

    await cog.ask.callback(cog, interaction, question="who directed all of us are dead?")

    reply = sent(interaction)
    expected = engine.answer("who directed all of us are dead?")
    assert expected.answered
    assert reply.embed is not None
    assert reply.embed.title == "who directed all of us are dead?"
    assert reply.embed.description == expected.text
    assert "Lee Jae-kyoo" in reply.embed.description
    assert CITATION in footer(reply.embed)
    assert not reply.ephemeral
    assert [b.label for b in buttons(reply.view)] == ["Wrong answer?"]


async def test_ask_declines_politely_with_suggestions(
    cog: KnowledgeCog, bot: TriviaBot, engine: Engine
) -> None:
    interaction = MockInteraction.make(bot)
    decline = engine.answer("what is the capital of France?")
    assert not decline.answered

    await cog.ask.callback(cog, interaction, question="what is the capital of France?")

    reply = sent(interaction)
    assert reply.embed is not None
    assert reply.embed.description == decline.text
    assert CITATION in footer(reply.embed)
    labels = [b.label for b in buttons(reply.view)]
    assert labels == [*decline.suggestions[:3], "Should I know this?"]
    assert all(label and label.endswith("?") for label in labels[:-1])


async def test_rank_lists_the_article_ranking(cog: KnowledgeCog, bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)

    await cog.rank.callback(cog, interaction, show=None)

    embed = sent(interaction).embed
    assert embed is not None
    text = embed.description or ""
    assert "#1 Squid Game" in text and "1.65 billion" in text
    assert "#5 All of Us Are Dead" in text
    assert "Lupin" in text and "no position" in text
    assert text.index("#1 Squid Game") < text.index("#5 All of Us Are Dead")
    assert CITATION in footer(embed)


async def test_rank_of_one_show(cog: KnowledgeCog, bot: TriviaBot, kb: KnowledgeBase) -> None:
    interaction = MockInteraction.make(bot)
    squid_game = next(e for e in kb.ranking.entries if e.show == "squid_game")

    await cog.rank.callback(cog, interaction, show=squid_game)

    embed = sent(interaction).embed
    assert embed is not None
    assert "Squid Game" in (embed.title or "")
    assert "#1" in (embed.description or "") and "1.65 billion" in (embed.description or "")


async def test_rank_of_a_show_without_position_says_so(
    cog: KnowledgeCog, bot: TriviaBot, kb: KnowledgeBase
) -> None:
    interaction = MockInteraction.make(bot)
    lupin = next(e for e in kb.ranking.entries if e.show == "lupin")

    await cog.rank.callback(cog, interaction, show=lupin)

    embed = sent(interaction).embed
    assert embed is not None
    assert "doesn't give its position" in (embed.description or "")


async def test_show_autocomplete_offers_shows_on_the_list(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)
    transformer = ShowTransformer()

    everything = await transformer.autocomplete(interaction, "")
    squid = await transformer.autocomplete(interaction, "squ")
    by_alias = await transformer.autocomplete(interaction, "money heist")

    assert [c.value for c in everything] == [
        "squid_game",
        "all_of_us_are_dead",
        "money_heist",
        "lupin",
        "elite",
    ]
    assert [(c.name, c.value) for c in squid] == [("#1 Squid Game", "squid_game")]
    assert [c.value for c in by_alias] == ["money_heist"]


async def test_show_transformer_accepts_typed_names_and_refuses_others(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)
    transformer = ShowTransformer()

    assert (await transformer.transform(interaction, "squid_game")).show == "squid_game"
    assert (await transformer.transform(interaction, "  SQUID game ")).show == "squid_game"
    with pytest.raises(app_commands.TransformerError) as caught:
        await transformer.transform(interaction, "Kingdom")
    message = error_message(interaction, caught.value)
    assert message is not None and "Kingdom" in message and "suggestions" in message


async def test_quote_on_a_topic_says_where_he_said_it(
    cog: KnowledgeCog, bot: TriviaBot, kb: KnowledgeBase
) -> None:
    interaction = MockInteraction.make(bot)

    await cog.quote.callback(cog, interaction, topic=kb.quotes["bullying_and_society"])

    embed = sent(interaction).embed
    assert embed is not None
    assert "school bullying" in (embed.description or "")
    assert "Lee Jae-kyoo" in (embed.author.name or "")
    fields = {f.name: f.value for f in embed.fields}
    assert "The Korea Times" in (fields["Where he said it"] or "")
    assert CITATION in footer(embed)


async def test_random_quote_is_one_of_the_quotes(
    cog: KnowledgeCog, bot: TriviaBot, kb: KnowledgeBase
) -> None:
    interaction = MockInteraction.make(bot)

    await cog.quote.callback(cog, interaction, topic=None)

    embed = sent(interaction).embed
    assert embed is not None
    texts = {" ".join(q.text.split()) for q in kb.quotes.values()}
    assert (embed.description or "").strip("“”") in texts


async def test_quote_topic_autocomplete(bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)
    transformer = QuoteTopicTransformer()

    choices = await transformer.autocomplete(interaction, "zomb")

    assert {c.value for c in choices} == {"expanding_into_another_season", "survival_of_zombies"}
    assert all(len(c.name) <= 100 for c in choices)
    quote = await transformer.transform(interaction, "expanding_into_another_season")
    assert quote.id == "expanding_into_another_season"


async def test_fact_shows_a_fact_with_its_evidence(
    cog: KnowledgeCog, bot: TriviaBot, kb: KnowledgeBase
) -> None:
    interaction = MockInteraction.make(bot)

    await cog.fact.callback(cog, interaction)

    embed = sent(interaction).embed
    assert embed is not None
    assert embed.description in {f.answer for f in kb.facts.values()}
    assert any(f.name == "From the article" for f in embed.fields)
    assert CITATION in footer(embed)


async def test_about_gives_the_show_at_a_glance(cog: KnowledgeCog, bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)

    await cog.about.callback(cog, interaction)

    embed = sent(interaction).embed
    assert embed is not None
    assert embed.title == "All of Us Are Dead"
    fields = {f.name: f.value or "" for f in embed.fields}
    assert "Lee Jae-kyoo" in fields["Directed by"]
    assert "Now at Our School" in fields["Based on"]
    assert "Season two?" in fields


async def test_source_names_the_article(
    cog: KnowledgeCog, bot: TriviaBot, kb: KnowledgeBase
) -> None:
    interaction = MockInteraction.make(bot)

    await cog.source.callback(cog, interaction)

    embed = sent(interaction).embed
    assert embed is not None
    assert embed.title == kb.source.headline
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Outlet"] == "Virgin Radio"
    assert fields["Published"] == "9 February 2022"


async def test_help_is_private_and_lists_the_commands(cog: KnowledgeCog, bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot, guild=mock_guild())

    await cog.help.callback(cog, interaction)

    reply = sent(interaction)
    assert reply.ephemeral
    assert reply.embed is not None
    fields = {f.name: f.value or "" for f in reply.embed.fields}
    for usage in ("/ask question", "/rank [show]", "/quote [topic]", "/fact", "/source"):
        assert usage in fields["Commands"]
    assert "Mention me" in fields["Talking to me"]
    assert CITATION in footer(reply.embed)


async def test_help_tells_the_servers_cooldown(
    cog: KnowledgeCog, bot: TriviaBot, store: Store
) -> None:
    await store.update_guild_settings(GUILD_ID, cooldown_seconds=45.0)
    in_server = MockInteraction.make(bot, guild=mock_guild())
    in_dm = MockInteraction.make(bot, guild=None)

    await cog.help.callback(cog, in_server)
    await cog.help.callback(cog, in_dm)

    def talking(interaction: object) -> str:
        embed = sent(interaction).embed  # type: ignore[arg-type]
        assert embed is not None
        return {f.name: f.value or "" for f in embed.fields}["Talking to me"]

    assert "The cooldown in this server is 45 seconds" in talking(in_server)
    assert "react ⏳" in talking(in_server)
    assert "The cooldown here is 10 seconds" in talking(in_dm)


async def test_help_says_nothing_of_a_cooldown_that_is_off(
    cog: KnowledgeCog, bot: TriviaBot, store: Store
) -> None:
    await store.update_guild_settings(GUILD_ID, cooldown_seconds=0.0)
    interaction = MockInteraction.make(bot, guild=mock_guild())

    await cog.help.callback(cog, interaction)

    embed = sent(interaction).embed
    assert embed is not None and "cooldown" not in str(embed.to_dict())


async def test_help_says_how_trivia_plays_in_this_server(
    cog: KnowledgeCog, bot: TriviaBot, store: Store
) -> None:
    guild = mock_guild()
    await store.update_guild_settings(guild.id, trivia_spoilers=True)
    before = MockInteraction.make(bot, guild=guild)
    await cog.help.callback(cog, before)
    await store.update_guild_settings(guild.id, trivia_hints=False)
    after = MockInteraction.make(bot, guild=guild)
    await cog.help.callback(cog, after)

    with_hints = {f.name: f.value or "" for f in sent(before).embed.fields}["Trivia"]  # type: ignore[union-attr]
    without = {f.name: f.value or "" for f in sent(after).embed.fields}["Trivia"]  # type: ignore[union-attr]
    assert "a right answer after the hint scores half" in with_hints
    assert "hide the answer in a spoiler" in with_hints
    assert "Hints are off here" in without and "Skip" in without


async def test_every_reply_fits_discord_limits(cog: KnowledgeCog, bot: TriviaBot) -> None:
    interaction = MockInteraction.make(bot)

    await cog.ask.callback(cog, interaction, question="who " + "zombie " * 70 + "?")

    embed = sent(interaction).embed
    assert embed is not None
    assert len(embed.title or "") <= 256
    assert len(embed) <= 6000
