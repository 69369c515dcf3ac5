"""Slash commands anyone can use: /ask, /rank, /quote, /fact, /about, /source, /help.

/ask goes through the engine like every free-text question; the others show what the
knowledge holds (the ranking, the quotes, the facts) without interpreting any text.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Sequence
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import TriviaBot
from bot.discord_ui import embeds
from bot.discord_ui.choices import QuoteTopicTransformer, ShowTransformer
from bot.discord_ui.conversation import conversation_key
from bot.discord_ui.quiz_views import trivia_help
from bot.discord_ui.suggestions import answer_view
from bot.discord_ui.tree import defer_reply, send_ephemeral
from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Quote, RankingEntry
from bot.storage import GuildSettings

log = logging.getLogger(__name__)

# Per user: this many uses per this many seconds, for every command here.
RATE, PER = 4, 20.0
MAX_QUESTION_LENGTH = 500

# /about: (field name, intent) shown for the show, in this order; the first is the summary.
ABOUT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("What it is", "identity"),
    ("Genre", "genre"),
    ("Directed by", "director"),
    ("Based on", "based_on"),
    ("Premiere", "premiere"),
    ("Where to watch", "platform"),
    ("On the most-watched list", "rank"),
    ("Season two?", "season_two"),
)
# Facts that are about the bot rather than the show make a poor "did you know".
FACT_EXCLUDED_INTENTS = frozenset({"source"})


def about_sections(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """Return (field name, fact text) for each ABOUT_SECTIONS intent the show has a fact for."""
    subject = kb.source.subject
    sections = []
    for name, intent in ABOUT_SECTIONS:
        facts = [f for f in kb.facts_for(intent) if f.about == subject]
        if facts:
            sections.append((name, facts[0].answer))
    return sections


def command_usage(command: app_commands.Command[Any, ..., Any] | app_commands.Group) -> str:
    """Return how to type `command`: "/rank [show]", "/ask question", "/config …"."""
    if isinstance(command, app_commands.Group):
        return f"/{command.qualified_name} …"
    options = [p.name if p.required else f"[{p.name}]" for p in command.parameters]
    return " ".join([f"/{command.qualified_name}", *options])


def free_text_help(settings: GuildSettings | None, *, message_content: bool) -> str:
    """Return how free text works for the user: in a server with `settings`, or in DMs."""
    if settings is None:
        return "Here in DMs, just type a question." + _cooldown_help(
            GuildSettings().cooldown_seconds, "here"
        )
    if settings.mode == "off":
        return "Free-text answers are turned off in this server: use `/ask`."
    text = "Mention me with a question (or DM me)."
    if settings.mode == "channels" and settings.channels:
        channels = " ".join(f"<#{c}>" for c in sorted(settings.channels))
        if message_content:
            text += f" In {channels} I answer every question, no mention needed."
        else:
            text += f" ({channels} are enabled, but I can't read messages there without "
            "the message content intent, so mention me.)"
    return text + _cooldown_help(settings.cooldown_seconds, "in this server")


def _cooldown_help(seconds: float, where: str) -> str:
    """Return the sentence on the free-text cooldown of `seconds` `where`, or "" if none."""
    if seconds <= 0:
        return ""
    plural = "" if seconds == 1 else "s"
    return (
        f" The cooldown {where} is {seconds:g} second{plural}: I answer each person at most "
        "once in that time, and react ⏳ to a question that comes sooner."
    )


class KnowledgeCog(commands.Cog, name="Knowledge"):
    """The commands that answer from the article."""

    def __init__(self, bot: TriviaBot, rng: random.Random | None = None) -> None:
        """Serve the commands of `bot`; `rng` picks random facts and quotes (seed it in tests)."""
        self.bot = bot
        self.rng = rng or random.Random()

    @property
    def kb(self) -> KnowledgeBase:
        return self.bot.knowledge

    @app_commands.command(name="ask", description="Ask anything about All of Us Are Dead.")
    @app_commands.describe(question="Your question, e.g. “who directed it?”")
    @app_commands.checks.cooldown(RATE, PER)
    async def ask(
        self,
        interaction: discord.Interaction[TriviaBot],
        question: app_commands.Range[str, 1, MAX_QUESTION_LENGTH],
    ) -> None:
        """Answer `question` with the engine, or decline politely with suggestions."""
        # /ask shares the asker's conversation in this channel with their mentions.
        key = conversation_key(interaction.channel_id or 0, interaction.user.id)
        answer = self.bot.answer_question(
            question,
            source="slash",
            guild_id=interaction.guild_id,
            context=self.bot.conversations.get(key),
        )
        self.bot.conversations.put(key, answer.context)
        await interaction.response.send_message(
            embed=embeds.answer_embed(self.kb, answer, question),
            view=answer_view(answer, interaction.user.id),
        )

    @app_commands.command(name="rank", description="Netflix's most-watched non-English series.")
    @app_commands.describe(show="A show on the list, to see its place and hours")
    @app_commands.checks.cooldown(RATE, PER)
    async def rank(
        self,
        interaction: discord.Interaction[TriviaBot],
        show: app_commands.Transform[RankingEntry, ShowTransformer] | None = None,
    ) -> None:
        """Show the whole list as the article gives it, or the place of `show`."""
        if show is None:
            embed = embeds.ranking_embed(self.kb)
        else:
            embed = embeds.ranking_entry_embed(self.kb, show)
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="quote", description="A quote from director Lee Jae-kyoo.")
    @app_commands.describe(topic="What the quote is about (random if left out)")
    @app_commands.checks.cooldown(RATE, PER)
    async def quote(
        self,
        interaction: discord.Interaction[TriviaBot],
        topic: app_commands.Transform[Quote, QuoteTopicTransformer] | None = None,
    ) -> None:
        """Show the quote on `topic`, or a random one, with where he said it."""
        chosen = topic or self.rng.choice(list(self.kb.quotes.values()))
        await interaction.response.send_message(embed=embeds.quote_embed(self.kb, chosen))

    @app_commands.command(name="fact", description="A random fact from the article.")
    @app_commands.checks.cooldown(RATE, PER)
    async def fact(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Show a random fact with the sentence of the article it rests on."""
        facts = [f for f in self.kb.facts.values() if f.answers not in FACT_EXCLUDED_INTENTS]
        await interaction.response.send_message(
            embed=embeds.fact_embed(self.kb, self.rng.choice(facts))
        )

    @app_commands.command(name="about", description="All of Us Are Dead at a glance.")
    @app_commands.checks.cooldown(RATE, PER)
    async def about(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Show the show at a glance: what it is, who made it, its ranking, season two."""
        embed = embeds.about_embed(self.kb, about_sections(self.kb))
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="source", description="The article everything I know comes from.")
    @app_commands.checks.cooldown(RATE, PER)
    async def source(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Show the article the bot knows: headline, outlet, date, what it covers."""
        await interaction.response.send_message(embed=embeds.source_embed(self.kb))

    @app_commands.command(name="help", description="What I can do and how to ask me.")
    @app_commands.checks.cooldown(RATE, PER)
    async def help(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Show the commands, how free text works here, and questions to try (privately)."""
        settings: GuildSettings | None = None
        if interaction.guild_id is not None:
            # A slow database may take longer than Discord waits for an acknowledgement.
            await defer_reply(interaction, ephemeral=True)
            # During a database outage: the settings last known, as free text uses them.
            settings = await self.bot.store.get_guild_settings_or_last_known(interaction.guild_id)
        embed = embeds.help_embed(
            self.kb,
            self.command_list(),
            free_text_help(settings, message_content=self.bot.intents.message_content),
            embeds.example_questions(self.kb, self.rng),
            trivia_help(settings),
        )
        await send_ephemeral(interaction, embed=embed)

    def command_list(self) -> Sequence[tuple[str, str]]:
        """Return (usage, description) for every top-level slash command of the bot."""
        listed = []
        for command in self.bot.tree.get_commands():
            if isinstance(command, app_commands.Command | app_commands.Group):
                listed.append((command_usage(command), command.description))
        return listed


async def setup(bot: commands.Bot) -> None:
    """Add the knowledge commands (/ask, /rank, /quote, …) to `bot`."""
    if not isinstance(bot, TriviaBot):
        raise TypeError("the trivia cog needs a TriviaBot")
    await bot.add_cog(KnowledgeCog(bot))
