"""Stage 3, resolve: what each part means in full. A clause's best-fitting intents, what it
is about (the names it says, an earlier clause's name for a later "it", or in a follow-up
the conversation's focus), and the fact that answers its best intent about that; an
operation's values, computed from the shows' attributes.

Nothing here decides whether to answer: a fact found may still be declined (stage 4).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from bot.engine.computed import Calculator, Computed
from bot.engine.fact_index import FactIndex
from bot.engine.matcher import IntentMatcher, IntentScore
from bot.engine.stages.normalise import Message
from bot.engine.stages.read import Read, ReadMessage
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Fact


@dataclass(frozen=True)
class Focus:
    """What "it" (or nothing named) means while a follow-up is answered: an entity, and the
    topics the conversation was about ("season 2"). Empty outside a follow-up: the show."""

    entity: str | None = None
    topics: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Understood:
    """One clause (or a whole message) resolved: the intents it fits, what it is about, and
    the fact answering the best intent about that, if the article has one."""

    words: tuple[str, ...]  # stemmed, as typed
    reading: Reading  # with the topics an "it" stands for
    scores: tuple[IntentScore, ...]  # best first
    entities: tuple[str, ...]  # named, carried from an earlier clause, or the focus
    focused: bool  # "it" means the conversation's focus: little more need be said
    fact: Fact | None = None

    @property
    def top(self) -> IntentScore | None:
        return self.scores[0] if self.scores else None

    @property
    def corrected(self) -> tuple[str, ...]:
        """Return the words with typos corrected: "is there a frnech show" says French."""
        return tuple(self.reading.typos.get(word, word) for word in self.words)


@dataclass(frozen=True)
class ResolvedMessage:
    """A message resolved whole, and clause by clause when it has two or more."""

    message: Message
    whole: Understood
    clauses: tuple[Understood, ...] = ()


@dataclass(frozen=True)
class ResolvedPart:
    """One part of a question resolved: an operation's result, or a message."""

    text: str
    computed: Computed | None = None
    message: ResolvedMessage | None = None


@dataclass(frozen=True)
class Resolved:
    """What stage 3 hands on: the question's parts, resolved."""

    text: str
    parts: tuple[ResolvedPart, ...]
    computes: bool  # a part is an operation: the answer is computed from values


class FactFinder:
    """Finds the fact answering an intent about the entities a question means."""

    def __init__(self, kb: KnowledgeBase, facts: FactIndex, vocabulary: Vocabulary) -> None:
        self.kb = kb
        self.facts = facts
        self.vocabulary = vocabulary

    def find(
        self,
        intent: str,
        entities: Iterable[str],
        words: tuple[str, ...],
        excluded: Collection[str] = (),
    ) -> Fact | None:
        """Return the fact answering `intent` about the named `entities` (default: the show).

        No fact about an `excluded` name answers ("which spanish show besides money heist").
        """
        entities = list(entities)
        if not entities:
            return self._about_nothing_named(intent, words, excluded)
        fitting = [f for f in self.facts.naming(intent, entities) if f.about not in excluded]
        for entity in entities:
            for fact in fitting:
                if fact.about == entity:
                    return fact
        return fitting[0] if len(fitting) == 1 else None

    def _about_nothing_named(
        self, intent: str, words: tuple[str, ...], excluded: Collection[str]
    ) -> Fact | None:
        """Return the fact answering `intent` for a question naming nothing: the show's own,
        or for a question about no show in particular, the one its words point at."""
        if self.kb.intents[intent].about_subject:
            subject = self.kb.source.subject
            if subject in excluded:
                return None
            facts = self.facts.naming(intent, [subject])
            return next((f for f in facts if f.about == subject), None)
        facts = [f for f in self.facts.by_intent.get(intent, []) if f.about not in excluded]
        return facts[0] if len(facts) == 1 else self._closest(facts, words)

    def _closest(self, facts: list[Fact], words: tuple[str, ...]) -> Fact | None:
        """Return the one fact whose answer shares the most of the question's `words`."""
        content = self.facts.forms(self.vocabulary.content_words(words))
        # "which show from france…": only an answer saying French will do.
        named = content & self.facts.named_forms
        facts = [f for f in facts if named <= self.facts.answer_forms(f)]
        overlaps = [(len(content & self.facts.answer_forms(f)), f) for f in facts]
        overlaps.sort(key=lambda pair: -pair[0])
        if overlaps and overlaps[0][0] and (len(overlaps) == 1 or overlaps[1][0] < overlaps[0][0]):
            return overlaps[0][1]
        return None


