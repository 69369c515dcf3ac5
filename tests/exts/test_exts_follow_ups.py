"""Follow-ups in Discord: per person and channel, within the window, and by Discord reply."""

from __future__ import annotations

from unittest.mock import MagicMock

import discord
import pytest

from bot.bot import TriviaBot
from bot.conversations import ConversationMemory
from bot.discord_ui.cooldown import FreeTextCooldown
from bot.exts.free_text import FreeTextCog
from bot.exts.knowledge import KnowledgeCog
from tests.helpers import (
    BOT_ID,
    CHANNEL_ID,
    USER_ID,
    MockInteraction,
    mock_client_user,
    mock_dm_channel,
    mock_guild,
    mock_member,
    mock_text_channel,
    mock_user,
    next_id,
    replied,
    sent,
)
from tests.helpers import mock_message as make_message

OTHER_USER_ID = USER_ID + 1
WINDOW = 300.0


class Clock:
    """A clock the test moves by hand (cooldowns and conversations both read it)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def wait(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def cog(bot: TriviaBot, clock: Clock) -> FreeTextCog:
    bot.conversations = ConversationMemory(ttl=WINDOW, clock=clock)
    made = FreeTextCog(bot, cooldown=FreeTextCooldown(clock))
    await bot.add_cog(made)
    return made


@pytest.fixture
def guild() -> MagicMock:
    return mock_guild()


def mentioning(
    guild: MagicMock,
    text: str,
    *,
    author_id: int = USER_ID,
    channel_id: int = CHANNEL_ID,
    reference: discord.MessageReference | None = None,
    mention: bool = True,
) -> MagicMock:
    """Return a message in a channel of `guild`, mentioning the bot unless told not to."""
    message = make_message(
        f"<@{BOT_ID}> {text}" if mention else text,
        author=mock_member(author_id, guild=guild),
        channel=mock_text_channel(channel_id, guild=guild),
        guild=guild,
        mentions=[BOT_ID] if mention else [],
        message_type=discord.MessageType.reply if reference else discord.MessageType.default,
        reference=reference,
    )
    # What Discord returns for the bot's reply: a message of the bot's own.
    message.reply.return_value = make_message(
        "",
        author=mock_client_user(),
        channel=message.channel,
        guild=guild,
        message_id=next_id(),
    )
    return message


async def ask(cog: FreeTextCog, message: MagicMock, clock: Clock) -> str:
    """Return the text of the bot's answer to `message` (past anyone's cooldown)."""
    clock.wait(11)
    await cog.on_message(message)
    reply = replied(message)
    assert reply is not None and reply.embed is not None, "the bot did not answer"
    return reply.embed.description or ""


def reply_reference(answered: MagicMock, bot_message: MagicMock) -> discord.MessageReference:
    """Return the reference of a Discord reply to the bot's `bot_message`."""
    reference = discord.MessageReference(
        message_id=bot_message.id, channel_id=answered.channel.id, fail_if_not_exists=False
    )
    reference.resolved = bot_message
    return reference


async def test_a_follow_up_mention_means_what_the_asker_last_asked(
    cog: FreeTextCog, guild: MagicMock, clock: Clock
) -> None:
    await ask(cog, mentioning(guild, "tell me about squid game"), clock)
    assert "1.65 billion" in await ask(cog, mentioning(guild, "how many hours did it get?"), clock)
    answer = await ask(cog, mentioning(guild, "and elite?"), clock)
    assert "Elite" in answer and "361" not in answer


async def test_two_people_in_one_channel_keep_their_own_conversations(
    cog: FreeTextCog, guild: MagicMock, clock: Clock
) -> None:
    await ask(cog, mentioning(guild, "tell me about squid game"), clock)
    await ask(cog, mentioning(guild, "tell me about elite", author_id=OTHER_USER_ID), clock)
    mine = await ask(cog, mentioning(guild, "how many hours did it get?"), clock)
    theirs = await ask(
        cog, mentioning(guild, "how many hours did it get?", author_id=OTHER_USER_ID), clock
    )
    assert "1.65 billion" in mine
    assert "Elite" in theirs and "361" not in theirs and "1.65" not in theirs


