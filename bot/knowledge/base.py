"""The loaded, cross-checked knowledge: what the engine, the quiz and the commands read."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.knowledge.schema import (
    ClauseWords,
    Concept,
    Decision,
    Entity,
    Fact,
    Intent,
    OperationWords,
    QuizEntry,
    Quote,
    Ranking,
    References,
    SourceDocument,
)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the article states, indexed by id. Built by `bot.knowledge.loader`."""

    source: SourceDocument
    article: str
    entities: dict[str, Entity]
    intents: dict[str, Intent]
    facts: dict[str, Fact]
    quotes: dict[str, Quote]
    ranking: Ranking
    # Stop words, chat filler and synonym groups: how fans phrase things, not facts.
    concepts: dict[str, Concept] = field(default_factory=dict)
    fillers: list[str] = field(default_factory=list)
    # Words that name one thing ("france", "french"), to match a question to an answer.
    word_forms: list[list[str]] = field(default_factory=list)
    references: References | None = None
    # How a message is cut into the questions it may hold.
    clauses: ClauseWords | None = None
    # Words that compare, add up or list shows' values ("than", "together", "which").
    operations: OperationWords | None = None
    # The fitted answer/decline decision (knowledge/decision.yaml), if there is one.
    decision: Decision | None = None
    # Quiz questions: the `quiz` section plus any fact's own `quiz`, each checked against
    # its fact so that the right answer is in the article.
    quiz_items: list[QuizEntry] = field(default_factory=list)
    # Common English words: real words, never typos to correct ("lunch" is not "launch").
    dictionary: frozenset[str] = frozenset()
    # Rarer English words: words, not names, though too rare to rule out a typo.
    rare_words: frozenset[str] = frozenset()
    # English words used mostly as verbs or adverbs: seldom what a question is about.
    action_words: frozenset[str] = frozenset()
    # Titles of shows the article does not mention, as written: names to recognise, not facts.
    other_titles: frozenset[str] = frozenset()

    def facts_for(self, intent_id: str) -> list[Fact]:
        """Return the facts that answer the intent `intent_id`."""
        return [f for f in self.facts.values() if intent_id in (f.answers, *f.also_answers)]

    @property
    def phrasing_count(self) -> int:
        """Return how many phrasings all intents hold together."""
        return sum(len(i.phrasings) for i in self.intents.values())
