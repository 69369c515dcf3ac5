"""A database that hangs: whatever uses it acknowledges first, then apologises politely.

Discord gives an interaction 3 seconds to be acknowledged. Here the store's database
accepts connections and never answers (`BlackHole`), and the store gives each operation
0.3 s: every command and button that touches the database must already have deferred
when it first connects, and then answer through the followup (or by editing the prompt).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from typing import Any
from unittest.mock import MagicMock

import discord
import pytest
from discord import app_commands
from sqlalchemy import event
from sqlalchemy.ext.asyncio import create_async_engine

from bot.bot import TriviaBot
from bot.discord_ui import quiz_views
from bot.discord_ui.reports import NOT_SAVED, ReportButton, ReportTag
from bot.discord_ui.tree import LOAD_FAILED, SAVE_FAILED, store_apology
from bot.exts.config import MODE_CHOICES, ConfigCog
from bot.exts.knowledge import KnowledgeCog
from bot.exts.trivia._cog import DATABASE_DOWN, QuizCog
from bot.storage import Store
from tests.helpers import (
    ADMIN,
    BOT_ID,
    USER_ID,
    MockInteraction,
    mock_guild,
    mock_member,
    mock_message,
    mock_text_channel,
)

# Long enough that a busy CI machine still reaches the connect attempt within it.
OPERATION_TIMEOUT = 0.3
OTHER_CHANNEL = 987_654_321_987_654_321


class BlackHole:
    """A TCP server on 127.0.0.1 that accepts connections and never says a word.

    Whether the watched interaction was acknowledged is noted when SQLAlchemy starts
    a connection (`note_attempt`, its `do_connect` event), not when the server
    accepts one: the accept may come after the operation has already timed out.
    """

    def __init__(self) -> None:
        self.port = 0
        self.url = ""
        self.watched: MagicMock | None = None
        # For each connection: had the watched interaction been acknowledged by then?
        self.acknowledged: list[bool] = []
        self._server: asyncio.Server | None = None
        self._held: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> BlackHole:
        self._server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        self.url = f"postgresql+asyncpg://trivia:secret@127.0.0.1:{self.port}/trivia"
        return self

    async def __aexit__(self, *exc: object) -> None:
        for writer in self._held:
            writer.transport.abort()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._held.append(writer)

    def note_attempt(self, *args: object) -> None:
        """Note whether the watched interaction is acknowledged as a connection starts."""
        if self.watched is not None:
            self.acknowledged.append(self.watched.response.is_done())

    def watch(self, interaction: MagicMock) -> MagicMock:
        """Note, at each connection from now on, whether `interaction` was acknowledged."""
        self.watched = interaction
        return interaction


@pytest.fixture
async def hole() -> AsyncIterator[BlackHole]:
    """Yield a database server that hangs (see `hang`)."""
    async with BlackHole() as made:
        yield made


@pytest.fixture
async def hang(
    store: Store, hole: BlackHole, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Callable[[], None]]:
    """Yield what makes `store` use `hole` from then on, 0.3 s per operation."""
    engine = create_async_engine(hole.url, connect_args={"timeout": 30})
    # One attempt before the test, so the first real one does not pay for cold imports.
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(0.1):
            await engine.connect()
    event.listen(engine.sync_engine, "do_connect", hole.note_attempt)

    def start() -> None:
        monkeypatch.setattr(store, "_engine", engine)
        monkeypatch.setattr(store, "_operation_timeout", OPERATION_TIMEOUT)

    yield start
    monkeypatch.undo()  # before the store closes: it disposes of its own engine
    await engine.dispose()


@pytest.fixture
def guild() -> MagicMock:
    return mock_guild(me=mock_member(BOT_ID, bot=True))


def interaction_in(bot: TriviaBot, guild: MagicMock, command: Any = None) -> MagicMock:
    """Return an admin's interaction in a channel of `guild` where the bot may play."""
    interaction = MockInteraction.make(
        bot,
        guild=guild,
        channel=mock_text_channel(guild=guild),
        permissions=ADMIN,
        command=command,
    )
    interaction.app_permissions = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True
    )
    return interaction


async def run_like_the_tree(
    bot: TriviaBot,
    cog: Any,
    command: app_commands.Command[Any, ..., Any],
    interaction: MagicMock,
    **options: Any,
) -> None:
    """Call `command` of `cog`, then the tree's `on_error` with what it raised, if anything."""
    try:
        await command.callback(cog, interaction, **options)
    except Exception as exc:
        await bot.tree.on_error(interaction, app_commands.CommandInvokeError(command, exc))


def assert_deferred_first(hole: BlackHole, interaction: MagicMock, *, ephemeral: bool) -> None:
    """Check `interaction` was acknowledged before its first try to reach the database."""
    assert hole.acknowledged, "the database was never asked"
    assert all(hole.acknowledged), "the database was asked before the interaction was deferred"
    interaction.response.defer.assert_awaited_once_with(ephemeral=ephemeral, thinking=True)
    interaction.response.send_message.assert_not_awaited()


def followup(interaction: MagicMock) -> dict[str, Any]:
    """Return the arguments of the one followup of `interaction`."""
    interaction.followup.send.assert_awaited_once()
    return dict(interaction.followup.send.await_args.kwargs)


