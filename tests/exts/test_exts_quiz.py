"""`/trivia …` and `/config trivia …`: games, permissions, scores, and the restart notice.

The cog runs on a real store (SQLite in a temporary folder) with spec'd interaction mocks;
games run their real tasks with no pause between rounds. A round's deadline is 20 seconds
(the default), so where a test needs a round to end it ends it the way the deadline would:
it marks the round over and wakes the game (see `end_round_now`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator, Callable
from typing import Any
from unittest.mock import AsyncMock, MagicMock, patch

import discord
import pytest
from discord import app_commands

from bot.bot import TriviaBot
from bot.discord_ui import quiz_views
from bot.exts.config import ON_OFF as ON_OFF_CHOICES
from bot.exts.config import ConfigCog
from bot.exts.free_text import FreeTextCog
from bot.exts.trivia._cog import MAX_ROUNDS, MODE_CHOICES, QuizCog
from bot.exts.trivia._games import Game
from bot.quiz import EndReason, Mode, QuizSession
from bot.quiz.hints import shape
from bot.storage import InvalidSettingError, Store
from tests.db_faults import failing_write
from tests.helpers import (
    ADMIN,
    BOT_ID,
    CHANNEL_ID,
    GUILD_ID,
    MEMBER,
    OTHER_CHANNEL_ID,
    USER_ID,
    MockInteraction,
    buttons,
    mock_guild,
    mock_member,
    mock_message,
    mock_text_channel,
    replied,
    sent,
)

MODES = {choice.value: choice for choice in MODE_CHOICES}
ON_OFF = {choice.value: choice for choice in ON_OFF_CHOICES}
BOB, CAROL = USER_ID + 1, USER_ID + 2
QUESTION_ID = 930_000_000_000_000_001


@pytest.fixture
async def cog(bot: TriviaBot) -> AsyncIterator[QuizCog]:
    made = QuizCog(bot, rng=random.Random(7), intermission=0)
    await bot.add_cog(made)
    yield made
    if bot.get_cog(made.qualified_name) is made:
        await bot.remove_cog(made.qualified_name)  # stops the games still running


@pytest.fixture
def guild() -> MagicMock:
    made = mock_guild(me=mock_member(BOT_ID, bot=True))
    made.unavailable = False
    return made


@pytest.fixture
def channel(guild: MagicMock) -> MagicMock:
    made = mock_text_channel(CHANNEL_ID, guild=guild)
    made.send.return_value.id = QUESTION_ID  # every message the bot sends there
    return made


def interaction_in(
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    user_id: int = USER_ID,
    permissions: discord.Permissions = MEMBER,
) -> MagicMock:
    """Return an interaction of `user_id` in `channel`, the bot allowed to play there."""
    user = mock_member(user_id, guild=guild, permissions=permissions)
    interaction = MockInteraction.make(
        bot, guild=guild, channel=channel, user=user, permissions=permissions
    )
    interaction.app_permissions = discord.Permissions(
        view_channel=True, send_messages=True, embed_links=True
    )
    return interaction


async def eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Wait until `check()` is truthy and return it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not (value := check()):
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)
    return value


def sent_embeds(channel: MagicMock) -> list[discord.Embed]:
    """Return the embeds the bot sent in `channel`, in order."""
    return [c.kwargs["embed"] for c in channel.send.await_args_list if "embed" in c.kwargs]


async def start_game(
    cog: QuizCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    *,
    mode: str = "choice",
    rounds: int | None = 3,
    user_id: int = USER_ID,
) -> Game:
    """Start a game in `channel` as `user_id` and wait for its first question."""
    interaction = interaction_in(bot, guild, channel, user_id)
    await cog.start.callback(cog, interaction, rounds=rounds, mode=MODES[mode])
    reply = sent(interaction)
    assert not reply.ephemeral and reply.embed is not None
    game = cog.games[channel.id]
    await eventually(lambda: game.round_number == 1 and channel.send.await_count >= 1)
    return game


def end_round_now(game: Game) -> None:
    """End the open round as its deadline would."""
    game.round_over = True
    game.wake.set()


async def click(
    cog: QuizCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    game: Game,
    user_id: int,
    index: int,
    *,
    game_id: str | None = None,
) -> str:
    """Click choice `index` of the open round as `user_id`; return the private reply."""
    interaction = interaction_in(bot, guild, channel, user_id)
    await cog.answer_choice(interaction, game_id or game.id, game.round_number, index)
    reply = sent(interaction)
    assert reply.ephemeral
    return reply.content or ""


def right_index(game: Game) -> int:
    current = game.session.current
    assert current is not None and current.question.answer_index is not None
    return current.question.answer_index


def free_answer(
    guild: MagicMock, channel: MagicMock, user_id: int, content: str, **kwargs: Any
) -> MagicMock:
    return mock_message(
        content, author=mock_member(user_id, guild=guild), channel=channel, guild=guild, **kwargs
    )


# -- starting and stopping --------------------------------------------------------------


async def test_start_announces_the_game_and_asks_the_first_question(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, rounds=3)

    (saved,) = await store.running_quiz_games()
    assert (saved.guild_id, saved.channel_id, saved.started_by) == (GUILD_ID, CHANNEL_ID, USER_ID)
    question = channel.send.await_args.kwargs
    assert question["embed"].title == "Question 1/3"
    answers, below = question["view"].to_components()  # the answers stay the first row
    assert [b["label"][:2] for b in answers["components"]] == ["A.", "B.", "C.", "D."]
    assert [b["label"] for b in below["components"]] == ["Skip · 0/1"]
    assert game.session.mode is Mode.CHOICE


async def test_a_second_start_in_the_channel_is_refused(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    game = await start_game(cog, bot, guild, channel)
    again = interaction_in(bot, guild, channel, BOB)

    await cog.start.callback(cog, again, rounds=None, mode=None)

    reply = sent(again)
    assert reply.ephemeral
    assert "already running" in (reply.content or "") and f"<@{USER_ID}>" in (reply.content or "")
    assert cog.games[CHANNEL_ID] is game


async def test_games_in_two_channels_run_side_by_side(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    other = mock_text_channel(OTHER_CHANNEL_ID, guild=guild)

    first = await start_game(cog, bot, guild, channel)
    second = await start_game(cog, bot, guild, other, mode="free", user_id=BOB)

    assert cog.games == {CHANNEL_ID: first, OTHER_CHANNEL_ID: second}


async def test_start_refuses_where_the_bot_cannot_post(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)
    interaction.app_permissions = discord.Permissions(view_channel=True, send_messages=True)

    await cog.start.callback(cog, interaction, rounds=None, mode=None)

    assert "Embed Links" in (sent(interaction).content or "")
    assert cog.games == {}


async def test_start_uses_the_servers_settings(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    await store.update_guild_settings(GUILD_ID, trivia_rounds=2, trivia_round_seconds=45)

    game = await start_game(cog, bot, guild, channel, rounds=None)

    current = game.session.current
    assert current is not None
    assert game.session.total_rounds == 2
    # The deadline is a clock reading plus 45 s: float arithmetic, not an exact 45.
    assert current.deadline - current.started_at == pytest.approx(45)


async def test_stop_is_refused_to_other_members(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    game = await start_game(cog, bot, guild, channel)
    other = interaction_in(bot, guild, channel, BOB)

    await cog.stop.callback(cog, other)

    reply = sent(other)
    assert reply.ephemeral and "Manage Server" in (reply.content or "")
    assert game.stopped_by is None and not game.session.finished


@pytest.mark.parametrize(
    ("user_id", "permissions"), [(USER_ID, MEMBER), (BOB, ADMIN)], ids=["starter", "admin"]
)
async def test_the_starter_or_an_admin_stops_the_game(
    cog: QuizCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    store: Store,
    user_id: int,
    permissions: discord.Permissions,
) -> None:
    game = await start_game(cog, bot, guild, channel)
    await click(cog, bot, guild, channel, game, CAROL, right_index(game))
    stopper = interaction_in(bot, guild, channel, user_id, permissions)

    await cog.stop.callback(cog, stopper)
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    assert sent(stopper).ephemeral
    reveal, summary = sent_embeds(channel)[-2:]
    assert (reveal.title or "").startswith("Answer to question 1/3")
    assert summary.title == "🏆 Trivia stopped"
    assert f"Stopped by <@{user_id}> after 1 of 3" in (summary.description or "")
    # The open round's right answer counts, and the game is no longer saved.
    score = await store.score(GUILD_ID, CAROL)
    assert score is not None and score.correct == 1 and score.points > 100
    assert await store.running_quiz_games() == []
    assert cog.games == {}


async def test_a_stop_on_the_last_question_is_a_stop(
    cog: QuizCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.exts.trivia")
    game = await start_game(cog, bot, guild, channel, rounds=1)
    await click(cog, bot, guild, channel, game, BOB, right_index(game))

    await cog.stop.callback(cog, interaction_in(bot, guild, channel))
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    summary = sent_embeds(channel)[-1]
    assert summary.title == "🏆 Trivia stopped"
    assert f"Stopped by <@{USER_ID}> after 1 of 1 question." in (summary.description or "")
    assert game.session.end_reason is EndReason.STOPPED
    assert "over (stopped)" in caplog.text


@pytest.mark.parametrize("rounds", [0, MAX_ROUNDS + 1, 31])
async def test_start_refuses_a_number_of_questions_out_of_range(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store, rounds: int
) -> None:
    # Discord enforces the declared range, but a client with stale commands may not.
    interaction = interaction_in(bot, guild, channel)

    await cog.start.callback(cog, interaction, rounds=rounds, mode=MODES["choice"])

    reply = sent(interaction)
    assert reply.ephemeral and f"1 to {MAX_ROUNDS} questions" in (reply.content or "")
    assert cog.games == {} and await store.running_quiz_games() == []


# -- categories and fresh questions ------------------------------------------------------


async def play_out(cog: QuizCog, game: Game) -> list[str]:
    """End every round of `game` at once; return the keys of its questions."""
    keys = []
    while not game.session.finished:
        await eventually(lambda: game.round_number > 0 or game.session.finished)
        current = game.session.current
        if current is not None:
            keys.append(current.question.key)
            end_round_now(game)
            await eventually(lambda n=current.number: game.round_number != n)  # type: ignore[misc]
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)
    return keys


async def test_a_category_game_asks_only_that_category(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)

    await cog.start.callback(cog, interaction, rounds=5, mode=MODES["choice"], category="people")

    announced = sent(interaction).embed
    assert announced is not None
    assert "People only" in (announced.description or "")
    assert "I only have 2 questions in that category" in (announced.description or "")
    game = cog.games[CHANNEL_ID]
    keys = await play_out(cog, game)
    assert sorted(keys) == ["aouad_director", "webtoon_author"]


@pytest.mark.parametrize("category", ["nonsense", "other", "@everyone"])
async def test_an_unknown_category_is_refused_without_showing_it_back(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, category: str
) -> None:
    interaction = interaction_in(bot, guild, channel)

    await cog.start.callback(cog, interaction, rounds=1, mode=None, category=category)

    reply = sent(interaction)
    assert reply.ephemeral and "no questions in that category" in (reply.content or "")
    assert category not in (reply.content or "") and cog.games == {}


async def test_categories_lists_each_with_its_questions(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)

    await cog.categories.callback(cog, interaction)

    listed = sent(interaction).embed
    assert listed is not None
    assert "**People** (`people`): 2 questions" in (listed.description or "")
    suggested = await cog._category_suggestions(interaction, "peo")
    assert [(c.name, c.value) for c in suggested] == [("People (2 questions)", "people")]


async def test_a_channel_gets_no_repeat_until_the_pool_is_used_up(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    # Three one-question games in a two-question category, in one channel.
    played = []
    notes = []
    for _ in range(3):
        interaction = interaction_in(bot, guild, channel)
        await cog.start.callback(cog, interaction, rounds=1, mode=None, category="people")
        notes.append(sent(interaction).embed.description or "")  # type: ignore[union-attr]
        played += await play_out(cog, cog.games[CHANNEL_ID])

    assert played[0] != played[1]  # the second game gets the other question
    assert "1 fresh question left here" in notes[0]
    assert "the last People questions this channel hasn't had" in notes[1]
    # The pool was used up: the third game starts it over, and says how many are left.
    assert "1 fresh question left here" in notes[2]
    asked = {(a.channel_id, a.question_key) for a in await store.asked_questions(GUILD_ID)}
    assert asked == {(CHANNEL_ID, played[2])}


async def test_another_channel_prefers_what_the_server_had_longest_ago(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    other = mock_text_channel(OTHER_CHANNEL_ID, guild=guild)
    other.send.return_value.id = QUESTION_ID + 1
    played = []
    for where in (channel, other):
        interaction = interaction_in(bot, guild, where)
        await cog.start.callback(cog, interaction, rounds=1, mode=None, category="people")
        played += await play_out(cog, cog.games[where.id])

    assert played[0] != played[1]  # fresh in the new channel, and not what the server had
    assert {a.channel_id for a in await store.asked_questions(GUILD_ID)} == {
        CHANNEL_ID,
        OTHER_CHANNEL_ID,
    }


async def test_stop_without_a_game(cog: QuizCog, bot: TriviaBot, guild: MagicMock) -> None:
    interaction = interaction_in(bot, guild, mock_text_channel(guild=guild))

    await cog.stop.callback(cog, interaction)

    assert "No trivia game" in (sent(interaction).content or "")


# -- multiple choice --------------------------------------------------------------------


async def test_multiple_choice_takes_one_answer_each_and_ends_early_once_all_answered(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, rounds=2)
    right = right_index(game)
    wrong = (right + 1) % 4

    assert "Locked in" in await click(cog, bot, guild, channel, game, USER_ID, right)
    assert "already answered" in await click(cog, bot, guild, channel, game, USER_ID, wrong)
    assert "Locked in" in await click(cog, bot, guild, channel, game, BOB, wrong)
    assert "over" in await click(cog, bot, guild, channel, game, BOB, right, game_id="0" * 8)
    end_round_now(game)  # round 1 runs to its deadline: nobody had joined yet
    await eventually(lambda: game.round_number == 2)

    # The first question's buttons are closed, the right one green.
    question = channel.send.return_value  # every message the mock sends
    closed = buttons(question.edit.await_args_list[0].kwargs["view"])
    assert all(b.disabled for b in closed)
    assert [b.style for b in closed].count(discord.ButtonStyle.success) == 1
    assert closed[right].style is discord.ButtonStyle.success
    reveal = sent_embeds(channel)[-2]
    fields = {f.name: f.value or "" for f in reveal.fields}
    assert f"<@{USER_ID}>" in fields["Right"] and "1 wrong answer" in fields["Wrong"]
    assert fields["From the article"].startswith("> ")

    # Both players of round 1 answer round 2: it ends without waiting for the deadline.
    await click(cog, bot, guild, channel, game, BOB, right_index(game))
    await click(cog, bot, guild, channel, game, USER_ID, right_index(game))
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    summary = sent_embeds(channel)[-1]
    assert summary.title == "🏆 Trivia results"
    fields = {f.name: f.value or "" for f in summary.fields}
    assert fields["Standings"].startswith(f"🥇 <@{USER_ID}>")
    assert f"<@{USER_ID}> 🔥 2 in a row" in fields["Best streak"]
    assert "Fastest answer" in fields
    alice, bob = await store.score(GUILD_ID, USER_ID), await store.score(GUILD_ID, BOB)
    assert alice is not None and (alice.correct, alice.best_streak) == (2, 2)
    assert bob is not None and (bob.correct, bob.best_streak) == (1, 1)
    assert await store.running_quiz_games() == []


async def vote_skip(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, game: Game, user_id: int
) -> MagicMock:
    """Click Skip on the open round as `user_id`; return the interaction."""
    interaction = interaction_in(bot, guild, channel, user_id)
    await cog.skip_choice(interaction, game.id, game.round_number)
    return interaction


async def test_a_skip_vote_of_the_majority_ends_the_question_unscored(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, rounds=2)
    await click(cog, bot, guild, channel, game, USER_ID, right_index(game))
    await click(cog, bot, guild, channel, game, BOB, right_index(game))
    end_round_now(game)
    await eventually(lambda: game.round_number == 2)
    before = await store.score(GUILD_ID, USER_ID)
    await click(cog, bot, guild, channel, game, CAROL, right_index(game))  # joins: 3 players

    first = await vote_skip(cog, bot, guild, channel, game, BOB)
    again = await vote_skip(cog, bot, guild, channel, game, BOB)

    # One vote of three players: the button shows it, the question goes on.
    edited = first.response.edit_message.await_args.kwargs
    (skip,) = [b for b in buttons(edited["view"]) if (b.label or "").startswith("Skip")]
    assert skip.label == "Skip · 1/2" and game.round_number == 2
    assert "already voted" in (sent(again).content or "")

    done = await vote_skip(cog, bot, guild, channel, game, USER_ID)
    assert "Skipped" in (sent(done).content or "")
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)
    reveal = {f.name: f.value or "" for f in sent_embeds(channel)[-2].fields}
    assert "Skipped by a vote" in reveal["Right"]
    assert await store.score(GUILD_ID, USER_ID) == before  # nobody scored
    assert await store.score(GUILD_ID, CAROL) is None
    assert game.session.end_reason is EndReason.COMPLETED


async def test_typing_skip_votes_in_a_free_answer_game(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, mode="free", rounds=1)
    await cog.on_message(free_answer(guild, channel, BOB, "no idea"))

    await cog.on_message(free_answer(guild, channel, USER_ID, "Skip"))

    question = channel.send.return_value
    shown = question.edit.await_args.kwargs["embed"]
    assert "(1/2 so far)" in {f.name: f.value for f in shown.fields}["Skip"]
    assert game.round_number == 1 and not game.skipping
    await cog.on_message(free_answer(guild, channel, BOB, "skip"))
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)
    reveal = {f.name: f.value or "" for f in sent_embeds(channel)[-2].fields}
    assert "Skipped by a vote" in reveal["Right"]
    assert await store.score(GUILD_ID, BOB) is None


def hint_shown(channel: MagicMock) -> discord.Embed | None:
    """Return the question as edited with its hint, once it is."""
    for call in channel.send.return_value.edit.await_args_list:
        embed = call.kwargs.get("embed")
        if embed is not None and any(f.name == "💡 Hint" for f in embed.fields):
            return embed  # type: ignore[no-any-return]
    return None


@pytest.mark.parametrize("mode", ["free", "choice"])
async def test_a_hint_at_half_time_and_a_right_answer_after_it_scores_half(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store, mode: str
) -> None:
    await store.update_guild_settings(GUILD_ID, trivia_round_seconds=5)
    game = await start_game(cog, bot, guild, channel, mode=mode, rounds=1)
    assert game.hints  # the default
    current = game.session.current
    assert current is not None

    hinted = await eventually(lambda: hint_shown(channel))

    hint = {f.name: f.value or "" for f in hinted.fields}["💡 Hint"]
    assert "now scores half" in hint
    if mode == "free":
        assert f"`{shape(current.question.answer)}`" in hint or "A number" in hint
        await cog.on_message(free_answer(guild, channel, USER_ID, current.question.answer))
    else:
        view = channel.send.return_value.edit.await_args.kwargs["view"]
        (out,) = [i for i, b in enumerate(buttons(view)[:4]) if b.disabled]
        assert out != right_index(game) and f"**{'ABCD'[out]}** is wrong" in hint
        assert "ruled that choice out" in await click(cog, bot, guild, channel, game, BOB, out)
        await click(cog, bot, guild, channel, game, USER_ID, right_index(game))
        end_round_now(game)
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    score = await store.score(GUILD_ID, USER_ID)
    assert score is not None and score.correct == 1 and 50 <= score.points <= 75
    reveal = {f.name: f.value or "" for f in sent_embeds(channel)[-2].fields}
    assert "💡 after the hint" in reveal["Right"] and "scored half" in reveal["💡 Hint"]
    assert await store.score(GUILD_ID, BOB) is None  # the ruled-out click did not count


async def test_config_trivia_hints_persist_and_are_shown(
    config: ConfigCog,
    cog: QuizCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    store: Store,
) -> None:
    off = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.trivia_hints.callback(config, off, state=ON_OFF["off"])
    assert not (await store.get_guild_settings(GUILD_ID)).trivia_hints
    shown = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.show.callback(config, shown)
    fields = {f["name"]: f["value"] for f in sent(shown).embed.to_dict()["fields"]}  # type: ignore[union-attr]
    assert fields["Trivia hints"] == "off"

    interaction = interaction_in(bot, guild, channel)
    await cog.start.callback(cog, interaction, rounds=1, mode=MODES["free"])
    how = {f.name: f.value or "" for f in sent(interaction).embed.fields}  # type: ignore[union-attr]
    assert "💡" not in how["How to play"] and not cog.games[CHANNEL_ID].hints

    on = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.trivia_hints.callback(config, on, state=ON_OFF["on"])
    assert (await store.get_guild_settings(GUILD_ID)).trivia_hints


def quiz_questions(bot: TriviaBot) -> tuple[float | None, float | None]:
    """Return the quiz questions counted in the metrics: (answered, declined)."""
    registry = bot.metrics.registry

    def count(outcome: str) -> float | None:
        labels = {"source": "quiz", "outcome": outcome}
        return registry.get_sample_value("trivia_questions_total", labels)

    return count("answered"), count("declined")


async def test_each_round_counts_as_one_quiz_question_answered_if_anyone_got_it(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    game = await start_game(cog, bot, guild, channel, rounds=2)
    right = right_index(game)
    # Round 1: one player right, one wrong: one question, answered.
    await click(cog, bot, guild, channel, game, USER_ID, right)
    await click(cog, bot, guild, channel, game, BOB, (right + 1) % 4)
    assert quiz_questions(bot) == (0, 0)  # counted when the round ends, not per click
    end_round_now(game)
    await eventually(lambda: game.round_number == 2)
    assert quiz_questions(bot) == (1, 0)

    # Round 2: both wrong: one question, declined (nobody had the answer).
    wrong = (right_index(game) + 1) % 4
    await click(cog, bot, guild, channel, game, USER_ID, wrong)
    await click(cog, bot, guild, channel, game, BOB, wrong)
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    assert quiz_questions(bot) == (1, 1)


async def test_a_round_the_database_cannot_save_is_not_saved_at_all_and_says_so(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, rounds=2)
    await click(cog, bot, guild, channel, game, USER_ID, right_index(game))
    await click(cog, bot, guild, channel, game, BOB, (right_index(game) + 1) % 4)

    # The game's row fails after both players' points were written in the transaction.
    with failing_write("quiz_games") as fault:
        end_round_now(game)
        await eventually(lambda: game.round_number == 2)
    assert fault.failed

    not_saved = {f.name: f.value or "" for f in sent_embeds(channel)[-2].fields}
    assert "not on the leaderboard" in not_saved["⚠️ Not saved"]
    assert await store.score(GUILD_ID, USER_ID) is None  # the reveal told the truth
    assert await store.score(GUILD_ID, BOB) is None

    # Round 2 saves: its reveal says nothing of the kind, and its points are there.
    await click(cog, bot, guild, channel, game, USER_ID, right_index(game))
    await click(cog, bot, guild, channel, game, BOB, right_index(game))
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)
    saved = sent_embeds(channel)[-2]
    assert saved.title == "Answer to question 2/2"
    assert "⚠️ Not saved" not in {f.name for f in saved.fields}
    alice = await store.score(GUILD_ID, USER_ID)
    assert alice is not None and alice.correct == 1
    assert await store.running_quiz_games() == []
    # The standings count what was saved (round 2 only), and say that round 1 is missing.
    summary = {f.name: f.value or "" for f in sent_embeds(channel)[-1].fields}
    assert summary["Standings"].startswith(f"🥇 <@{USER_ID}> {alice.points} pts · 1/1 right")
    assert "(1) are missing" in summary["⚠️ Not saved"]


async def test_a_click_between_rounds_is_closed(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    game = await start_game(cog, bot, guild, channel)
    interaction = interaction_in(bot, guild, channel, BOB)

    await cog.answer_choice(interaction, game.id, game.round_number + 1, 0)

    assert sent(interaction).content == quiz_views.CLOSED


async def test_quiet_rounds_end_the_game(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, rounds=5)

    end_round_now(game)
    await eventually(lambda: game.round_number == 2)
    end_round_now(game)
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    assert game.session.end_reason is EndReason.INACTIVE
    assert "Nobody answered" in (sent_embeds(channel)[-1].description or "")
    assert await store.running_quiz_games() == []


# -- free answer ------------------------------------------------------------------------


async def test_free_answer_first_right_answer_takes_the_round(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, mode="free", rounds=2)

    for number in (1, 2):
        await eventually(lambda n=number: game.round_number == n)  # type: ignore[misc]
        current = game.session.current
        assert current is not None
        await cog.on_message(free_answer(guild, channel, BOB, "no idea"))
        await cog.on_message(free_answer(guild, channel, USER_ID, current.question.answer))
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    score = await store.score(GUILD_ID, USER_ID)
    assert score is not None and (score.correct, score.best_streak) == (2, 2)
    bob = await store.score(GUILD_ID, BOB)
    assert bob is not None and bob.points == 0
    assert sent_embeds(channel)[-1].title == "🏆 Trivia results"


async def test_free_answer_messages_are_not_questions_for_free_text(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    free_text = FreeTextCog(bot)
    await bot.add_cog(free_text)
    await start_game(cog, bot, guild, channel, mode="free")
    message = free_answer(guild, channel, BOB, f"<@{BOT_ID}> who directed it?", mentions=[BOT_ID])

    await free_text.on_message(message)

    assert replied(message) is None
    assert cog.claims_message(message)


async def test_multiple_choice_games_leave_messages_to_free_text(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    await start_game(cog, bot, guild, channel, mode="choice")

    assert not cog.claims_message(free_answer(guild, channel, BOB, "hello"))


@pytest.mark.parametrize("message_content", [False])
async def test_without_the_content_intent_free_answers_mention_the_bot(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)
    await cog.start.callback(cog, interaction, rounds=1, mode=MODES["free"])
    how = {f.name: f.value or "" for f in sent(interaction).embed.fields}  # type: ignore[union-attr]
    assert "Mention me with your answer" in how["How to play"]
    game = cog.games[CHANNEL_ID]
    await eventually(lambda: game.round_number == 1)
    current = game.session.current
    assert current is not None

    # Discord sends no text without a mention; with one, the mention is not the answer.
    await cog.on_message(free_answer(guild, channel, BOB, ""))
    await cog.on_message(
        free_answer(guild, channel, USER_ID, f"<@{BOT_ID}> {current.question.answer}")
    )
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    assert f"<@{USER_ID}>" in sent_embeds(channel)[-2].fields[1].value  # type: ignore[operator]


async def test_the_game_ends_when_the_channel_refuses_messages(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    channel.send.side_effect = discord.Forbidden(MagicMock(status=403), "Missing Permissions")
    interaction = interaction_in(bot, guild, channel)

    await cog.start.callback(cog, interaction, rounds=3, mode=MODES["choice"])
    game = cog.games[CHANNEL_ID]
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    assert cog.games == {}
    assert await store.running_quiz_games() == []


# -- after a restart --------------------------------------------------------------------


def saved_session(cog: QuizCog, user_id: int) -> QuizSession:
    """Return a game whose first round `user_id` won, as saved after that round."""
    session = QuizSession.new(cog.questions, rounds=3, mode=Mode.FREE, round_seconds=20, seed=1)
    shown = session.start_round(100.0)
    session.submit(user_id, shown.question.answer, 101.0)
    session.end_round()
    return session


async def test_an_interrupted_game_is_announced_once(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    session = saved_session(cog, BOB)
    await store.save_quiz_game(GUILD_ID, CHANNEL_ID, USER_ID, session.to_dict())
    guild.get_channel_or_thread.return_value = channel

    with patch.object(bot, "get_guild", return_value=guild):
        await cog.on_ready()
        await cog.on_ready()  # a later reconnect finds nothing left to announce

    channel.send.assert_awaited_once()
    embed = channel.send.await_args.kwargs["embed"]
    assert embed.title == "⚠️ Trivia game interrupted"
    assert "after 1 of 3" in (embed.description or "")
    assert f"<@{BOB}>" in {f.name: f.value for f in embed.fields}["Standings"]  # type: ignore[operator]
    assert await store.running_quiz_games() == []


async def restart(bot: TriviaBot, cog: QuizCog, guild: MagicMock, channel: MagicMock) -> QuizCog:
    """Unload `cog` as a stopping bot does and load a new one that sees the saved games."""
    await bot.remove_cog(cog.qualified_name)
    # discord.py removes a group cog's command by the cog's name, not the group's.
    bot.tree.remove_command("trivia")
    fresh = QuizCog(bot, rng=random.Random(8), intermission=0)
    await bot.add_cog(fresh)
    guild.get_channel_or_thread.return_value = channel
    with patch.object(bot, "get_guild", return_value=guild):
        await fresh.on_ready()
    return fresh


async def test_a_restart_turns_off_the_interrupted_questions_buttons(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel)
    for _ in range(100):  # the game saves which message asks, once it is sent
        (saved,) = await store.running_quiz_games()
        if saved.question_message_id is not None:
            break
        await asyncio.sleep(0.01)
    assert (saved.game_id, saved.question_message_id) == (game.id, QUESTION_ID)
    question = MagicMock()
    question.edit = AsyncMock()
    channel.get_partial_message.return_value = question

    fresh = await restart(bot, cog, guild, channel)

    channel.get_partial_message.assert_called_once_with(QUESTION_ID)
    closed = buttons(question.edit.await_args.kwargs["view"])
    assert len(closed) == 4 and all(b.disabled for b in closed)
    assert all(b.style is discord.ButtonStyle.secondary for b in closed)  # not revealed
    assert all(f":{game.id}:1:" in (b.custom_id or "") for b in closed)
    assert sent_embeds(channel)[-1].title == "⚠️ Trivia game interrupted"
    assert fresh.games == {}


async def test_a_forgotten_player_is_not_in_the_interrupted_games_notice(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel, mode="free")
    current = game.session.current
    assert current is not None
    await cog.on_message(free_answer(guild, channel, BOB, current.question.answer))
    await eventually(lambda: game.round_number == 2)
    await cog.on_message(free_answer(guild, channel, USER_ID, "no idea"))
    (saved,) = await store.running_quiz_games()
    assert str(BOB) in saved.state["players"]  # round 1 was saved with Bob's points

    asking = interaction_in(bot, guild, channel, BOB)
    await cog.forget_me.callback(cog, asking)
    view = sent(asking).view
    assert isinstance(view, quiz_views.ConfirmView)
    await view.confirm.callback(interaction_in(bot, guild, channel, BOB))
    # Saved at once: a crash before the next round is saved keeps nothing of Bob's.
    (saved,) = await store.running_quiz_games()
    assert str(BOB) not in saved.state["players"]
    await restart(bot, cog, guild, channel)

    notice = sent_embeds(channel)[-1]
    assert notice.title == "⚠️ Trivia game interrupted"
    assert f"<@{BOB}>" not in str(notice.to_dict())
    assert await store.score(GUILD_ID, BOB) is None


async def test_another_shards_games_are_left_alone(
    cog: QuizCog, bot: TriviaBot, store: Store
) -> None:
    await store.save_quiz_game(GUILD_ID, CHANNEL_ID, USER_ID, saved_session(cog, BOB).to_dict())

    with patch.object(bot, "get_guild", return_value=None):
        await cog.on_ready()

    assert len(await store.running_quiz_games()) == 1


async def test_a_live_game_is_not_announced_on_reconnect(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    await start_game(cog, bot, guild, channel)
    sends = channel.send.await_count

    with patch.object(bot, "get_guild", return_value=guild):
        await cog.on_ready()

    assert channel.send.await_count == sends
    assert len(await store.running_quiz_games()) == 1


async def test_unloading_keeps_the_game_saved_for_the_notice(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    game = await start_game(cog, bot, guild, channel)

    await bot.remove_cog(cog.qualified_name)

    assert game.task is not None and game.task.cancelled()
    assert len(await store.running_quiz_games()) == 1


# -- scores -----------------------------------------------------------------------------


async def test_leaderboard_lists_the_top_and_where_you_are(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    for number in range(12):
        await store.add_score(GUILD_ID, 5000 + number, points=1000 - number, correct=3, streak=2)
    await store.add_score(GUILD_ID, USER_ID, points=10, correct=1, streak=1, answer_ms=2500)
    await store.add_score(12345, BOB, points=99999, correct=9, streak=9)
    interaction = interaction_in(bot, guild, channel)

    await cog.leaderboard.callback(cog, interaction)

    reply = sent(interaction)
    assert not reply.ephemeral and reply.embed is not None
    lines = (reply.embed.description or "").splitlines()
    assert len(lines) == 10
    assert lines[0].startswith("🥇 <@5000> 1,000 pts")
    assert f"<@{BOB}>" not in (reply.embed.description or "")
    you = {f.name: f.value or "" for f in reply.embed.fields}["You"]
    assert you.startswith("**#13** 10 pts") and "2.50 s" in you


async def test_leaderboard_when_nobody_scored(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)

    await cog.leaderboard.callback(cog, interaction)

    assert "Nobody has scored" in (sent(interaction).embed.description or "")  # type: ignore[union-attr]


async def test_score_of_a_member(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    await store.add_score(GUILD_ID, BOB, points=300, correct=2, streak=2, answer_ms=1234)
    await store.add_score(GUILD_ID, USER_ID, points=100, correct=1, streak=1)
    mine, theirs = interaction_in(bot, guild, channel), interaction_in(bot, guild, channel)

    await cog.score.callback(cog, theirs, member=mock_member(BOB, guild=guild))
    await cog.score.callback(cog, mine, member=None)

    bob = sent(theirs).embed
    assert bob is not None and f"<@{BOB}> is **#1**" in (bob.description or "")
    fields = {f.name: f.value for f in bob.fields}
    assert (fields["Points"], fields["Fastest right answer"]) == ("300", "1.23 s")
    assert "**#2**" in (sent(mine).embed.description or "")  # type: ignore[union-attr]


async def test_score_of_someone_who_never_played(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)

    await cog.score.callback(cog, interaction, member=mock_member(BOB, guild=guild))

    assert "hasn't played" in (sent(interaction).embed.description or "")  # type: ignore[union-attr]


async def test_forget_me_with_nothing_to_forget(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock
) -> None:
    interaction = interaction_in(bot, guild, channel)

    await cog.forget_me.callback(cog, interaction)

    reply = sent(interaction)
    assert reply.ephemeral and "nothing to forget" in (reply.content or "")


async def test_forget_me_deletes_after_confirmation(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    await store.add_score(GUILD_ID, USER_ID, points=150, correct=1, streak=1)
    await store.add_score(GUILD_ID, BOB, points=150, correct=1, streak=1)
    await store.add_score(12345, USER_ID, points=150, correct=1, streak=1)
    interaction = interaction_in(bot, guild, channel)

    await cog.forget_me.callback(cog, interaction)

    reply = sent(interaction)
    assert reply.ephemeral and "150 pts" in (reply.content or "")
    view = reply.view
    assert isinstance(view, quiz_views.ConfirmView)
    confirm = interaction_in(bot, guild, channel)
    await view.confirm.callback(confirm)
    confirm.response.defer.assert_awaited_once()  # before the database
    edited = confirm.edit_original_response.await_args.kwargs
    assert "deleted" in edited["content"] and edited["view"] is None
    assert await store.score(GUILD_ID, USER_ID) is None
    assert await store.score(GUILD_ID, BOB) is not None
    assert await store.score(12345, USER_ID) is not None


async def test_forget_me_cancel_and_timeout_delete_nothing(
    cog: QuizCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    await store.add_score(GUILD_ID, USER_ID, points=150, correct=1, streak=1)
    first, second = interaction_in(bot, guild, channel), interaction_in(bot, guild, channel)
    await cog.forget_me.callback(cog, first)
    await cog.forget_me.callback(cog, second)
    cancelled, timed_out = sent(first).view, sent(second).view
    assert isinstance(cancelled, quiz_views.ConfirmView)
    assert isinstance(timed_out, quiz_views.ConfirmView)

    cancel = interaction_in(bot, guild, channel)
    await cancelled.cancel.callback(cancel)
    await timed_out.on_timeout()

    assert "nothing was deleted" in cancel.response.edit_message.await_args.kwargs["content"]
    second.edit_original_response.assert_awaited_once()
    assert await store.score(GUILD_ID, USER_ID) is not None


# -- /config trivia ---------------------------------------------------------------------


@pytest.fixture
async def config(bot: TriviaBot) -> ConfigCog:
    made = ConfigCog(bot)
    await bot.add_cog(made)
    return made


async def test_config_trivia_round_time_and_rounds_persist(
    config: ConfigCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    seconds = interaction_in(bot, guild, channel, permissions=ADMIN)
    rounds = interaction_in(bot, guild, channel, permissions=ADMIN)

    await config.trivia_round_time.callback(config, seconds, seconds=8)
    await config.trivia_rounds.callback(config, rounds, rounds=12)

    settings = await store.get_guild_settings(GUILD_ID)
    assert (settings.trivia_round_seconds, settings.trivia_rounds) == (8, 12)
    assert sent(seconds).ephemeral and "8 seconds" in (sent(seconds).content or "")
    assert "12 questions" in (sent(rounds).content or "")


async def test_config_trivia_spoilers_persist_and_hide_the_answer(
    config: ConfigCog,
    cog: QuizCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    store: Store,
) -> None:
    on = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.trivia_spoilers.callback(config, on, state=ON_OFF["on"])
    assert (await store.get_guild_settings(GUILD_ID)).trivia_spoilers
    assert "spoiler" in (sent(on).content or "")
    shown = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.show.callback(config, shown)
    assert "on: reveals hide the answer" in str(sent(shown).embed.to_dict())  # type: ignore[union-attr]

    game = await start_game(cog, bot, guild, channel, rounds=1)
    current = game.session.current
    assert current is not None
    await click(cog, bot, guild, channel, game, BOB, right_index(game))
    end_round_now(game)
    assert game.task is not None
    await asyncio.wait_for(game.task, 5)

    reveal = sent_embeds(channel)[-2]
    assert f"✅ **||{current.question.answer}||**" in (reveal.description or "")
    closed = buttons(channel.send.return_value.edit.await_args.kwargs["view"])
    assert all(b.style is discord.ButtonStyle.secondary for b in closed)

    off = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.trivia_spoilers.callback(config, off, state=ON_OFF["off"])
    assert not (await store.get_guild_settings(GUILD_ID)).trivia_spoilers


def test_config_trivia_options_have_the_settings_bounds(config: ConfigCog) -> None:
    (seconds,) = config.trivia_round_time.parameters
    (rounds,) = config.trivia_rounds.parameters

    assert (seconds.min_value, seconds.max_value) == (5, 120)
    assert (rounds.min_value, rounds.max_value) == (1, 20)


@pytest.mark.parametrize(
    ("command", "option", "value"),
    [
        ("trivia_round_time", "seconds", 4),
        ("trivia_round_time", "seconds", 121),
        ("trivia_rounds", "rounds", 0),
        ("trivia_rounds", "rounds", 21),
    ],
)
async def test_config_trivia_rejects_values_out_of_range(
    config: ConfigCog,
    bot: TriviaBot,
    guild: MagicMock,
    channel: MagicMock,
    store: Store,
    command: str,
    option: str,
    value: int,
) -> None:
    callback = getattr(config, command).callback
    interaction = interaction_in(bot, guild, channel, permissions=ADMIN)

    with pytest.raises(InvalidSettingError):
        await callback(config, interaction, **{option: value})

    assert await store.get_guild_settings(GUILD_ID) == await store.get_guild_settings(1)


@pytest.mark.parametrize("name", ["trivia_round_time", "trivia_rounds", "trivia_reset_leaderboard"])
async def test_config_trivia_refuses_non_admins(
    config: ConfigCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, name: str
) -> None:
    command = getattr(config, name)
    interaction = interaction_in(bot, guild, channel, permissions=MEMBER)

    with pytest.raises(app_commands.MissingPermissions):
        for check in command.checks:
            result = check(interaction)
            if not isinstance(result, bool):
                await result


async def test_reset_leaderboard_needs_the_asking_admin_to_confirm(
    config: ConfigCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    for user in (USER_ID, BOB):
        await store.add_score(GUILD_ID, user, points=100, correct=1, streak=1)
    await store.add_score(12345, BOB, points=100, correct=1, streak=1)
    asked = interaction_in(bot, guild, channel, permissions=ADMIN)

    await config.trivia_reset_leaderboard.callback(config, asked)
    reply = sent(asked)
    assert reply.ephemeral and "can't be undone" in (reply.content or "")
    view = reply.view
    assert isinstance(view, quiz_views.ConfirmView)

    other_admin = interaction_in(bot, guild, channel, BOB, permissions=ADMIN)
    assert not await view.interaction_check(other_admin)
    assert sent(other_admin).ephemeral
    assert len(await store.leaderboard(GUILD_ID)) == 2

    confirm = interaction_in(bot, guild, channel, permissions=ADMIN)
    assert await view.interaction_check(confirm)
    await view.confirm.callback(confirm)

    assert "2 players" in confirm.edit_original_response.await_args.kwargs["content"]
    assert await store.leaderboard(GUILD_ID) == []
    assert await store.score(12345, BOB) is not None


async def test_reset_leaderboard_confirm_rechecks_manage_server_at_click_time(
    config: ConfigCog, bot: TriviaBot, guild: MagicMock, channel: MagicMock, store: Store
) -> None:
    await store.add_score(GUILD_ID, BOB, points=100, correct=1, streak=1)
    asked = interaction_in(bot, guild, channel, permissions=ADMIN)
    await config.trivia_reset_leaderboard.callback(config, asked)
    view = sent(asked).view
    assert isinstance(view, quiz_views.ConfirmView)

    # Manage Server was taken away between the prompt and the click.
    confirm = interaction_in(bot, guild, channel, permissions=MEMBER)
    assert await view.interaction_check(confirm)
    await view.confirm.callback(confirm)

    edited = confirm.response.edit_message.await_args.kwargs
    assert "no longer have the **Manage Server** permission" in edited["content"]
    assert "nothing was deleted" in edited["content"] and edited["view"] is None
    assert len(await store.leaderboard(GUILD_ID)) == 1
    assert view.outcome == "refused"
