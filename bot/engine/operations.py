"""Read a question that does something with several shows' values: compare, add up, list.

"which has more hours, squid game or aouad?", "are money heist and elite from the same
country?", "which shows on the list are spanish?": the attribute asked (hours, position,
country, genre), the shows it is about (named, or described: "the french one", "the
fifth"), and the operation. A question this reader does not recognise as such is left to
the intent matcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from bot.engine.attributes import Attribute, AttributeTable
from bot.engine.config import EngineConfig
from bot.engine.numbers import cardinal
from bot.engine.text import stem, stems, tokens
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import OperationWords

# The kinds of operation word the lexicon lists (OperationWords' fields of that name).
CUE_KINDS = (
    "more",
    "less",
    "compare",
    "difference",
    "ratio",
    "total",
    "same",
    "negation",
    "choose",
    "listing",
    "yes_no",
    "mentioned",
)


class Operation(StrEnum):
    """What a question does with the values of the shows it names."""

    VALUES = "values"  # each show's value side by side
    COMPARE = "compare"  # which of them has more (or less)
    CHECK = "check"  # a yes/no claim that one has more than another
    DIFFERENCE = "difference"
    RATIO = "ratio"
    TOTAL = "total"
    SAME = "same"  # do they share a country or genre
    WHICH = "which"  # which of them has a property
    HAS = "has"  # does each of them have a property (yes/no)
    FILTER = "filter"  # every show on the list with (or without) a property
    EVERY_VALUE = "every_value"  # every show on the list with its value, where given
    COUNT = "count"  # which of two properties more shows have
    KIND = "kind"  # every entity of a kind the article names ("the people named")
    WHICH_ONE = "which_one"  # "the spanish one" fits several shows: ask which is meant


@dataclass(frozen=True)
class Property:
    """A country or genre a question names ("spanish", "crime drama"), maybe negated."""

    attribute: Attribute
    words: frozenset[str]
    negated: bool = False
    said: str = ""  # as the question says it ("spain"), to answer in its words
    singular: bool = False  # "the spanish one": one show meant, not every Spanish one


@dataclass(frozen=True)
class OperationQuestion:
    """A question read as an operation on the shows' attributes."""

    operation: Operation
    attribute: Attribute | None
    shows: tuple[str, ...] = ()
    properties: tuple[Property, ...] = ()
    less: bool = False  # asks for the smaller ("fewer hours", "lower")
    excluded: tuple[str, ...] = ()
    any_of: bool = False  # "crime or mystery shows": either property will do
    kind: str | None = None  # the kind of entity listed, for Operation.KIND

    @property
    def asked(self) -> Attribute:
        """Return the attribute asked (every operation but KIND has one)."""
        assert self.attribute is not None, self.operation
        return self.attribute


# The concept of "every", "all the": a kind said after it means all of that kind.
EVERY = "whole"


@dataclass
class _Cues:
    """Where each kind of operation word was said in a question, by word index."""

    found: dict[str, list[int]] = field(default_factory=dict)
    covered: set[int] = field(default_factory=set)  # every word of every operation phrase

    def has(self, kind: str) -> bool:
        return kind in self.found

    def first(self, kind: str) -> int:
        return self.found[kind][0] if kind in self.found else -1

    def at(self, kind: str, index: int) -> bool:
        return index in self.found.get(kind, [])


