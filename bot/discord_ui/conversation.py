"""Follow-ups in Discord: whose conversation a message continues, and what it was about.

Each person has their own conversation per channel or thread (per DM channel in DMs), kept
in the bot's memory `CONVERSATION_SECONDS` after the last exchange. A Discord reply to one
of the bot's answers continues that answer's conversation, however long ago: the bot
remembers the context of the answers it sent (by message id, bounded), and reads an answer
it no longer remembers (sent before a restart) back from its embed.

Memory is per process. With several shard processes a guild is always served by the same
process (Discord routes each guild to one shard), and a DM to shard 0, so each
conversation lives in exactly one process.
"""

from __future__ import annotations

import discord

from bot.engine import Engine
from bot.engine.context import Conversation
from bot.engine.text import stems

ConversationKey = tuple[int, int]  # (channel or thread id, user id)


def conversation_key(channel_id: int, user_id: int) -> ConversationKey:
    """Return the key of `user_id`'s conversation in the channel or thread `channel_id`."""
    return (channel_id, user_id)


def replied_to_id(message: discord.Message) -> int | None:
    """Return the id of the message `message` replies to, None if it replies to none."""
    reference = message.reference
    return reference.message_id if reference is not None else None


def replied_to_bot(message: discord.Message, me: discord.abc.User) -> discord.Message | None:
    """Return the bot's message that `message` replies to, if Discord sent it along."""
    reference = message.reference
    resolved = reference.resolved if reference is not None else None
    if isinstance(resolved, discord.Message) and resolved.author.id == me.id:
        return resolved
    return None


def context_of_answer_message(engine: Engine, message: discord.Message) -> Conversation | None:
    """Return the context of one of the bot's answers it no longer remembers, read back
    from its embed: the question (the title) read again, if that gives the same answer;
    else the names the answer itself gives, with the question's intent."""
    if not message.embeds:
        return None
    embed = message.embeds[0]
    question, text = embed.title or "", embed.description or ""
    if not question or not text:
        return None
    again = engine.answer(question)
    if again.text == text:
        return again.context
    outlet = engine.kb.source.outlet  # every decline cites it: it is no topic
    named = [
        entity
        for entity in engine.vocabulary.read(stems(text)).entities
        if not engine.kb.entities[entity].ambient and engine.kb.entities[entity].name != outlet
    ]
    if not named:
        return None
    return Conversation(named=tuple(dict.fromkeys(named)), intent=again.intent)
