"""Find the numbers in a text, in digits or words, and write numbers back in the same style.

"1.65billion", "1.65 bn" and "1,650 million" are one value; "fifth", "5th" and "5" another.
The quiz compares these values, so "361" never passes for "36", and its distractor maker
rewrites an answer's numbers in the style they were written in; the engine reads a count
("top 3", "season 4") and whether a fact states a figure through the same reader.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

_CARDINALS = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_ORDINALS = (
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TENS_ORDINALS = (
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
)
_WORD_VALUES: dict[str, tuple[int, bool]] = {
    **{word: (value, False) for value, word in enumerate(_CARDINALS)},
    **{word: (value, True) for value, word in enumerate(_ORDINALS)},
    **{word: (20 + 10 * i, False) for i, word in enumerate(_TENS)},
    **{word: (20 + 10 * i, True) for i, word in enumerate(_TENS_ORDINALS)},
}
_SCALES = {
    "k": 10**3,
    "thousand": 10**3,
    "m": 10**6,
    "mn": 10**6,
    "million": 10**6,
    "b": 10**9,
    "bn": 10**9,
    "billion": 10**9,
}
_UNIT_WORDS = "|".join(_CARDINALS[1:10] + _ORDINALS[1:10])
_DIGITS = re.compile(
    r"(?<!\d)(?<!\d\.)(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<frac>\d+))?"
    r"(?:(?P<suffix>st|nd|rd|th)(?![a-z])"
    r"|\s?(?P<scale>thousand|million|billion|bn|mn|k|m|b)(?![a-z]))?",
    re.IGNORECASE,
)
_WORDS = re.compile(
    rf"\b(?:(?P<tens>{'|'.join(_TENS)})[\s-](?P<unit>{_UNIT_WORDS})"
    rf"|(?P<word>{'|'.join(sorted(_WORD_VALUES, key=len, reverse=True))}))\b",
    re.IGNORECASE,
)
_RANGE = re.compile(r"\s*(?:-|–|to|through|thru)\s*", re.IGNORECASE)
_MAX_RANGE = 20  # "seasons 3 to 5" lists its seasons; "1-100" is no list anyone means


class Style(StrEnum):
    """How a number was written: digits ("5", "5th") or words ("five", "fifth")."""

    DIGITS = "digits"
    ORDINAL_DIGITS = "ordinal_digits"
    WORDS = "words"
    ORDINAL_WORDS = "ordinal_words"


@dataclass(frozen=True)
class Number:
    """One number in a text: where it is, its written value and how it was written."""

    start: int
    end: int  # end of the digits or words, before any scale word ("million")
    whole_end: int  # end of everything that belongs to it, scale word included
    written: Decimal  # the value as written, before the scale: 1.65 in "1.65 billion"
    scale: int
    decimals: int
    style: Style
    grouped: bool  # written with thousands separators, "1,000"

    @property
    def value(self) -> Decimal:
        """Return the value the number stands for, scale included."""
        return self.written * self.scale


def find_numbers(text: str) -> list[Number]:
    """Return the numbers in `text`, in order, in digits or in words."""
    found = [_from_digits(m) for m in _DIGITS.finditer(text)]
    taken = [(n.start, n.end) for n in found]
    for match in _WORDS.finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            found.append(_from_words(match))
    return sorted(found, key=lambda n: n.start)


def cardinal(word: str) -> Decimal | None:
    """Return the value of `word` if it is one whole cardinal number ("3", "three",
    "twenty"), not an ordinal ("third"), a fraction or a scaled figure ("3m")."""
    found = find_numbers(word)
    if len(found) != 1 or found[0].style not in (Style.DIGITS, Style.WORDS):
        return None
    number = found[0]
    whole = number.start == 0 and number.whole_end == len(word) and number.scale == 1
    whole = whole and number.decimals == 0
    return number.value if whole else None


def values(text: str) -> frozenset[Decimal]:
    """Return the set of values `text` names, with ranges such as "3 to 5" spelled out."""
    numbers = find_numbers(text)
    out = {n.value for n in numbers}
    for first, second in itertools.pairwise(numbers):
        low, high = first.value, second.value
        between = text[first.end : second.start]
        is_range = _RANGE.fullmatch(between) and first.scale == second.scale == 1
        if is_range and low == int(low) and high == int(high) and 0 < high - low <= _MAX_RANGE:
            out.update(Decimal(v) for v in range(int(low), int(high) + 1))
    return frozenset(out)


def write_like(value: Decimal, like: Number) -> str:
    """Return `value` (without scale) written the way `like` was: digits or words, 5th or fifth."""
    whole = value == int(value)
    if like.style in (Style.WORDS, Style.ORDINAL_WORDS) and whole and 0 <= value < 100:
        return _in_words(int(value), ordinal=like.style == Style.ORDINAL_WORDS)
    if like.style == Style.ORDINAL_DIGITS and whole:
        return f"{int(value)}{ordinal_suffix(int(value))}"
    text = f"{value:,.{like.decimals}f}" if like.grouped else f"{value:.{like.decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _from_digits(match: re.Match[str]) -> Number:
    frac = match["frac"] or ""
    written = Decimal(match["int"].replace(",", "") + (f".{frac}" if frac else ""))
    suffix, scale = match["suffix"], match["scale"]
    return Number(
        start=match.start(),
        # An ordinal suffix is rewritten with the number ("5th" -> "3rd"); a scale word is kept.
        end=match.end() if suffix else match.end("frac" if frac else "int"),
        whole_end=match.end(),
        written=written,
        scale=_SCALES[scale.lower()] if scale else 1,
        decimals=len(frac),
        style=Style.ORDINAL_DIGITS if suffix else Style.DIGITS,
        grouped="," in match["int"],
    )


def _from_words(match: re.Match[str]) -> Number:
    if match["tens"]:
        unit, ordinal = _WORD_VALUES[match["unit"].lower()]
        value = _WORD_VALUES[match["tens"].lower()][0] + unit
    else:
        value, ordinal = _WORD_VALUES[match["word"].lower()]
    return Number(
        start=match.start(),
        end=match.end(),
        whole_end=match.end(),
        written=Decimal(value),
        scale=1,
        decimals=0,
        style=Style.ORDINAL_WORDS if ordinal else Style.WORDS,
        grouped=False,
    )


def _in_words(value: int, *, ordinal: bool) -> str:
    if value < 20:
        return (_ORDINALS if ordinal else _CARDINALS)[value]
    tens, unit = divmod(value, 10)
    if unit == 0:
        return (_TENS_ORDINALS if ordinal else _TENS)[tens - 2]
    return f"{_TENS[tens - 2]}-{(_ORDINALS if ordinal else _CARDINALS)[unit]}"


def ordinal_suffix(value: int) -> str:
    """Return the English ordinal suffix of `value`: "st", "nd", "rd" or "th"."""
    if value % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(value % 10, "th")
