"""Answers to ordinary messages: when mentioned, in DMs, and in channels an admin enabled.

The rules, in order: ignore bots, webhooks and system messages; in a server, follow the
guild's mode ("off": never, "mention": when mentioned, "channels": also every message in
the chosen channels and their threads); while the author is on cooldown, no answer,
but a ⏳ reaction to a mention or DM, so they can tell the bot is up.
Questions go to the same `engine.answer` as /ask, with the asker's conversation in that
channel, so follow-ups ("and lupin's?", "who directed it?") mean what they last asked about;
a Discord reply to one of the bot's answers continues that answer's conversation, and
counts as addressing the bot (see `bot.discord_ui.conversation`). When mentioned or in DMs
a decline is said out loud, with suggestions; in an enabled channel a decline is silence,
so ordinary chat there gets no "I don't know" to every message. Messages another cog claims (the
answers in a free-answer trivia game, see `ClaimsMessages`) are left to it.

Every message the listener sees ends in one DEBUG log line naming the message (never its
text) and what became of it, e.g. "free text: message 123 in guild 4 channel 5: silent
(a chosen channel, and nothing to answer)". It answers "why did the bot not reply to me?", and the
end-to-end tests wait for it to know a message was handled before checking for silence.
"""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import discord
from discord.ext import commands

from bot.bot import TriviaBot
from bot.discord_ui import embeds
from bot.discord_ui.conversation import (
    context_of_answer_message,
    conversation_key,
    replied_to_bot,
    replied_to_id,
)
from bot.discord_ui.cooldown import FreeTextCooldown
from bot.discord_ui.outbox import ReplyDropped, ReplyOutbox
from bot.discord_ui.suggestions import answer_view
from bot.engine import Answer
from bot.engine.context import Conversation
from bot.storage import GuildSettings

log = logging.getLogger(__name__)

Trigger = Literal["dm", "mention", "channel"]
# Message types a person writes; joins, pins, boosts and the like are never questions.
_USER_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})
# What became of a reply, for the DEBUG line of its message.
REPLIED = "replied"
RATE_LIMITED = "not replied (rate-limited)"
DISCORD_ERROR = "not replied (Discord error)"
NOT_SENT_RETRY_OK = frozenset({RATE_LIMITED, DISCORD_ERROR})
# The reaction to a mention or DM ignored for the sender's cooldown.
COOLDOWN_REACTION = "⏳"
# What became of a message ignored on its first checks (also decided on the raw payload).
NOT_FROM_A_PERSON = "ignored (not from a person)"
NOT_FOR_ME = "ignored (not for me: no mention, or not a chosen channel)"
_USER_MESSAGE_TYPE_VALUES = frozenset(t.value for t in _USER_MESSAGE_TYPES)


@dataclass(frozen=True)
class Reply:
    """What to send for a message: the embed and the report button, or just the embed."""

    embed: discord.Embed
    view: discord.ui.View | None
    context: Conversation | None = None  # what the answer leaves for a reply to it


def strip_mentions_of(content: str, user_id: int, role_id: int | None = None) -> str:
    """Return `content` without mentions of the user `user_id` (and of its role `role_id`)."""
    pattern = rf"<@!?{user_id}>"
    if role_id is not None:
        pattern += rf"|<@&{role_id}>"
    return " ".join(re.sub(pattern, " ", content).split())


@runtime_checkable
class ClaimsMessages(Protocol):
    """A cog that takes some messages for itself, which free text must then leave alone."""

    def claims_message(self, message: discord.Message) -> bool:
        """Return whether `message` is this cog's (an answer in a trivia game, say)."""


