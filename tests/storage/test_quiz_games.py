"""Trivia games in progress (saved, replaced, listed, deleted once) and leaderboard ranks."""

from __future__ import annotations

import asyncio
from datetime import UTC

import pytest

from bot.storage import Store, setting_bounds

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
CHANNEL, OTHER_CHANNEL = 333_333_333_333_333_331, 333_333_333_333_333_332
ALICE, BOB, CAROL, DAN = 1001, 1002, 1003, 1004
STATE = {"mode": "choice", "players": {"1001": {"points": 150}}, "questions": [{"text": "é?"}]}


async def test_a_saved_game_is_listed_with_its_state(store: Store) -> None:
    await store.save_quiz_game(GUILD, CHANNEL, ALICE, STATE)

    (game,) = await store.running_quiz_games()

    assert (game.guild_id, game.channel_id, game.started_by) == (GUILD, CHANNEL, ALICE)
    assert game.state == STATE
    assert game.updated_at.tzinfo == UTC


async def test_saving_again_replaces_the_game(store: Store) -> None:
    await store.save_quiz_game(GUILD, CHANNEL, ALICE, STATE)
    await store.save_quiz_game(GUILD, CHANNEL, BOB, {"round": 2})

    (game,) = await store.running_quiz_games()

    assert (game.started_by, game.state) == (BOB, {"round": 2})


async def test_games_are_listed_per_guild(store: Store) -> None:
    await store.save_quiz_game(GUILD, CHANNEL, ALICE, STATE)
    await store.save_quiz_game(OTHER_GUILD, OTHER_CHANNEL, BOB, STATE)

    assert {g.channel_id for g in await store.running_quiz_games()} == {CHANNEL, OTHER_CHANNEL}
    assert [g.channel_id for g in await store.running_quiz_games(OTHER_GUILD)] == [OTHER_CHANNEL]


async def test_only_one_delete_of_a_game_succeeds(store: Store) -> None:
    await store.save_quiz_game(GUILD, CHANNEL, ALICE, STATE)

    results = await asyncio.gather(*(store.delete_quiz_game(CHANNEL) for _ in range(3)))

    assert sorted(results) == [False, False, True]
    assert await store.running_quiz_games() == []


async def test_rank_follows_the_leaderboard_order(store: Store) -> None:
    await store.add_score(GUILD, ALICE, points=30, correct=3, streak=3, answer_ms=2000)
    await store.add_score(GUILD, BOB, points=50, correct=5, streak=2, answer_ms=3000)
    await store.add_score(GUILD, CAROL, points=30, correct=3, streak=1, answer_ms=1000)
    await store.add_score(GUILD, DAN, points=30, correct=3, streak=0, answer_ms=None)
    await store.add_score(OTHER_GUILD, ALICE, points=999, correct=9, streak=9, answer_ms=1)

    order = [entry.user_id for entry in await store.leaderboard(GUILD)]
    ranks = {user: await store.score_rank(GUILD, user) for user in (ALICE, BOB, CAROL, DAN)}

    assert order == [BOB, CAROL, ALICE, DAN]
    assert [ranks[user] for user in order] == [1, 2, 3, 4]
    assert await store.score_rank(GUILD, 9999) is None


async def test_rank_breaks_full_ties_by_user_id(store: Store) -> None:
    for user in (CAROL, ALICE, BOB):
        await store.add_score(GUILD, user, points=10, correct=1, streak=1, answer_ms=None)

    assert [await store.score_rank(GUILD, u) for u in (ALICE, BOB, CAROL)] == [1, 2, 3]


@pytest.mark.parametrize(
    ("name", "bounds"),
    [
        ("trivia_round_seconds", (5, 120)),
        ("trivia_rounds", (1, 20)),
        ("cooldown_seconds", (0, 3600)),
    ],
)
def test_setting_bounds_come_from_the_model(name: str, bounds: tuple[int, int]) -> None:
    assert setting_bounds(name) == bounds
