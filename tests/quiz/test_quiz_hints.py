"""Hints: the answer's shape or size in free answer, a wrong choice less in multiple choice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.quiz import Mode, Outcome, Question, QuizSession
from bot.quiz.hints import free_answer_hint, magnitude, ruled_out_choice, shape

T0 = 1_000.0


@pytest.mark.parametrize(
    ("answer", "hint"),
    [
        ("Lee Jae-kyoo", "It looks like `L__ J__-k___`."),
        ("La Casa De Papel (Money Heist)", "It looks like `L_ C___ D_ P____ (M____ H____)`."),
        ("January 28", "It looks like `J______ 2_`."),
        ("Fifth", "It looks like `F____`."),
        ("361 million", "A number in the hundreds of millions."),
        ("1.65 billion", "A number in the billions."),
        ("28 days", "A number of days in the tens."),
    ],
)
def test_a_free_answer_hint_shows_the_shape_or_the_size(answer: str, hint: str) -> None:
    assert free_answer_hint(answer) == hint


def test_the_shape_keeps_separators_and_the_length() -> None:
    assert shape("Joo Dong-geun") == "J__ D___-g___"
    assert len(shape("The Korea Times")) == len("The Korea Times")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (7, "single digits"),
        (42, "the tens"),
        (999, "the hundreds"),
        (25_000, "the tens of thousands"),
    ],
)
def test_magnitude(value: int, said: str) -> None:
    assert magnitude(Decimal(value)) == said


def test_the_ruled_out_choice_is_wrong_and_the_same_every_time(questions: list[Question]) -> None:
    game = QuizSession.new(
        questions, rounds=5, mode=Mode.CHOICE, round_seconds=20, seed=4, idle_limit=9
    )
    for number in range(1, 6):
        shown = game.start_round(T0 * number)
        out = ruled_out_choice(shown.question, number)
        assert out != shown.question.answer_index
        assert out == ruled_out_choice(shown.question, number)
        game.end_round()


def test_after_the_hint_a_right_answer_scores_half(questions: list[Question]) -> None:
    game = QuizSession.new(questions, rounds=2, mode=Mode.FREE, round_seconds=20, seed=4)
    shown = game.start_round(T0)
    early = game.submit(1, "wrong", T0 + 1)
    hinted = game.give_hint()
    assert hinted.hint is not None and hinted.hint == game.give_hint().hint  # once
    right = game.submit(2, shown.question.answer, T0 + 10)
    assert early.outcome is Outcome.INCORRECT
    assert right.points == 75  # (100 + 50 for speed) halved
    result = game.end_round()
    assert result.hinted and [p.hinted for p in result.winners] == [True]
    # The next round starts without a hint.
    assert game.start_round(T0 + 30).hint is None


def test_the_hint_in_multiple_choice_rules_a_choice_out(questions: list[Question]) -> None:
    game = QuizSession.new(questions, rounds=1, mode=Mode.CHOICE, round_seconds=20, seed=4)
    game.start_round(T0)
    shown = game.give_hint()
    assert shown.ruled_out is not None and shown.hint is None

    refused = game.submit(1, str(shown.ruled_out + 1), T0 + 11)
    right = game.submit(2, str((shown.question.answer_index or 0) + 1), T0 + 11)

    assert refused.outcome is Outcome.RULED_OUT and not refused.counted
    assert right.outcome is Outcome.CORRECT and right.points == 72
    # A restored game keeps the hint given.
    restored = QuizSession.from_dict(game.to_dict()).current
    assert restored is not None and restored.ruled_out == shown.ruled_out