class FreeTextCog(commands.Cog, name="Free text"):
    """Answers questions typed as messages."""

    def __init__(
        self,
        bot: TriviaBot,
        cooldown: FreeTextCooldown | None = None,
        outbox: ReplyOutbox | None = None,
    ) -> None:
        """Listen for `bot`; `cooldown` tracks who was answered when, `outbox` retries
        rate-limited replies (fresh ones if None)."""
        self.bot = bot
        self.cooldown = cooldown if cooldown is not None else FreeTextCooldown()
        self.outbox = outbox if outbox is not None else ReplyOutbox()

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer `message` if the rules above say so; log what became of it at DEBUG."""
        handled = await self._handle(message)
        log.debug(
            "free text: message %s in guild %s channel %s: %s",
            message.id,
            _guild_of(message),
            message.channel.id,
            handled,
        )

    def screen_message(self, data: Mapping[str, Any]) -> str | None:
        """Return why `on_message` would ignore this raw MESSAGE_CREATE payload, or None
        if it may answer it (see `bot.message_gate`: the message is then built as usual).

        The same first checks as `_handle` and `_trigger`, on the payload: not from a
        person; in a server, no text, or neither addressed to the bot nor in a channel it
        answers every message in (by the settings held in memory; when they are not held,
        None: the listener reads them). Wherever a check could read the payload differently
        from the built message, it says None.
        """
        me = self.bot.user
        if me is None or not _from_a_person_payload(data):
            return NOT_FROM_A_PERSON
        guild_id = data.get("guild_id")
        guild = self.bot.get_guild(int(guild_id)) if guild_id is not None else None
        if guild is None:
            return None  # a DM (or a server not in the cache: discord.py reads it as one)
        content = data.get("content") or ""
        if not content:
            return NOT_FOR_ME
        if _may_address(content, data.get("referenced_message"), me.id):
            return None
        settings = self.bot.store.settings_if_held(guild.id)
        if settings is None:
            return None
        channel_id = int(data["channel_id"])
        channel = guild.get_channel_or_thread(channel_id) or discord.Object(channel_id)
        return None if _answers_unmentioned(settings, channel) else NOT_FOR_ME

    def message_skipped(self, data: Mapping[str, Any], reason: str) -> None:
        """Log what became of a message skipped unbuilt, as `on_message` would have."""
        if log.isEnabledFor(logging.DEBUG):
            log.debug(
                "free text: message %s in guild %s channel %s: %s",
                data.get("id"),
                data.get("guild_id"),
                data.get("channel_id"),
                reason,
            )

    async def _handle(self, message: discord.Message) -> str:
        """Answer `message` if the rules say so; return what became of it, for the log."""
        me = self.bot.user
        if me is None or not self._from_a_person(message) or message.author.id == me.id:
            return NOT_FROM_A_PERSON
        if self._claimed(message):
            return "ignored (another cog's: an answer in a trivia game)"
        trigger, period = await self._trigger(message, me)
        if trigger is None:
            return NOT_FOR_ME
        guild_id = message.guild.id if message.guild else None
        if self.cooldown.retry_after(guild_id, message.author.id, period) > 0:
            # A mention or DM is addressed to the bot: a ⏳ (not a message, which would
            # spam) shows the bot is up. Messages in a chosen channel are chat: no ⏳.
            reacted = trigger != "channel" and await self._react_waiting(message)
            return f"ignored (user {message.author.id} on cooldown{'; ⏳' if reacted else ''})"
        reply = self.reply_for(message, trigger, me)
        if reply is None:
            return "silent (a chosen channel, and nothing to answer)"
        noted = self.cooldown.record(guild_id, message.author.id)
        outcome = await self._send(message, reply)
        if outcome in NOT_SENT_RETRY_OK:
            # The reply never went out: it costs the asker no cooldown. (Not when the bot
            # may not write there: the cooldown keeps its refused tries few.)
            self.cooldown.release(guild_id, message.author.id, noted)
        return outcome

    def reply_for(
        self, message: discord.Message, trigger: Trigger, me: discord.abc.User
    ) -> Reply | None:
        """Return the reply to `message` that came in by `trigger`, or None for silence."""
        role = message.guild.self_role if message.guild else None
        question = strip_mentions_of(message.content, me.id, role.id if role else None)
        kb = self.bot.knowledge
        if not question:
            if trigger == "channel":
                return None
            # A bare mention: say what the bot does instead of declining nothing.
            return Reply(
                embeds.greeting_embed(kb, embeds.example_questions(kb, _rng_for(message))), None
            )
        key = conversation_key(message.channel.id, message.author.id)
        answer: Answer = self.bot.answer_question(
            question,
            source="free_text",
            guild_id=_guild_of(message),
            context=self._context_for(message, me),
        )
        if not answer.answered and trigger == "channel":
            return None
        self.bot.conversations.put(key, answer.context)
        view = answer_view(answer, message.author.id)
        return Reply(embeds.answer_embed(kb, answer, question), view, answer.context)

    def _context_for(self, message: discord.Message, me: discord.abc.User) -> Conversation | None:
        """Return what `message` follows up: the bot's answer it replies to, else what its
        author last asked about in this channel (within the conversation window)."""
        replied = replied_to_id(message)
        if replied is not None:
            remembered = self.bot.answered_messages.get(replied)
            if remembered is not None:
                return remembered
            answer_message = replied_to_bot(message, me)
            if answer_message is not None:
                return context_of_answer_message(self.bot.engine, answer_message)
        return self.bot.conversations.get(conversation_key(message.channel.id, message.author.id))

    async def _trigger(
        self, message: discord.Message, me: discord.abc.User
    ) -> tuple[Trigger | None, float]:
        """Return why `message` should be answered (None: it should not) and the cooldown."""
        if message.guild is None:
            return "dm", GuildSettings().cooldown_seconds
        if not message.content:
            # Without the message content intent Discord sends no text unless mentioned.
            return None, 0.0
        mentioned = self._mentions(message, me)
        if not self._needs_settings(message.guild.id, mentioned):
            return None, 0.0
        settings = await self._settings(message.guild.id)
        if settings.mode == "off":
            return None, 0.0
        if mentioned:
            return "mention", settings.cooldown_seconds
        if _answers_unmentioned(settings, message.channel):
            return "channel", settings.cooldown_seconds
        return None, 0.0

    def _needs_settings(self, guild_id: int, mentioned: bool) -> bool:
        """Return whether the guild's settings could make this message one to answer.

        Most messages are chatter: one that neither mentions the bot nor is in a server
        that chose channels is ignored without looking anything up.
        """
        return mentioned or self.bot.store.may_answer_unmentioned(guild_id)

    async def _settings(self, guild_id: int) -> GuildSettings:
        """Return the guild's settings (from memory when held; the last known in an outage)."""
        return await self.bot.store.settings_for_message(guild_id)

    def _claimed(self, message: discord.Message) -> bool:
        """Return whether another cog reads `message` itself (a free-answer trivia game)."""
        # Not isinstance(cog, ClaimsMessages): a runtime protocol check inspects the class
        # on every call, which cost a tenth of the bot's time per message under chatter.
        for cog in self.bot.cogs.values():
            claims = getattr(cog, "claims_message", None)
            if claims is not None and claims(message):
                return True
        return False

    @staticmethod
    def _from_a_person(message: discord.Message) -> bool:
        return (
            not message.author.bot
            and message.webhook_id is None
            and message.type in _USER_MESSAGE_TYPES
        )

    @staticmethod
    def _mentions(message: discord.Message, me: discord.abc.User) -> bool:
        """Return whether `message` mentions the bot itself or its role (not @everyone)."""
        if me.id in message.raw_mentions or replied_to_bot(message, me) is not None:
            return True  # a Discord reply to the bot's answer is addressed to it
        role = message.guild.self_role if message.guild else None
        return role is not None and role.id in message.raw_role_mentions

    async def _react_waiting(self, message: discord.Message) -> bool:
        """React ⏳ to `message` if the bot may there; return whether it did."""
        if message.guild is not None and isinstance(message.channel, discord.abc.GuildChannel):
            allowed = message.channel.permissions_for(message.guild.me)
            if not (allowed.add_reactions and allowed.read_message_history):
                return False
        try:
            await message.add_reaction(COOLDOWN_REACTION)
        except discord.HTTPException as exc:
            log.debug("could not react to message %s: %s", message.id, exc)
            return False
        return True

    async def _send(self, message: discord.Message, reply: Reply) -> str:
        """Reply to `message` without pinging anyone; log (not raise) if Discord refuses.

        A reply still rate-limited after discord.py's tries waits in the channel's outbox
        (`ReplyOutbox`). Return what happened, for the log: "replied", or why not.
        """
        kwargs: dict[str, Any] = {"embed": reply.embed}
        if reply.view is not None:
            kwargs["view"] = reply.view

        async def attempt() -> discord.Message:
            return await message.reply(
                mention_author=False, allowed_mentions=discord.AllowedMentions.none(), **kwargs
            )

        try:
            sent = await self.outbox.send(message.channel.id, attempt)
        except ReplyDropped as exc:
            log.warning(
                "could not answer message %s in guild %s channel %s: rate-limited, dropped (%s)",
                message.id,
                _guild_of(message),
                message.channel.id,
                exc,
            )
            return RATE_LIMITED
        except discord.Forbidden as exc:
            log.info(
                "cannot answer in guild %s channel %s: %s",
                _guild_of(message),
                message.channel.id,
                exc,
            )
            return "not replied (forbidden)"
        except discord.HTTPException as exc:
            log.warning(
                "could not answer message %s in guild %s channel %s: %s",
                message.id,
                _guild_of(message),
                message.channel.id,
                exc,
            )
            return DISCORD_ERROR
        # A Discord reply to this answer, even past the conversation window, follows it up.
        self.bot.answered_messages.put(sent.id, reply.context)
        return REPLIED


