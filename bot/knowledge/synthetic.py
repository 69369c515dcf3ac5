"""Make a bigger KnowledgeBase out of a real one, to measure how the engine scales.

Copy k of every entity gets an invented, distinct name; copy k of every fact is re-pointed
at those entities. Intents, quotes and the ranking stay as they are. Pure: no I/O.
"""

from __future__ import annotations

import dataclasses

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Entity, Fact

# Consonant-vowel syllables give pronounceable words; three of them give 100**3 names.
_ONSETS = (
    "b",
    "d",
    "f",
    "g",
    "h",
    "j",
    "k",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "t",
    "v",
    "z",
    "ch",
    "sh",
    "th",
    "w",
)
_VOWELS = ("a", "e", "i", "o", "u")
_SYLLABLES = tuple(onset + vowel for onset in _ONSETS for vowel in _VOWELS)
_WORD_SYLLABLES = 3
_WORD_SPACE = len(_SYLLABLES) ** _WORD_SYLLABLES
# A multiplier coprime with the word space shuffles the second word of a name.
_SHUFFLE = 7919


def scaled(kb: KnowledgeBase, factor: int) -> KnowledgeBase:
    """Return a copy of `kb` with `factor` times its entities and facts (1: `kb` itself)."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor}")
    if factor == 1:
        return kb
    entities = dict(kb.entities)
    facts = dict(kb.facts)
    for copy in range(1, factor):
        renamed = {
            entity_id: _synthetic_entity(entity, copy, serial=copy * len(kb.entities) + index)
            for index, (entity_id, entity) in enumerate(kb.entities.items())
        }
        entities.update({entity.id: entity for entity in renamed.values()})
        for fact in kb.facts.values():
            clone = _synthetic_fact(fact, copy, kb.entities, renamed)
            facts[clone.id] = clone
    return dataclasses.replace(kb, entities=entities, facts=facts)


def synthetic_id(entity_or_fact_id: str, copy: int) -> str:
    """Return the id of copy `copy` of the entity or fact `entity_or_fact_id`."""
    return f"{entity_or_fact_id}_syn{copy}"


def invented_word(serial: int) -> str:
    """Return a pronounceable made-up word, different for every `serial` below 100**3."""
    syllables = []
    for _ in range(_WORD_SYLLABLES):
        serial, digit = divmod(serial, len(_SYLLABLES))
        syllables.append(_SYLLABLES[digit])
    return "".join(syllables)


def _synthetic_entity(entity: Entity, copy: int, serial: int) -> Entity:
    """Return copy `copy` of `entity`, named with the invented words for `serial`."""
    first = invented_word(serial % _WORD_SPACE).capitalize()
    second = invented_word(serial * _SHUFFLE % _WORD_SPACE).capitalize()
    name = f"{first} {second}"
    return entity.model_copy(
        update={
            "id": synthetic_id(entity.id, copy),
            "name": name,
            "aliases": [f"{name} {copy}", f"{first}{second}".lower()],
        }
    )


def _synthetic_fact(
    fact: Fact, copy: int, originals: dict[str, Entity], renamed: dict[str, Entity]
) -> Fact:
    """Return copy `copy` of `fact`, about and mentioning the `renamed` entities."""
    answer = fact.answer
    for entity_id in (fact.about, *fact.mentions):
        # The answer names its entities; a copy should name the copies, as a real fact would.
        answer = answer.replace(originals[entity_id].name, renamed[entity_id].name)
    return fact.model_copy(
        update={
            "id": synthetic_id(fact.id, copy),
            "about": renamed[fact.about].id,
            "mentions": [renamed[m].id for m in fact.mentions],
            "answer": answer,
        }
    )
