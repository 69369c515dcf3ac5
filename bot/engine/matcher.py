"""Score how well a reading of a question fits each intent's phrasings.

A fit is judged both ways: how much of the question the phrasing explains (precision, where
unknown words and entities the intent knows nothing of count against it) and how much of
the phrasing the question says (recall). Their F-score is the match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.engine.text import stems
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase

UNKNOWN_WORD_WEIGHT = 1.2
# A verb or adverb ("who's the director that cooked with aouad") seldom names what is asked
# about, as a noun does ("who directed kingdom"); unless it is a typo's reading.
UNKNOWN_ACTION_WEIGHT = 0.8
# Numbers and two-letter scraps ("ep 12", "og") rarely name another show or person.
UNKNOWN_SCRAP_WEIGHT = 0.5
UNKNOWN_NAME_WEIGHT = 1.5
ENTITY_WEIGHT = 1.0
# Precision counts more than recall: a terse question may say little, but what it says
# must be explained ("who directed kingdom?" is not explained by "who directed it").
BETA_SQUARED = 0.25
# How much a question word counts when only the answer's text, not a phrasing, explains it.
TEXT_MATCH_CREDIT = 0.3
# How much a question concept counts when another phrasing of the same intent says it:
# fans mix the words of several phrasings ("what comic did the series draw its story from").
SIBLING_PHRASING_CREDIT = 0.5
SIBLING_SPREAD = 0.5
# A question pointing at nothing ("when did kingdom premiere") likely names its subject in
# the word the engine does not know: unknown words count this much more.
UNANCHORED_FACTOR = 1.5
# A question asking "when" fitting an intent only ever asked "who" keeps this much of its fit.
WRONG_KIND_OF_ANSWER = 0.8
# A phrasing naming a person, read with their role instead, fits a little less than one
# written with the role: "what did the director say about the kids" wins that tie.
BY_ROLE_FIT = 0.97


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
        by_role: bool = False,
    ) -> Phrasing:
        """Return the phrasing `text` of `intent`, read as `concepts` and `entities`."""
        total = sum(concepts.values()) + ENTITY_WEIGHT * len(entities)
        return cls(intent, text, concepts, frozenset(entities), total, by_role)


@dataclass(frozen=True)
class IntentScore:
    """How well the question fits `intent`, through its best `phrasing`."""

    intent: str
    score: float
    precision: float
    recall: float
    phrasing: str


class IntentMatcher:
    """Scores every intent against a reading, through an inverted index of phrasing concepts."""

    def __init__(self, kb: KnowledgeBase, vocabulary: Vocabulary) -> None:
        """Read every phrasing of `kb`'s intents with `vocabulary` and index it by concept."""
        self.vocabulary = vocabulary
        self.english_words = vocabulary.english_words
        self.action_words = kb.action_words
        self.phrasings: list[Phrasing] = []
        self.by_concept: dict[str, list[int]] = defaultdict(list)
        self.bare: list[int] = []  # phrasings that are only a name ("squid game")
        roles = {e.id: e.role for e in kb.entities.values() if e.role}
        # Concepts that only ask ("who", "what", "is it"), saying nothing of what is asked.
        self.question_words = {n for n, c in kb.concepts.items() if c.asks or c.question_word}
        for intent in kb.intents.values():
            for text in intent.phrasings:
                reading = vocabulary.read(stems(text))
                self._add(Phrasing.of(intent.id, text, reading.concepts, reading.entities))
                if not set(reading.concepts) - self.question_words:
                    continue  # "who is lee" is not "who directed"
                for entity in reading.entities:
                    if role := roles.get(entity):
                        # "what did lee say about …" is asked "what did the director say …".
                        concepts = {**reading.concepts, role: vocabulary.weight(role)}
                        others = [e for e in reading.entities if e != entity]
                        self._add(Phrasing.of(intent.id, text, concepts, others, by_role=True))
        self.strict = {name for name, concept in kb.concepts.items() if concept.strict}
        asking = {name for name, concept in kb.concepts.items() if concept.asks}
        # What kind of answer each intent gives, as the question words its phrasings use.
        self.asks_of: dict[str, set[str]] = defaultdict(set)
        # And every concept any phrasing of an intent says.
        self.concepts_of: dict[str, set[str]] = defaultdict(set)
        for phrasing in self.phrasings:
            self.asks_of[phrasing.intent].update(asking.intersection(phrasing.concepts))
            self.concepts_of[phrasing.intent].update(phrasing.concepts)
        self.asking = asking
        intents_saying: dict[str, int] = defaultdict(int)
        for said in self.concepts_of.values():
            for concept in said:
                intents_saying[concept] += 1
        # A concept many intents say ("story") tells little about which one is meant.
        self.sibling_credit = {
            concept: SIBLING_PHRASING_CREDIT / count**SIBLING_SPREAD
            for concept, count in intents_saying.items()
        }
        self.entities_of: dict[str, set[str]] = defaultdict(set)
        self.text_of: dict[str, set[str]] = defaultdict(set)
        for fact in kb.facts.values():
            # Only what a fact is first of all about makes a name fit its intent: "which
            # show is the French one" names none, and "is squid game korean" is not it.
            self.entities_of[fact.answers].update({fact.about, *fact.mentions})
            for intent_id in (fact.answers, *fact.also_answers):
                self.text_of[intent_id].update(stems(" ".join([fact.answer, *fact.evidence])))

    def _add(self, phrasing: Phrasing) -> None:
        index = len(self.phrasings)
        self.phrasings.append(phrasing)
        for concept in phrasing.concepts:
            self.by_concept[concept].append(index)
        if not phrasing.concepts:
            self.bare.append(index)

    def score(self, reading: Reading) -> list[IntentScore]:
        """Return the intents that fit `reading` at all, best first."""
        matched: dict[int, float] = defaultdict(float)
        for concept, weight in reading.concepts.items():
            for index in self.by_concept.get(concept, ()):
                matched[index] += weight
        if reading.entities:
            for index in self.bare:
                matched.setdefault(index, 0.0)
        corrected = set(reading.typos.values())
        unknown = sum(self.unknown_weight(w, w in corrected) for w in reading.unknown)
        if not reading.anchored:
            unknown *= UNANCHORED_FACTOR
        question_total = sum(reading.concepts.values()) + unknown
        strict = self.strict.intersection(reading.concepts)
        asks = self.asking.intersection(reading.concepts)
        best: dict[str, IntentScore] = {}
        for index, overlap in matched.items():
            phrasing = self.phrasings[index]
            if not strict.issubset(phrasing.concepts):
                continue
            known = self.entities_of[phrasing.intent]
            # A named entity the intent knows is neutral; one it has no fact about is a
            # part of the question left unexplained.
            strangers = sum(ENTITY_WEIGHT for e in reading.entities if e not in known)
            total = question_total + strangers
            echoed = self._echoes(reading, phrasing)
            # A question that is only a name ("squid game?") is fully explained by identity.
            precision = (overlap + echoed) / total if total else float(bool(reading.entities))
            # A name in a phrasing ("is lupin french") stands for any name in the question.
            named = ENTITY_WEIGHT * min(len(phrasing.entities), len(reading.entities))
            bare = not phrasing.concepts  # "squid game": any name fits a bare phrasing
            recall = 1.0 if bare else (overlap + named) / phrasing.total
            f_score = _f_beta(precision, recall)
            intent_asks = self.asks_of[phrasing.intent]
            if asks and intent_asks and asks.isdisjoint(intent_asks):
                f_score *= WRONG_KIND_OF_ANSWER  # "when did variety report" vs "who reported"
            if reading.kind and reading.kind not in self.concepts_of[phrasing.intent]:
                f_score *= WRONG_KIND_OF_ANSWER  # "what platform was the webtoon on"
            if phrasing.by_role:
                f_score *= BY_ROLE_FIT
            current = best.get(phrasing.intent)
            if current is None or f_score > current.score:
                best[phrasing.intent] = IntentScore(
                    phrasing.intent, f_score, precision, recall, phrasing.text
                )
        return sorted(best.values(), key=lambda s: -s.score)

    def looks_like_a_name(self, word: str) -> bool:
        """Return whether unknown `word` is in no English word list: likely a name."""
        return len(word) > 2 and word.isalpha() and word not in self.english_words

    def unknown_weight(self, word: str, corrected: bool = False) -> float:
        """Return how much an unknown `word` counts against a fit.

        A word `corrected` from a typo ("naver": "never") was not written as that word, so
        what kind of word it is says nothing.
        """
        if len(word) <= 2 or any(c.isdigit() for c in word):  # "ep 12", "28th", "og"
            return UNKNOWN_SCRAP_WEIGHT
        if self.looks_like_a_name(word):
            return UNKNOWN_NAME_WEIGHT  # no English word: a name ("hellbound") or garble
        if word in self.action_words and not corrected:
            return UNKNOWN_ACTION_WEIGHT
        return UNKNOWN_WORD_WEIGHT

    def _echoes(self, reading: Reading, phrasing: Phrasing) -> float:
        """Return the credit for question words the phrasing misses but its intent explains.

        Fans echo the article ("clocked up", "28 days"): a word found in the facts that
        answer this intent is explained, if less surely than by a phrasing; so is a concept
        another phrasing of the intent says.
        """
        text = self.text_of[phrasing.intent]
        siblings = self.concepts_of[phrasing.intent]
        echoed_words = (w for w in reading.unknown if w in text)
        credit = TEXT_MATCH_CREDIT * sum(map(self.unknown_weight, echoed_words))
        for concept, weight in reading.concepts.items():
            if concept in phrasing.concepts:
                continue
            echoed = TEXT_MATCH_CREDIT if reading.said.get(concept, set()) & text else 0.0
            sibling = self.sibling_credit[concept] if concept in siblings else 0.0
            credit += weight * max(echoed, sibling)
        return credit


def _f_beta(precision: float, recall: float) -> float:
    denominator = BETA_SQUARED * precision + recall
    return (1 + BETA_SQUARED) * precision * recall / denominator if denominator else 0.0
