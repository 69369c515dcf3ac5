"""Typed answers: spelling slips and aliases pass; other names and other numbers do not."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine.numbers import cardinal, values
from bot.quiz import Question, is_correct


def _accepted(questions: list[Question], key: str) -> tuple[str, ...]:
    return next(q.accepted for q in questions if q.key == key)


CASES = [
    # (question key, typed answer, counts as right)
    ("aouad_director", "Lee Jae-kyoo", True),
    ("aouad_director", "lee jae kyu", True),
    ("aouad_director", "lee jaekyoo", True),
    ("aouad_director", "Jae-kyoo", True),
    ("aouad_director", "LEE JAE-KYOO!!", True),
    ("aouad_director", "Jae-kyoo Lee", True),
    ("aouad_director", "i think it's lee jae kyoo", True),
    ("aouad_director", "이재규", True),
    ("aouad_director", "Joo Dong-geun", False),
    ("aouad_director", "Hwang Dong-hyuk", False),
    ("aouad_director", "Lee", False),  # a family name alone, and a part of the answer
    ("aouad_director", "Lee Jae-hoon", False),
    ("aouad_director", "", False),
    ("webtoon_author", "joo dong gun", True),
    ("webtoon_author", "Lee Jae-kyoo", False),
    ("aouad_based_on", "now at our school", True),
    ("aouad_based_on", "Now at Our Schol", True),
    ("aouad_based_on", "school", False),
    ("squid_game_hours", "1.65 billion", True),
    ("squid_game_hours", "1.65bn", True),
    ("squid_game_hours", "1.65billion hours", True),
    ("squid_game_hours", "1,650,000,000", True),
    ("squid_game_hours", "1.6 billion", False),
    ("squid_game_hours", "1.65", False),
    ("squid_game_hours", "165 billion", False),
    ("aouad_hours", "361 million", True),
    ("aouad_hours", "more than 361m hours", True),
    ("aouad_hours", "36 million", False),
    ("aouad_hours", "3610 million", False),
    ("aouad_hours", "361", False),  # 361 hours is not 361 million
    ("aouad_rank", "fifth", True),
    ("aouad_rank", "5th", True),
    ("aouad_rank", "#5", True),
    ("aouad_rank", "number 5", True),
    ("aouad_rank", "15th", False),
    ("aouad_rank", "fourth", False),
    ("squid_game_rank", "number one", True),
    ("squid_game_rank", "No. 1", True),
    ("squid_game_rank", "11", False),
    ("ranking_rule", "28", True),
    ("ranking_rule", "twenty-eight days", True),
    ("ranking_rule", "2", False),
    ("ranking_rule", "280 days", False),
    ("aouad_premiere", "28 jan", True),
    ("aouad_premiere", "Jan. 28th", True),
    ("aouad_premiere", "the 28th of January", True),
    ("aouad_premiere", "February 28", False),
    ("aouad_premiere", "January 2", False),
    ("aouad_premiere", "28", False),  # the month is part of a date
    ("money_heist_on_list", "3, 4 and 5", True),
    ("money_heist_on_list", "seasons 3-5", True),
    ("money_heist_on_list", "3rd 4th 5th", True),
    ("money_heist_on_list", "3 and 5", False),
    ("money_heist_on_list", "5", False),
    ("lupin_origin", "french", True),
    ("lupin_origin", "france", True),
    ("lupin_origin", "Spanish", False),
    ("elite_origin", "spainsh", True),
    ("elite_origin", "Danish", False),
    ("elite_on_list", "élite", True),
    ("elite_on_list", "Elit", True),
    ("elite_on_list", "Lupin", False),
    ("lupin_on_list", "lupin and elite", False),  # the answer inside a longer one
    ("ranking_number_one", "squid game", True),
    ("ranking_number_one", "squidgame", True),
    ("ranking_number_one", "Sqiud Game", True),
    ("ranking_number_one", "오징어 게임", True),
    ("ranking_number_one", "Squid Game 2", False),
    ("ranking_number_one", "squid", False),
    ("lee_interview", "korea times", True),
    ("lee_interview", "The Korean Times", True),
    ("lee_interview", "The New York Times", False),
    ("lee_interview", "times", False),
    ("aouad_genre", "zombie apocalypse k drama", True),
    ("aouad_genre", "Zombie Apocalypse", True),
    ("aouad_genre", "zombie", False),
    ("aouad_genre", "k-drama", False),
    ("season_one_used_all_the_comic", "all of it", True),
    ("season_one_used_all_the_comic", "100%", True),
    ("season_one_used_all_the_comic", "half of it", False),
    ("quote_expanding_into_another_season", "zombie", True),
    ("quote_expanding_into_another_season", "zombi", True),
    ("quote_expanding_into_another_season", "vampires", False),
    ("article_source", "9 Feb 2022", True),
    ("article_source", "february 9th 2022", True),
    ("article_source", "9 February 2021", False),
    ("article_source#2", "virgin radio", True),
    ("article_source#2", "virgin", False),
    ("money_heist_identity#blank", "money heist", True),
    ("money_heist_identity#blank", "La casa de papel", True),
]


@pytest.mark.parametrize(("key", "guess", "right"), CASES)
def test_answer_matching(questions: list[Question], key: str, guess: str, right: bool) -> None:
    assert is_correct(guess, _accepted(questions, key)) is right


def test_every_accepted_form_matches_itself(questions: list[Question]) -> None:
    for question in questions:
        for form in question.accepted:
            assert is_correct(form, question.accepted), (question.key, form)
            assert is_correct(form.upper(), [question.answer, *question.accepted])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.65billion", {Decimal("1650000000")}),
        ("1,650 million", {Decimal("1650000000")}),
        ("361m", {Decimal("361000000")}),
        ("the fifth", {Decimal(5)}),
        ("twenty-eighth", {Decimal(28)}),
        ("third, fourth and fifth", {Decimal(3), Decimal(4), Decimal(5)}),
        ("3 to 5", {Decimal(3), Decimal(4), Decimal(5)}),
        ("No.5", {Decimal(5)}),
        ("Lee Jae-kyoo", set()),
        ("someone", set()),  # "one" only as a whole word
    ],
)
def test_number_values(text: str, expected: set[Decimal]) -> None:
    assert values(text) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_digits_read_as_their_value(number: int) -> None:
    assert values(str(number)) == {Decimal(number)}
    assert values(f"{number:,}") == {Decimal(number)}


@given(st.text(max_size=300), st.lists(st.text(max_size=40), max_size=5))
def test_matching_never_raises(guess: str, accepted: list[str]) -> None:
    assert isinstance(is_correct(guess, accepted), bool)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("3", 3), ("three", 3), ("twenty", 20), ("third", None), ("3rd", None), ("3m", None)],
)
def test_a_cardinal_is_one_whole_number_in_digits_or_words(word: str, expected: int | None) -> None:
    assert cardinal(word) == expected
    assert cardinal("1.65") is None
