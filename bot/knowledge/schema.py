"""Typed schema of the knowledge files in `knowledge/`.

Every fact, quote and ranking entry carries `evidence`: the sentence of the source
article it rests on. The loader checks that sentence against the article text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

Slug = str  # validated by the pattern on each field that holds one
SLUG_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
EntityKind = Literal["show", "person", "work", "outlet", "platform"]


def _one_or_many(value: object) -> object:
    """Accept one evidence sentence as a list of one, so YAML can say either."""
    return [value] if isinstance(value, str) else value


Evidence = Annotated[
    list[Annotated[str, Field(min_length=1)]],
    BeforeValidator(_one_or_many),
    Field(min_length=1, description="The article sentence(s) this rests on."),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceDocument(_Strict):
    """The article the knowledge comes from, as cited under every answer."""

    outlet: str
    date: dt.date
    headline: str
    file: str = Field(description="Path of the article text, relative to the knowledge folder.")
    subject: Slug = Field(
        pattern=SLUG_PATTERN, description="The show the article is about: what 'it' means."
    )

    @property
    def citation(self) -> str:
        """Return the short citation shown under answers: outlet and date."""
        return f"{self.outlet}, {self.date.day} {self.date:%b %Y}"


class Entity(_Strict):
    """A show, person, work, outlet or platform the article names."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    kind: EntityKind
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    ambient: bool = Field(
        default=False,
        description="Named everywhere in the article (Netflix): mentioning it never "
        "changes which fact a question is about.",
    )
    role: str | None = Field(
        default=None,
        description="The lexicon concept for what this person is ('direct' for the "
        "director): a phrasing naming them is also asked with the role ('what did the "
        "director say' for 'what did lee say').",
    )


class Intent(_Strict):
    """A kind of question (who directed …, how many hours …) with phrasings fans use."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    description: str = Field(
        min_length=1, description="What it asks; '{it}' stands for the show or person asked about."
    )
    phrasings: list[str] = Field(min_length=1)
    suggestion: str | None = Field(
        default=None, description="A question to suggest when declining, e.g. 'Who directed it?'"
    )
    fallback: int | None = Field(
        default=None,
        ge=1,
        description="Where this intent's suggestion comes (1 first) among those offered when a "
        "decline knows nothing closer to suggest.",
    )
    about_subject: bool = Field(
        default=True,
        description="A question that names nothing is about the article's subject (true for "
        "'what genre is it'); false where the facts themselves say who (e.g. 'who is number one').",
    )
    left_open: bool = Field(
        default=False,
        description="A question the article leaves open ('when does season 2 come out'): no "
        "fact answers it, and a question that fits it is declined, naming what is not known.",
    )
    when_answer_named: list[str] = Field(
        default_factory=list,
        description="Lexicon concepts that, in a question already naming this intent's answer, "
        "ask for something else: `[who]` on the source makes 'who wrote the Virgin Radio "
        "article' ask for the writer, whom the article does not name.",
    )
    needs: list[str] = Field(
        default_factory=list,
        description="Lexicon concepts of which a question must say one to fit this intent: "
        "`[how, calc, days, based]` on the ranking's rule keeps 'position on list', which "
        "asks a place, from fitting 'how is the list ranked'.",
    )
    declines: list[str] = Field(
        default_factory=list,
        description="Phrasings (of `phrasings`) that teach the matcher a wording but must be "
        "declined, as the article does not say it ('what country is squid game from'): `kb "
        "check` requires every other phrasing to be answered by this intent.",
    )
    answer_kind: EntityKind | None = Field(
        default=None,
        description="What kind of entity the answer names (an outlet for 'which paper did he "
        "talk to'), among the fact's `about` and `mentions`; without it, the fact's `about`.",
    )

    def describe(self, name: str = "a show") -> str:
        """Return what this intent asks, about `name`."""
        return self.description.replace("{it}", name)


class QuizItem(_Strict):
    """A trivia question built on a fact, with every answer that counts as right."""

    question: str = Field(min_length=1)
    answer: str = Field(min_length=1)
    accept: list[str] = Field(default_factory=list)
    kind: str = Field(min_length=1, description="Which facts make good wrong choices for it.")


class QuizEntry(QuizItem):
    """A quiz item declared in the `quiz` section, naming the fact it is built on."""

    fact: Slug = Field(pattern=SLUG_PATTERN)


class Fact(_Strict):
    """One thing the article states, the question it answers and its evidence sentence."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    about: Slug = Field(pattern=SLUG_PATTERN)
    answers: Slug = Field(pattern=SLUG_PATTERN, description="The intent this fact answers.")
    also_answers: list[Slug] = Field(
        default_factory=list, description="Other intents this fact answers as well."
    )
    answer: str = Field(min_length=1)
    evidence: Evidence
    mentions: list[Slug] = Field(default_factory=list)
    quiz: QuizItem | None = None


