"""The message gate (`bot.message_gate`): messages skipped unbuilt are exactly ones the
cogs ignore, and every kind of message answered today still reaches them.

The payloads are the fake Discord's own MESSAGE_CREATE and GUILD_CREATE (the shapes the
end-to-end tests send the real bot process), fed to a real `TriviaBot`'s discord.py
connection state. For every message of a matrix (kinds × server settings × games), the
gate's verdict is compared with what the cogs decide on the `discord.Message` discord.py
builds from the same payload: a skip must mean free text ignores it, with the same reason
in its log line, and the trivia cog does not take it.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import discord
import pytest

from bot.bot import BotResources, ShardedTriviaBot, TriviaBot, build_bot
from bot.exts.free_text import FreeTextCog
from bot.exts.trivia._cog import QuizCog
from bot.exts.trivia._games import Game
from bot.message_gate import EVENT, install_message_gate, skip_reasons
from bot.quiz import Mode, QuizSession, build_questions
from bot.storage import Store
from tests.exts.conftest import SALT
from tests.fake_discord import FakeDiscord
from tests.fake_discord.messages import build_message, gateway_message
from tests.fake_discord.models import Channel, ChannelType
from tests.helpers import mock_client_user

SYSTEM_MESSAGE_TYPE = 7  # a member joined: Discord writes it, nobody asks anything


@dataclass
class World:
    """The fake's server as the bot's discord.py state knows it, and its cogs."""

    fake: FakeDiscord
    bot: TriviaBot
    free_text: FreeTextCog
    quiz: QuizCog
    guild_id: int
    channels: dict[str, Channel]
    alice: int
    helper_bot: int
    role: int  # a role that is not the bot's

    def payload(self, where: str, content: str, **options: Any) -> dict[str, Any]:
        """Return the MESSAGE_CREATE payload of alice (or `author_id`) writing `content`."""
        channel = self.channels[where]
        author = options.pop("author_id", self.alice)
        message = build_message(
            self.fake, channel, {"content": content}, author_id=author, **options
        )
        self.fake.world.messages[int(message["id"])] = message
        return gateway_message(self.fake, message)

    def built(self, data: dict[str, Any]) -> discord.Message:
        """Return the Message discord.py's own parser builds from `data` (gate bypassed)."""
        seen: list[tuple[str, discord.Message]] = []
        with dispatching_to(self.bot, seen):
            self.bot._connection.parse_message_create(data)  # type: ignore[arg-type]
        ((_, message),) = seen
        return message


@contextmanager
def dispatching_to(bot: TriviaBot, seen: list[Any]) -> Iterator[None]:
    """Record the events discord.py's state dispatches instead of running listeners."""
    state = bot._connection
    dispatch = state.dispatch
    state.dispatch = lambda event, *args, **kw: seen.append((event, *args))
    try:
        yield
    finally:
        state.dispatch = dispatch


@pytest.fixture
async def world(bot: TriviaBot, store: Store) -> AsyncIterator[World]:
    fake = FakeDiscord(message_content_allowed=True)
    guild = fake.add_guild("a server")
    channels = {
        name: fake.add_channel(guild.id, name)
        for name in ("chosen", "other", "free-game", "mc-game")
    }
    for parent in ("chosen", "other"):
        channels[f"thread of {parent}"] = fake.add_channel(
            guild.id, "t", type=ChannelType.PUBLIC_THREAD, parent_id=channels[parent].id
        )
    channels["dm"] = fake.dm_channel(fake.add_user("dan").id)
    alice = fake.add_user("alice")
    fake.add_member(guild.id, alice.id)
    helper = fake.add_user("helper", bot=True)
    fake.add_member(guild.id, helper.id)
    role = fake.add_role(guild.id, "fans")
    bot._connection.user = mock_client_user(fake.bot_user.id)
    bot.loop = asyncio.get_running_loop()  # as login sets it: dispatch schedules listeners
    bot._connection.parsers["GUILD_CREATE"](fake.world.guild_json(guild.id, gateway=True))
    free_text = FreeTextCog(bot)
    quiz = QuizCog(bot, rng=random.Random(7), intermission=0)
    await bot.add_cog(free_text)
    await bot.add_cog(quiz)
    made = World(fake, bot, free_text, quiz, guild.id, channels, alice.id, helper.id, role.id)
    for name, mode in (("free-game", Mode.FREE), ("mc-game", Mode.CHOICE)):
        quiz.games[channels[name].id] = running_game(bot, guild.id, channels[name].id, mode)
    yield made
    quiz.games.clear()


