"""Give a question its multiple choices: the right answer and three wrong ones.

Wrong choices come, in order of preference, from other answers of the same kind in the
knowledge, from other values of that kind the article names (`Question.decoys`), from
variants of the right answer (other dates, other numbers), from a short list of plausible
wrong values per kind from outside the article, and, only if all those run short, from
answers of any kind. None counts as right, none is also true per the article (it holds one
of the accepted answers, or one holds it: "Spanish thriller series" for a show the article
calls a thriller), and no two count as each other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from itertools import chain
from random import Random

from bot.quiz.matching import same_answer
from bot.quiz.models import Question
from bot.quiz.text import read
from bot.quiz.variants import variants

CHOICES = 4
MAX_CHOICE_CHARS = 80  # the longest label a Discord button shows
# Plausible wrong values for kinds the article has too few answers of. Real names and titles
# from the same world, so a fan has to know the article, not just spot the odd one out.
FALLBACK_CHOICES: dict[str, tuple[str, ...]] = {
    "person": ("Hwang Dong-hyuk", "Yeon Sang-ho", "Kim Eun-hee", "Park Chan-wook", "Kim Seong-hun"),
    "work": ("Sweet Home", "Hellbound", "Tower of God", "True Beauty", "Itaewon Class"),
    "show": ("Kingdom", "Sweet Home", "Hellbound", "Stranger Things", "Bridgerton"),
    "outlet": ("The Hollywood Reporter", "Deadline", "Billboard", "The Guardian"),
    "country": ("Korean", "Italian", "German", "Mexican", "Japanese"),
    "genre": (
        "Japanese anime series",
        "American teen sitcom",
        "British period drama",
        "Korean romantic comedy",
    ),
    "format": ("Novel", "Feature film", "Video game", "Documentary", "Stage musical"),
    "amount": ("About half of it", "A third of it", "None of it", "Only the first chapter"),
    "creature": ("Vampires", "Mutants", "Ghosts", "Aliens", "Werewolves"),
    "theme": ("A cure for the virus", "Life after school", "A military cover-up", "First love"),
    "group": ("The teachers", "The parents", "The soldiers", "The zombies"),
    "platform": ("Disney+", "Prime Video", "Apple TV+", "HBO Max"),
}


def with_choices(question: Question, pool: Sequence[Question], rng: Random) -> Question:
    """Return `question` with four shuffled choices, wrong ones drawn for it from `pool`."""
    wrong = pick_distractors(question, pool, rng, CHOICES - 1)
    if len(wrong) < CHOICES - 1:
        raise ValueError(f"not enough wrong answers for quiz question {question.key!r}")
    at = rng.randrange(CHOICES)
    return dataclasses.replace(question, choices=(*wrong[:at], question.answer, *wrong[at:]))


def pick_distractors(
    question: Question,
    pool: Sequence[Question],
    rng: Random,
    count: int,
    *,
    any_kind: bool = True,
) -> list[str]:
    """Return up to `count` wrong answers for `question` from `pool`, drawn with `rng`.

    `any_kind=False` leaves out the last resort, answers of other kinds.
    """
    chosen: list[str] = []
    for candidate in _candidates(question, pool, rng, count, any_kind=any_kind):
        if len(chosen) == count:
            break
        if _usable(candidate, question, chosen):
            chosen.append(candidate)
    return chosen


def _candidates(
    question: Question, pool: Sequence[Question], rng: Random, count: int, *, any_kind: bool
) -> Iterator[str]:
    # Sorted before shuffling: the same seed gives the same choices whatever the pool order.
    same_kind = sorted({q.answer for q in pool if q.kind == question.kind})
    fallback = sorted(FALLBACK_CHOICES.get(question.kind, ()))
    other_kinds = sorted({q.answer for q in pool if q.kind != question.kind}) if any_kind else []
    for group in (same_kind, fallback, other_kinds):
        rng.shuffle(group)
    decoys = sorted(set(question.decoys))
    rng.shuffle(decoys)
    # The article's answers and values first; then made-up dates and numbers; then the
    # outside names above.
    return chain(
        same_kind, decoys, variants(question.answer, rng, count * 2), fallback, other_kinds
    )


def _usable(candidate: str, question: Question, chosen: list[str]) -> bool:
    if not candidate.strip() or len(candidate) > MAX_CHOICE_CHARS:
        return False
    if any(_holds(candidate, form) or _holds(form, candidate) for form in question.accepted):
        return False
    taken = (*question.accepted, *chosen)
    return not any(same_answer(candidate, other) for other in taken)


def _holds(text: str, part: str) -> bool:
    """Return whether every word of `part` is in `text` (numbers are compared as values)."""
    outer, inner = read(text), read(part)
    if outer.numbers or inner.numbers or not inner.words:
        return False
    return set(inner.words) <= set(outer.words)