class Quote(_Strict):
    """Something a person said, on a topic, quoted word for word from the article."""

    id: Slug = Field(pattern=SLUG_PATTERN)
    speaker: Slug = Field(pattern=SLUG_PATTERN)
    topic: str = Field(min_length=1)
    text: str = Field(min_length=1)
    said_in: Slug | None = Field(default=None, description="Outlet entity, when the article says.")
    about: Slug | None = Field(default=None, description="The show the quote is about.")
    answers: Slug = Field(pattern=SLUG_PATTERN, description="The intent this quote answers.")
    passage: Slug | None = Field(
        default=None,
        description="The passage of the article quoting it: a quote is answered with the "
        "(first) other quote of its passage, as the article gives them side by side.",
    )
    evidence: Evidence


def _said_as_written(value: object) -> object:
    """Accept a plain string for a value the article says in those very words."""
    return {"value": value, "said": value} if isinstance(value, str) else value


class SaidValue(_Strict):
    """A value of a show's attribute, and the words of its evidence that say it."""

    value: str = Field(min_length=1, description="The value as answers give it ('Korean').")
    said: str = Field(min_length=1, description="The words of the evidence saying it ('K-drama').")


Said = Annotated[SaidValue, BeforeValidator(_said_as_written)]


class RankingEntry(_Strict):
    """A show on the ranking; position, hours, country and genre only where the article
    gives them, each said in the entry's evidence (the loader checks)."""

    show: Slug = Field(pattern=SLUG_PATTERN)
    position: int | None = Field(default=None, ge=1)
    hours: str | None = None
    country: Said | None = None
    genres: list[Said] = Field(default_factory=list)
    note: str | None = None
    evidence: Evidence

    def sentences_saying(self, words: str) -> tuple[str, ...]:
        """Return the evidence sentences that say `words` ("1.65billion" says "1.65
        billion": case, spaces and hyphens aside)."""
        wanted = _squeezed(words)
        return tuple(s for s in self.evidence if wanted in _squeezed(s))

    def says(self, words: str) -> bool:
        """Return whether the entry's evidence says `words`, as `sentences_saying` reads it."""
        return _squeezed(words) in _squeezed(" ".join(self.evidence))


def _squeezed(text: str) -> str:
    """Return `text` casefolded without spaces or hyphens."""
    return re.sub(r"[\s\-]+", "", text.casefold())


class Ranking(_Strict):
    """The most-watched list the article reports, with the rule it is calculated by."""

    title: str
    rule: str
    rule_evidence: Evidence
    entries: list[RankingEntry] = Field(min_length=1)