def running_game(bot: TriviaBot, guild_id: int, channel_id: int, mode: Mode) -> Game:
    session = QuizSession.new(
        build_questions(bot.knowledge), rounds=1, mode=mode, round_seconds=20, seed=1
    )
    return Game(
        id="g",
        guild_id=guild_id,
        channel=discord.Object(channel_id),  # type: ignore[arg-type]
        channel_id=channel_id,
        started_by=1,
        session=session,
        round_seconds=20,
        mention=None,
    )


def kinds(world: World) -> dict[str, Callable[[], dict[str, Any]]]:
    """Every kind of message, by name, as a function making its payload."""
    me = world.fake.bot_user.id
    bot_role = world.fake.world.guilds[world.guild_id].bot_role_id
    question = "who directed it?"

    def reply_to(author_id: int, where: str) -> dict[str, Any]:
        earlier = world.payload(where, "an earlier message", author_id=author_id)
        reference = world.fake.world.messages[int(earlier["id"])]
        return world.payload(where, question, reference=reference, msg_type=19)

    made: dict[str, Callable[[], dict[str, Any]]] = {
        f"chatter in {where}": lambda where=where: world.payload(where, "lol, anyone up?")  # type: ignore[misc]
        for where in world.channels
    }
    made |= {
        f"a question in {where}": lambda where=where: world.payload(where, question)  # type: ignore[misc]
        for where in world.channels
    }
    made |= {
        "a mention <@id>": lambda: world.payload("other", f"<@{me}> {question}"),
        "a mention <@!id>": lambda: world.payload("other", f"<@!{me}> {question}"),
        "a bare mention": lambda: world.payload("other", f"<@{me}>"),
        "a mention of the bot's role": lambda: world.payload("other", f"<@&{bot_role}> hi"),
        "a mention of another role": lambda: world.payload("other", f"<@&{world.role}> hi"),
        "a mention of someone else": lambda: world.payload("other", f"<@{world.alice}> hi"),
        "@everyone": lambda: world.payload("other", f"@everyone {question}"),
        "a reply to the bot": lambda: reply_to(me, "other"),
        "a reply to alice": lambda: reply_to(world.alice, "other"),
        "a mention in the chosen channel": lambda: world.payload("chosen", f"<@{me}> hi"),
        "no text (no content intent)": lambda: world.payload("chosen", ""),
        "from another bot": lambda: world.payload("chosen", question, author_id=world.helper_bot),
        "from the bot itself": lambda: world.payload(
            "chosen", question, author_id=world.fake.bot_user.id
        ),
        "a webhook": lambda: world.payload("chosen", question, webhook=True),
        "a system message": lambda: world.payload("chosen", question, msg_type=SYSTEM_MESSAGE_TYPE),
    }
    return made


SETTINGS = {
    "nothing saved (mention mode)": {},
    "channels mode, a chosen channel": {"mode": "channels"},
    "off, with a chosen channel": {"mode": "off"},
    "a cooldown, channels mode": {"mode": "channels", "cooldown_seconds": 30.0},
}


async def apply(world: World, store: Store, name: str) -> None:
    changes = SETTINGS[name]
    if changes:
        chosen = frozenset({world.channels["chosen"].id})
        await store.update_guild_settings(world.guild_id, channels=chosen, **changes)


async def today(world: World, message: discord.Message) -> tuple[bool, bool]:
    """Return whether free text answers `message` by today's rules (without sending),
    and whether the trivia cog takes it as an answer."""
    free_text, me = world.free_text, world.bot.user
    assert me is not None
    person = free_text._from_a_person(message) and message.author.id != me.id
    trivia = person and world.quiz.claims_message(message)
    if not person or free_text._claimed(message):
        return False, trivia
    trigger, _ = await free_text._trigger(message, me)
    return trigger is not None, trivia


