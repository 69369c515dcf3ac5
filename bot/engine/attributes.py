"""The shows' attributes as entity–attribute values, each with the sentence it rests on.

Derived once from the ranking (`knowledge/ranking.yaml`): hours, position, country and
genres where the article gives them. Comparisons, lists by property and yes/no checks all
answer from this one table, for every show that has the attribute, so no phrasing is needed
per combination of shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from bot.engine.fact_index import word_forms
from bot.engine.text import stems
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import RankingEntry

_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(billion|million|thousand)?", re.IGNORECASE)
_SCALE = {"billion": 1e9, "million": 1e6, "thousand": 1e3, None: 1.0}
# "more than 361 million": the figure is a lower bound.
_LOWER_BOUND = re.compile(r"\b(?:more than|over|at least)\b", re.IGNORECASE)


class Attribute(StrEnum):
    """What a question may ask of a show and compare across shows."""

    HOURS = "hours"
    POSITION = "position"
    COUNTRY = "country"
    GENRE = "genre"

    @property
    def is_number(self) -> bool:
        """Return whether values of this attribute are figures that can be compared."""
        return self in (Attribute.HOURS, Attribute.POSITION)


@dataclass(frozen=True)
class Figure:
    """A number the article gives, as it writes it, and whether it is a lower bound."""

    value: float
    text: str
    lower_bound: bool = False

    @classmethod
    def parse(cls, text: str) -> Figure | None:
        """Return the figure `text` states ("more than 361 million"), None if it has none."""
        match = _NUMBER.search(text)
        if match is None:
            return None
        scale = _SCALE[match.group(2).casefold() if match.group(2) else None]
        shown = _NUMBER.sub(lambda m: " ".join(filter(None, m.groups())), text, count=1)
        return cls(float(match.group(1)) * scale, shown, bool(_LOWER_BOUND.search(text)))


@dataclass(frozen=True)
class ShowValues:
    """What the article says of one show on the list, each value with its evidence."""

    show: str
    name: str
    # The sentences saying each attribute's value.
    evidence: dict[Attribute, tuple[str, ...]]
    hours: Figure | None = None
    position: int | None = None
    country: str | None = None
    genres: tuple[str, ...] = ()
    # Stemmed words that describe the show by country or genre ("spanish", "thriller").
    words: frozenset[str] = frozenset()
    # The facts stating each attribute of this show, cited by answers computed from it.
    facts: dict[Attribute, tuple[str, ...]] = field(default_factory=dict)

    def has(self, attribute: Attribute) -> bool:
        """Return whether the article gives this show's `attribute`."""
        return {
            Attribute.HOURS: self.hours is not None,
            Attribute.POSITION: self.position is not None,
            Attribute.COUNTRY: self.country is not None,
            Attribute.GENRE: bool(self.genres),
        }[attribute]

    def shown(self, attribute: Attribute) -> str:
        """Return this show's `attribute` as an answer says it ("number one", "French")."""
        if attribute is Attribute.HOURS:
            assert self.hours
            return f"{self.hours.text} hours"
        if attribute is Attribute.POSITION:
            assert self.position
            return ordinal(self.position)
        if attribute is Attribute.COUNTRY:
            assert self.country
            return self.country
        return ", ".join(self.genres)


class AttributeTable:
    """Every show on the list with its attributes, and the words that describe each."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Build the table from the ranking of `kb`, in the ranking's order."""
        self.word_form = word_forms(kb)
        nouns = {w for n in (kb.references.nouns if kb.references else []) for w in stems(n)}
        self.shows: dict[str, ShowValues] = {}
        stating = self._facts_stating(kb)
        for entry in kb.ranking.entries:
            self.shows[entry.show] = ShowValues(
                show=entry.show,
                name=kb.entities[entry.show].name,
                evidence=_evidence_by_attribute(entry),
                hours=Figure.parse(entry.hours) if entry.hours else None,
                position=entry.position,
                country=entry.country.value if entry.country else None,
                genres=tuple(genre.value for genre in entry.genres),
                words=self._describing_words(entry, nouns),
                facts=stating.get(entry.show, {}),
            )
        self.describing = frozenset(w for values in self.shows.values() for w in values.words)
        countries = {v.country for v in self.shows.values() if v.country}
        self.country_words = frozenset(
            self.word_form.get(w, w) for c in countries for w in stems(c)
        )

    def _describing_words(self, entry: RankingEntry, nouns: set[str]) -> frozenset[str]:
        """Return the words (one form each) of `entry`'s country and genres, without the
        nouns a show is called by ("crime drama series" describes by "crime", "drama")."""
        said = [entry.country.value] if entry.country else []
        said += [genre.value for genre in entry.genres]
        return frozenset(
            self.word_form.get(w, w)
            for text in said
            for w in stems(text)
            if len(w) > 1 and w not in nouns
        )

    @staticmethod
    def _facts_stating(kb: KnowledgeBase) -> dict[str, dict[Attribute, tuple[str, ...]]]:
        """Return, by show, the ids of the facts stating each attribute (one pass)."""
        attribute_of = {
            intent: Attribute(name)
            for name, intent in (kb.operations.facts if kb.operations else {}).items()
        }
        stating: dict[str, dict[Attribute, tuple[str, ...]]] = {}
        for fact in kb.facts.values():
            if (attribute := attribute_of.get(fact.answers)) is not None:
                of_show = stating.setdefault(fact.about, {})
                of_show[attribute] = (*of_show.get(attribute, ()), fact.id)
        return stating

    def form(self, word: str) -> str:
        """Return the one form of a describing `word` ("spain" is "spanish")."""
        return self.word_form.get(word, word)

    def described(self, words: frozenset[str]) -> list[str]:
        """Return the shows every one of the describing `words` fits, in the list's order."""
        return [s for s, values in self.shows.items() if words <= values.words]


def _evidence_by_attribute(entry: RankingEntry) -> dict[Attribute, tuple[str, ...]]:
    """Return, for each attribute `entry` gives, the sentences of its evidence saying it."""
    said: dict[Attribute, list[str]] = {Attribute.POSITION: [entry.evidence[0]]}
    if entry.hours:
        said[Attribute.HOURS] = [entry.hours]
    if entry.country:
        said[Attribute.COUNTRY] = [entry.country.said]
    said[Attribute.GENRE] = [genre.said for genre in entry.genres]
    return {
        attribute: tuple(
            s for s in entry.evidence if any(s in entry.sentences_saying(w) for w in words)
        )
        or (entry.evidence[0],)
        for attribute, words in said.items()
    }


def ordinal(position: int) -> str:
    """Return `position` as the article says a place on the list ("number one", "fifth")."""
    names = {1: "number one", 2: "second", 3: "third", 4: "fourth", 5: "fifth"}
    return names.get(position, f"number {position}")


def figure_text(value: float) -> str:
    """Return a computed number of hours the way the article writes them ("1.29 billion")."""
    if value >= 1e9:
        return f"{value / 1e9:.2f}".rstrip("0").rstrip(".") + " billion"
    if value >= 1e6:
        return f"{value / 1e6:.0f} million"
    return f"{value:,.0f}"