class Concept(_Strict):
    """Words and phrases that mean one thing to the engine (synonyms, spellings)."""

    weight: float = Field(default=1.0, gt=0, le=2)
    strict: bool = Field(
        default=False,
        description="A question saying it only fits phrasings that say it too (an ordinal: "
        "'which show is third' must not fit 'which show is fifth').",
    )
    asks: bool = Field(
        default=False,
        description="A question word that says what kind of answer is wanted (who, when, "
        "how many): a question asking 'when' does not fit an intent that is never asked 'when'.",
    )
    asks_count: bool = Field(
        default=False,
        description="A question word asking for a figure ('how many'): an intent none of "
        "whose facts states a number above one answers it with the wrong kind of answer "
        "('how many new zombie races will season 2 have': the quote counts none).",
    )
    question_word: bool = Field(
        default=False,
        description="Marks a question ('what', 'how', 'is it'; every `asks` concept does too): "
        "a part of a long message without one, a name or a question word is not a question "
        "of its own ('…not hours, like accounts').",
    )
    kind_follows: bool = Field(
        default=False,
        description="A question word ('what', 'which') whose next word, when it is a concept, "
        "says the kind of answer wanted ('which outlet', 'what platform'): an intent none of "
        "whose phrasings say that concept fits less.",
    )
    topic: bool = Field(
        default=False,
        description="A thing a later part of a message can call 'it' ('is season 2 confirmed "
        "and what would it be about'): carried into that part.",
    )
    prefixes: list[str] = Field(
        default_factory=list,
        description="Concepts that, said right before this one, are part of its name and "
        "read as it ('top' and 'ten' before 'list': 'the top 10 list' is the list, no place "
        "on it).",
    )
    spans: str | None = Field(
        default=None,
        description="A concept this one becomes with a count after it: 'top' before a "
        "number that no concept but an ordinal reads ('top 3', 'top twenty') is a span of "
        "places, asking where a show stands ('rank'), not the place at the top.",
    )
    counted: bool = Field(
        default=False,
        description="A thing counted in order (days, a season, an episode): an ordinal said "
        "right before it ('the first 28 days') numbers it, and is no place on a list.",
    )
    words: list[str] = Field(min_length=1)


class OperationWords(_Strict):
    """Words that say what a question does with shows' values (compare, add up, list by a
    property), as opposed to what it asks of one show. Matched on stemmed words."""

    attributes: dict[Literal["hours", "position", "country", "genre"], list[str]] = Field(
        description="The lexicon concepts that name each attribute ('hour', 'watch' for hours)."
    )
    facts: dict[Literal["hours", "position", "country", "genre"], str] = Field(
        default_factory=dict,
        description="The intent whose facts state each attribute of one show ('origin').",
    )
    more: list[str] = Field(min_length=1)
    less: list[str] = Field(min_length=1)
    judged: list[str] = Field(
        default_factory=list,
        description="'better', 'worse': a judgment the article does not make ('is it better "
        "than squid game'), unless said of what a show did (`performed`: 'which did better').",
    )
    performed: list[str] = Field(default_factory=list, description="'did', 'performed'.")
    compare: list[str] = Field(
        min_length=1, description="'than', 'vs': two things set side by side."
    )
    difference: list[str] = Field(min_length=1)
    ratio: list[str] = Field(min_length=1)
    total: list[str] = Field(min_length=1)
    same: list[str] = Field(min_length=1)
    negation: list[str] = Field(min_length=1)
    neutral: list[str] = Field(
        default_factory=list,
        description="Concepts such a question may say besides its attribute's: any other "
        "concept means it asks something else ('who directed it, squid game or aouad').",
    )
    across: list[str] = Field(
        default_factory=list,
        description="Concepts a question asking every listed show's value may say beside the "
        "attribute ('what countries do the shows on the list come from'); any other ('second "
        "place', 'top ten', 'how … decide') asks something else.",
    )
    parts: list[str] = Field(
        default_factory=list,
        description="Concepts that, right after a show's name and before a number, name a "
        "part of it ('money heist season 4', 'part 3'): the show, as far as its values go.",
    )
    kinds: dict[EntityKind, list[str]] = Field(
        default_factory=dict, description="Plural nouns naming each kind of entity ('people')."
    )
    mentioned: list[str] = Field(
        default_factory=list, description="'named', 'cited': asks what the article mentions."
    )
    choose: list[str] = Field(min_length=1, description="'which', 'who': pick one of several.")
    listing: list[str] = Field(min_length=1, description="'list', 'name', 'any': ask for all.")
    yes_no: list[str] = Field(min_length=1, description="First words of a yes/no question.")
    ordinals: dict[int, list[str]] = Field(
        default_factory=dict,
        description="Places on the list said as words ('the fifth', 'the top show').",
    )
    alternatives: list[str] = Field(
        default_factory=list,
        description="Words between two properties that let either do ('crime or mystery').",
    )
    joins: list[str] = Field(
        default_factory=list,
        description="Words that join two clauses: a 'how many' before one asks no size of a "
        "comparison after it ('how many hours has it got, and is it better').",
    )
    hours_first: list[str] = Field(
        default_factory=list,
        description="Concepts that make a question saying hours and place words ask the hours "
        "('more hours', 'more watched'), not the place ('ranked higher').",
    )
    near_pointers: list[str] = Field(
        default_factory=list,
        description="Words that point at the show itself when a noun follows ('this show'), "
        "unlike 'that' ('that list').",
    )


