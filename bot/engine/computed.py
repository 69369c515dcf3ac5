"""Answer an operation on the shows' attributes from the article's values, showing them.

Every answer computed from the article's figures says so and shows the figures; an
attribute the article gives for one show but not another is declined for that show by name
("the article gives no hours for Lupin"), never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.engine.attributes import Attribute, AttributeTable, ShowValues, figure_text
from bot.engine.context import either, which_one
from bot.engine.operations import Operation, OperationQuestion, Property

FROM_FIGURES = "from the article's figures"


@dataclass(frozen=True)
class NamedEntity:
    """An entity the article names, how it introduces it, and the sentences saying so."""

    id: str
    summary: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Computed:
    """The result of an operation: answered or declined by name, with what it rests on."""

    answered: bool
    text: str
    shows: tuple[str, ...]
    evidence: tuple[str, ...]
    intent: str
    fact_ids: tuple[str, ...] = ()


class Calculator:
    """Computes an OperationQuestion's answer from an AttributeTable."""

    def __init__(self, table: AttributeTable, named: dict[str, list[NamedEntity]]) -> None:
        """Answer from `table`, and list the article's entities of a kind from `named`."""
        self.table = table
        self.named = named
        self._by_operation: dict[Operation, Callable[[OperationQuestion], Computed]] = {
            Operation.VALUES: self._values,
            Operation.COMPARE: self._compare,
            Operation.CHECK: self._compare,
            Operation.DIFFERENCE: self._difference,
            Operation.RATIO: self._ratio,
            Operation.TOTAL: self._total,
            Operation.SAME: self._same,
            Operation.WHICH: self._which,
            Operation.HAS: self._which,
            Operation.FILTER: self._filter,
            Operation.COUNT: self._count,
            Operation.KIND: self._kind,
            Operation.EVERY_VALUE: self._every_value,
            Operation.WHICH_ONE: self._which_one,
        }

    def answer(self, question: OperationQuestion) -> Computed:
        """Return the answer to `question`, or a decline naming the show the article lacks."""
        if question.shows:
            missing = self._missing(question)
            if missing is not None:
                return missing
        return self._by_operation[question.operation](question)

    # --- helpers --------------------------------------------------------------------------

    def _values(self, question: OperationQuestion) -> Computed:
        shows = [self.table.shows[s] for s in question.shows]
        attribute = question.asked
        said = "; ".join(f"{v.name}: {self._shown(attribute, v)}" for v in shows)
        return self._done(question, f"{said}.", shows)

    def _missing(self, question: OperationQuestion) -> Computed | None:
        """Return a decline naming the shows whose attribute the article does not give."""
        attribute = question.asked
        shows = [self.table.shows[s] for s in question.shows]
        lacking = [v for v in shows if not v.has(attribute)]
        if not lacking:
            return None
        if attribute is Attribute.POSITION and self._beats_all(shows):
            return None  # number one is above every other show on the list
        names = " or ".join(v.name for v in lacking)
        known = [v for v in self.table.shows.values() if v.has(attribute)]
        gives = ", ".join(f"{v.name} ({v.shown(attribute)})" for v in known)
        word = _ATTRIBUTE_WORDS[attribute]
        text = f"The article gives no {word} for {names}"
        text += ", so I can't compare them" if len(shows) > 1 else ""
        text += f": it gives {word} only for {gives}." if gives else "."
        return Computed(False, text, question.shows, (), self._intent(question))

    def _beats_all(self, shows: list[ShowValues]) -> bool:
        """Return whether one of two shows is number one: above any other on the list."""
        return len(shows) == 2 and any(v.position == 1 for v in shows)

    def _ordered(self, question: OperationQuestion) -> list[ShowValues]:
        """Return the shows from the one with the most of the attribute to the least."""
        shows = [self.table.shows[s] for s in question.shows]
        if question.asked is Attribute.POSITION:
            return sorted(shows, key=lambda v: v.position or 1_000)
        return sorted(shows, key=lambda v: -(v.hours.value if v.hours else 0.0))

    def _compare(self, question: OperationQuestion) -> Computed:
        ordered = self._ordered(question)
        winner = ordered[-1] if question.less else ordered[0]
        others = [v for v in ordered if v is not winner]
        if question.asked is Attribute.POSITION:
            verb = "ranks lower" if question.less else "ranks higher"
        else:
            verb = "has fewer hours" if question.less else "has more hours"
        text = f"{winner.name} {verb}: {self._shown(question.asked, winner)}, against "
        text += ", ".join(f"{self._shown(question.asked, v)} for {v.name}" for v in others)
        if question.operation is Operation.CHECK:
            claimed = self.table.shows[question.shows[0]]
            text = f"{'Yes' if claimed is winner else 'No'}: {text}"
        return self._done(question, f"{text}.", ordered)

    @staticmethod
    def _shown(attribute: Attribute, values: ShowValues) -> str:
        if values.has(attribute):
            return values.shown(attribute)
        return "a place the article does not give, below number one"

    def _side_by_side(self, attribute: Attribute, shows: list[ShowValues]) -> str:
        return ", ".join(f"{v.name} {self._shown(attribute, v)}" for v in shows)

    def _difference(self, question: OperationQuestion) -> Computed:
        first, *_, last = self._ordered(question)
        said = self._side_by_side(question.asked, [first, last])
        if question.asked is Attribute.POSITION:
            assert first.position and last.position
            places = last.position - first.position
            text = f"{first.name} is {places} places above {last.name}: {said}."
            return self._done(question, text, [first, last])
        assert first.hours and last.hours
        gap = figure_text(first.hours.value - last.hours.value)
        text = f"{first.name} has about {gap} more hours than {last.name} ({said}), {FROM_FIGURES}"
        if last.hours.lower_bound:
            text += f"; a little less, as {last.name} has more than its figure"
        return self._done(question, text + ".", [first, last])

    def _ratio(self, question: OperationQuestion) -> Computed:
        if question.asked is not Attribute.HOURS:
            return self._compare(question)
        first, *_, last = self._ordered(question)
        assert first.hours and last.hours
        ratio = first.hours.value / last.hours.value
        text = (
            f"{first.name} has about {ratio:.1f} times the hours of {last.name}: "
            f"{figure_text(first.hours.value)} ÷ {figure_text(last.hours.value)} ≈ "
            f"{ratio:.2f}, {FROM_FIGURES}"
        )
        if last.hours.lower_bound:
            text += f" (a little less, as {last.name} has more than its figure)"
        return self._done(question, f"{text}.", [first, last])

    def _total(self, question: OperationQuestion) -> Computed:
        if question.asked is not Attribute.HOURS:
            return self._values(question)
        shows = [self.table.shows[s] for s in question.shows]
        total = sum(v.hours.value for v in shows if v.hours)
        said = " + ".join(f"{v.name} {v.shown(Attribute.HOURS)}" for v in shows)
        bound = any(v.hours and v.hours.lower_bound for v in shows)
        about = "more than" if bound else "about"
        text = f"Together {about} {figure_text(total)} hours: {said}"
        return self._done(question, f"{text}, {FROM_FIGURES}.", shows)

    def _same(self, question: OperationQuestion) -> Computed:
        shows = [self.table.shows[s] for s in question.shows]
        attribute = question.asked
        values = {_words(v, attribute, self.table) for v in shows}
        said = ", ".join(f"{v.name} is {v.shown(attribute)}" for v in shows)
        if attribute is Attribute.COUNTRY:
            same = len({v.country for v in shows}) == 1
        else:
            same = len(values) == 1
        return self._done(question, f"{'Yes' if same else 'No'}: {said}.", shows)

    def _which(self, question: OperationQuestion) -> Computed:
        wanted = question.properties[0]
        shows = [self.table.shows[s] for s in question.shows]
        fitting = [v for v in shows if _fits(v, wanted)]
        said = "; ".join(f"{v.name} is {_described(v, wanted.attribute)}" for v in shows)
        if question.operation is Operation.HAS:
            verdict = "Yes" if len(fitting) == len(shows) else "No"
            return self._done(question, f"{verdict}: {said}.", shows)
        if not fitting:
            return self._done(question, f"Neither: {said}.", shows)
        names = " and ".join(v.name for v in fitting)
        return self._done(question, f"{names}. {said}.", shows)

    def _filter(self, question: OperationQuestion) -> Computed:
        wanted = question.properties
        attribute = question.asked
        candidates = [v for s, v in self.table.shows.items() if s not in question.excluded]
        combine = any if question.any_of else all
        fitting = [v for v in candidates if combine(_fits(v, p) for p in wanted)]
        unknown = [v for v in candidates if not v.has(attribute)]
        kind = _kind_said(question)
        if not fitting:
            return Computed(
                False,
                f"The article names no {kind} show on the list.",
                (),
                (),
                self._intent(question),
            )
        listed = "; ".join(f"{v.name} ({_described(v, attribute)})" for v in fitting)
        text = f"On the list, {kind}: {listed}."
        if unknown and any(p.negated for p in wanted):
            names = " and ".join(v.name for v in unknown)
            text += f" The article does not say the {_ATTRIBUTE_WORDS[attribute]} of {names}."
        return self._done(question, text, fitting)

    def _count(self, question: OperationQuestion) -> Computed:
        counts = []
        for wanted in question.properties:
            fitting = [v for v in self.table.shows.values() if _fits(v, wanted)]
            counts.append((len(fitting), wanted, fitting))
        counts.sort(key=lambda c: c[0], reverse=not question.less)
        said = "; ".join(
            f"{n} {' '.join(sorted(p.words)).capitalize()} ({', '.join(v.name for v in shows)})"
            for n, p, shows in counts
        )
        shows = [v for c in counts for v in c[2]]
        if counts[0][0] == counts[-1][0]:
            return self._done(question, f"The same number: {said}.", shows)
        return self._done(question, f"{counts[0][1].said.capitalize()}: {said}.", shows)

    def _every_value(self, question: OperationQuestion) -> Computed:
        """Return every listed show's value the article gives, naming those it lacks."""
        attribute = question.asked
        listed = [v for s, v in self.table.shows.items() if s not in question.excluded]
        known = [v for v in listed if v.has(attribute)]
        lacking = [v.name for v in listed if not v.has(attribute)]
        word = _ATTRIBUTE_WORDS[attribute]
        if not known:
            text = f"The article gives no {word} for any show on the list."
            return Computed(False, text, (), (), self._intent(question))
        text = "; ".join(f"{v.name}: {self._shown(attribute, v)}" for v in known) + "."
        if lacking:
            text += f" The article gives no {word} for {either(lacking)}."
        return self._done(question, text, known)

    def _kind(self, question: OperationQuestion) -> Computed:
        named = self.named.get(question.kind or "", [])
        if not named:
            return Computed(False, "The article names none of those.", (), (), "kind")
        noun = _KIND_NOUNS.get(question.kind or "", "of them")
        text = f"The article names {len(named)} {noun}: " + " ".join(e.summary for e in named)
        evidence = tuple(dict.fromkeys(s for e in named for s in e.evidence))
        return Computed(True, text, tuple(e.id for e in named), evidence, f"kind_{question.kind}")

    def _which_one(self, question: OperationQuestion) -> Computed:
        names = [self.table.shows[s].name for s in question.shows]
        return Computed(False, which_one(names), question.shows, (), self._intent(question))

    def _done(self, question: OperationQuestion, text: str, shows: list[ShowValues]) -> Computed:
        attributes = [
            a for a in (question.attribute, *(p.attribute for p in question.properties)) if a
        ]
        evidence = dict.fromkeys(
            sentence
            for values in shows
            for attribute in attributes
            for sentence in values.evidence.get(attribute, ())
        )
        facts = dict.fromkeys(
            fact for values in shows for a in attributes for fact in values.facts.get(a, ())
        )
        return Computed(
            True,
            text,
            tuple(v.show for v in shows),
            tuple(evidence),
            self._intent(question),
            tuple(facts),
        )

    @staticmethod
    def _intent(question: OperationQuestion) -> str:
        about = question.attribute.value if question.attribute else question.kind
        return f"{question.operation.value}_{about}"


