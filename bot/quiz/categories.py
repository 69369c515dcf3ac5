"""Question categories for players, and which questions a channel gets next.

Categories: the answer kinds of `knowledge/quiz.yaml`, grouped.
A quiz question's `kind` says what its answer is (a person, a date, a place on the list…);
players pick from fewer, plainer groups: `/trivia start category:`. Every kind the
knowledge uses belongs to exactly one category; a kind added to the knowledge without a
category here plays under "Other" (and a test says so).

Freshness: a channel gets the questions it has not had in its last games first
(`fresh_first`), until its pool (or the category's) is used up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from random import Random

from bot.quiz.models import Question

ANY = "any"
OTHER = "other"


@dataclass(frozen=True)
class Category:
    """A group of answer kinds players can choose to play."""

    id: str  # the option's value
    name: str  # as shown
    kinds: tuple[str, ...]


CATEGORIES: tuple[Category, ...] = (
    Category("people", "People", ("person",)),
    Category("shows", "Shows and what they are", ("show", "work", "genre", "format", "country")),
    Category(
        "numbers",
        "Numbers and places on the list",
        ("number_hours", "number_days", "ordinal", "seasons", "amount"),
    ),
    Category("dates", "Dates", ("date",)),
    Category("press", "Who reported it", ("outlet", "platform")),
    Category("words", "The director's words", ("theme", "group", "creature")),
)
_OTHER = Category(OTHER, "Other", ())
_BY_KIND = {kind: category for category in CATEGORIES for kind in category.kinds}


def category_of(question: Question) -> Category:
    """Return the category `question` plays under."""
    return _BY_KIND.get(question.kind, _OTHER)


def categories_in(questions: Sequence[Question]) -> list[tuple[Category, int]]:
    """Return the categories that have questions in `questions`, with how many each."""
    counts: dict[str, int] = {}
    for question in questions:
        counts[category_of(question).id] = counts.get(category_of(question).id, 0) + 1
    return [(c, counts[c.id]) for c in (*CATEGORIES, _OTHER) if counts.get(c.id)]


def find_category(category_id: str) -> Category | None:
    """Return the category `category_id` names (None: no such category)."""
    return next((c for c in (*CATEGORIES, _OTHER) if c.id == category_id), None)


def in_category(questions: Sequence[Question], category_id: str) -> list[Question]:
    """Return the questions of `questions` in the category `category_id` ("any": all)."""
    if category_id == ANY:
        return list(questions)
    return [q for q in questions if category_of(q).id == category_id]


def fresh_first(
    candidates: Sequence[Question],
    asked_here: Collection[str],
    last_asked: Mapping[str, dt.datetime],
    rng: Random,
) -> list[Question]:
    """Return `candidates` in the order a game should take them: fresh ones first.

    First those not asked in the channel (`asked_here`: keys of its current cycle), then
    the rest; within each, those the server has asked longest ago first (`last_asked`, in
    any channel; never asked first of all), in random order among equals.
    """
    never = dt.datetime.min.replace(tzinfo=dt.UTC)

    def order(question: Question) -> tuple[bool, dt.datetime, float]:
        return (question.key in asked_here, last_asked.get(question.key, never), rng.random())

    return sorted(candidates, key=order)
