"""The `quiz` section: the shipped items load and check out; broken ones fail precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeBase, KnowledgeError, load_knowledge
from bot.knowledge.loader import quiz_words

MIN_DECLARED = 20
# The topics the issue asks the quiz to cover, by the fact each rests on.
COVERED_FACTS = {
    "aouad_director",
    "aouad_based_on",
    "webtoon_author",
    "aouad_premiere",
    "aouad_hours",
    "aouad_rank",
    "squid_game_hours",
    "squid_game_rank",
    "ranking_rule",
    "aouad_top_ten_debut",
    "lee_interview",
    "money_heist_on_list",
    "lupin_origin",
    "elite_origin",
    "aouad_genre",
    "aouad_previously_most_watched",
    "season_one_used_all_the_comic",
    "quote_expanding_into_another_season",
    "quote_survival_of_zombies",
}


def _write_quiz(folder: Path, body: str) -> None:
    (folder / "quiz.yaml").write_text("quiz:\n" + body, encoding="utf-8")


def test_shipped_quiz_items_load(kb: KnowledgeBase) -> None:
    assert len(kb.quiz_items) >= MIN_DECLARED
    assert {item.fact for item in kb.quiz_items} >= COVERED_FACTS


def test_every_shipped_item_states_its_answer_in_the_evidence(kb: KnowledgeBase) -> None:
    article = quiz_words(kb.article).replace(" ", "")
    for item in kb.quiz_items:
        fact = kb.facts[item.fact]
        forms = [quiz_words(f) for f in (item.answer, *item.accept)]
        evidence = [f" {quiz_words(sentence)} " for sentence in fact.evidence]
        in_evidence = any(f" {form} " in text for form in forms for text in evidence)
        in_article = any(form.replace(" ", "") in article for form in forms)
        assert in_evidence or in_article, item
        assert item.question.strip().endswith("?"), item.question


def test_unknown_fact_names_file_line_and_field(knowledge_copy: Path) -> None:
    _write_quiz(
        knowledge_copy,
        "  - fact: aouad_director\n    question: Who?\n    answer: Lee Jae-kyoo\n    kind: person\n"
        "  - fact: no_such_fact\n    question: Who?\n    answer: Lee Jae-kyoo\n    kind: person\n",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    error = caught.value
    assert (error.file, error.line, error.field) == ("quiz.yaml", 6, "quiz[1].fact")
    assert "no_such_fact" in error.message


def test_answer_missing_from_the_fact_fails(knowledge_copy: Path) -> None:
    _write_quiz(
        knowledge_copy,
        "  - fact: aouad_director\n    question: Who directed it?\n"
        "    answer: Hwang Dong-hyuk\n    accept: [Hwang]\n    kind: person\n",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert (caught.value.line, caught.value.field) == (4, "quiz[0].answer")


def test_a_number_inside_another_does_not_count(knowledge_copy: Path) -> None:
    # "36" sits inside the article's "361": whole words only.
    _write_quiz(
        knowledge_copy,
        "  - fact: aouad_hours\n    question: How many?\n    answer: 36 million\n"
        "    kind: number_hours\n",
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert caught.value.field == "quiz[0].answer"


def test_an_accepted_form_is_enough(knowledge_copy: Path) -> None:
    _write_quiz(
        knowledge_copy,
        "  - fact: squid_game_hours\n    question: How many hours?\n    answer: 1,650,000,000\n"
        "    accept: [1.65 billion]\n    kind: number_hours\n",
    )
    assert [item.answer for item in load_knowledge(knowledge_copy).quiz_items] == ["1,650,000,000"]


def test_missing_field_is_a_schema_error(knowledge_copy: Path) -> None:
    _write_quiz(
        knowledge_copy, "  - fact: aouad_director\n    answer: Lee Jae-kyoo\n    kind: person\n"
    )
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert (caught.value.file, caught.value.field) == ("quiz.yaml", "quiz[0].question")


def test_a_fact_can_declare_its_own_quiz(knowledge_copy: Path) -> None:
    (knowledge_copy / "quiz.yaml").unlink()
    (knowledge_copy / "extra.yaml").write_text(
        "facts:\n"
        "  - id: extra_fact\n    about: variety\n    answers: identity\n"
        "    answer: Variety reported the top ten debut.\n"
        "    evidence: Variety reports that the new thriller debuted in the top ten.\n"
        "    quiz:\n      question: Who reported the debut?\n      answer: Variety\n"
        "      kind: outlet\n",
        encoding="utf-8",
    )
    items = load_knowledge(knowledge_copy).quiz_items
    assert [(item.fact, item.answer) for item in items] == [("extra_fact", "Variety")]
