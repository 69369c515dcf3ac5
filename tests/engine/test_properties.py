"""Whatever anyone types, `answer` returns a valid Answer and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Answer, Engine
from bot.engine.user_text import clean_user_text

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _valid(answer: Answer, question: str) -> None:
    assert answer.question == clean_user_text(question)  # what the engine read
    assert 0 <= answer.confidence <= 100
    assert len(answer.suggestions) <= 3
    assert answer.text
    assert answer.answered == bool(answer.fact_ids)


@SETTINGS
@given(st.text())
def test_any_unicode_text(engine: Engine, question: str) -> None:
    _valid(engine.answer(question), question)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(
            [
                "who",
                "directed",
                "squid",
                "game",
                "and",
                ",",
                "?",
                "<@1>",
                "😀",
                "lee",
                "hours",
                "지금",
            ]
        ),
        max_size=30,
    )
)
def test_any_mix_of_known_words(engine: Engine, words: list[str]) -> None:
    question = " ".join(words)
    _valid(engine.answer(question), question)


def test_empty_and_whitespace(engine: Engine) -> None:
    for question in ["", " ", "\n\t", "???", "<@123456789012345678>"]:
        answer = engine.answer(question)
        _valid(answer, question)
        assert not answer.answered


def test_huge_input_is_bounded(engine: Engine) -> None:
    question = "who directed it " + "blah " * 20_000  # ~100 KB
    answer = engine.answer(question)
    _valid(answer, question)


def test_huge_single_word(engine: Engine) -> None:
    question = "a" * 100_000
    _valid(engine.answer(question), question)
