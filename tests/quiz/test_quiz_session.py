"""The game state machine: full games in both modes with several players and injected times."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.quiz import (
    EndReason,
    Mode,
    Outcome,
    Phase,
    Question,
    QuizSession,
    QuizStateError,
    RoundResult,
    ScoringRules,
)

ROUND = 20.0  # seconds
ALICE, BOB, CARA = 101, 202, 303
T0 = 1_700_000_000.0  # wall-clock seconds, as the cog would pass


def _q(key: str, answer: str, *accept: str) -> Question:
    return Question(
        key=key,
        fact_id=key,
        text=f"Question {key}?",
        answer=answer,
        accepted=(answer, *accept),
        kind="test",
        evidence=f"The article says {answer}.",
    )


FREE_QUESTIONS = [
    _q("director", "Lee Jae-kyoo", "Jae-kyoo"),
    _q("hours", "361 million", "361m"),
    _q("premiere", "January 28", "28 January"),
]
# What each free question's right and wrong typed answers look like.
TYPED = {
    "director": ("lee jae kyu", "Joo Dong-geun"),
    "hours": ("361m hours", "36 million"),
    "premiere": ("28 jan", "February 28"),
}


def _choice_game(questions: list[Question], rounds: int = 3) -> QuizSession:
    return QuizSession.new(questions, rounds=rounds, mode=Mode.CHOICE, round_seconds=ROUND, seed=7)


def _wrong_choice(game: QuizSession) -> str:
    current = game.current
    assert current is not None
    return next(c for c in current.choices if c != current.question.answer)


def _right_choice(game: QuizSession) -> str:
    current = game.current
    assert current is not None
    return current.question.answer


# -- points ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "points"), [(0, 200), (5, 175), (10, 150), (19.99, 100), (20, 100), (25, 100)]
)
def test_points_fall_from_double_to_base(elapsed: float, points: int) -> None:
    assert ScoringRules().points(elapsed, ROUND) == points


# -- multiple choice ------------------------------------------------------------------------


def test_full_multiple_choice_game(questions: list[Question]) -> None:
    game = _choice_game(questions)
    results: list[RoundResult] = []

    start = game.start_round(T0)
    assert (start.number, start.total, start.deadline) == (1, 3, T0 + ROUND)
    assert len(start.choices) == 4 and start.question.answer in start.choices
    assert game.submit(ALICE, _right_choice(game), T0 + 2).points == 190
    assert game.submit(BOB, _right_choice(game), T0 + 5).outcome is Outcome.CORRECT
    assert game.submit(CARA, _wrong_choice(game), T0 + 1).outcome is Outcome.INCORRECT
    # One answer per player: a second press, even a right one, changes nothing.
    assert game.submit(CARA, _right_choice(game), T0 + 3).outcome is Outcome.ALREADY_ANSWERED
    assert game.submit(ALICE, "nonsense", T0 + 3).outcome is Outcome.ALREADY_ANSWERED
    results.append(game.end_round())

    game.start_round(T0 + 100)
    answer_index = game.current.question.answer_index if game.current else None
    assert answer_index is not None
    assert game.submit(ALICE, str(answer_index + 1), T0 + 110).points == 150  # by number
    assert game.submit(BOB, _wrong_choice(game), T0 + 103).outcome is Outcome.INCORRECT
    assert game.submit(CARA, "ABCD"[answer_index], T0 + 101).points == 195  # by letter
    results.append(game.end_round())

    game.start_round(T0 + 200)
    assert game.submit(ALICE, _right_choice(game).upper(), T0 + 204).points == 180
    assert game.submit(CARA, _wrong_choice(game), T0 + 205).outcome is Outcome.INCORRECT
    assert game.submit(BOB, _right_choice(game), T0 + 221).outcome is Outcome.TOO_LATE
    results.append(game.end_round())

    first, second, third = results
    assert [(p.user_id, p.points, p.correct, p.streak, p.answer_ms) for p in first.players] == [
        (ALICE, 190, True, 1, 2000),
        (BOB, 175, True, 1, 5000),
        (CARA, 0, False, 0, None),
    ]
    assert [(p.user_id, p.streak) for p in second.players] == [(CARA, 1), (ALICE, 2), (BOB, 0)]
    assert [(p.user_id, p.points, p.streak) for p in third.players] == [
        (ALICE, 180, 3),
        (CARA, 0, 0),
    ]
    assert first.evidence == first.question.evidence and first.answer == first.question.answer
    assert not first.game_over and third.game_over and third.end_reason is EndReason.COMPLETED
    assert game.finished and game.phase is Phase.FINISHED

    summary = game.summary()
    assert [(s.user_id, s.points, s.correct, s.answered) for s in summary.standings] == [
        (ALICE, 520, 3, 3),
        (CARA, 195, 1, 3),
        (BOB, 175, 1, 2),
    ]
    assert [(s.user_id, s.length) for s in summary.best_streaks] == [
        (ALICE, 3),
        (BOB, 1),
        (CARA, 1),
    ]
    assert summary.fastest is not None
    assert (summary.fastest.user_id, summary.fastest.answer_ms) == (CARA, 1000)
    assert summary.fastest.round_number == 2
    assert (summary.rounds_played, summary.rounds_total) == (3, 3)
    assert summary.end_reason is EndReason.COMPLETED


def test_a_press_that_names_no_choice_is_not_counted(questions: list[Question]) -> None:
    game = _choice_game(questions)
    game.start_round(T0)
    assert game.submit(ALICE, "E", T0 + 1).outcome is Outcome.NOT_A_CHOICE
    assert game.submit(ALICE, "0", T0 + 1).outcome is Outcome.NOT_A_CHOICE
    assert game.submit(ALICE, _right_choice(game), T0 + 2).outcome is Outcome.CORRECT


def test_rounds_have_different_questions(questions: list[Question]) -> None:
    game = _choice_game(questions, rounds=len(questions))
    keys = []
    while not game.finished:
        keys.append(game.start_round(T0).question.key)
        game.submit(ALICE, "A", T0)
        game.end_round()
    assert sorted(keys) == sorted(q.key for q in questions)


def test_the_seed_decides_the_game(questions: list[Question]) -> None:
    one, two = _choice_game(questions, rounds=5), _choice_game(questions, rounds=5)
    assert one.to_dict() == two.to_dict()
    other = QuizSession.new(questions, rounds=5, mode=Mode.CHOICE, round_seconds=ROUND, seed=8)
    assert other.to_dict() != one.to_dict()


# -- free answer ----------------------------------------------------------------------------


def _free_game(rounds: int = 3, idle_limit: int = 2) -> QuizSession:
    return QuizSession.new(
        FREE_QUESTIONS,
        rounds=rounds,
        mode=Mode.FREE,
        round_seconds=ROUND,
        seed=3,
        idle_limit=idle_limit,
    )


def _typed(game: QuizSession) -> tuple[str, str]:
    assert game.current is not None
    return TYPED[game.current.question.key]


def test_full_free_answer_game() -> None:
    game = _free_game()
    start = game.start_round(T0)
    assert start.choices == ()
    right, wrong = _typed(game)
    assert game.submit(BOB, wrong, T0 + 1).outcome is Outcome.INCORRECT
    assert game.submit(BOB, "still wrong", T0 + 2).outcome is Outcome.INCORRECT  # may retry
    won = game.submit(ALICE, right, T0 + 4)
    assert (won.outcome, won.points, won.answer_ms, won.round_over) == (
        Outcome.CORRECT,
        180,
        4000,
        True,
    )
    # The first right answer takes the round.
    assert game.submit(CARA, right, T0 + 5).outcome is Outcome.TOO_LATE
    first = game.end_round()
    assert [(p.user_id, p.correct, p.points, p.answer) for p in first.players] == [
        (ALICE, True, 180, right),
        (BOB, False, 0, "still wrong"),
    ]
    assert first.winners == first.players[:1]

    game.start_round(T0 + 60)
    right, _ = _typed(game)
    assert game.submit(BOB, right, T0 + 61).points == 195
    assert game.submit(ALICE, right, T0 + 61.5).outcome is Outcome.TOO_LATE
    second = game.end_round()
    assert [(p.user_id, p.streak) for p in second.players] == [(BOB, 1)]

    game.start_round(T0 + 120)
    right, _ = _typed(game)
    assert game.submit(BOB, right, T0 + 130).points == 150
    third = game.end_round()
    assert third.players[0].streak == 2 and third.game_over

    summary = game.summary()
    assert [(s.user_id, s.points) for s in summary.standings] == [(BOB, 345), (ALICE, 180)]
    assert [(s.user_id, s.length) for s in summary.best_streaks] == [(BOB, 2), (ALICE, 1)]
    assert summary.fastest is not None and summary.fastest.user_id == BOB
    assert summary.fastest.answer_ms == 1000


def test_a_round_nobody_wins_scores_nothing() -> None:
    game = _free_game()
    game.start_round(T0)
    game.submit(ALICE, _typed(game)[1], T0 + 3)
    result = game.end_round()
    assert result.winners == () and [p.points for p in result.players] == [0]
    assert game.phase is Phase.READY


# -- ending --------------------------------------------------------------------------------


def test_game_ends_itself_after_rounds_with_no_answers() -> None:
    game = _free_game(rounds=3, idle_limit=2)
    game.start_round(T0)
    assert not game.end_round().game_over
    game.start_round(T0 + 30)
    last = game.end_round()
    assert last.game_over and last.end_reason is EndReason.INACTIVE
    assert game.summary().rounds_played == 2


def test_a_game_that_ran_its_course_completed_even_if_its_last_rounds_were_quiet() -> None:
    game = _free_game(rounds=3, idle_limit=2)
    game.start_round(T0)
    game.submit(ALICE, "wrong", T0 + 1)  # an answer, even wrong, is activity
    assert not game.end_round().game_over
    game.start_round(T0 + 30)
    assert not game.end_round().game_over
    game.start_round(T0 + 60)
    last = game.end_round()
    assert last.game_over and last.end_reason is EndReason.COMPLETED
    assert game.summary().end_reason is EndReason.COMPLETED


def test_a_stop_on_the_last_question_is_a_stop() -> None:
    game = _free_game(rounds=1)
    game.start_round(T0)
    game.submit(ALICE, _typed(game)[0], T0 + 10)
    result = game.stop()
    assert result is not None and result.end_reason is EndReason.STOPPED
    assert [p.points for p in result.players] == [150]  # its answers still count
    assert game.summary().end_reason is EndReason.STOPPED


def test_a_rolled_back_round_leaves_the_standings_as_before_it() -> None:
    game = _free_game(rounds=3)
    game.start_round(T0)
    game.submit(ALICE, _typed(game)[0], T0 + 10)
    game.end_round()
    before = game.summary().standings
    checkpoint = game.scores_checkpoint()
    game.start_round(T0 + 30)
    game.submit(ALICE, _typed(game)[0], T0 + 31)
    game.submit(BOB, "wrong", T0 + 32)
    assert game.end_round().winners  # scored in the session...
    game.rollback_scores(checkpoint)  # ...but not saved: the standings forget the round
    assert game.summary().standings == before
    assert game.rounds_played == 2 and game.next_question is not None


def test_an_answer_resets_the_idle_count() -> None:
    game = _free_game(rounds=3, idle_limit=2)
    game.start_round(T0)
    game.end_round()
    game.start_round(T0 + 30)
    game.submit(BOB, "hmm", T0 + 31)
    assert not game.end_round().game_over
    game.start_round(T0 + 60)
    assert game.end_round().end_reason is EndReason.COMPLETED


def test_stop_scores_the_open_round_and_ends() -> None:
    game = _free_game()
    game.start_round(T0)
    game.submit(ALICE, _typed(game)[0], T0 + 10)
    result = game.stop()
    assert result is not None and result.game_over and result.end_reason is EndReason.STOPPED
    assert [p.points for p in result.players] == [150]
    assert game.finished and game.summary().end_reason is EndReason.STOPPED
    assert game.stop() is None
    assert game.submit(ALICE, "anything", T0 + 11).outcome is Outcome.NOT_PLAYING


def test_stop_between_rounds_returns_nothing_to_persist() -> None:
    game = _free_game()
    assert game.stop() is None and game.end_reason is EndReason.STOPPED


def test_out_of_order_calls_raise() -> None:
    game = _free_game()
    with pytest.raises(QuizStateError):
        game.end_round()
    game.start_round(T0)
    with pytest.raises(QuizStateError):
        game.start_round(T0 + 1)
    game.stop()
    with pytest.raises(QuizStateError):
        game.start_round(T0 + 2)


def test_answers_outside_a_round_are_not_playing() -> None:
    game = _free_game()
    assert game.submit(ALICE, "lee jae kyoo", T0).outcome is Outcome.NOT_PLAYING
    game.start_round(T0)
    assert game.submit(ALICE, "x", T0 + ROUND + 0.001).outcome is Outcome.TOO_LATE
    assert game.submit(ALICE, "x", math.nan).outcome is Outcome.TOO_LATE
    # A clock that steps back counts as answering at once, never as negative time.
    early = game.submit(BOB, _typed(game)[0], T0 - 5)
    assert (early.points, early.answer_ms) == (200, 0)


def test_forgotten_player_leaves_the_standings() -> None:
    game = _free_game()
    game.start_round(T0)
    game.submit(ALICE, _typed(game)[0], T0 + 1)
    game.end_round()
    game.start_round(T0 + 30)
    game.submit(BOB, "wrong", T0 + 31)
    game.forget_player(ALICE)
    game.forget_player(BOB)
    assert game.end_round().players == ()
    summary = game.summary()
    assert summary.standings == () and summary.fastest is None


@pytest.mark.parametrize(
    ("count", "rounds", "seconds", "idle"),
    [(0, 3, ROUND, 2), (3, 0, ROUND, 2), (3, 3, 0.0, 2), (3, 3, math.inf, 2), (3, 3, ROUND, 0)],
)
def test_bad_settings_are_refused(count: int, rounds: int, seconds: float, idle: int) -> None:
    with pytest.raises(ValueError):
        QuizSession.new(
            FREE_QUESTIONS[:count],
            rounds=rounds,
            mode=Mode.FREE,
            round_seconds=seconds,
            seed=1,
            idle_limit=idle,
        )


# -- storing --------------------------------------------------------------------------------


def _through_json(game: QuizSession) -> QuizSession:
    return QuizSession.from_dict(json.loads(json.dumps(game.to_dict())))


def test_round_trip_mid_round_plays_on_the_same(questions: list[Question]) -> None:
    big_user = 987_654_321_098_765_432  # Discord ids are 64-bit
    game, twin = _choice_game(questions), _choice_game(questions)
    for g in (game, twin):
        g.start_round(T0)
        g.submit(big_user, _right_choice(g), T0 + 3)
        g.end_round()
        g.start_round(T0 + 50)
        g.submit(ALICE, _right_choice(g), T0 + 52)
    restored = _through_json(game)
    assert restored.to_dict() == twin.to_dict()
    assert restored.current == twin.current
    for g in (restored, twin):
        g.submit(BOB, _wrong_choice(g), T0 + 53)
    assert restored.end_round() == twin.end_round()
    assert restored.summary() == twin.summary()
    assert [s.user_id for s in restored.summary().standings] == [ALICE, big_user, BOB]


def test_interrupted_game_is_announced_as_ended(questions: list[Question]) -> None:
    game = _choice_game(questions)
    game.start_round(T0)
    game.submit(ALICE, _right_choice(game), T0 + 5)
    restored = _through_json(game)  # the bot restarted here
    result = restored.stop(EndReason.INTERRUPTED)
    assert result is not None and [p.points for p in result.players] == [175]
    assert restored.summary().end_reason is EndReason.INTERRUPTED
    assert _through_json(restored).finished


def test_finished_game_round_trips(questions: list[Question]) -> None:
    game = _choice_game(questions, rounds=1)
    game.start_round(T0)
    game.submit(ALICE, _right_choice(game), T0 + 1)
    game.end_round()
    assert _through_json(game).summary() == game.summary()


@pytest.mark.parametrize(
    "breakage",
    [
        lambda d: {},
        lambda d: d | {"version": 99},
        lambda d: d | {"mode": "karaoke"},
        lambda d: d | {"next_index": 99},
        lambda d: d | {"questions": []},
        lambda d: d | {"phase": "asking", "started_at": None},
        lambda d: d | {"round_seconds": -1},
        lambda d: d | {"players": {"x": {}}},
    ],
)
def test_broken_stored_game_is_a_value_error(questions: list[Question], breakage: object) -> None:
    data = _choice_game(questions).to_dict()
    assert callable(breakage)
    with pytest.raises(ValueError):
        QuizSession.from_dict(breakage(data))


# -- never raises ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    mode=st.sampled_from(Mode),
    answers=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=2**64),
            st.text(max_size=500),
            st.floats(allow_nan=True, allow_infinity=True),
        ),
        max_size=8,
    ),
)
def test_submit_never_raises(
    questions: list[Question], mode: Mode, answers: list[tuple[int, str, float]]
) -> None:
    game = QuizSession.new(questions, rounds=2, mode=mode, round_seconds=ROUND, seed=5)
    game.submit(ALICE, "before", T0)
    game.start_round(T0)
    for user_id, text, offset in answers:
        result = game.submit(user_id, text, T0 + offset)
        assert result.outcome in Outcome
        assert result.points >= 0
    result_ = game.end_round()
    assert json.loads(json.dumps(game.to_dict()))
    assert all(p.points >= 0 for p in result_.players)


def test_a_skipped_round_scores_nobody_and_breaks_no_streak() -> None:
    game = _free_game(rounds=3)
    game.start_round(T0)
    game.submit(ALICE, _typed(game)[0], T0 + 1)
    game.end_round()
    game.start_round(T0 + 30)
    game.submit(BOB, _typed(game)[0], T0 + 31)  # right, but the round is skipped

    skipped = game.skip_round()

    assert skipped.skipped and skipped.players == () and not skipped.game_over
    standings = {s.user_id: s for s in game.summary().standings}
    assert set(standings) == {ALICE} and standings[ALICE].points == 195
    game.start_round(T0 + 60)
    game.submit(ALICE, _typed(game)[0], T0 + 61)
    last = game.end_round()
    assert last.end_reason is EndReason.COMPLETED and last.players[0].streak == 2


def test_skipping_is_activity_and_the_last_skip_completes_the_game() -> None:
    game = _free_game(rounds=2, idle_limit=1)
    game.start_round(T0)
    assert not game.skip_round().game_over  # a quiet round would have ended it
    game.start_round(T0 + 30)
    assert game.skip_round().end_reason is EndReason.COMPLETED
    with pytest.raises(QuizStateError):
        game.skip_round()
