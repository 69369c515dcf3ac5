"""A trivia round's points and its game saved together: all of it, or (on a failure) none."""

from __future__ import annotations

import pytest

from bot.storage import RoundScore, ScoreEntry, Store, StoreUnavailableError
from tests.db_faults import failing_write

GUILD = 111_111_111_111_111_111
CHANNEL = 333_333_333_333_333_331
ALICE, BOB = 1001, 1002
BEFORE = {"round": 1}
AFTER = {"round": 2}
ROUND = [
    RoundScore(ALICE, points=180, correct=1, streak=2, answer_ms=900),
    RoundScore(BOB, points=0, correct=0, streak=0),
]


async def _played_one_round(store: Store) -> None:
    """Leave Alice with a score and the game saved as after round 1."""
    await store.save_quiz_game(GUILD, CHANNEL, ALICE, BEFORE)
    await store.add_score(GUILD, ALICE, points=150, correct=1, streak=1, answer_ms=1500)


async def _scores(store: Store) -> dict[int, ScoreEntry | None]:
    return {user: await store.score(GUILD, user) for user in (ALICE, BOB)}


async def test_a_round_adds_every_score_and_saves_the_game(store: Store) -> None:
    await _played_one_round(store)

    await store.save_quiz_round(GUILD, CHANNEL, ALICE, ROUND, AFTER)

    alice, bob = (await _scores(store)).values()
    assert alice is not None and (alice.points, alice.correct, alice.best_streak) == (330, 2, 2)
    assert alice.fastest_ms == 900
    assert bob is not None and (bob.points, bob.correct, bob.fastest_ms) == (0, 0, None)
    (game,) = await store.running_quiz_games()
    assert (game.channel_id, game.state) == (CHANNEL, AFTER)


async def test_the_last_round_deletes_the_game_with_its_scores_added(store: Store) -> None:
    await _played_one_round(store)

    await store.save_quiz_round(GUILD, CHANNEL, ALICE, ROUND, None)

    assert await store.running_quiz_games() == []
    alice = await store.score(GUILD, ALICE)
    assert alice is not None and alice.points == 330


@pytest.mark.parametrize(
    ("table", "nth", "state"),
    [
        ("trivia_scores", 1, AFTER),  # the first player's points
        ("trivia_scores", 2, AFTER),  # the second player's, after the first was written
        ("quiz_games", 1, AFTER),  # the game, after every score was written
        ("quiz_games", 1, None),  # deleting the finished game, after every score
    ],
    ids=["first-score", "second-score", "game", "game-deletion"],
)
async def test_a_failing_write_leaves_the_round_wholly_unsaved(
    store: Store, table: str, nth: int, state: dict[str, int] | None
) -> None:
    await _played_one_round(store)
    before = await _scores(store)

    with failing_write(table, nth=nth) as fault, pytest.raises(StoreUnavailableError):
        await store.save_quiz_round(GUILD, CHANNEL, ALICE, ROUND, state)

    assert fault.failed
    assert await _scores(store) == before
    (game,) = await store.running_quiz_games()
    assert game.state == BEFORE
    # Nothing was left half done: the same round saves in full once the database is back.
    await store.save_quiz_round(GUILD, CHANNEL, ALICE, ROUND, state)
    alice = await store.score(GUILD, ALICE)
    assert alice is not None and alice.points == 330


async def test_a_negative_count_is_refused_before_anything_is_written(store: Store) -> None:
    await _played_one_round(store)
    bad = [*ROUND, RoundScore(BOB + 1, points=-5, correct=0, streak=0)]

    with pytest.raises(ValueError, match="points"):
        await store.save_quiz_round(GUILD, CHANNEL, ALICE, bad, AFTER)

    alice = await store.score(GUILD, ALICE)
    assert alice is not None and alice.points == 150
    assert [g.state for g in await store.running_quiz_games()] == [BEFORE]