class Scope(_Strict):
    """Naive Bayes log-odds that a question is one the article answers (the decision's
    `scope` feature), fitted on the labelled questions."""

    prior: float
    words: dict[str, float] = Field(description="What each (stemmed) word adds.")
    concepts: dict[str, float] = Field(description="What each lexicon concept adds.")


class IntentOdds(_Strict):
    """Naive Bayes log-probabilities of one intent (fitted on the labelled questions it
    answered right): how likely each word or concept is in it."""

    unseen: float = Field(description="A known word or concept its questions never said.")
    said: dict[str, float] = Field(
        description="Each word, and each concept written ~concept, its questions said."
    )


class Decision(_Strict):
    """The fitted answer/decline decision (written by scripts/calibrate.py, not by hand)."""

    weights: dict[str, float] = Field(min_length=1, description="A weight per feature.")
    bias: float
    cut: float = Field(ge=0, le=1, description="Answer when the probability is at least this.")
    fitted: dict[str, float | int | str] = Field(
        default_factory=dict, description="How it was fitted: sets, seed, out-of-fold scores."
    )
    scope: Scope | None = None
    intents: dict[str, IntentOdds] | None = None


class ClauseWords(_Strict):
    """How a message is cut into the questions it may hold."""

    leads_into: list[str] = Field(
        min_length=1,
        description="Words after which a question word goes on with the question it is in "
        "('what did he say about how cruel they are'), instead of starting a new one after "
        "chat ('i scare easily what kind of show is it').",
    )
    pairs: list[str] = Field(
        default_factory=list,
        description="Words taking two terms joined by 'and' ('the difference between season "
        "1 and season 2'): that 'and' starts no new question.",
    )
    describes: list[str] = Field(
        default_factory=list,
        description="Nouns for the article whose 'about …' may only describe it ('which "
        "outlet put out this article about the show being fifth').",
    )
    about_asks: list[str] = Field(
        default_factory=list,
        description="Words right after such an 'about' that make it ask ('the story about "
        "what', 'about on the surface'): then it describes nothing.",
    )
    asks_within: list[str] = Field(
        default_factory=list,
        description="Words that, within what follows 'about', ask something of the article "
        "('the article about squid game say when…'): then it describes nothing.",
    )


class References(_Strict):
    """How fans describe the article's subject instead of naming it ("the zombie show")."""

    determiners: list[str] = Field(min_length=1)
    descriptors: list[str] = Field(min_length=1)
    nouns: list[str] = Field(min_length=1)
    pronouns: list[str] = Field(
        default_factory=list,
        description="Words that point at what is asked about ('it', 'his'); with the nouns, "
        "they tell a question about the subject from one naming something unknown.",
    )
    exclusions: list[str] = Field(
        default_factory=list,
        description="Words before a name that leave it out of the answer ('which other "
        "Spanish show, besides Money Heist').",
    )
    articles: list[str] = Field(
        default_factory=list,
        description="Nouns that call the article itself ('the story about the zombie "
        "k-drama's viewing numbers'): such a noun with a qualifier after it is the article.",
    )
    qualifiers: list[str] = Field(
        default_factory=list,
        description="Words after a show's noun that start what sets it apart ('the show "
        "that came fifth', 'the series at the top'); so does a participle ('sitting at', "
        "'adapted from'). Not a verb: 'the show entered the top ten' is a clause.",
    )
    places: list[str] = Field(
        default_factory=list,
        description="Words after a show's noun that place it ('the show in first place', "
        "'the series sitting at number one'): a description so said is also said with any "
        "other noun for a show.",
    )
    owners: list[str] = Field(
        default_factory=list,
        description="Words saying a thing is the asker's ('my', 'our'): the unknown words "
        "right after one ('for my blog post', 'in my fandom calendar') name something of "
        "theirs, not what is asked about.",
    )
