"""Categories of quiz questions, and the order that gives a channel fresh questions first."""

from __future__ import annotations

import datetime as dt
from random import Random

from bot.quiz import Question
from bot.quiz.categories import (
    ANY,
    OTHER,
    categories_in,
    category_of,
    find_category,
    fresh_first,
    in_category,
)


def test_every_shipped_question_has_a_category(questions: list[Question]) -> None:
    assert [q.key for q in questions if category_of(q).id == OTHER] == []
    counted = categories_in(questions)
    assert sum(count for _, count in counted) == len(questions)
    assert {c.id for c, _ in counted} == {"people", "shows", "numbers", "dates", "press", "words"}


def test_a_category_plays_only_its_kinds(questions: list[Question]) -> None:
    people = in_category(questions, "people")
    assert {q.answer for q in people} == {"Lee Jae-kyoo", "Joo Dong-geun"}
    assert in_category(questions, ANY) == questions
    assert in_category(questions, "nonsense") == []
    assert find_category("nonsense") is None and find_category("dates") is not None


def test_fresh_questions_come_first_then_the_least_recently_asked(
    questions: list[Question],
) -> None:
    pool = questions[:6]
    keys = [q.key for q in pool]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    asked_here = set(keys[:3])
    # Elsewhere in the server: keys[3] an hour ago; keys[0] long ago, keys[1] lately.
    last = {
        keys[3]: now - dt.timedelta(hours=1),
        keys[0]: now - dt.timedelta(days=9),
        keys[1]: now,
        keys[2]: now - dt.timedelta(days=1),
    }
    for seed in range(10):
        order = [q.key for q in fresh_first(pool, asked_here, last, Random(seed))]
        assert set(order[:2]) == {keys[4], keys[5]}  # never asked anywhere
        assert order[2] == keys[3]  # fresh here, asked elsewhere
        assert order[3:] == [keys[0], keys[2], keys[1]]  # asked here: oldest first
