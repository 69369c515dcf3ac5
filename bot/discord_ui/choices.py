"""Option values picked from the knowledge: shows on the ranking and quote topics.

Each transformer offers autocomplete choices (at most 25) and turns the chosen value
back into the knowledge object. A value typed without picking a choice still works when
it is an id, a name or an alias; anything else raises `TransformerError`, which the
command tree answers with "pick one of the suggestions".
"""

from __future__ import annotations

from typing import Any, Protocol

import discord
from discord import app_commands

from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Quote, RankingEntry

MAX_CHOICES = 25
CHOICE_LIMIT = 100  # Discord's limit on a choice's name and value


class HasKnowledge(Protocol):
    """A client that holds the loaded knowledge (the bot)."""

    knowledge: KnowledgeBase


def _knowledge(interaction: discord.Interaction[Any]) -> KnowledgeBase:
    client: HasKnowledge = interaction.client
    return client.knowledge


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _show_names(kb: KnowledgeBase, show_id: str) -> list[str]:
    """Return the name and aliases of `show_id` (just the id if it is not an entity)."""
    entity = kb.entities.get(show_id)
    return [entity.name, *entity.aliases] if entity else [show_id]


def show_choices(kb: KnowledgeBase, current: str) -> list[app_commands.Choice[str]]:
    """Return the shows on the ranking whose name or an alias contains `current`."""
    wanted = _fold(current)
    choices = []
    for entry in kb.ranking.entries:
        names = _show_names(kb, entry.show)
        if not wanted or any(wanted in _fold(n) for n in names):
            label = names[0] if entry.position is None else f"#{entry.position} {names[0]}"
            choices.append(app_commands.Choice(name=label[:CHOICE_LIMIT], value=entry.show))
    return choices[:MAX_CHOICES]


def find_show(kb: KnowledgeBase, value: str) -> RankingEntry | None:
    """Return the ranking entry whose show id, name or alias is `value` (any case)."""
    wanted = _fold(value)
    for entry in kb.ranking.entries:
        if wanted == entry.show or wanted in (_fold(n) for n in _show_names(kb, entry.show)):
            return entry
    return None


def _topic_label(quote: Quote) -> str:
    return (quote.topic[:1].upper() + quote.topic[1:])[:CHOICE_LIMIT]


def quote_choices(kb: KnowledgeBase, current: str) -> list[app_commands.Choice[str]]:
    """Return the quote topics that contain `current` (all of them for an empty one)."""
    wanted = _fold(current)
    return [
        app_commands.Choice(name=_topic_label(q), value=q.id)
        for q in kb.quotes.values()
        if not wanted or wanted in _fold(q.topic)
    ][:MAX_CHOICES]


def find_quote(kb: KnowledgeBase, value: str) -> Quote | None:
    """Return the quote whose id or topic is `value` (any case)."""
    wanted = _fold(value)
    for quote in kb.quotes.values():
        if wanted in (quote.id, _fold(quote.topic)):
            return quote
    return None


class ShowTransformer(app_commands.Transformer):
    """A show on the most-watched list, autocompleted from it."""

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str
    ) -> list[app_commands.Choice[str]]:
        """Return the shows matching what the user typed so far (`value`)."""
        return show_choices(_knowledge(interaction), value)

    async def transform(self, interaction: discord.Interaction[Any], value: Any) -> RankingEntry:
        """Return the ranking entry for `value`, or raise TransformerError."""
        entry = find_show(_knowledge(interaction), str(value))
        if entry is None:
            raise app_commands.TransformerError(value, self.type, self)
        return entry


class QuoteTopicTransformer(app_commands.Transformer):
    """One of the director's quotes, chosen by topic."""

    async def autocomplete(  # type: ignore[override]
        self, interaction: discord.Interaction[Any], value: str
    ) -> list[app_commands.Choice[str]]:
        """Return the topics matching what the user typed so far (`value`)."""
        return quote_choices(_knowledge(interaction), value)

    async def transform(self, interaction: discord.Interaction[Any], value: Any) -> Quote:
        """Return the quote for `value`, or raise TransformerError."""
        quote = find_quote(_knowledge(interaction), str(value))
        if quote is None:
            raise app_commands.TransformerError(value, self.type, self)
        return quote