@pytest.mark.parametrize(
    ("name", "options", "apology"),
    [
        ("show", {}, LOAD_FAILED),
        ("mode", {"mode": MODE_CHOICES[2]}, SAVE_FAILED),
        ("channel_add", {"channel": mock_text_channel(OTHER_CHANNEL)}, SAVE_FAILED),
        ("channel_remove", {"channel": mock_text_channel(OTHER_CHANNEL)}, SAVE_FAILED),
        ("cooldown", {"seconds": 5}, SAVE_FAILED),
        ("reset", {}, SAVE_FAILED),
        ("reports", {}, LOAD_FAILED),
        ("trivia_round_time", {"seconds": 8}, SAVE_FAILED),
        ("trivia_rounds", {"rounds": 3}, SAVE_FAILED),
    ],
)
async def test_config_defers_then_apologises(
    bot: TriviaBot,
    guild: MagicMock,
    hole: BlackHole,
    hang: Callable[[], None],
    name: str,
    options: dict[str, Any],
    apology: str,
) -> None:
    cog = ConfigCog(bot)
    command = getattr(cog, name)
    interaction = hole.watch(interaction_in(bot, guild, command))
    hang()

    await run_like_the_tree(bot, cog, command, interaction, **options)

    assert_deferred_first(hole, interaction, ephemeral=True)
    assert followup(interaction) == {"content": apology, "ephemeral": True}


@pytest.mark.parametrize(
    ("name", "options", "ephemeral"),
    [("leaderboard", {}, False), ("score", {"member": None}, False), ("forget_me", {}, True)],
)
async def test_trivia_scores_defer_then_apologise(
    bot: TriviaBot,
    guild: MagicMock,
    hole: BlackHole,
    hang: Callable[[], None],
    name: str,
    options: dict[str, Any],
    ephemeral: bool,
) -> None:
    cog = QuizCog(bot)
    command = getattr(cog, name)
    interaction = hole.watch(interaction_in(bot, guild, command))
    hang()

    await run_like_the_tree(bot, cog, command, interaction, **options)

    assert_deferred_first(hole, interaction, ephemeral=ephemeral)
    sent = followup(interaction)["content"]
    assert sent == store_apology("load", "trivia scores")


async def test_trivia_start_defers_publicly_then_says_it_cannot_start(
    bot: TriviaBot, guild: MagicMock, hole: BlackHole, hang: Callable[[], None]
) -> None:
    cog = QuizCog(bot)
    interaction = hole.watch(interaction_in(bot, guild, cog.start))
    hang()

    await run_like_the_tree(bot, cog, cog.start, interaction, rounds=None, mode=None)

    assert_deferred_first(hole, interaction, ephemeral=False)
    assert followup(interaction)["content"] == DATABASE_DOWN.format(what="start a game")
    assert cog.games == {} and not cog._starting


async def test_help_defers_then_answers_with_the_last_known_settings(
    bot: TriviaBot, guild: MagicMock, store: Store, hole: BlackHole, hang: Callable[[], None]
) -> None:
    await store.update_guild_settings(guild.id, mode="off")
    cog = KnowledgeCog(bot)
    interaction = hole.watch(interaction_in(bot, guild, cog.help))
    hang()

    await run_like_the_tree(bot, cog, cog.help, interaction)

    assert_deferred_first(hole, interaction, ephemeral=True)
    sent = followup(interaction)
    assert sent["ephemeral"] and "turned off in this server" in str(sent["embed"].to_dict())


async def test_a_confirmation_defers_then_says_nothing_was_deleted(
    bot: TriviaBot, guild: MagicMock, hole: BlackHole, hang: Callable[[], None]
) -> None:
    deleted: list[int] = []

    async def delete_scores() -> str:
        deleted.append(await bot.store.reset_leaderboard(guild.id))
        return "Done"

    view = quiz_views.ConfirmView(USER_ID, delete_scores, confirm_label="Delete")
    click = hole.watch(interaction_in(bot, guild))  # from USER_ID
    hang()

    await view.confirm.callback(click)

    assert hole.acknowledged and all(hole.acknowledged)
    click.response.defer.assert_awaited_once_with()  # the prompt shows it is working on it
    edited = click.edit_original_response.await_args.kwargs
    assert edited == {"content": quiz_views.DATABASE_DOWN, "embed": None, "view": None}
    assert deleted == []


async def test_a_report_click_defers_then_says_it_could_not_save(
    bot: TriviaBot, guild: MagicMock, hole: BlackHole, hang: Callable[[], None]
) -> None:
    answer_embed = discord.Embed(title="who directed it?", description="Lee Jae-kyoo.")
    message = mock_message(
        "",
        author=mock_member(BOT_ID, bot=True),
        channel=mock_text_channel(guild=guild),
        guild=guild,
        embeds=[answer_embed],
    )
    click = hole.watch(MockInteraction.make(bot, guild=guild, message=message))
    button = ReportButton(ReportTag(answered=True, intent="director", confidence=90))
    hang()

    await button.callback(click)

    assert_deferred_first(hole, click, ephemeral=True)
    assert followup(click) == {"content": NOT_SAVED, "ephemeral": True}
