"""Score how well a reading of a question fits each intent's phrasings.

A fit is judged both ways: how much of the question the phrasing explains (precision, where
unknown words and entities the intent knows nothing of count against it) and how much of
the phrasing the question says (recall). Their F-score is the match.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine.config import EngineConfig
from bot.engine.numbers import find_numbers
from bot.engine.text import stems
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase

if TYPE_CHECKING:
    from bot.engine.decision import IntentModel


# By intent, what it explains of one reading: its unknown words' credit, and each concept's.
_Echoes = dict[str, tuple[float, list[tuple[str, float]]]]
# Precision and recall are sums of weights divided by sums in another order: 1 within this.
EXACT_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Phrasing:
    """One phrasing of an intent, read the way a question is read."""

    intent: str
    text: str
    concepts: dict[str, float]
    entities: frozenset[str]
    total: float
    # Said with a person's role for their name: a phrasing written so fits better.
    by_role: bool = False

    @classmethod
    def of(
        cls,
        intent: str,
        text: str,
        concepts: dict[str, float],
        entities: list[str],
        entity_weight: float,
        by_role: bool = False,
    ) -> Phrasing:
        """Return the phrasing `text` of `intent`, read as `concepts` and `entities`."""
        total = sum(concepts.values()) + entity_weight * len(entities)
        return cls(intent, text, concepts, frozenset(entities), total, by_role)


@dataclass(frozen=True)
class IntentScore:
    """How well the question fits `intent`, through its best `phrasing`."""

    intent: str
    score: float
    precision: float
    recall: float
    phrasing: str

    @property
    def exact(self) -> bool:
        """Return whether the question says exactly what the phrasing says, no more and no
        less (up to the rounding of sums of weights)."""
        return self.precision >= 1.0 - EXACT_TOLERANCE and self.recall >= 1.0 - EXACT_TOLERANCE


class IntentMatcher:
    """Scores every intent against a reading, through an inverted index of phrasing concepts."""

    def __init__(
        self,
        kb: KnowledgeBase,
        vocabulary: Vocabulary,
        config: EngineConfig,
        intent_model: IntentModel | None = None,
    ) -> None:
        """Read every phrasing of `kb`'s intents with `vocabulary` and index it by concept,
        weighed as `config` says; fits moved by `intent_model` if given."""
        self.config = config
        self.vocabulary = vocabulary
        self.english_words = vocabulary.english_words
        self.action_words = kb.action_words
        self.phrasings: list[Phrasing] = []
        # By concept, the phrasings saying it and the weight each gives it.
        self.weighed_by_concept: dict[str, list[tuple[int, float]]] = defaultdict(list)
        self.bare: list[int] = []  # phrasings that are only a name ("squid game")
        self.of_intent: dict[str, list[int]] = defaultdict(list)  # phrasings by intent
        # Concepts that only ask ("who", "what", "is it"), saying nothing of what is asked.
        self.question_words = {n for n, c in kb.concepts.items() if c.asks or c.question_word}
        self._index_phrasings(kb)
        self.strict = {name for name, concept in kb.concepts.items() if concept.strict}
        # An intent a question fits only if it says one of these concepts; its phrasings.
        self.needs = {i.id: frozenset(i.needs) for i in kb.intents.values() if i.needs}
        self.asking = {name for name, concept in kb.concepts.items() if concept.asks}
        self.asking_count = {name for name, concept in kb.concepts.items() if concept.asks_count}
        # What fans asking each intent said (decision.yaml): it moves close fits apart.
        # (scripts/calibrate.py swaps it per fold of its questions.)
        self.intent_model = intent_model
        self._index_intents()
        self._index_facts(kb)

    def _index_phrasings(self, kb: KnowledgeBase) -> None:
        """Read and index every phrasing; one naming a person with a role also as said with
        the role ("what did lee say about …" is asked "what did the director say …")."""
        roles = {e.id: e.role for e in kb.entities.values() if e.role}
        weight = self.config.entity_weight
        for intent in kb.intents.values():
            for text in intent.phrasings:
                reading = self.vocabulary.read(stems(text))
                self._add(Phrasing.of(intent.id, text, reading.concepts, reading.entities, weight))
                if not set(reading.concepts) - self.question_words:
                    continue  # "who is lee" is not "who directed"
                for entity in reading.entities:
                    if role := roles.get(entity):
                        concepts = {**reading.concepts, role: self.vocabulary.weight(role)}
                        others = [e for e in reading.entities if e != entity]
                        self._add(Phrasing.of(intent.id, text, concepts, others, weight, True))

    def _index_intents(self) -> None:
        """Index what each intent's phrasings say: the question words (the kind of answer it
        gives) and every concept, and how much a concept tells one intent from another."""
        self.asks_of: dict[str, set[str]] = defaultdict(set)
        self.concepts_of: dict[str, set[str]] = defaultdict(set)
        for phrasing in self.phrasings:
            self.asks_of[phrasing.intent].update(self.asking.intersection(phrasing.concepts))
            self.concepts_of[phrasing.intent].update(phrasing.concepts)
        intents_saying: dict[str, int] = defaultdict(int)
        for said in self.concepts_of.values():
            for concept in said:
                intents_saying[concept] += 1
        # A concept many intents say ("story") tells little about which one is meant.
        self.sibling_credit = {
            concept: self.config.sibling_phrasing_credit / count**self.config.sibling_spread
            for concept, count in intents_saying.items()
        }

    def _index_facts(self, kb: KnowledgeBase) -> None:
        """Index the names each intent's facts are about, the words of their text, and the
        intents whose facts state a figure."""
        self.entities_of: dict[str, set[str]] = defaultdict(set)
        self.text_of: dict[str, set[str]] = defaultdict(set)
        # The intents whose facts state a figure ("361 million", "third, fourth and fifth"):
        # what a question asking "how many" may be answered by.
        self.counting: set[str] = set()
        for fact in kb.facts.values():
            if any(number.value > 1 for number in find_numbers(fact.answer)):
                self.counting.update((fact.answers, *fact.also_answers))
            # Only what a fact is first of all about makes a name fit its intent: "which
            # show is the French one" names none, and "is squid game korean" is not it.
            self.entities_of[fact.answers].update({fact.about, *fact.mentions})
            for intent_id in (fact.answers, *fact.also_answers):
                self.text_of[intent_id].update(stems(" ".join([fact.answer, *fact.evidence])))

    def _add(self, phrasing: Phrasing) -> None:
        index = len(self.phrasings)
        self.phrasings.append(phrasing)
        self.of_intent[phrasing.intent].append(index)
        for concept, weight in phrasing.concepts.items():
            self.weighed_by_concept[concept].append((index, weight))
        if not phrasing.concepts:
            self.bare.append(index)

    def score(self, reading: Reading) -> list[IntentScore]:
        """Return the intents that fit `reading` at all, best first."""
        matched, question_total = self._overlaps(reading)
        strict = self.strict.intersection(reading.concepts) - reading.numbering
        named_count = len(reading.entities)
        entity_weight, beta_squared = self.config.entity_weight, self.config.beta_squared
        best: dict[str, IntentScore] = {}
        echoes: _Echoes = {}
        # What depends on the intent alone, worked out once per intent.
        intent_terms: dict[str, tuple[float, int]] = {}
        # One pass over every phrasing sharing a concept: kept inline, as it is the hot loop.
        for index, overlap in matched.items():
            phrasing = self.phrasings[index]
            if not strict.issubset(phrasing.concepts):
                continue
            intent = phrasing.intent
            if intent not in intent_terms:
                intent_terms[intent] = self._intent_terms(reading, intent, question_total)
                echoes[intent] = self._intent_echoes(reading, intent)
            total, wrong_kinds = intent_terms[intent]
            echoed, by_concept = echoes[intent]
            for concept, credit in by_concept:
                if concept not in phrasing.concepts:
                    echoed += credit
            # A question that is only a name ("squid game?") is fully explained by identity.
            precision = (overlap + echoed) / total if total else float(bool(reading.entities))
            # A name in a phrasing ("is lupin french") stands for any name in the question.
            said = len(phrasing.entities)
            named = entity_weight * (said if said < named_count else named_count)
            bare = not phrasing.concepts  # "squid game": any name fits a bare phrasing
            recall = 1.0 if bare else (overlap + named) / phrasing.total
            denominator = beta_squared * precision + recall
            f_score = (1 + beta_squared) * precision * recall / denominator if denominator else 0.0
            for _ in range(wrong_kinds):
                f_score *= self.config.wrong_kind_of_answer
            if phrasing.by_role:
                f_score *= self.config.by_role_fit
            current = best.get(intent)
            if current is None or f_score > current.score:
                best[intent] = IntentScore(intent, f_score, precision, recall, phrasing.text)
        return sorted(self._weighed(best.values(), reading), key=lambda s: -s.score)

    def _intent_terms(
        self, reading: Reading, intent: str, question_total: float
    ) -> tuple[float, int]:
        """Return what `intent`'s every phrasing shares in a fit of `reading`: how much the
        question says in all, and how many times its answer is the wrong kind."""
        # A named entity the intent knows is neutral; one it has no fact about is a part of
        # the question left unexplained.
        known = self.entities_of[intent]
        strangers = sum(self.config.entity_weight for e in reading.entities if e not in known)
        asks = self.asking.intersection(reading.concepts)
        intent_asks = self.asks_of[intent]
        wrong_kinds = 0
        if asks and intent_asks and asks.isdisjoint(intent_asks):
            wrong_kinds += 1  # "when did variety report": not "who"
        if not self.asking_count.isdisjoint(reading.concepts) and intent not in self.counting:
            wrong_kinds += 1  # "how many new zombie races": the quote counts none
        if reading.kind and reading.kind not in self.concepts_of[intent]:
            wrong_kinds += 1  # "what platform was the webtoon on"
        return question_total + strangers, wrong_kinds

    def _weighed(self, scores: Iterable[IntentScore], reading: Reading) -> list[IntentScore]:
        """Return `scores` each moved by how far the intent model puts its intent behind the
        likeliest one for `reading`'s words (unmoved without a model, or one that knows
        none of them; an intent it has no answers of, one that only declines by name such
        as a second season's date, is not moved either; nor a fit saying exactly what one
        of the intent's phrasings says: what the knowledge says outright, it settles)."""
        behind = (
            self.intent_model.behind(reading.words, reading.concepts) if self.intent_model else {}
        )
        if not behind:
            return list(scores)
        weight, cap = self.config.intent_odds_weight, self.config.intent_odds_cap
        return [
            s
            if s.exact
            else IntentScore(
                s.intent,
                max(0.0, s.score + weight * max(-cap, behind.get(s.intent, 0.0))),
                s.precision,
                s.recall,
                s.phrasing,
            )
            for s in scores
        ]

    def _overlaps(self, reading: Reading) -> tuple[dict[int, float], float]:
        """Return, by phrasing index, the weight of the concepts `reading` shares with each
        phrasing that shares any (a bare name's phrasings share nothing and still fit a
        name), and how much the question says in all before any name."""
        matched: dict[int, float] = defaultdict(float)
        for concept, weight in reading.concepts.items():
            for index, said in self.weighed_by_concept.get(concept, ()):
                # A concept weighs what it weighs where it weighs less: an ordinal numbering
                # days ("first 28 days") in a phrasing does not fit a "number one?" in full.
                matched[index] += said if said < weight else weight
        if reading.entities:
            for index in self.bare:
                matched.setdefault(index, 0.0)
        # A phrasing of an intent the question says nothing it needs for does not fit.
        for intent in self._unmet(reading):
            for index in self.of_intent[intent]:
                matched.pop(index, None)
        corrected = set(reading.typos.values())
        unknown = sum(self.unknown_weight(w, w in corrected) for w in reading.unknown)
        if not reading.anchored:
            unknown *= self.config.unanchored_factor
        return matched, sum(reading.concepts.values()) + unknown

    def _unmet(self, reading: Reading) -> set[str]:
        """Return the intents that need a concept `reading` does not say."""
        return {
            intent for intent, needs in self.needs.items() if needs.isdisjoint(reading.concepts)
        }

    def looks_like_a_name(self, word: str) -> bool:
        """Return whether unknown `word` is in no English word list: likely a name."""
        return len(word) > 2 and word.isalpha() and word not in self.english_words

    def unknown_weight(self, word: str, corrected: bool = False) -> float:
        """Return how much an unknown `word` counts against a fit.

        A word `corrected` from a typo ("naver": "never") was not written as that word, so
        what kind of word it is says nothing.
        """
        if any(c.isdigit() for c in word):  # "ep 12", "28th"
            return self.config.unknown_scrap_weight
        if len(word) == 1:
            return self.config.unknown_scrap_weight
        if self.looks_like_a_name(word):
            return (
                self.config.unknown_name_weight
            )  # no English word: a name ("hellbound") or garble
        if word in self.action_words and not corrected:
            return self.config.unknown_action_weight
        return self.config.unknown_word_weight

    def _intent_echoes(
        self, reading: Reading, intent: str
    ) -> tuple[float, list[tuple[str, float]]]:
        """Return the credit `intent` gives `reading`'s unknown words found in its facts,
        and each concept's credit, in the reading's order, were a phrasing to miss it."""
        text = self.text_of[intent]
        siblings = self.concepts_of[intent]
        echoed_words = (w for w in reading.unknown if w in text)
        credit = self.config.text_match_credit * sum(map(self.unknown_weight, echoed_words))
        by_concept = []
        for concept, weight in reading.concepts.items():
            echoed = (
                self.config.text_match_credit if reading.said.get(concept, set()) & text else 0.0
            )
            sibling = self.sibling_credit[concept] if concept in siblings else 0.0
            by_concept.append((concept, weight * max(echoed, sibling)))
        return credit, by_concept