class OperationReader:
    """Tells questions about several shows' values from others, and reads them."""

    def __init__(
        self,
        kb: KnowledgeBase,
        vocabulary: Vocabulary,
        table: AttributeTable,
        config: EngineConfig,
    ) -> None:
        """Index the operation words of `kb`'s lexicon; without them, nothing is read."""
        self.config = config
        self.vocabulary = vocabulary
        self.table = table
        self.words: OperationWords | None = kb.operations
        self._place_concepts = _place_concepts(kb, vocabulary)
        self.subject = kb.source.subject
        self.article_subject = kb.source.subject  # `subject` is another show in a follow-up
        # The attribute a follow-up comparison means when it names none ("is that more than
        # the top show?" after a question about hours); set by the engine for follow-ups.
        self.focus_attribute: Attribute | None = None
        self._cues: dict[str, set[tuple[str, ...]]] = {}
        self._cue_kinds: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._comparing: set[tuple[str, ...]] = set()
        self._attribute_of: dict[str, Attribute] = {}
        self._ordinals: dict[tuple[str, ...], int] = {}
        if self.words is None:
            return
        self._index_cues(self.words)
        self._index_attributes(self.words)
        self._index_places_and_kinds(self.words)
        self._determiners = vocabulary.determiners
        # The words that name the list itself ("list", "chart", "ranking").
        self._list_words = {
            key[0]
            for key, concept in vocabulary.phrases.items()
            if len(key) == 1 and concept == "list"
        }
        # "it", "he": a question pointing at one show; not "that"/"this", which are also
        # determiners ("that top ten").
        self._pointers = vocabulary.pronouns - self._determiners
        self._nouns = {w for noun in vocabulary.nouns for w in noun}
        self._near_pointers = {stem(w) for w in self.words.near_pointers}
        self._alternatives = {stem(w) for w in self.words.alternatives}
        self._joins = {stem(w) for w in self.words.joins}
        self._hours_first = set(self.words.hours_first)
        self._triggers = self._trigger_words(table)
        self._show_first_words = {
            key[0]: show
            for key, show in vocabulary.aliases.items()
            if show in table.shows and key and key[0] not in self._determiners
        }

    def _index_cues(self, words: OperationWords) -> None:
        """Index each kind of operation word, and each phrase with the kinds it is a word of
        ("or" compares and lists)."""
        for kind in CUE_KINDS:
            self._cues[kind] = {stems(w) for w in getattr(words, kind)}
        for kind, phrases in self._cues.items():
            for phrase in phrases:
                self._cue_kinds[phrase] = (*self._cue_kinds.get(phrase, ()), kind)
        # The words that set one show above or below another ("beat", "above").
        self._comparing = self._cues["more"] | self._cues["less"]
        self._judged = {stem(w) for w in words.judged}
        self._performed = {stem(w) for w in words.performed}

    def _index_attributes(self, words: OperationWords) -> None:
        """Index the concepts naming each attribute, and those such a question may say."""
        for name, concepts in words.attributes.items():
            for concept in concepts:
                self._attribute_of.setdefault(concept, Attribute(name))
        self._allowed = {*self._attribute_of, *words.neutral}
        self._parts = set(words.parts)
        self._across = set(words.across)
        # Words read as a country or genre ("spanish", "thriller") may name a property;
        # "zombie" or a word describing the subject ("the korean zombie show") does not.
        self._property_concepts = {
            c for c, a in self._attribute_of.items() if a in (Attribute.COUNTRY, Attribute.GENRE)
        }

    def _index_places_and_kinds(self, words: OperationWords) -> None:
        """Index the places on the list said as words ("the fifth") and the plural nouns of
        each kind of entity."""
        for position, said in words.ordinals.items():
            for phrase in said:
                self._ordinals[stems(phrase)] = position
        self._kinds = {
            tuple(tokens(word)): kind for kind, said in words.kinds.items() for word in said
        }
        # "every person named": one of a kind after a word for all of them is the plural.
        self._kinds_one = {stems(word): kind for kind, said in words.kinds.items() for word in said}

    def _trigger_words(self, table: AttributeTable) -> set[str]:
        """Return the words without which a question is no operation: a comparison, a
        property, a place or a kind."""
        cue_kinds = ("more", "less", "compare", "difference", "ratio", "total", "same")
        triggers = {
            w for kind in (*cue_kinds, "mentioned") for phrase in self._cues[kind] for w in phrase
        }
        triggers |= set(table.describing) | set(table.word_form)
        triggers |= {w for words in self._ordinals for w in words}
        triggers |= {w for words in self._kinds for w in words}
        return triggers

    def read(self, text: str, excluded: Sequence[str] = ()) -> OperationQuestion | None:
        """Return `text` read as an operation on shows' values, or None if it is not one.

        `excluded` names shows an earlier part of the message left out ("apart from money
        heist, which spanish show …").
        """
        if self.words is None:
            return None
        raw = stems(text)
        if len(raw) > self.config.max_operation_words:
            return None
        if self._not_an_operation(raw):
            return None
        reading = self.vocabulary.read(raw)
        if reading.others:
            return None
        cues = self._find_cues(raw, reading.words)
        if kind := self._kind_listed(reading, cues, tokens(text)):
            return OperationQuestion(Operation.KIND, None, kind=kind)
        if self._names_other_than_shows(reading):
            return None
        if self._asks_more(reading, cues):
            return None
        named = self._named(reading)
        properties, described = self._properties(reading, cues, tokens(text), len(named) < 2)
        shows = self._shows(reading, cues, [*named, *described])
        if not shows and (which := self._which_one(reading, cues, properties)):
            return which
        if properties:
            return self._with_properties(reading, cues, shows, properties, excluded)
        if not shows:
            return self._every_value(reading, cues, tokens(text), excluded)
        if len(shows) == 1 and not named and not described:
            return self._of_placed(reading, cues, shows[0])
        return self._with_figures(reading, cues, shows)

    def _of_placed(self, reading: Reading, cues: _Cues, show: str) -> OperationQuestion | None:
        """Return the question of one show described by its place ("how many hours did the
        top show get"): its value, never the article's show's."""
        attribute = self._attribute(reading, cues)
        if attribute is None or attribute is Attribute.POSITION:
            return None  # "what is the top show" is answered by the intents
        if any(cues.has(kind) for kind in ("more", "less", "difference", "ratio")):
            return None  # a comparison needs another show; "its total" is its value
        return OperationQuestion(Operation.VALUES, attribute, (show,))

    def _not_an_operation(self, raw: tuple[str, ...]) -> bool:
        """Return whether `raw` is surely no operation: most questions compare, list or
        describe nothing; a judgment ("is it better") no value answers."""
        if self._triggers.isdisjoint(raw) and len(self._shows_named(raw)) < 2:
            return True
        return self._judges(raw)

    def _judges(self, raw: tuple[str, ...]) -> bool:
        """Return whether `raw` weighs shows by a judgment ("is it better") rather than by
        what they did ("which did way better", a doing word before the judging one): no
        value of the article answers a judgment."""
        return any(
            word in self._judged and self._performed.isdisjoint(raw[:index])
            for index, word in enumerate(raw)
        )

    # --- what was said where ------------------------------------------------------------

    def _names_other_than_shows(self, reading: Reading) -> bool:
        """Return whether `reading` names a person, work or outlet: not about shows' values."""
        return any(e not in self.table.shows for e in reading.entities)

    def _shows_named(self, raw: tuple[str, ...]) -> set[str]:
        """Return the shows whose name's first word `raw` says (a cheap first look)."""
        return {self._show_first_words[w] for w in raw if w in self._show_first_words}

    def _kind_listed(self, reading: Reading, cues: _Cues, plain: list[str]) -> str | None:
        """Return the kind of entity a question asks the article's list of ("who are the
        people named in the article"): a plural kind noun, "named"/"cited", and no name."""
        if not cues.has("mentioned") or any(e != self.subject for e in reading.entities):
            return None
        for start in range(len(plain)):
            every = start > 0 and reading.claims[start - 1] == EVERY
            for size in (2, 1):
                kind = self._kinds.get(tuple(plain[start : start + size]))
                if every and kind is None:
                    kind = self._kinds_one.get(reading.words[start : start + size])
                if kind:
                    return kind
        return None

    def _asks_more(self, reading: Reading, cues: _Cues) -> bool:
        """Return whether `reading` asks something besides shows' values: a concept no such
        question says ("who directed it"), or more unknown words than chat has. Operation
        words count as neither ("add up" is no calculation rule, "gap" no unknown)."""
        unknown = 0
        parts = self._parts_of_shows(reading)
        for index, claim in enumerate(reading.claims):
            if index in cues.covered or self._continues_cue(reading, cues, index):
                continue
            if index in parts:
                continue
            if claim is None:
                unknown += 1
            elif claim and not claim.startswith(("@", "!")) and claim not in self._allowed:
                return True
        return unknown > self.config.max_operation_unknown

    def _parts_of_shows(self, reading: Reading) -> set[int]:
        """Return where `reading` names a part of the show named right before it, and its
        number ("money heist season 4"): as far as values go, that is the show."""
        found: set[int] = set()
        claims, words = reading.claims, reading.words
        for index in range(1, len(claims) - 1):
            named = str(claims[index - 1]).startswith("@")
            numbered = cardinal(words[index + 1]) is not None  # "season 4", "season 5"
            if named and claims[index] in self._parts and numbered:
                found.update((index, index + 1))
        return found

    @staticmethod
    def _continues_cue(reading: Reading, cues: _Cues, index: int) -> bool:
        """Return whether word `index` ends a phrase an operation word starts ("compare
        to", read as one concept): it says no more than the operation word does."""
        before = index - 1
        return before in cues.covered and reading.claims[before] == reading.claims[index]

    def attribute_said(self, text: str) -> Attribute | None:
        """Return the shows' attribute `text` names in words ("hours", "ranked"), if any."""
        raw = stems(text)
        reading = self.vocabulary.read(raw)
        return self._attribute(reading, self._find_cues(raw, reading.words))

    def _find_cues(self, raw: tuple[str, ...], read: tuple[str, ...]) -> _Cues:
        """Return where each kind of operation word is said, as typed or as read."""
        cues = _Cues()
        for words in {raw, read}:
            for start in range(len(words)):
                for size in (3, 2, 1):
                    kinds = self._cue_kinds.get(words[start : start + size])
                    if kinds is None:
                        continue
                    for kind in kinds:
                        at = cues.found.setdefault(kind, [])
                        if start not in at:
                            at.append(start)
                    cues.covered.update(range(start, start + size))
        for positions in cues.found.values():
            positions.sort()
        return cues

    def _properties(
        self, reading: Reading, cues: _Cues, plain: list[str], may_describe: bool
    ) -> tuple[list[Property], list[str]]:
        """Return the countries and genres said as properties, and the shows described by
        them ("the french one") when `may_describe`: runs of describing words, each read
        once. Beside two named shows a description is what is asked ("which is the crime
        drama, money heist or lupin")."""
        words = reading.words
        beside_names = not may_describe  # two shows named: `may_describe` is fewer
        properties: list[Property] = []
        described: list[str] = []
        index = 0
        while index < len(words):
            if not self._is_property_word(reading, index, beside_names):
                index += 1
                continue
            end = index
            while end < len(words) and self._is_property_word(reading, end, beside_names):
                end += 1
            prop = self._property(reading, cues, plain, index, end)
            shows = self.table.described(prop.words)
            if may_describe and prop.singular and not prop.negated and len(shows) == 1:
                described.append(shows[0])
            else:
                properties.append(prop)
            index = end
        return properties, described

    def _property(
        self, reading: Reading, cues: _Cues, plain: list[str], index: int, end: int
    ) -> Property:
        """Return the property said by the describing words from `index` to `end`."""
        words = reading.words
        said = frozenset(self.table.form(w) for w in words[index:end])
        negated = any(cues.at("negation", i) for i in range(max(0, index - 2), index))
        attribute = Attribute.COUNTRY if said & self.table.country_words else Attribute.GENRE
        determined = index > 0 and words[index - 1] in self._determiners
        plural = end < len(plain) and _plural(plain[end], words[end])
        typed = " ".join(plain[index:end])
        return Property(attribute, said, negated, typed, singular=determined and not plural)

    def _which_one(
        self, reading: Reading, cues: _Cues, properties: list[Property]
    ) -> OperationQuestion | None:
        """Return the question back for something asked of "the spanish one" when several
        shows are Spanish ("what genre is the spanish one"), or None. Asking which show it
        is ("which is the spanish one") is answered by listing them."""
        asked = self._attribute(reading, cues)
        for prop in properties:
            if not prop.singular or prop.negated or asked in (None, prop.attribute):
                continue
            shows = self.table.described(prop.words)
            if len(shows) > 1:
                return OperationQuestion(Operation.WHICH_ONE, asked, tuple(shows), (prop,))
        return None

    def _is_property_word(self, reading: Reading, index: int, beside_names: bool) -> bool:
        """Return whether the word at `index` names a country or genre a show has. Beside
        two named shows, so does a word read as describing the subject ("which is the
        zombie show, elite or all of us are dead"): there the description is what is asked
        (but not a word of a show's name)."""
        claim = reading.claims[index] if index < len(reading.claims) else None
        word = self.table.form(reading.words[index])
        if word not in self.table.describing or (claim or "").startswith("@"):
            return False
        return beside_names or claim in self._property_concepts

    def _named(self, reading: Reading) -> list[str]:
        """Return the shows named, in the order the question says them."""
        shows: list[str] = []
        for claim in reading.claims:
            show = claim[1:] if claim and claim.startswith("@") else None
            if show in self.table.shows and show not in reading.excluded and show not in shows:
                shows.append(show)
        return shows

    def _shows(self, reading: Reading, cues: _Cues, said: list[str]) -> list[str]:
        """Return the shows named or described, in the order the question says them."""
        shows: list[str] = []
        for show in [*said, *self._by_place(reading.words)]:
            if show not in shows:
                shows.append(show)
        # In a follow-up about another show, a comparison naming one show compares the two.
        follow_up = self.subject != self.article_subject
        if len(shows) == 1 and (reading.pointing or follow_up) and self._compares(cues):
            # "is it more watched than squid game": "it" is the show the article is about.
            subject = self.subject
            if subject in self.table.shows and subject not in shows:
                if reading.points_before_naming:
                    shows.insert(0, subject)
                else:
                    shows.append(subject)
        return shows

    def _compares(self, cues: _Cues) -> bool:
        """Return whether the question sets two shows' figures against each other (more,
        less, a total, a difference, a ratio), or in a follow-up says "compare" or "same"
        ("compare it with squid game", "is it from the same country as lupin")."""
        follow_up = self.focus_attribute is not None or self.subject != self.article_subject
        compare = follow_up and (cues.has("compare") or cues.has("same"))
        # "what's that plus squid game's total?": adding up or dividing needs two shows too.
        figures = any(cues.has(kind) for kind in ("more", "less", "total", "difference", "ratio"))
        return figures or compare

    def shows_by_place(self, words: tuple[str, ...]) -> list[str]:
        """Return the shows `words` describe by their place ("the fifth", "the top show")."""
        return self._by_place(words)

    def shows_placed(self, words: tuple[str, ...]) -> list[str]:
        """Return the shows at the places `words` say anywhere ("the show that came fifth",
        "the drama sitting at number five"), not a span of the list ("the top ten")."""
        found: list[str] = []
        for start in range(len(words)):
            if place := self._place_at(words, start):
                found += self._shows_at(place[0])
        return found

    def _by_place(self, words: tuple[str, ...]) -> list[str]:
        """Return the shows described by their place after "the" ("the fifth", "the top
        show"), not a span of the list ("the top ten")."""
        found: list[str] = []
        for start in range(1, len(words)):
            if words[start - 1] not in self._determiners:
                continue
            place = self._place_at(words, start)
            # "the top non-english list" is the list, not the show at the top.
            if place and not self._names_the_list(words, place[1]):
                found += self._shows_at(place[0])
        return found

    def _place_at(self, words: tuple[str, ...], start: int) -> tuple[int, int] | None:
        """Return the place `words` say at `start` and where its words end, unless they
        start a span of the list ("the top ten", "top 5")."""
        for size in (2, 1):
            position = self._ordinals.get(tuple(words[start : start + size]))
            if position is None:
                continue
            after = words[start + size] if start + size < len(words) else ""
            count = cardinal(after)
            if count is not None and count > 1:  # "the top 10"; "the top one" is a place
                return None
            return position, start + size
        return None

    def _shows_at(self, position: int) -> list[str]:
        """Return the shows the article puts at `position`."""
        return [s for s, v in self.table.shows.items() if v.position == position]

    def _names_the_list(self, words: tuple[str, ...], after: int) -> bool:
        """Return whether a word naming the list ("list", "chart") follows `after` with
        only words of meaning between: a place word before it names the list ("the top
        non-english list"), unlike one before "of the list" ("the top of the list")."""
        claims = self.vocabulary.read(words).claims
        for index in range(after, min(len(words), after + self.config.list_name_reach)):
            if words[index] in self._list_words:
                return True
            if not claims[index]:
                return False
        return False

    def _before_the_list_word(self, reading: Reading, index: int) -> bool:
        """Return whether word `index` is part of the list's name: "top" before it ("the
        top non-english list"), a figure word before its noun with only words of meaning
        between ("the most-watched non-english list"), not "the most hours on the list"."""
        words, claims = reading.words, reading.claims
        if claims[index] == "top":
            return self._names_the_list(words, index + 1)
        for after in range(index + 1, min(len(words), index + 1 + self.config.list_name_reach)):
            if words[after] in self._list_words:
                return True
            if not claims[after] or claims[after] == "list":  # "hours on the list"
                return False
        return False

    def _placed(self, reading: Reading) -> bool:
        """Return whether every place word of `reading` describes a show ("the top show")."""
        for index, claim in enumerate(reading.claims):
            position = claim and self._attribute_of.get(claim) is Attribute.POSITION
            if position and (index == 0 or reading.words[index - 1] not in self._determiners):
                return False
        return True

    def _only_compared(self, reading: Reading) -> bool:
        """Return whether every place word of `reading` is a comparing word ("beat",
        "above"), which says one show is ahead, not in which of their values."""
        return all(
            (word,) in self._comparing
            for claim, word in zip(reading.claims, reading.words, strict=False)
            if claim and self._attribute_of.get(claim) is Attribute.POSITION
        )

    # --- deciding the operation ---------------------------------------------------------

    def _attribute(self, reading: Reading, cues: _Cues) -> Attribute | None:
        said = self._attributes_said(reading, cues)
        if Attribute.HOURS in said and (
            cues.has("difference") or cues.has("ratio") or cues.has("total")
        ):
            return Attribute.HOURS
        if not said:
            return None
        if Attribute.POSITION in said and Attribute.HOURS in said:
            # "ranked higher" asks the place; "more watched", "more hours" the hours.
            hours_said = not self._hours_first.isdisjoint(reading.concepts)
            return Attribute.HOURS if hours_said else Attribute.POSITION
        return said[0]

    def _attributes_said(self, reading: Reading, cues: _Cues) -> list[Attribute]:
        """Return the attributes `reading` names, only the figures among them when it says
        "more" or "less" ("which spanish show has more hours": a country is not more)."""
        said = [self._attribute_of[c] for c in reading.concepts if c in self._attribute_of]
        if cues.has("more") or cues.has("less"):
            said = [a for a in said if a.is_number] or said
        return said

    def _with_figures(
        self, reading: Reading, cues: _Cues, shows: list[str]
    ) -> OperationQuestion | None:
        if len(shows) < 2:
            return None
        attribute = self._attribute(reading, cues)
        if (
            attribute is Attribute.POSITION
            and self.focus_attribute
            and (self._placed(reading) or self._only_compared(reading))
        ):
            # "is that more than the top show?": "top" says which show; "did aouad beat
            # that?": "beat" compares; neither names the place as what is compared.
            attribute = None
        if attribute is None and self._compares(cues):
            attribute = self.focus_attribute or Attribute.POSITION  # "is squid game above aouad"
        if attribute is None:
            return None
        less = cues.has("less") and (
            not cues.has("more") or cues.first("less") < cues.first("more")
        )
        if cues.has("same") and not attribute.is_number:
            return OperationQuestion(Operation.SAME, attribute, tuple(shows))
        if not attribute.is_number:
            return OperationQuestion(Operation.VALUES, attribute, tuple(shows))
        operation = self._figure_operation(reading, cues)
        return OperationQuestion(operation, attribute, tuple(shows), less=less)

    def _figure_operation(self, reading: Reading, cues: _Cues) -> Operation:
        # "how much more watch time": a difference said outright outweighs a "time" that
        # only names what is counted; "how many times more" says no difference phrase.
        if cues.has("ratio") and not cues.has("difference"):
            return Operation.RATIO
        if cues.has("difference") or self._asks_how_much_more(reading, cues):
            return Operation.DIFFERENCE
        if cues.has("total"):
            return Operation.TOTAL
        if cues.has("more") or cues.has("less"):
            asks_yes_no = cues.first("yes_no") == 0 and not cues.has("choose")
            return Operation.CHECK if asks_yes_no else Operation.COMPARE
        if cues.has("compare"):
            return Operation.COMPARE
        return Operation.VALUES  # "how many hours did squid game and aouad get"

    def _asks_how_much_more(self, reading: Reading, cues: _Cues) -> bool:
        """Return whether "how many" asks the size of a "more"/"beat" in the same clause
        ("by how many hours does squid game beat it"), not a figure beside a yes/no
        ("how many hours has it got, and is it better than squid game")."""
        asks = [i for i, claim in enumerate(reading.claims) if claim == "how_many"]
        compared = [i for kind in ("more", "less") for i in cues.found.get(kind, [])]
        # Any "how many" will do: "how many hours does squid game have, and how much is
        # that above aouad's" asks the size in its second clause.
        return any(
            0 < i - ask <= self.config.clause_reach and self._joins.isdisjoint(reading.words[ask:i])
            for ask in asks
            for i in compared
        )

    def _with_properties(
        self,
        reading: Reading,
        cues: _Cues,
        shows: list[str],
        properties: list[Property],
        excluded: Sequence[str],
    ) -> OperationQuestion | None:
        attribute = properties[0].attribute
        if len(shows) >= 2:
            compared = self._attribute(reading, cues)
            if compared is not None and compared.is_number and self._compares(cues):
                # "which spanish show has more hours, elite or money heist": the hours
                # are compared; "spanish" only says which shows.
                return self._with_figures(reading, cues, shows)
            operation = Operation.WHICH if cues.has("choose") else Operation.HAS
            if cues.has("same"):
                operation = Operation.SAME
            return OperationQuestion(operation, attribute, tuple(shows), tuple(properties[:1]))
        if shows:
            return None  # "is lupin french": the intents answer one show's attribute
        if self._points_at_subject(reading, cues):
            # "is this show a korean drama or from somewhere else": the show itself.
            return OperationQuestion(
                Operation.HAS, attribute, (self.subject,), tuple(properties[:1])
            )
        if not self._asks_about_shows(reading) or self._describes_none(reading):
            return None
        return self._across_the_list(reading, cues, properties, excluded)

    def _across_the_list(
        self,
        reading: Reading,
        cues: _Cues,
        properties: list[Property],
        excluded: Sequence[str],
    ) -> OperationQuestion | None:
        """Return the operation over every show on the list with `properties` ("which shows
        are spanish", "are more of them korean or spanish"), if the question asks one."""
        attribute = properties[0].attribute
        values = {p.words for p in properties if p.attribute is attribute}
        if len(values) >= 2 and (cues.has("more") or cues.has("less")):
            return OperationQuestion(
                Operation.COUNT, attribute, properties=tuple(properties), less=cues.has("less")
            )
        if cues.has("listing") or cues.has("yes_no"):
            return OperationQuestion(
                Operation.FILTER,
                attribute,
                properties=tuple(properties),
                excluded=tuple(e for e in [*excluded, *reading.excluded] if e in self.table.shows),
                any_of=not self._alternatives.isdisjoint(reading.words),
            )
        return None

    def _every_value(
        self, reading: Reading, cues: _Cues, plain: list[str], excluded: Sequence[str]
    ) -> OperationQuestion | None:
        """Return the question of every listed show's value ("what countries do the shows
        on the list come from", "each show on the list with its hours"): it names no show,
        says the shows or the list in the plural or with "each", "all", asks an attribute
        and compares nothing."""
        attribute = self._attribute(reading, cues)
        if attribute is None or reading.unknown:  # "with over 500 million hours": a filter
            return None
        if not self._lists_one_attribute(reading, cues, attribute):
            return None
        if EVERY not in reading.concepts and (
            reading.pointing or not self._says_plural(reading, plain, attribute)
        ):
            return None  # "what country is the show on the list from" asks of one
        left_out = tuple(e for e in [*excluded, *reading.excluded] if e in self.table.shows)
        return OperationQuestion(Operation.EVERY_VALUE, attribute, excluded=left_out)

    def _lists_one_attribute(self, reading: Reading, cues: _Cues, attribute: Attribute) -> bool:
        """Return whether `reading` asks for a list of the shows (or the list) and says
        nothing but `attribute` and words asking a list: "what's in second place", "how does
        netflix order that list", "list the top ten" ask something else."""
        says_shows = self._says_shows(reading)
        if not says_shows or not cues.has("listing"):
            return False
        if any(cues.has(kind) for kind in ("more", "less", "difference", "ratio", "total")):
            return False
        return set(reading.concepts) <= self._own_concepts(attribute) | self._across

    def _own_concepts(self, attribute: Attribute) -> set[str]:
        """Return the concepts naming `attribute`, but places ("second", "number one")."""
        named = {c for c, a in self._attribute_of.items() if a is attribute}
        return named - self._place_concepts

    def _says_plural(self, reading: Reading, plain: list[str], attribute: Attribute) -> bool:
        """Return whether `reading` calls the shows or `attribute` in the plural ("the
        shows", "what countries")."""
        own = self._own_concepts(attribute)
        return any(
            _plural(token, word)
            for token, word, claim in zip(plain, reading.words, reading.claims, strict=False)
            if word in self._nouns or claim in own
        )

    def _describes_none(self, reading: Reading) -> bool:
        """Return whether a word naming a kind of thing describes no show's values ("the
        spanish robbery show": robbery is in no show's genres, only in a title)."""
        return any(
            word in self.table.word_form and self.table.form(word) not in self.table.describing
            for word in reading.words
        )

    def _points_at_subject(self, reading: Reading, cues: _Cues) -> bool:
        """Return whether a yes/no question points at the show itself: "it", "this show"
        (not "that list"), and asks no "which" ("which show is #1, and is it korean")."""
        if cues.has("listing") or self.subject not in self.table.shows:
            return False
        # "there's a show from france sharing the chart with it" asks nothing of the show
        # (read with a yes/no word or not, on the unread holdouts: +1 wrong answer without).
        if not cues.has("yes_no"):
            return False
        words = reading.words
        if not self._pointers.isdisjoint(words):
            return True
        return any(
            words[i] in self._near_pointers and words[i + 1] in self._nouns
            for i in range(len(words) - 1)
        )

    def _says_shows(self, reading: Reading) -> bool:
        """Return whether `reading` says the list or a noun for the shows."""
        return "list" in reading.concepts or not self._nouns.isdisjoint(reading.words)

    def _asks_about_shows(self, reading: Reading) -> bool:
        """Return whether a question naming no show asks about shows of a kind: it says
        "shows" or "the list", points at none ("is it also korean" asks of one), and asks
        no figure ("which korean title sits at the top" asks a place)."""
        says_shows = self._says_shows(reading)
        # "the top ten", "the top non-english list", "the most-watched list" name the list,
        # not a place on it or a figure.
        top_ten = "ten" in reading.concepts
        figures = any(
            self._attribute_of.get(claim) in (Attribute.HOURS, Attribute.POSITION)
            and not (top_ten and claim == "top")
            and not self._before_the_list_word(reading, index)
            for index, claim in enumerate(reading.claims)
            if claim
        )
        points = not self._pointers.isdisjoint(reading.words)
        return says_shows and not points and not figures


def _place_concepts(kb: KnowledgeBase, vocabulary: Vocabulary) -> frozenset[str]:
    """Return the concepts that say a place on the list ("top", "first", "fifth"), not
    where a show stands: the ordinals' concepts and every concept a question must match."""
    ordinals = kb.operations.ordinals if kb.operations else {}
    said = {vocabulary.phrases.get(stems(word)) for words in ordinals.values() for word in words}
    return vocabulary.strict_concepts | {concept for concept in said if concept}


def _plural(token: str, stemmed: str) -> bool:
    """Return whether `token` is a plural the stemmer cut ("shows", not "series")."""
    return token != stemmed and token.endswith("s")
