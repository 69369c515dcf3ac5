"""Questions from the knowledge: answerable from the article, four fair choices each."""

from __future__ import annotations

import dataclasses
from random import Random

import pytest

from bot.knowledge import KnowledgeBase
from bot.knowledge.loader import quiz_words
from bot.quiz import Mode, Question, build_questions, is_correct
from bot.quiz.distractors import CHOICES, FALLBACK_CHOICES, pick_distractors, with_choices
from bot.quiz.questions import BLANK, pick_questions
from bot.quiz.variants import variants

SEEDS = range(25)


def _in_article(form: str, kb: KnowledgeBase, question: Question) -> bool:
    needle = quiz_words(form)
    squashed = needle.replace(" ", "")
    article = quiz_words(kb.article).replace(" ", "")
    return bool(needle) and (
        f" {needle} " in f" {quiz_words(question.evidence)} " or squashed in article
    )


def test_every_item_and_blank_becomes_a_question(
    kb: KnowledgeBase, questions: list[Question]
) -> None:
    declared = [q for q in questions if not q.key.endswith("#blank")]
    assert len(declared) == len(kb.quiz_items)
    assert len({q.key for q in questions}) == len(questions)
    assert any(q.key.endswith("#blank") for q in questions)


def test_every_right_answer_is_in_the_article(kb: KnowledgeBase, questions: list[Question]) -> None:
    for question in questions:
        assert question.evidence in kb.facts[question.fact_id].evidence
        assert any(_in_article(form, kb, question) for form in question.accepted), question.key
        assert question.accepted[0] == question.answer


def test_the_reveal_sentence_is_the_one_with_the_answer(questions: list[Question]) -> None:
    by_key = {q.key: q for q in questions}
    assert by_key["aouad_hours"].evidence == "Viewers have clocked up more than 361 million hours."
    assert by_key["aouad_premiere"].evidence.startswith("An incredible 361 million hours")


def test_entity_aliases_count_but_not_a_bare_family_name(questions: list[Question]) -> None:
    director = next(q for q in questions if q.key == "aouad_director")
    assert {"Jae-kyoo", "이재규"} <= set(director.accepted)
    assert "Lee" not in director.accepted


def test_blanks_hide_every_name_of_the_answer(questions: list[Question]) -> None:
    for question in (q for q in questions if q.key.endswith("#blank")):
        assert BLANK in question.text
        shown = question.text.replace(BLANK, " ")
        for name in question.accepted:
            assert f" {quiz_words(name)} " not in f" {quiz_words(shown)} ", (question.key, name)


@pytest.mark.parametrize("seed", SEEDS)
def test_choices_are_four_distinct_with_exactly_one_right(
    questions: list[Question], seed: int
) -> None:
    rng = Random(seed)
    for question in questions:
        asked = with_choices(question, questions, rng)
        assert len(asked.choices) == CHOICES
        assert len({c.casefold() for c in asked.choices}) == CHOICES
        assert asked.choices.count(asked.answer) == 1
        assert asked.answer_index is not None
        assert asked.choices[asked.answer_index] == asked.answer
        right = [c for c in asked.choices if is_correct(c, question.accepted)]
        assert right == [asked.answer], (question.key, asked.choices)


def test_shipped_questions_need_no_answers_of_another_kind(questions: list[Question]) -> None:
    for question in questions:
        wrong = pick_distractors(question, questions, Random(0), CHOICES - 1, any_kind=False)
        assert len(wrong) == CHOICES - 1, question.key


def test_distractors_prefer_the_same_kind(questions: list[Question]) -> None:
    director = next(q for q in questions if q.key == "aouad_director")
    assert "Joo Dong-geun" in with_choices(director, questions, Random(1)).choices
    outlet = next(q for q in questions if q.key == "aouad_top_ten_debut")
    choices = set(with_choices(outlet, questions, Random(1)).choices)
    assert {"Variety", "The Korea Times", "Virgin Radio"} <= choices


def test_choices_are_repeatable_from_the_seed(questions: list[Question]) -> None:
    first = [with_choices(q, questions, Random(9)).choices for q in questions]
    again = [with_choices(q, questions, Random(9)).choices for q in questions]
    assert first == again


def test_made_up_numbers_and_dates_keep_the_style() -> None:
    assert all(v.endswith(" days") and v != "28 days" for v in variants("28 days", Random(1), 5))
    assert set(variants("Fifth", Random(2), 3)) <= {
        "First", "Second", "Third", "Fourth", "Sixth", "Seventh", "Eighth",
    }  # fmt: skip
    assert all(v.endswith(" billion") for v in variants("1.65 billion", Random(3), 4))
    runs = variants("Third, fourth and fifth", Random(4), 3)
    assert runs and all(v.count(",") == 1 and " and " in v for v in runs)
    for date in variants("January 28", Random(5), 6):
        month, day = date.split()
        assert month.istitle() and day.isdigit() and date != "January 28"
    assert variants("Squid Game", Random(6), 3) == []


def test_pick_questions_has_no_repeats(questions: list[Question]) -> None:
    picked = pick_questions(questions, 10, Mode.FREE, Random(3))
    assert len({q.key for q in picked}) == 10
    assert all(q.choices == () for q in picked)
    everything = pick_questions(questions, 999, Mode.CHOICE, Random(3))
    assert sorted(q.key for q in everything) == sorted(q.key for q in questions)
    assert all(len(q.choices) == CHOICES for q in everything)


def test_building_is_deterministic(kb: KnowledgeBase, questions: list[Question]) -> None:
    assert build_questions(kb) == questions


def test_wrong_choices_come_from_the_article_before_outside_names(
    questions: list[Question],
) -> None:
    # The article names five places on the list; only other questions' answers and these
    # are wrong choices for the show's rank, never made-up ones.
    rank = next(q for q in questions if q.key == "aouad_rank")
    assert {"Third", "Fourth", "Number one"} <= set(rank.decoys)
    for seed in SEEDS:
        wrong = set(with_choices(rank, questions, Random(seed)).choices) - {rank.answer}
        assert wrong <= set(rank.decoys), wrong
    # The article has one other person than the webtoon's author: outside names only
    # make up the rest.
    author = next(q for q in questions if q.key == "webtoon_author")
    for seed in SEEDS:
        choices = with_choices(author, questions, Random(seed)).choices
        assert "Lee Jae-kyoo" in choices
        assert len(set(choices) & set(FALLBACK_CHOICES["person"])) == 2


def test_a_choice_that_is_also_true_per_the_article_is_never_wrong(
    questions: list[Question],
) -> None:
    # The article calls All of Us Are Dead a thriller: "Spanish thriller series" is no
    # wrong answer to what kind of show it is, though it is Elite's kind.
    genre = next(q for q in questions if q.key == "aouad_genre")
    for seed in SEEDS:
        assert "Spanish thriller series" not in with_choices(genre, questions, Random(seed)).choices
    # It is the accepted "thriller" that keeps it out: without it, it comes up.
    bare = dataclasses.replace(genre, accepted=(genre.answer,))
    assert any(
        "Spanish thriller series" in with_choices(bare, questions, Random(seed)).choices
        for seed in SEEDS
    )
