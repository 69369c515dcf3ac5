"""Decide whether a typed answer is right: spelling slips pass, other names and numbers don't.

Names are compared whole (words joined, so "Lee Jaekyoo" meets "Lee Jae-kyoo") with an edit
allowance that grows with the length of the accepted form, so a short answer never passes by
being part of a long one. Numbers must be equal as values: "1.65bn" is "1.65 billion",
"361" is not "36".
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz.distance import OSA

from bot.quiz.text import Reading, read

# Words that may sit beside a number without changing the answer ("more than 361 million
# hours", "the 5th spot", "seasons 3 to 5").
NUMBER_FILLERS = frozenset(
    [
        "and",
        "to",
        "through",
        "thru",
        "of",
        "number",
        "no",
        "num",
        "spot",
        "place",
        "position",
        "rank",
        "ranked",
        "hours",
        "hour",
        "hrs",
        "hr",
        "days",
        "day",
        "more",
        "than",
        "over",
        "about",
        "around",
        "roughly",
        "approximately",
        "approx",
        "almost",
        "nearly",
        "just",
        "only",
        "top",
        "seasons",
        "season",
        "series",
        "views",
        "viewed",
        "watched",
        "most",
    ]
)
# (longest accepted form, edits allowed): transpositions count as one edit (OSA distance).
_EDIT_ALLOWANCE = ((3, 0), (7, 1), (12, 2), (18, 3))
_MAX_EDITS = 4


def is_correct(guess: str, accepted: Iterable[str]) -> bool:
    """Return whether `guess` counts as any of the `accepted` answer forms."""
    return matching_form(guess, accepted) is not None


def matching_form(guess: str, accepted: Iterable[str]) -> str | None:
    """Return the first of the `accepted` forms that `guess` counts as, or None."""
    reading = read(guess)
    for form in accepted:
        if _same_answer(reading, read(form)):
            return form
    return None


def same_answer(one: str, other: str) -> bool:
    """Return whether `one` and `other` count as each other, either way round."""
    return is_correct(one, [other]) or is_correct(other, [one])


def allowed_edits(length: int) -> int:
    """Return how many edits a guess may be from a form of `length` characters."""
    for longest, edits in _EDIT_ALLOWANCE:
        if length <= longest:
            return edits
    return _MAX_EDITS


def _same_answer(guess: Reading, form: Reading) -> bool:
    if guess.numbers or form.numbers:
        if guess.numbers != form.numbers:
            return False
        form_words = [w for w in form.words if w not in NUMBER_FILLERS]
        if not form_words:
            return True  # the number is the whole answer ("28 days", "fifth")
        # "January 28": the month must match too, so "February 28" or "28" fails.
        return _close([w for w in guess.words if w not in NUMBER_FILLERS], form_words)
    return _close(list(guess.words), list(form.words))


def _close(guess: list[str], form: list[str]) -> bool:
    if not guess or not form:
        return False
    limit = allowed_edits(len("".join(form)))
    # Joined without spaces, "jaekyoo" meets "jae kyoo"; sorted, "Jae-kyoo Lee" meets it too.
    for g, f in (("".join(guess), "".join(form)), ("".join(sorted(guess)), "".join(sorted(form)))):
        if OSA.distance(g, f, score_cutoff=limit) <= limit:
            return True
    return False
