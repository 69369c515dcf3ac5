"""Hints for a question as its time runs out: the answer's shape, or a wrong choice less.

Free answer: a name or phrase shows its first letters and its shape ("Lee Jae-kyoo" gives
`L__ J__-k___`); a number shows its order of magnitude ("361 million": "a number in the
hundreds of millions"). Multiple choice: one wrong choice is ruled out. A right answer
after the hint scores less (`ScoringRules.after_hint`).
"""

from __future__ import annotations

import re
from decimal import Decimal
from random import Random

from bot.quiz.models import Question
from bot.quiz.text import read

MASK = "_"
_WORD = re.compile(r"\w+")
# (at least, name) from the largest: "hundreds of millions", "tens", "a single digit".
_SCALES = (
    (Decimal(10) ** 9, "billions"),
    (Decimal(10) ** 6, "millions"),
    (Decimal(1000), "thousands"),
)


def shape(answer: str) -> str:
    """Return `answer` with each word's first character kept and its others masked."""
    return _WORD.sub(lambda word: word.group(0)[0] + MASK * (len(word.group(0)) - 1), answer)


def magnitude(value: Decimal) -> str:
    """Return the order of magnitude of `value` for people: "the hundreds of millions"."""
    value = abs(value)
    for scale, name in _SCALES:
        if value >= scale:
            return f"the {_within(value / scale)}{name}"
    if value < 10:
        return "single digits"
    return "the tens" if value < 100 else "the hundreds"


def _within(ratio: Decimal) -> str:
    if ratio >= 100:
        return "hundreds of "
    return "tens of " if ratio >= 10 else ""


def free_answer_hint(answer: str) -> str:
    """Return the hint for typing `answer`: its order of magnitude or its shape."""
    numbers = read(answer).numbers
    if answer[:1].isdigit() and len(numbers) == 1:
        (value,) = numbers
        unit = " ".join(w for w in read(answer).words if w.isalpha())
        of = f" of {unit}" if unit else ""
        return f"A number{of} in {magnitude(value)}."
    return f"It looks like `{shape(answer)}`."


def ruled_out_choice(question: Question, number: int) -> int:
    """Return the index of the wrong choice the hint of round `number` rules out.

    Drawn from the question and the round, so a restored game rules out the same one.
    """
    wrong = [i for i in range(len(question.choices)) if i != question.answer_index]
    return Random(f"{question.key}:{number}").choice(wrong)
