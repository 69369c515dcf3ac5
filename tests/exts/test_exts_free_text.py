"""The free-text listener: when it answers, when it stays silent, and that it pings nobody."""

from __future__ import annotations

from unittest.mock import MagicMock, create_autospec, patch

import discord
import pytest

from bot.bot import TriviaBot
from bot.discord_ui.cooldown import FreeTextCooldown
from bot.discord_ui.outbox import ReplyOutbox
from bot.engine import Engine
from bot.exts.free_text import FreeTextCog, strip_mentions_of
from bot.storage import Store, StoreUnavailableError
from tests.helpers import (
    BOT_ID,
    BOT_ROLE_ID,
    CHANNEL_ID,
    GUILD_ID,
    OTHER_CHANNEL_ID,
    USER_ID,
    buttons,
    mock_dm_channel,
    mock_guild,
    mock_member,
    mock_text_channel,
    mock_user,
    replied,
)
from tests.helpers import mock_message as make_message

QUESTION = "who directed all of us are dead?"
CITATION = "Virgin Radio, 9 Feb 2022"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def cog(bot: TriviaBot, clock: Clock) -> FreeTextCog:
    made = FreeTextCog(bot, cooldown=FreeTextCooldown(clock))
    await bot.add_cog(made)
    return made


@pytest.fixture
def guild() -> MagicMock:
    return mock_guild()


def in_channel(
    guild: MagicMock,
    content: str,
    *,
    channel_id: int = CHANNEL_ID,
    author_id: int = USER_ID,
    mentioned: bool = False,
    bot_author: bool = False,
    **kwargs: object,
) -> MagicMock:
    """Return a message in a channel of `guild`, mentioning the bot if `mentioned`."""
    if mentioned:
        content = f"<@{BOT_ID}> {content}"
    return make_message(
        content,
        author=mock_member(author_id, guild=guild, bot=bot_author),
        channel=mock_text_channel(channel_id, guild=guild),
        guild=guild,
        mentions=[BOT_ID] if mentioned else [],
        **kwargs,  # type: ignore[arg-type]
    )


def in_dm(content: str, *, author_id: int = USER_ID) -> MagicMock:
    return make_message(content, author=mock_user(author_id), channel=mock_dm_channel(), guild=None)


async def enable_channels(store: Store, *channels: int) -> None:
    await store.update_guild_settings(GUILD_ID, mode="channels")
    for channel in channels:
        await store.add_channel(GUILD_ID, channel)


def assert_pings_nobody(reply: object) -> None:
    assert reply is not None
    kwargs = reply.kwargs  # type: ignore[attr-defined]
    assert kwargs["mention_author"] is False
    mentions: discord.AllowedMentions = kwargs["allowed_mentions"]
    assert mentions.to_dict() == discord.AllowedMentions.none().to_dict()


async def test_answers_a_mention_without_the_mention_in_the_question(
    cog: FreeTextCog, guild: MagicMock
) -> None:
    message = in_channel(guild, QUESTION, mentioned=True)

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert reply.embed.title == QUESTION
    assert "Lee Jae-kyoo" in (reply.embed.description or "")
    assert CITATION in (reply.embed.footer.text or "")
    assert [b.label for b in buttons(reply.view)] == ["Wrong answer?"]
    assert_pings_nobody(reply)


async def test_answers_a_mention_of_the_bot_role(cog: FreeTextCog, guild: MagicMock) -> None:
    message = in_channel(guild, f"<@&{BOT_ROLE_ID}> {QUESTION}", role_mentions=[BOT_ROLE_ID])

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert reply.embed.title == QUESTION


async def test_answers_in_dms(cog: FreeTextCog) -> None:
    message = in_dm(QUESTION)

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert "Lee Jae-kyoo" in (reply.embed.description or "")
    assert_pings_nobody(reply)


async def test_declines_out_loud_when_mentioned(
    cog: FreeTextCog, guild: MagicMock, engine: Engine
) -> None:
    message = in_channel(guild, "what's the weather in Seoul?", mentioned=True)
    decline = engine.answer("what's the weather in Seoul?")
    assert not decline.answered

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert reply.embed.description == decline.text
    # The suggestions are buttons that ask them for the asker, then the report button.
    shown = buttons(reply.view)
    assert [b.label for b in shown] == [*decline.suggestions[:3], "Should I know this?"]
    assert [b.custom_id for b in shown[:-1]] == [
        f"aouad:ask:{USER_ID}:{place}" for place in range(len(decline.suggestions[:3]))
    ]
    assert not any(f.name == "Try asking" for f in reply.embed.fields)


