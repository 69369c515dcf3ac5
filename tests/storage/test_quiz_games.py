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


async def test_the_open_question_is_kept_until_the_next_round_is_saved(store: Store) -> None:
    await store.save_quiz_game(GUILD, CHANNEL, ALICE, STATE, game_id="0a1b2c3d")
    await store.set_quiz_question_message(CHANNEL, 444)

    (game,) = await store.running_quiz_games()
    assert (game.game_id, game.question_message_id) == ("0a1b2c3d", 444)

    # A finished round is saved: no question is open any more; the game keeps its id.
    await store.save_quiz_round(GUILD, CHANNEL, ALICE, [], {"round": 2})
    (game,) = await store.running_quiz_games()
    assert (game.game_id, game.question_message_id, game.state) == ("0a1b2c3d", None, {"round": 2})


async def test_forgetting_a_user_scrubs_the_saved_games_of_the_guild(store: Store) -> None:
    await store.add_score(GUILD, ALICE, points=150, correct=1, streak=1)
    await store.save_quiz_game(GUILD, CHANNEL, BOB, {"players": {"1001": 1, "1002": 2}})
    await store.save_quiz_game(OTHER_GUILD, OTHER_CHANNEL, BOB, {"players": {"1001": 1}})

    def scrub(state: dict[str, object]) -> dict[str, object]:
        players = dict(state["players"])  # type: ignore[call-overload]
        players.pop(str(ALICE), None)
        return {"players": players}

    assert await store.forget_user(GUILD, ALICE, scrub_game=scrub)

    states = {g.channel_id: g.state for g in await store.running_quiz_games()}
    assert states == {CHANNEL: {"players": {"1002": 2}}, OTHER_CHANNEL: {"players": {"1001": 1}}}
    assert await store.score(GUILD, ALICE) is None


async def test_asked_questions_are_recorded_with_the_round_and_forgotten_per_channel(
    store: Store,
) -> None:
    await store.save_quiz_round(GUILD, CHANNEL, ALICE, [], {"round": 1}, asked="q1")
    await store.save_quiz_round(GUILD, OTHER_CHANNEL, ALICE, [], {"round": 1}, asked="q1")
    await store.save_quiz_round(GUILD, CHANNEL, ALICE, [], None, asked="q2")
    await store.save_quiz_round(OTHER_GUILD, 9, ALICE, [], None, asked="q3")
    first = {(a.channel_id, a.question_key): a.asked_at for a in await store.asked_questions(GUILD)}
    await store.save_quiz_round(GUILD, CHANNEL, ALICE, [], None, asked="q1")  # again: later

    asked = {(a.channel_id, a.question_key): a.asked_at for a in await store.asked_questions(GUILD)}
    assert set(asked) == {(CHANNEL, "q1"), (OTHER_CHANNEL, "q1"), (CHANNEL, "q2")}
    assert asked[(CHANNEL, "q1")] >= first[(CHANNEL, "q1")]
    assert all(at.tzinfo == UTC for at in asked.values())

    await store.forget_asked_questions(CHANNEL, ["q1", "q2", "q9"])
    assert [(a.channel_id, a.question_key) for a in await store.asked_questions(GUILD)] == [
        (OTHER_CHANNEL, "q1")
    ]
