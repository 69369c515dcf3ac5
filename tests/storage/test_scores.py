"""Trivia scores: accumulation, leaderboard order, forgetting and resetting."""

from __future__ import annotations

import pytest

from bot.storage import ScoreEntry, Store

GUILD = 111_111_111_111_111_111
OTHER_GUILD = 222_222_222_222_222_222
ALICE, BOB, CAROL = 1001, 1002, 1003


async def test_score_accumulates(store: Store) -> None:
    first = await store.add_score(GUILD, ALICE, points=10, correct=1, streak=1, answer_ms=4000)
    second = await store.add_score(GUILD, ALICE, points=5, correct=2, streak=3, answer_ms=6000)
    third = await store.add_score(GUILD, ALICE, points=1, correct=0, streak=2, answer_ms=None)

    assert first == ScoreEntry(
        guild_id=GUILD, user_id=ALICE, points=10, correct=1, best_streak=1, fastest_ms=4000
    )
    # Points and correct add up; best streak keeps the max, fastest keeps the min.
    assert (second.points, second.correct, second.best_streak, second.fastest_ms) == (
        15,
        3,
        3,
        4000,
    )
    assert third.fastest_ms == 4000
    assert third.best_streak == 3
    assert await store.score(GUILD, ALICE) == third


async def test_fastest_starts_unset_and_drops(store: Store) -> None:
    unset = await store.add_score(GUILD, ALICE, points=0, correct=0, streak=0, answer_ms=None)
    set_ = await store.add_score(GUILD, ALICE, points=1, correct=1, streak=1, answer_ms=5000)
    faster = await store.add_score(GUILD, ALICE, points=1, correct=1, streak=1, answer_ms=1200)

    assert unset.fastest_ms is None
    assert set_.fastest_ms == 5000
    assert faster.fastest_ms == 1200


async def test_unknown_player_has_no_score(store: Store) -> None:
    assert await store.score(GUILD, ALICE) is None


async def test_negative_values_are_rejected(store: Store) -> None:
    with pytest.raises(ValueError, match="points"):
        await store.add_score(GUILD, ALICE, points=-1, correct=0, streak=0)

    assert await store.score(GUILD, ALICE) is None


async def test_leaderboard_order_and_limit(store: Store) -> None:
    await store.add_score(GUILD, ALICE, points=30, correct=3, streak=3, answer_ms=2000)
    await store.add_score(GUILD, BOB, points=50, correct=5, streak=2, answer_ms=3000)
    # Carol ties Alice on points and correct answers but was faster.
    await store.add_score(GUILD, CAROL, points=30, correct=3, streak=1, answer_ms=1000)
    await store.add_score(OTHER_GUILD, ALICE, points=999, correct=9, streak=9, answer_ms=1)

    board = await store.leaderboard(GUILD)
    top_two = await store.leaderboard(GUILD, limit=2)

    assert [e.user_id for e in board] == [BOB, CAROL, ALICE]
    assert [e.user_id for e in top_two] == [BOB, CAROL]
    assert await store.leaderboard(222) == []


async def test_forget_user_only_touches_that_user_and_guild(store: Store) -> None:
    await store.add_score(GUILD, ALICE, points=10, correct=1, streak=1)
    await store.add_score(GUILD, BOB, points=20, correct=2, streak=1)
    await store.add_score(OTHER_GUILD, ALICE, points=5, correct=1, streak=1)

    assert await store.forget_user(GUILD, ALICE) is True
    assert await store.forget_user(GUILD, ALICE) is False

    assert await store.score(GUILD, ALICE) is None
    assert await store.score(GUILD, BOB) is not None
    assert await store.score(OTHER_GUILD, ALICE) is not None


async def test_reset_leaderboard_only_touches_that_guild(store: Store) -> None:
    await store.add_score(GUILD, ALICE, points=10, correct=1, streak=1)
    await store.add_score(GUILD, BOB, points=20, correct=2, streak=1)
    await store.add_score(OTHER_GUILD, ALICE, points=5, correct=1, streak=1)

    assert await store.reset_leaderboard(GUILD) == 2

    assert await store.leaderboard(GUILD) == []
    assert len(await store.leaderboard(OTHER_GUILD)) == 1


async def test_scores_survive_reopening(db_url: str) -> None:
    async with Store.open(db_url) as store:
        await store.add_score(GUILD, ALICE, points=10, correct=1, streak=4, answer_ms=900)

    async with Store.open(db_url) as reopened:
        entry = await reopened.score(GUILD, ALICE)

    assert entry is not None
    assert (entry.points, entry.best_streak, entry.fastest_ms) == (10, 4, 900)
