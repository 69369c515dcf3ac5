"""Normalise a typed answer for comparing: case, accents, punctuation, hyphens, month names."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from bot.engine.numbers import find_numbers, values
from bot.engine.text import tokens

# Nobody types a longer answer; the cap bounds the work a pasted wall of text can cause.
MAX_ANSWER_CHARS = 200
# Words people wrap an answer in ("I think it's …"); never part of an answer that matters.
FILLERS = frozenset(
    [
        "a",
        "an",
        "the",
        "it",
        "its",
        "is",
        "was",
        "im",
        "i",
        "think",
        "maybe",
        "probably",
        "guess",
        "pretty",
        "sure",
        "answer",
        "by",
        "called",
        "named",
    ]
)
MONTHS = tuple(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_MONTHS = {name[:3]: name for name in MONTHS} | {"sept": "september"}
_MARKUP = re.compile(r"<[^<>]*>")  # Discord mentions and emoji: never part of an answer


@dataclass(frozen=True)
class Reading:
    """An answer as compared: the numbers it names and its other words, fillers dropped."""

    numbers: frozenset[Decimal]
    words: tuple[str, ...]


def fold(text: str) -> str:
    """Return `text` lowercased, without accents or Discord markup, cut to a bounded length."""
    text = unicodedata.normalize("NFKD", text[: MAX_ANSWER_CHARS * 2])
    # Dropping combining marks makes "Élite" read "elite"; NFC puts Hangul back together.
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).casefold()[:MAX_ANSWER_CHARS]
    return _MARKUP.sub(" ", text)


@lru_cache(maxsize=4096)
def read(text: str) -> Reading:
    """Return how `text` reads as an answer: its numbers and its words (months spelt out)."""
    folded = fold(text)
    numbers = find_numbers(folded)
    rest, last = [], 0
    for number in numbers:
        rest.append(folded[last : number.start])
        last = number.whole_end
    rest.append(folded[last:])
    words = [_MONTHS.get(word, word) for word in tokens(" ".join(rest))]
    content = tuple(w for w in words if w not in FILLERS)
    # An answer made only of filler words ("it") is still that answer.
    return Reading(numbers=values(folded), words=content or tuple(words))