@pytest.mark.parametrize("settings", list(SETTINGS))
async def test_a_skipped_message_is_one_the_cogs_ignore_for_the_same_reason(
    world: World, store: Store, settings: str, caplog: pytest.LogCaptureFixture
) -> None:
    await apply(world, store, settings)
    skipped_kinds, answered_kinds = [], []
    for kind, make in kinds(world).items():
        data = make()
        reasons = skip_reasons(world.bot, data)
        message = world.built(data)
        answered, taken = await today(world, message)
        if answered or taken:
            answered_kinds.append(kind)
            assert reasons is None, f"{kind}: answered today, skipped by the gate"
        if reasons is None:
            continue
        skipped_kinds.append(kind)
        (reason,) = [r for cog, r in reasons if cog is world.free_text]
        with caplog.at_level(logging.DEBUG, logger="bot.exts.free_text"):
            caplog.clear()
            await world.free_text.on_message(message)
        (line,) = [r.getMessage() for r in caplog.records]
        assert line.endswith(f": {reason}"), f"{kind}: skipped as {reason!r}, but {line!r}"
    # What each setting answers today passes (checked above); chatter is skipped.
    assert "chatter in other" in skipped_kinds
    assert "a question in dm" in answered_kinds
    assert "a mention <@id>" in answered_kinds or settings.startswith("off")
    assert "a reply to the bot" in answered_kinds or settings.startswith("off")
    assert "a question in free-game" in answered_kinds
    if "channels mode" in settings:
        assert {"a question in chosen", "a question in thread of chosen"} <= set(answered_kinds)
        assert {"chatter in thread of other", "chatter in mc-game"} <= set(skipped_kinds)


async def test_a_server_whose_settings_are_not_held_is_read_not_guessed(
    world: World, store: Store
) -> None:
    await apply(world, store, "channels mode, a chosen channel")
    assert store._cache is not None
    store._cache.invalidate(world.guild_id)  # another process changed them
    assert store.settings_if_held(world.guild_id) is None
    assert skip_reasons(world.bot, kinds(world)["chatter in other"]()) is None
    await store.settings_for_message(world.guild_id)  # the listener reads them
    assert skip_reasons(world.bot, kinds(world)["chatter in other"]()) is not None


async def test_the_gate_sits_in_discord_py_parser_table(world: World) -> None:
    """Fails if discord.py changes how the gateway finds its MESSAGE_CREATE parser (then
    bot/message_gate.py must be adapted): the gateway looks events up in
    `client._connection.parsers`, which the gate wraps."""
    state = world.bot._connection
    parser = state.parsers[EVENT]
    assert getattr(parser, "__trivia_message_gate__", False)
    assert "_connection.parsers" in _source(discord.gateway.DiscordWebSocket.from_client)
    install_message_gate(world.bot)  # twice: still one gate
    assert state.parsers[EVENT] is parser
    seen: list[Any] = []
    mention = world.payload("other", f"<@{world.fake.bot_user.id}> hi")
    with dispatching_to(world.bot, seen):
        parser(world.payload("other", "chatter nobody reads"))
        parser(world.payload("chosen", "a message in a chosen channel"))  # mention mode
        assert seen == []
        parser(mention)
    assert [(event, m.id) for event, m in seen] == [("message", int(mention["id"]))]


async def test_whoever_awaits_a_message_or_listens_without_a_screen_gets_every_one(
    world: World,
) -> None:
    chatter = kinds(world)["chatter in other"]
    assert skip_reasons(world.bot, chatter()) is not None
    waiter = asyncio.ensure_future(world.bot.wait_for("message"))
    await asyncio.sleep(0)
    data = chatter()
    assert skip_reasons(world.bot, data) is None  # relies on Client._listeners
    world.bot._connection.parsers[EVENT](data)
    assert (await asyncio.wait_for(waiter, 5)).id == int(data["id"])

    async def listener(message: discord.Message) -> None:
        """A listener that reads every message and says nothing about which."""

    world.bot.add_listener(listener, "on_message")
    assert skip_reasons(world.bot, chatter()) is None
    world.bot.remove_listener(listener, "on_message")
    assert skip_reasons(world.bot, chatter()) is not None


async def test_a_payload_a_screen_cannot_read_is_built_as_before(world: World) -> None:
    data = kinds(world)["chatter in other"]()
    del data["channel_id"]  # discord.py fails on it too, as it always did
    with pytest.raises(KeyError):
        world.bot._connection.parsers[EVENT](data)


def _source(function: Any) -> str:
    import inspect

    return inspect.getsource(function)


async def test_the_sharded_bot_has_the_gate_too(bot: TriviaBot) -> None:
    resources = BotResources(
        knowledge=bot.knowledge, engine=bot.engine, store=bot.store, report_salt=SALT
    )
    async with build_bot(resources, message_content=True, shard_count=2, shard_ids=(1,)) as sharded:
        assert isinstance(sharded, ShardedTriviaBot)
        assert getattr(sharded._connection.parsers[EVENT], "__trivia_message_gate__", False)
