"""Make plausible wrong answers from a right one: other dates, other numbers, same style.

"January 28" gives "February 9", "Fifth" gives "Third", "361 million" gives "271 million".
Everything comes from the `random.Random` passed in, so a seeded game is repeatable.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from bot.engine.numbers import Number, find_numbers, ordinal_suffix, write_like
from bot.quiz.text import MONTHS

_MONTH = "|".join(sorted({*MONTHS, *(m[:3] for m in MONTHS), "sept"}, key=len, reverse=True))
DATE_PATTERN = re.compile(
    # "January 28th, 2022"
    rf"\b(?P<month1>{_MONTH})\.?\s+(?P<day1>\d{{1,2}})(?P<th1>st|nd|rd|th)?\b"
    rf"(?:(?P<comma>,)?\s+(?P<year1>\d{{4}}))?"
    # "28th of January 2022"
    rf"|\b(?P<day2>\d{{1,2}})(?P<th2>st|nd|rd|th)?(?P<of>\s+of)?\s+(?P<month2>{_MONTH})\b\.?"
    rf"(?:\s+(?P<year2>\d{{4}}))?",
    re.IGNORECASE,
)
_DATE_SHIFT_DAYS = 45
_FACTORS = tuple(Decimal(f) for f in ("0.25", "0.5", "0.75", "1.25", "1.5", "2", "2.5"))
_SMALL = 100  # below this, whole numbers move by steps ("fifth" -> "third"), not by factors
_ATTEMPTS_PER_VARIANT = 10


def variants(answer: str, rng: Random, count: int) -> list[str]:
    """Return up to `count` distinct wrong versions of `answer` that differ in a date or number."""
    found: list[str] = []
    for _ in range(count * _ATTEMPTS_PER_VARIANT):
        if len(found) >= count:
            break
        variant = _vary(answer, rng)
        if variant is not None and variant != answer and variant not in found:
            found.append(variant)
    return found


def _vary(answer: str, rng: Random) -> str | None:
    date = DATE_PATTERN.search(answer)
    if date is not None:
        return _shift_date(answer, date, rng)
    numbers = find_numbers(answer)
    return _renumber(answer, numbers, rng) if numbers else None


def _shift_date(answer: str, match: re.Match[str], rng: Random) -> str | None:
    month_first = match["month1"] is not None
    month_text = match["month1"] or match["month2"]
    year_text = match["year1"] or match["year2"]
    month = next(i for i, name in enumerate(MONTHS, 1) if name.startswith(month_text.lower()[:3]))
    try:
        day = dt.date(int(year_text or 2022), month, int(match["day1"] or match["day2"]))
    except ValueError:
        return None  # "February 31" is not a date to vary
    shift = rng.choice([d for d in range(-_DATE_SHIFT_DAYS, _DATE_SHIFT_DAYS + 1) if d])
    new = day + dt.timedelta(days=shift)
    name = MONTHS[new.month - 1]
    if len(month_text.rstrip(".")) < len(MONTHS[month - 1]):
        name = name[:3]  # "Feb" stays abbreviated
    if month_text[0].isupper():
        name = name.capitalize()
    suffix = ordinal_suffix(new.day) if match["th1"] or match["th2"] else ""
    day_text = f"{new.day}{suffix}"
    if month_first:
        text = f"{name} {day_text}" + (f"{match['comma'] or ''} {new.year}" if year_text else "")
    else:
        text = f"{day_text}{match['of'] or ''} {name}" + (f" {new.year}" if year_text else "")
    return answer[: match.start()] + text + answer[match.end() :]


def _renumber(answer: str, numbers: list[Number], rng: Random) -> str | None:
    written = [n.written for n in numbers]
    if all(n.scale == 1 and n.written == int(n.written) and n.written < _SMALL for n in numbers):
        # Move every number by one step, so "third, fourth and fifth" stays a run.
        reach = max(3, int(max(written)) // 3)
        steps = [d for d in range(-reach, reach + 1) if d and min(written) + d >= 1]
        step = rng.choice(steps)
        new = [w + step for w in written]
    else:
        factor = rng.choice(_FACTORS)
        new = [_round(w * factor, n.decimals) for w, n in zip(written, numbers, strict=True)]
        if any(v <= 0 for v in new) or new == written:
            return None
    out, last = [], 0
    for number, value in zip(numbers, new, strict=True):
        old = answer[number.start : number.end]
        text = write_like(value, number)
        out += [answer[last : number.start], text.capitalize() if old[0].isupper() else text]
        last = number.end
    return "".join([*out, answer[last:]])


def _round(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
