"""The knowledge's facts indexed for the questions the engine asks of them while answering.

Built once per engine, so that finding the fact for an intent and a name costs the same
with the article's fifty facts as with fifty thousand (`python -m bot bench` ×1000).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from bot.engine.text import stem, stems
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Fact


def word_forms(kb: KnowledgeBase) -> dict[str, str]:
    """Return each stemmed word of the lexicon's word forms with its group's first form
    ("france": "french"): words that name one thing."""
    return {stem(w): stem(group[0]) for group in kb.word_forms for w in group}


class FactIndex:
    """Facts by intent, by intent and name, and the words of each fact's answer."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Index the facts of `kb`, in the knowledge's order."""
        self.by_intent: dict[str, list[Fact]] = defaultdict(list)
        # intent -> name -> the facts answering it that are about or mention that name
        self._by_name: dict[str, dict[str, list[Fact]]] = defaultdict(lambda: defaultdict(list))
        intents_about: dict[str, dict[str, None]] = defaultdict(dict)
        for fact in kb.facts.values():
            for intent in (fact.answers, *fact.also_answers):
                self.by_intent[intent].append(fact)
                for name in dict.fromkeys((fact.about, *fact.mentions)):
                    self._by_name[intent][name].append(fact)
                intents_about[fact.about][intent] = None
        order = {intent: number for number, intent in enumerate(self.by_intent)}
        self._intents_about = {
            name: sorted(found, key=order.__getitem__) for name, found in intents_about.items()
        }
        self._word_form = word_forms(kb)
        # Words that name a kind of thing ("french"): one a question says, an answer must
        # say too. Not a word of a name ("heist"): "besides money heist" does not ask it.
        name_words = {
            w for e in kb.entities.values() for n in (e.name, *e.aliases) for w in stems(n)
        }
        self.named_forms = frozenset(self._word_form.values()) - {
            self._word_form[w] for w in name_words if w in self._word_form
        }
        # Filled on first use: stemming every answer up front would slow building ×1000.
        self._answer_forms: dict[str, frozenset[str]] = {}

    def naming(self, intent: str, names: list[str]) -> list[Fact]:
        """Return the facts answering `intent` that are about or mention every one of `names`."""
        candidates = self._by_name.get(intent, {}).get(names[0], [])
        wanted = set(names)
        return [f for f in candidates if wanted <= {f.about, *f.mentions}]

    def intents_about(self, name: str) -> list[str]:
        """Return the intents some fact about `name` answers, in the knowledge's order."""
        return self._intents_about.get(name, [])

    def forms(self, words: Iterable[str]) -> set[str]:
        """Return `words` with each one that names a thing another way ("france") unified."""
        return {self._word_form.get(word, word) for word in words}

    def answer_forms(self, fact: Fact) -> frozenset[str]:
        """Return the unified word stems of `fact`'s answer."""
        found = self._answer_forms.get(fact.id)
        if found is None:
            found = self._answer_forms[fact.id] = frozenset(self.forms(stems(fact.answer)))
        return found
