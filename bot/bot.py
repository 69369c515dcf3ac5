"""The `commands.Bot` subclass: holds the engine and the store, loads the cogs.

Everything the bot uses comes in through the constructor (see `BotResources`); nothing
is read or set up at import time. `setup_hook` registers the persistent report button,
loads the cogs and, while developing, syncs the commands to `dev_guild_id` only:
global sync is an explicit `python -m bot sync`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.ext import commands

from bot.conversations import CONVERSATION_SECONDS, ConversationMemory
from bot.discord_ui.conversation import ConversationKey
from bot.discord_ui.cooldown import FreeTextCooldown
from bot.discord_ui.reports import ReportButton
from bot.discord_ui.suggestions import SuggestionButton
from bot.discord_ui.tree import TriviaTree
from bot.engine import Answer, Engine
from bot.engine.context import Conversation
from bot.exts import EXTENSIONS
from bot.knowledge import KnowledgeBase
from bot.message_gate import install_message_gate
from bot.metrics import Metrics, Source
from bot.storage import Store

log = logging.getLogger(__name__)

# What the bot needs in a channel to answer there, and nothing more: read the channel,
# send (also in threads), embed its answers, reply (a reply needs the history), and
# react ⏳ to a question that comes during the sender's cooldown.
REQUIRED_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    send_messages_in_threads=True,
    embed_links=True,
    read_message_history=True,
    add_reactions=True,
)


def make_intents(*, message_content: bool) -> discord.Intents:
    """Return the default intents, plus the privileged message content one if asked."""
    intents = discord.Intents.default()
    intents.message_content = message_content
    return intents


@dataclass(frozen=True)
class BotResources:
    """What the bot is given to work with, opened by the caller and closed by it."""

    knowledge: KnowledgeBase
    engine: Engine
    store: Store
    report_salt: str
    # Counters for /metrics; a fresh set unless the caller shares one (the runner does).
    metrics: Metrics = field(default_factory=Metrics)
    # How long after the last exchange a follow-up still means it (CONVERSATION_SECONDS).
    conversation_seconds: float = CONVERSATION_SECONDS


class TriviaBot(commands.Bot):
    """The trivia bot: slash commands, free-text answers and the report button."""

    def __init__(
        self,
        resources: BotResources,
        *,
        intents: discord.Intents,
        dev_guild_id: int | None = None,
        **options: Any,
    ) -> None:
        """Make the bot on `resources` with `intents`; sync `dev_guild_id` at start if set.

        `options` go to discord.py (shard_count, shard_ids for the sharded bot).
        """
        super().__init__(
            # No prefix commands: the listener in bot.exts.free_text reads messages.
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            # Nobody gets pinged by anything the bot sends, whatever code path sends it.
            allowed_mentions=discord.AllowedMentions.none(),
            tree_cls=TriviaTree,
            **options,
        )
        self.knowledge = resources.knowledge
        self.engine = resources.engine
        self.store = resources.store
        self.report_salt = resources.report_salt
        self.metrics = resources.metrics
        self.dev_guild_id = dev_guild_id
        # Who got a public answer from a suggestion button when (bot.discord_ui.suggestions).
        self.suggestion_clicks = FreeTextCooldown()
        # What each person was last asking about, per channel (bot.discord_ui.conversation),
        # and the context of each answer sent, for a Discord reply to it at any later time.
        self.conversations: ConversationMemory[ConversationKey] = ConversationMemory(
            ttl=resources.conversation_seconds
        )
        self.answered_messages: ConversationMemory[int] = ConversationMemory(ttl=None)
        # Messages the cogs would ignore are skipped before discord.py builds them.
        install_message_gate(self)

    async def setup_hook(self) -> None:
        """Register the persistent buttons, load the cogs, sync the dev guild if set."""
        self.add_dynamic_items(ReportButton, SuggestionButton)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.dev_guild_id is not None:
            await self.sync_dev_guild(self.dev_guild_id)

    async def sync_dev_guild(self, guild_id: int) -> None:
        """Copy the commands to `guild_id` and sync them there (instant, for development)."""
        guild = discord.Object(id=guild_id)
        self.tree.copy_global_to(guild=guild)
        try:
            synced = await self.tree.sync(guild=guild)
        except discord.HTTPException as exc:
            log.warning(
                "could not sync commands to DEV_GUILD_ID %d (is the bot in that server, "
                "invited with the applications.commands scope?): %s",
                guild_id,
                exc,
            )
            return
        log.info("synced %d commands to dev guild %d", len(synced), guild_id)

    def answer_question(
        self,
        question: str,
        *,
        source: Source,
        guild_id: int | None,
        context: Conversation | None = None,
    ) -> Answer:
        """Answer `question` asked in `guild_id` (None: a DM) by `source`, after `context`
        (a follow-up); count and time it.

        The question itself is logged at DEBUG only; INFO and above never show what people
        wrote.
        """
        with self.metrics.time_engine():
            answer = self.engine.answer(question, context)
        self.metrics.record_answer(source, answer.answered)
        log.debug(
            "%s in guild %s: %s (intent %s, confidence %d): %r",
            source,
            guild_id,
            "answered" if answer.answered else "declined",
            answer.intent,
            answer.confidence,
            question,
        )
        return answer

    async def on_message(self, message: discord.Message, /) -> None:
        """Do nothing: there are no prefix commands (the free-text cog listens instead)."""

    async def on_ready(self) -> None:
        """Log who the bot is, where it is, and whether it can read ordinary messages."""
        user = self.user
        log.info(
            "ready as %s (id %s); servers: %d; shards: %s; message content intent: %s",
            user,
            user.id if user else "?",
            len(self.guilds),
            self.shards_description(),
            "on" if self.intents.message_content else "OFF (answers mentions and DMs only)",
        )
        if not self.guilds:
            log.info("the bot is in no server yet: invite it with `python -m bot invite`")

    async def on_resumed(self) -> None:
        """Log that the gateway session was resumed after a disconnect."""
        log.info("gateway session resumed")

    def shards_description(self) -> str:
        """Return which shards this process runs: "none" unsharded, else like "0,1 of 4"."""
        if self.shard_count is None:
            return "none"
        ids = getattr(self, "shard_ids", None) or range(self.shard_count)
        return f"{','.join(str(i) for i in ids)} of {self.shard_count}"


class ShardedTriviaBot(TriviaBot, commands.AutoShardedBot):
    """The trivia bot over several shards (SHARD_COUNT, and SHARD_IDS for a subset)."""

    async def on_shard_ready(self, shard_id: int) -> None:
        """Log that shard `shard_id` is connected."""
        log.info("shard %d ready", shard_id)


def build_bot(
    resources: BotResources,
    *,
    message_content: bool,
    dev_guild_id: int | None = None,
    shard_count: int | None = None,
    shard_ids: tuple[int, ...] | None = None,
) -> TriviaBot:
    """Return the bot, sharded over exactly `shard_ids` of `shard_count` when they are set."""
    intents = make_intents(message_content=message_content)
    if shard_count is None:
        return TriviaBot(resources, intents=intents, dev_guild_id=dev_guild_id)
    options: dict[str, Any] = {"shard_count": shard_count}
    if shard_ids is not None:
        options["shard_ids"] = list(shard_ids)
    return ShardedTriviaBot(resources, intents=intents, dev_guild_id=dev_guild_id, **options)