async def test_a_bare_mention_gets_a_greeting(cog: FreeTextCog, guild: MagicMock) -> None:
    message = in_channel(guild, "", mentioned=True)

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert "Ask me about" in (reply.embed.title or "")
    assert reply.view is None


async def test_silent_without_mention_in_mention_mode(cog: FreeTextCog, guild: MagicMock) -> None:
    message = in_channel(guild, QUESTION)

    await cog.on_message(message)

    assert replied(message) is None


async def test_answers_in_an_enabled_channel(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    message = in_channel(guild, QUESTION)

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert "Lee Jae-kyoo" in (reply.embed.description or "")
    assert_pings_nobody(reply)


async def test_silent_when_declining_in_an_enabled_channel(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    chatter = in_channel(guild, "lol")
    games = in_channel(guild, "anyone up for games tonight?")

    await cog.on_message(chatter)
    await cog.on_message(games)

    assert replied(chatter) is None
    assert replied(games) is None


async def test_silent_in_a_channel_that_is_not_enabled(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    message = in_channel(guild, QUESTION, channel_id=OTHER_CHANNEL_ID)

    await cog.on_message(message)

    assert replied(message) is None


async def test_enabled_channel_only_counts_in_channels_mode(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await store.add_channel(GUILD_ID, CHANNEL_ID)  # mode stays "mention"
    message = in_channel(guild, QUESTION)

    await cog.on_message(message)

    assert replied(message) is None


async def test_off_mode_ignores_even_mentions_but_not_dms(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await store.update_guild_settings(GUILD_ID, mode="off")
    mention = in_channel(guild, QUESTION, mentioned=True)
    dm = in_dm(QUESTION)

    await cog.on_message(mention)
    await cog.on_message(dm)

    assert replied(mention) is None
    assert replied(dm) is not None


async def test_ignores_bots_itself_webhooks_and_system_messages(
    cog: FreeTextCog, guild: MagicMock
) -> None:
    from_bot = in_channel(guild, QUESTION, mentioned=True, bot_author=True)
    from_itself = in_channel(guild, QUESTION, mentioned=True, author_id=BOT_ID)
    from_webhook = in_channel(guild, QUESTION, mentioned=True, webhook_id=123)
    pinned = in_channel(guild, QUESTION, mentioned=True, message_type=discord.MessageType.pins_add)

    for message in (from_bot, from_itself, from_webhook, pinned):
        await cog.on_message(message)
        assert replied(message) is None


async def test_everyone_is_not_a_mention_of_the_bot(cog: FreeTextCog, guild: MagicMock) -> None:
    message = in_channel(guild, f"@everyone {QUESTION}", mention_everyone=True)

    await cog.on_message(message)

    assert replied(message) is None


async def test_a_question_with_everyone_and_roles_pings_nobody(
    cog: FreeTextCog, guild: MagicMock
) -> None:
    message = in_channel(guild, f"@everyone <@&555> {QUESTION}", mentioned=True)

    await cog.on_message(message)

    reply = replied(message)
    assert_pings_nobody(reply)
    assert reply is not None and reply.embed is not None
    assert "@everyone" not in (reply.embed.description or "")


async def test_cooldown_keeps_silent_then_lets_through(
    cog: FreeTextCog, guild: MagicMock, store: Store, clock: Clock
) -> None:
    await store.update_guild_settings(GUILD_ID, cooldown_seconds=30.0)
    first = in_channel(guild, QUESTION, mentioned=True)
    too_soon = in_channel(guild, QUESTION, mentioned=True)
    someone_else = in_channel(guild, QUESTION, mentioned=True, author_id=USER_ID + 1)
    later = in_channel(guild, QUESTION, mentioned=True)

    await cog.on_message(first)
    clock.now += 10
    await cog.on_message(too_soon)
    await cog.on_message(someone_else)
    clock.now += 21
    await cog.on_message(later)

    assert replied(first) is not None
    assert replied(too_soon) is None
    assert replied(someone_else) is not None
    assert replied(later) is not None
    too_soon.add_reaction.assert_awaited_once_with("⏳")  # so they know the bot is up
    for answered in (first, someone_else, later):
        answered.add_reaction.assert_not_awaited()


async def test_a_dm_on_cooldown_gets_a_reaction_and_chatter_in_a_channel_none(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    await cog.on_message(in_dm(QUESTION))
    await cog.on_message(in_channel(guild, QUESTION))
    dm_again, channel_again = in_dm(QUESTION), in_channel(guild, "where does squid game rank?")

    await cog.on_message(dm_again)
    await cog.on_message(channel_again)

    assert replied(dm_again) is None and replied(channel_again) is None
    dm_again.add_reaction.assert_awaited_once_with("⏳")
    channel_again.add_reaction.assert_not_awaited()  # everyday chat: no ⏳ on every message


async def test_no_reaction_where_the_bot_may_not_react(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    first = in_channel(guild, QUESTION, mentioned=True)
    again = in_channel(guild, QUESTION, mentioned=True)
    again.channel.permissions_for.return_value = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True, read_message_history=True
    )

    await cog.on_message(first)
    with patch("bot.exts.free_text.log") as log:
        await cog.on_message(again)

    again.add_reaction.assert_not_awaited()
    assert "on cooldown)" in log.debug.call_args.args[-1]


async def test_silent_declines_do_not_use_up_the_cooldown(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    chatter = in_channel(guild, "lol")
    question = in_channel(guild, QUESTION)

    await cog.on_message(chatter)
    await cog.on_message(question)

    assert replied(chatter) is None
    assert replied(question) is not None


async def test_long_garbage_gets_a_bounded_reply(cog: FreeTextCog, guild: MagicMock) -> None:
    message = in_channel(guild, "a" * 2000 + " zzz" * 750, mentioned=True)

    await cog.on_message(message)

    reply = replied(message)
    assert reply is not None and reply.embed is not None
    assert len(reply.embed.title or "") <= 256
    assert len(reply.embed) <= 6000


async def test_long_garbage_in_an_enabled_channel_is_silent(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    message = in_channel(guild, "🧟" * 5000)

    await cog.on_message(message)

    assert replied(message) is None


async def test_database_outage_falls_back_to_default_settings(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    mention = in_channel(guild, QUESTION, mentioned=True)
    plain = in_channel(guild, QUESTION)
    outage = StoreUnavailableError("database unavailable (test)")

    with patch.object(store, "get_guild_settings", side_effect=outage):
        await cog.on_message(mention)
        await cog.on_message(plain)

    assert replied(mention) is not None
    assert replied(plain) is None


async def test_discord_refusing_the_reply_is_logged_not_raised(
    cog: FreeTextCog, guild: MagicMock
) -> None:
    message = in_channel(guild, QUESTION, mentioned=True)
    response = MagicMock(status=403, reason="Forbidden")
    message.reply.side_effect = discord.Forbidden(response, "Missing Permissions")

    await cog.on_message(message)  # does not raise
    again = in_channel(guild, QUESTION, mentioned=True)
    await cog.on_message(again)

    message.reply.assert_awaited_once()
    # Unlike a reply Discord failed or rate-limited, a refused one keeps the cooldown:
    # it keeps the bot's refused tries in a channel where it may not write few.
    assert replied(again) is None


def rate_limited() -> discord.HTTPException:
    response = MagicMock(status=429, reason="Too Many Requests", headers={"Retry-After": "0.01"})
    return discord.HTTPException(response, {"message": "You are being rate limited.", "code": 0})


async def test_a_reply_that_never_went_out_costs_no_cooldown(
    bot: TriviaBot, guild: MagicMock, clock: Clock
) -> None:
    # The outbox gives up at once: the reply is dropped, as after a long 429 storm.
    cog = FreeTextCog(bot, cooldown=FreeTextCooldown(clock), outbox=ReplyOutbox(window=0.0))
    await bot.add_cog(cog)
    dropped = in_channel(guild, QUESTION, mentioned=True)
    dropped.reply.side_effect = rate_limited()
    again = in_channel(guild, QUESTION, mentioned=True)

    with patch("bot.exts.free_text.log") as log:
        await cog.on_message(dropped)
    await cog.on_message(again)

    assert "rate-limited, dropped" in log.warning.call_args.args[0]
    assert log.debug.call_args.args[-1] == "not replied (rate-limited)"
    assert replied(again) is not None  # not on cooldown: the first reply never went out
    again.add_reaction.assert_not_awaited()


async def test_a_rate_limited_reply_is_retried_and_sent_once(
    cog: FreeTextCog, guild: MagicMock
) -> None:
    message = in_channel(guild, QUESTION, mentioned=True)
    refusals = [rate_limited(), rate_limited()]

    async def reply(**kwargs: object) -> MagicMock:
        if refusals:
            raise refusals.pop()
        return MagicMock()

    message.reply.side_effect = reply

    with patch("bot.exts.free_text.log") as log:
        await cog.on_message(message)

    assert message.reply.await_count == 3  # two 429s past discord.py's tries, then sent
    assert log.debug.call_args.args[-1] == "replied"
    log.warning.assert_not_called()


@pytest.mark.parametrize("message_content", [False])
async def test_without_message_content_mentions_still_work(
    cog: FreeTextCog, guild: MagicMock, store: Store, bot: TriviaBot
) -> None:
    assert not bot.intents.message_content
    await enable_channels(store, CHANNEL_ID)
    # Discord sends no text for messages that do not mention the bot.
    unmentioned = in_channel(guild, "")
    mention = in_channel(guild, QUESTION, mentioned=True)

    await cog.on_message(unmentioned)
    await cog.on_message(mention)

    assert replied(unmentioned) is None
    assert replied(mention) is not None


def test_strip_mentions_of() -> None:
    assert strip_mentions_of(f"<@{BOT_ID}> who?", BOT_ID) == "who?"
    assert strip_mentions_of(f"hey <@!{BOT_ID}>   who?", BOT_ID) == "hey who?"
    assert strip_mentions_of(f"<@&{BOT_ROLE_ID}> who?", BOT_ID, BOT_ROLE_ID) == "who?"
    assert strip_mentions_of("<@123> who?", BOT_ID) == "<@123> who?"


async def test_answers_in_threads_of_an_enabled_channel(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    await enable_channels(store, CHANNEL_ID)
    thread = create_autospec(discord.Thread, instance=True, spec_set=True)
    thread.id = 777
    thread.parent_id = CHANNEL_ID
    message = make_message(QUESTION, author=mock_member(guild=guild), channel=thread, guild=guild)

    await cog.on_message(message)

    assert replied(message) is not None


async def test_each_message_ends_in_one_debug_line_saying_what_became_of_it(
    cog: FreeTextCog, guild: MagicMock, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await enable_channels(store, CHANNEL_ID)
    messages = {
        "replied": in_channel(guild, QUESTION, mentioned=True),
        "ignored (user": in_channel(guild, QUESTION, mentioned=True),  # same user: cooldown
        "silent (a chosen channel": in_channel(guild, "lol", author_id=USER_ID + 1),
        "ignored (not for me": in_channel(
            guild, QUESTION, channel_id=OTHER_CHANNEL_ID, author_id=USER_ID + 2
        ),
        "ignored (not from a person)": in_channel(guild, QUESTION, bot_author=True),
    }

    with caplog.at_level("DEBUG", logger="bot.exts.free_text"):
        for message in messages.values():
            await cog.on_message(message)

    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("free text:")]
    assert len(lines) == len(messages)
    for (outcome, message), line in zip(messages.items(), lines, strict=True):
        assert line.startswith(f"free text: message {message.id} in guild {GUILD_ID} channel ")
        assert line.split(": ", 2)[2].startswith(outcome), line
        assert QUESTION not in line  # what people write is not logged here


async def test_chatter_where_no_channel_was_chosen_needs_no_settings(
    cog: FreeTextCog, guild: MagicMock, store: Store
) -> None:
    chatter = in_channel(guild, QUESTION)
    mention = in_channel(guild, QUESTION, mentioned=True)

    with patch.object(store, "settings_for_message", wraps=store.settings_for_message) as reads:
        await cog.on_message(chatter)
        await cog.on_message(mention)
        await enable_channels(store, OTHER_CHANNEL_ID)  # now it may answer without mentions
        await cog.on_message(in_channel(guild, QUESTION))

    assert replied(chatter) is None and replied(mention) is not None
    assert reads.await_count == 2  # the mention, and the message once a channel was chosen
