"""The fact index finds what a scan over every fact would, in the knowledge's order."""

from __future__ import annotations

from itertools import permutations

import pytest

from bot.engine.fact_index import FactIndex
from bot.engine.text import stems
from bot.knowledge import load_knowledge
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.synthetic import scaled


@pytest.fixture(scope="module", params=[1, 3], ids=["article", "scaled x3"])
def kb(request: pytest.FixtureRequest) -> KnowledgeBase:
    """Return the shipped knowledge, as is and scaled up."""
    return scaled(load_knowledge(), request.param)


def test_naming_finds_the_facts_about_or_mentioning_every_name(kb: KnowledgeBase) -> None:
    index = FactIndex(kb)
    names = sorted(kb.entities)[:12]
    pairs = [[a] for a in names] + [list(p) for p in permutations(names[:5], 2)]
    for intent in kb.intents:
        for wanted in pairs:
            scanned = [f for f in kb.facts_for(intent) if set(wanted) <= {f.about, *f.mentions}]
            assert index.naming(intent, wanted) == scanned, (intent, wanted)


def test_intents_about_a_name_follow_the_order_of_the_intents_facts(kb: KnowledgeBase) -> None:
    index = FactIndex(kb)
    for name in kb.entities:
        scanned = [
            intent
            for intent, facts in index.by_intent.items()
            if any(f.about == name for f in facts)
        ]
        assert index.intents_about(name) == scanned, name


def test_an_unknown_name_or_intent_has_no_facts() -> None:
    index = FactIndex(load_knowledge())
    assert index.naming("no_such_intent", ["squid_game"]) == []
    assert index.naming("director", ["no_such_show"]) == []
    assert index.intents_about("no_such_show") == []


def test_answer_words_name_a_country_one_way() -> None:
    kb = load_knowledge()
    index = FactIndex(kb)
    lupin = kb.facts["lupin_identity"]
    assert index.forms(stems("france")) <= index.answer_forms(lupin)
    assert index.forms(stems("french")) <= index.answer_forms(lupin)
    assert index.answer_forms(lupin) is index.answer_forms(lupin)  # computed once