class Resolver:
    """Scores intents, carries names and topics from clause to clause, finds facts, and
    computes operations."""

    def __init__(
        self,
        kb: KnowledgeBase,
        matcher: IntentMatcher,
        finder: FactFinder,
        calculator: Calculator,
    ) -> None:
        self.kb = kb
        self.matcher = matcher
        self.finder = finder
        self.calculator = calculator
        self.topic_concepts = {name for name, concept in kb.concepts.items() if concept.topic}

    def resolve(self, read: Read, focus: Focus) -> Resolved:
        """Return every part of `read` resolved, with "it" meaning `focus` if it is set."""
        parts = tuple(
            ResolvedPart(
                part.text,
                computed=self.calculator.answer(part.operation) if part.operation else None,
                message=self.message(part.message, focus) if part.message else None,
            )
            for part in read.parts
        )
        return Resolved(read.text, parts, read.computes)

    def message(self, read: ReadMessage, focus: Focus) -> ResolvedMessage:
        """Return `read` resolved whole and clause by clause: a later "it" means the name an
        earlier clause gave, or a topic it asked about."""
        whole = self.understand(read.message.words, read.whole, [], {}, focus)
        clauses: list[Understood] = []
        carried: list[str] = []
        topics: dict[str, float] = {}
        for clause, reading in zip(read.message.clauses, read.clauses, strict=False):
            understood = self.understand(clause.words, reading, carried, topics, focus)
            carried = _carried(understood.reading, carried)
            topics = self._topics(understood.reading) or topics
            clauses.append(understood)
        return ResolvedMessage(read.message, whole, tuple(clauses))

    def understand(
        self,
        words: tuple[str, ...],
        reading: Reading,
        carried: list[str],
        topics: Mapping[str, float],
        focus: Focus,
    ) -> Understood:
        """Return what `reading` of `words` asks and about what: its names, else those
        `carried` from an earlier clause, else (a follow-up) the focus."""
        reading = _with_topics(reading, topics, focus)
        scores = self.matcher.score(reading)
        entities = reading.entities or carried
        if not entities and focus.entity and scores and self._about_one(scores[0].intent):
            entities = [focus.entity]  # a follow-up: "it" is what the conversation is about
        # "where is it from?" asks little by itself; of what the conversation is about, enough.
        focused = reading.pointing and focus.entity is not None and entities == [focus.entity]
        fact = None
        if scores:
            # As read: "is there a frnech show" is French for telling which show is meant.
            corrected = tuple(reading.typos.get(word, word) for word in words)
            about = self._fact_about(reading, scores[0].intent, entities)
            fact = self.finder.find(scores[0].intent, about, corrected, reading.excluded)
        return Understood(words, reading, tuple(scores), tuple(entities), focused, fact)

    def _fact_about(self, reading: Reading, intent: str, entities: list[str]) -> list[str]:
        """Return what the fact must be about: the names meant, but for a part pointing at
        nothing that asks about no one subject ("…, and how many days does the list
        count?"), none: a name carried from an earlier part is no "it" there."""
        free = not reading.anchored and not self._about_one(intent)
        return [] if free else entities

    def _about_one(self, intent: str) -> bool:
        """Return whether `intent`'s question is about one named thing ("who directed it"),
        not answered by the article whatever is named ("which show is number one")."""
        return self.kb.intents[intent].about_subject

    def _topics(self, reading: Reading) -> dict[str, float]:
        """Return the concepts of `reading` that a later "it" may point at."""
        return {c: w for c, w in reading.concepts.items() if c in self.topic_concepts}


def _with_topics(reading: Reading, topics: Mapping[str, float], focus: Focus) -> Reading:
    """Return `reading` with the topics an "it" stands for ("…season 2 confirmed, and what
    would it be about": season 2); a follow-up naming nothing ("release date??" after "is
    there a season 2?") asks about them as "it" would."""
    bare_follow_up = not topics and focus.entity is not None and not reading.anchored
    topics = topics or focus.topics
    pointing = reading.pointing or bare_follow_up
    if topics and pointing and reading.concepts and not reading.entities:
        return replace(reading, concepts={**topics, **reading.concepts})
    return reading


def _carried(reading: Reading, carried: list[str]) -> list[str]:
    """Return what a later "it" means after `reading`: the name it gave, if any.

    A part that says "it" before a name ("how does it compare to squid game") means by "it"
    something else than that name: the show, as with nothing named.
    """
    if not reading.entities:
        return carried
    return [] if reading.points_before_naming else reading.entities


def describe(resolved: Resolved) -> list[str]:
    """Return what `explain` prints of stage 3."""
    lines = ["resolve:"]
    for number, part in enumerate(resolved.parts, 1):
        if part.computed is not None:
            lines.append(
                f"  part {number}: computed answered={part.computed.answered} "
                f"{part.computed.text[:120]!r}"
            )
        elif part.message is not None:
            lines.append(f"  part {number} whole: {_understood(part.message.whole)}")
            lines += _scores(part.message.whole)
            for index, understood in enumerate(part.message.clauses, 1):
                lines.append(f"    clause {index}: {_understood(understood)}")
                lines += _scores(understood)
    return lines


def _understood(understood: Understood) -> str:
    fact = understood.fact.id if understood.fact else None
    return f"about={list(understood.entities)} focused={understood.focused} fact={fact}"


def _scores(understood: Understood) -> list[str]:
    return [
        f"      {score.intent:<24} {score.score:.2f} (p={score.precision:.2f} "
        f"r={score.recall:.2f}) via {score.phrasing!r}"
        for score in understood.scores[:4]
    ]