_KIND_NOUNS = {"person": "people", "outlet": "outlets", "show": "shows", "work": "works"}
_ATTRIBUTE_WORDS = {
    Attribute.HOURS: "hours",
    Attribute.POSITION: "place on the list",
    Attribute.COUNTRY: "country",
    Attribute.GENRE: "genre",
}


def _words(values: ShowValues, attribute: Attribute, table: AttributeTable) -> frozenset[str]:
    said = values.country if attribute is Attribute.COUNTRY else " ".join(values.genres)
    return frozenset(table.form(w) for w in (said or "").casefold().split())


def _kind_said(question: OperationQuestion) -> str:
    """Return the kind of show a filter asks for, in words ("not spanish", "crime or
    mystery")."""
    joined = " or " if question.any_of else " "
    kind = joined.join(" ".join(sorted(p.words)) for p in question.properties)
    return f"not {kind}" if any(p.negated for p in question.properties) else kind


def _fits(values: ShowValues, wanted: Property) -> bool:
    """Return whether a show has (or, negated, is known not to have) the property."""
    if not values.has(wanted.attribute):
        return False
    has = wanted.words <= values.words
    return not has if wanted.negated else has


def _described(values: ShowValues, attribute: Attribute) -> str:
    """Return how the article describes a show: "a French mystery series"."""
    country = values.country or ""
    genre = values.genres[0] if values.genres else ""
    if attribute is Attribute.COUNTRY and not values.country:
        return "of a country the article does not give"
    described = " ".join(filter(None, [_article(country or genre), country, genre]))
    if len(values.genres) > 1:
        described += f" ({', '.join(values.genres[1:])})"
    return described


def _article(word: str) -> str:
    return "an" if word[:1].casefold() in "aeiou" else "a"