async def test_another_channel_is_another_conversation(
    cog: FreeTextCog, guild: MagicMock, clock: Clock
) -> None:
    await ask(cog, mentioning(guild, "tell me about squid game"), clock)
    elsewhere = mentioning(guild, "how many hours did it get?", channel_id=CHANNEL_ID + 1)
    assert "361 million" in await ask(cog, elsewhere, clock)


async def test_past_the_window_a_question_stands_alone(
    cog: FreeTextCog, guild: MagicMock, clock: Clock
) -> None:
    await ask(cog, mentioning(guild, "tell me about squid game"), clock)
    clock.wait(WINDOW)
    assert "361 million" in await ask(cog, mentioning(guild, "how many hours did it get?"), clock)


async def test_a_reply_to_an_answer_follows_it_up_even_past_the_window(
    cog: FreeTextCog, guild: MagicMock, clock: Clock
) -> None:
    first = mentioning(guild, "tell me about elite")
    await ask(cog, first, clock)
    await ask(cog, mentioning(guild, "which show is number one?"), clock)  # the topic moved on
    clock.wait(2 * WINDOW)
    follow_up = mentioning(
        guild,
        "how long have people watched it?",
        reference=reply_reference(first, first.reply.return_value),
        mention=False,  # a reply to the bot's answer is addressed to it
    )
    answer = await ask(cog, follow_up, clock)
    assert "Elite" in answer and "361" not in answer


async def test_a_reply_to_an_answer_sent_before_a_restart_reads_it_back(
    cog: FreeTextCog, bot: TriviaBot, guild: MagicMock, clock: Clock
) -> None:
    first = mentioning(guild, "tell me about squid game")
    await ask(cog, first, clock)
    bot_message = first.reply.return_value
    bot_message.embeds = [replied(first).embed]  # type: ignore[union-attr]
    bot.answered_messages = ConversationMemory(ttl=None)  # a new process remembers nothing
    bot.conversations = ConversationMemory(ttl=WINDOW, clock=clock)
    follow_up = mentioning(
        guild, "how many hours did it get?", reference=reply_reference(first, bot_message)
    )
    assert "1.65 billion" in await ask(cog, follow_up, clock)


async def test_a_reply_to_someone_else_is_no_follow_up_and_not_addressed(
    cog: FreeTextCog, guild: MagicMock, clock: Clock
) -> None:
    await ask(cog, mentioning(guild, "tell me about squid game"), clock)
    someone = make_message(
        "squid game is great",
        author=mock_member(OTHER_USER_ID, guild=guild),
        channel=mock_text_channel(CHANNEL_ID, guild=guild),
        guild=guild,
    )
    reference = reply_reference(someone, someone)
    unaddressed = mentioning(guild, "how many hours?", reference=reference, mention=False)
    clock.wait(11)
    await cog.on_message(unaddressed)
    assert replied(unaddressed) is None


async def test_dms_keep_a_conversation_per_person(cog: FreeTextCog, clock: Clock) -> None:
    channel = mock_dm_channel()

    def dm(text: str) -> MagicMock:
        return make_message(text, author=mock_user(USER_ID), channel=channel, guild=None)

    await ask(cog, dm("what country is lupin from"), clock)
    assert "Spanish" in await ask(cog, dm("and elite?"), clock)


async def test_slash_ask_shares_the_conversation_of_mentions(
    cog: FreeTextCog, bot: TriviaBot, guild: MagicMock, clock: Clock
) -> None:
    knowledge = KnowledgeCog(bot)
    await ask(cog, mentioning(guild, "tell me about squid game"), clock)
    interaction = MockInteraction.make(
        bot,
        guild=guild,
        user=mock_member(USER_ID, guild=guild),
        channel=mock_text_channel(CHANNEL_ID, guild=guild),
    )
    await knowledge.ask.callback(knowledge, interaction, question="how many hours did it get?")
    embed = sent(interaction).embed
    assert embed is not None and "1.65 billion" in (embed.description or "")
    # …and a mention after /ask follows the /ask.
    assert "how many hours of Elite" in await ask(cog, mentioning(guild, "and elite?"), clock)
