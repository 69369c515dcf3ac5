"""Turn the knowledge into quiz questions, and pick the questions of one game.

A fact's declared quiz items (knowledge/quiz.yaml, or a fact's own `quiz`) become questions
whose accepted answers include the aliases of the entity they name. A fact with none gets a
fill-in-the-blank question from its evidence sentence, with a person, show, work or outlet
it mentions blanked out, so every question is answerable from the article.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from random import Random

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.loader import quiz_words, states_answer
from bot.knowledge.schema import Entity, Fact, QuizEntry
from bot.quiz.distractors import with_choices
from bot.quiz.models import Mode, Question
from bot.quiz.text import fold, read
from bot.quiz.variants import DATE_PATTERN

BLANK = "▁▁▁▁▁"  # not underscores: Discord reads "__" as underline
BLANK_KEY_SUFFIX = "#blank"
# Places on a list, as the article writes them ("the fifth most popular", "number one spot").
_ORDINAL = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|number one)\b",
    re.IGNORECASE,
)


def build_questions(kb: KnowledgeBase) -> list[Question]:
    """Return every quiz question `kb` gives: its declared items, then blanks for other facts."""
    questions: list[Question] = []
    per_fact: dict[str, int] = {}
    for entry in kb.quiz_items:
        per_fact[entry.fact] = per_fact.get(entry.fact, 0) + 1
        key = entry.fact if per_fact[entry.fact] == 1 else f"{entry.fact}#{per_fact[entry.fact]}"
        questions.append(declared_question(entry, kb, key))
    # A blank whose answer another question already has would only repeat it in a game.
    answers = {fold(q.answer) for q in questions}
    for fact in kb.facts.values():
        blank = None if fact.id in per_fact else blank_question(fact, kb)
        if blank is not None and fold(blank.answer) not in answers:
            answers.add(fold(blank.answer))
            questions.append(blank)
    values = article_values(kb)
    return [dataclasses.replace(q, decoys=values.get(q.kind, ())) for q in questions]


def article_values(kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """Return what the article names of each answer kind: its people, shows, dates, places."""
    found: dict[str, list[str]] = {}
    for entity in kb.entities.values():
        found.setdefault(entity.kind, []).append(entity.name)
    found["date"] = [match.group(0) for match in DATE_PATTERN.finditer(kb.article)]
    found["ordinal"] = [m.group(0).capitalize() for m in _ORDINAL.finditer(kb.article)]
    return {kind: tuple(dict.fromkeys(values)) for kind, values in found.items()}


def declared_question(entry: QuizEntry, kb: KnowledgeBase, key: str) -> Question:
    """Return the question of the quiz item `entry`, keyed `key`, with entity aliases accepted."""
    fact = kb.facts[entry.fact]
    accepted = _with_aliases([entry.answer, *entry.accept], kb.entities.values())
    return Question(
        key=key,
        fact_id=fact.id,
        text=entry.question,
        answer=entry.answer,
        accepted=accepted,
        kind=entry.kind,
        evidence=reveal_sentence(fact, accepted),
    )


def blank_question(fact: Fact, kb: KnowledgeBase) -> Question | None:
    """Return a fill-in-the-blank question on `fact`'s evidence, or None if nothing fits."""
    for entity_id in (*fact.mentions, fact.about):
        entity = kb.entities.get(entity_id)
        # The article's own subject is the answer to everything; an ambient one says nothing.
        if entity is None or entity.ambient or entity.id == kb.source.subject:
            continue
        names = sorted(answer_names(entity), key=len, reverse=True)
        pattern = re.compile(
            "|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names), re.IGNORECASE
        )
        for sentence in fact.evidence:
            if pattern.search(sentence):
                return Question(
                    key=fact.id + BLANK_KEY_SUFFIX,
                    fact_id=fact.id,
                    text=f"Fill in the blank from the article: “{pattern.sub(BLANK, sentence)}”",
                    answer=entity.name,
                    accepted=answer_names(entity),
                    kind=entity.kind,
                    evidence=sentence,
                )
    return None


def answer_names(entity: Entity) -> tuple[str, ...]:
    """Return the names of `entity` that count as answers: its name and most aliases.

    A person's family name alone ("Lee") is left out: too common to name anyone.
    """
    family = read(entity.name).words[:1]
    return tuple(
        name
        for name in (entity.name, *entity.aliases)
        if entity.kind != "person" or name == entity.name or read(name).words != family
    )


def reveal_sentence(fact: Fact, accepted: Sequence[str]) -> str:
    """Return the sentence of `fact`'s evidence that states one of the `accepted` answers."""
    for sentence in fact.evidence:
        if any(states_answer(sentence, form) for form in accepted):
            return sentence
    # The article runs some words together ("The Korea TimesAll Of Us Are Dead").
    for sentence in fact.evidence:
        if any(_squashed(form) in _squashed(sentence) for form in accepted if _squashed(form)):
            return sentence
    return fact.evidence[0]


def pick_questions(
    pool: Sequence[Question],
    rounds: int,
    mode: Mode,
    rng: Random,
    ask: Sequence[Question] | None = None,
) -> list[Question]:
    """Return `rounds` different questions from `pool` in random order (fewer if it is small).

    `ask`: the questions to ask, a game's pick (a category's, the fresh ones); the first
    `rounds` of it are asked. In multiple-choice `mode` each comes with its choices, wrong
    ones drawn from all of `pool`.
    """
    chosen = list(pool) if ask is None else list(ask)[:rounds]
    picked = rng.sample(chosen, k=min(rounds, len(chosen)))
    if mode is Mode.CHOICE:
        picked = [with_choices(question, pool, rng) for question in picked]
    return picked


def _squashed(text: str) -> str:
    return quiz_words(text).replace(" ", "")


def _with_aliases(forms: list[str], entities: Iterable[Entity]) -> tuple[str, ...]:
    """Return `forms` plus every name of an entity that one of them names, without repeats."""
    readings = {read(form) for form in forms}
    out = list(forms)
    for entity in entities:
        names = answer_names(entity)
        if any(read(name) in readings for name in names):
            out += names
    return tuple(dict.fromkeys(out))