def _answers_unmentioned(settings: GuildSettings, channel: object) -> bool:
    """Return whether, by `settings`, the bot answers messages in `channel` unmentioned."""
    return settings.mode == "channels" and _in_channels(channel, settings.channels)


def _from_a_person_payload(data: Mapping[str, Any]) -> bool:
    """`FreeTextCog._from_a_person` on a raw payload: not a bot, a webhook or the system."""
    author = data.get("author") or {}
    return (
        not author.get("bot")
        and data.get("webhook_id") is None
        and data.get("type") in _USER_MESSAGE_TYPE_VALUES
    )


def _may_address(content: str, referenced: object, my_id: int) -> bool:
    """Return whether a message may mention the bot (or its role), or reply to it.

    On the raw payload, erring towards True: `Message.raw_mentions` finds `<@ID>` and
    `<@!ID>` in the text (every such text contains one of these strings), any role mention
    may be the bot's role, and a reply is resolved from `referenced_message`.
    """
    if f"<@{my_id}>" in content or f"<@!{my_id}>" in content or "<@&" in content:
        return True
    if not isinstance(referenced, dict):
        return False
    author = referenced.get("author") or {}
    return str(author.get("id")) == str(my_id)


def _in_channels(channel: object, enabled: frozenset[int]) -> bool:
    """Return whether `channel` is enabled, or is a thread of an enabled channel."""
    channel_id = getattr(channel, "id", None)
    if channel_id in enabled:
        return True
    parent_id = getattr(channel, "parent_id", None)
    return isinstance(channel, discord.Thread) and parent_id in enabled


def _guild_of(message: discord.Message) -> int | None:
    """Return the id of the server `message` was sent in (None: a DM), for the log."""
    return message.guild.id if message.guild else None


def _rng_for(message: discord.Message) -> random.Random:
    return random.Random(message.id)


async def setup(bot: commands.Bot) -> None:
    """Add the free-text listener to `bot`."""
    if not isinstance(bot, TriviaBot):
        raise TypeError("the free-text cog needs a TriviaBot")
    await bot.add_cog(FreeTextCog(bot))
