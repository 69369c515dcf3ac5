"""Follow-up questions: what a conversation was last about, and what a follow-up means by it.

People ask, read the answer, and follow up: "and Lupin's?" (the same question about a new
name), "who directed it?" (a pronoun for what was just talked about), "is that more than the
top show?" (the last attribute, compared). A `Conversation` is what the last exchange was
about; `FollowUps` reads a new question against it with the engine's own reading (the
vocabulary's entities and pointing words, the intent matcher, the operations reader), by
telling the engine what "it" means this time (its *focus*) instead of the article's show.

Precision first: a pronoun that could mean two names that would answer differently is
asked back ("Do you mean Lupin or All of Us Are Dead?"), and a name the article lacks a
fact for is declined by name, never answered with the show's own facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.engine.answer import Answer
from bot.engine.context import ATTRIBUTE_INTENTS, Conversation, which_one
from bot.engine.text import stem, stems
from bot.engine.vocabulary import Reading

if TYPE_CHECKING:
    from bot.engine.engine import Engine

# What an ellipsis says when it describes a new subject that is no one name.
UNRESOLVED = "?"
# How sure an answer is that a follow-up got by its context: read by rule, not by fit.
FOLLOW_UP_CONFIDENCE = 85
# What a pronoun can stand for: "he" a person, "it" a show or a work; the rest anything.
PERSON_PRONOUNS = frozenset({"he", "him", "his", "himself", "she", "her", "hers", "herself"})
THING_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theyre", "both", "those", "these"})
PERSON_KINDS = frozenset({"person"})
THING_KINDS = frozenset({"show", "work"})
OUTLET_KINDS = frozenset({"outlet"})
# "and lupin's?", "what about the spanish thriller?", "same for elite": the last question
# again, about what follows.
_ELLIPSIS = re.compile(
    r"^\s*(?:(?:and|ok(?:ay)?|k|so|but)[\s,]+)*(?:(?:what|how)\s+(?:about|bout|abt)|wbu|hbu)\b|"
    r"^\s*(?:and|ok(?:ay)?\s+and|same\s+(?:for|with)|what\s+of)\b",
    re.IGNORECASE,
)
# The question words an ellipsis starts with, and the words they are looked for in.
_MARKER_WORDS = ("what", "how")
_FIRST_WORDS = re.compile(r"[^\W\d_]+")
# Answers that describe what the question named, mentioning others only in passing.
_DESCRIBING = frozenset(
    {"identity", "which_show", "genre", "origin", "on_list", "hours", "rank", "number_one"}
)
# Operations that set one show against another ("how many more hours than aouad?").
_COMPARING = ("compare_", "check_", "difference_", "ratio_", "total_", "same_")
# Answers that list shows (operations such as "the spanish ones: money heist; elite", and
# the ranking's list): "it" after one of them could be any show listed.
_LISTING = ("filter_", "kind_", "ranking_list")
# The ranking's "who is number one" asked about one name asks its place; "which show is
# the french one" asked about another name asks what that one is.
_SAME_QUESTION_OF = {"number_one": "rank", "which_show": "identity"}


@dataclass(frozen=True)
class Resolution:
    """What a follow-up was read as: the answer, a note saying what the context resolved
    to (for `eval --explain`), and the name "it" was taken to mean."""

    answer: Answer
    note: str
    focus: str | None = None  # what "it" was taken to mean


class FollowUps:
    """Answers a question in the light of a `Conversation`, through the engine's reading."""

    def __init__(
        self,
        engine: Engine,
        fresh: Callable[[str], Answer],
        focused: Callable[[str, Conversation], AbstractContextManager[None]],
    ) -> None:
        """Read with `engine`'s vocabulary and knowledge; `fresh` answers a question as if
        alone, `focused(entity, context)` makes "it" mean `entity` (and the context's topics,
        a comparison its attribute) while it is entered."""
        self.engine = engine
        self.kb = engine.kb
        self._fresh = fresh
        self._focused = focused
        self._ambient = {e.id for e in self.kb.entities.values() if e.ambient}
        self._topics = engine.topic_concepts
        references = self.kb.references
        self._determiners = {stem(w) for w in references.determiners} if references else set()
        self._subject_words = self._describing_the_subject()
        # "the show": a noun for the article's subject means a thing of its kind.
        self._subject_kinds = frozenset({self.kb.entities[self.kb.source.subject].kind})

    def _describing_the_subject(self) -> frozenset[str]:
        """Return the words describing the article's show that no other show's facts say
        ("zombie", "korean"): "the zombie one" names it, whatever was talked about."""
        references = self.kb.references
        if references is None:
            return frozenset()
        subject = self.kb.source.subject
        own: set[str] = set()
        elsewhere: set[str] = set()
        for fact in self.kb.facts.values():
            words = set(stems(fact.answer))
            if fact.about != subject:
                elsewhere |= words
            elif fact.answers in _DESCRIBING:  # what it is, its genre, its country
                own |= words
        descriptors = {w for d in references.descriptors for w in stems(d) if len(w) > 2}
        return frozenset((descriptors & own) - elsewhere)

    def _own(self, reading: Reading) -> list[str]:
        """Return the names `reading` says itself, in the order said (Netflix is everywhere:
        not a subject), or the article's show when described ("the zombie one")."""
        said = [c[1:] for c in reading.claims if c and c.startswith("@")]
        order = {e: said.index(e) if e in said else len(said) for e in reading.entities}
        own = [e for e in reading.entities if e not in self._ambient]
        if not own and not reading.pointing and not self._subject_words.isdisjoint(reading.words):
            return [self.kb.source.subject]
        return sorted(own, key=order.__getitem__)

    def resolve(self, question: str, context: Conversation) -> Resolution:
        """Return the answer to `question` asked after `context`."""
        reading = self.engine.vocabulary.read(stems(question))
        own = self._own(reading)
        if context.intent and (new := self._elliptical(question, reading, own)):
            if new == UNRESOLVED:
                return Resolution(self._unresolved(question), "an ellipsis naming no one show")
            return self._again_about(question, context, new)
        if own and not (reading.pointing and reading.points_before_naming):
            # "lupin, where's it from?": "it" is the name said before it.
            return self._own_subject(question, own, context, reading.pointing)
        candidates = self._candidates(reading, context)
        if not candidates:
            return Resolution(self._fresh(question), "nothing in the context fits")
        answers = [
            self._answer_about(question, entity, context, reading.pointing) for entity in candidates
        ]
        first = answers[0]
        if len(candidates) > 1 and not PLURAL_PRONOUNS.isdisjoint(reading.words):
            # "are they from the same country?" after two shows: one question of both;
            # "what genre are they?": each one's answer.
            if (across := self._across(question, candidates)) is not None:
                return Resolution(across, f"across {list(candidates)}")
            return Resolution(_together(question, answers), f"all of {list(candidates)}")
        if len(candidates) > 1 and any(a.text != first.text for a in answers[1:]):
            return Resolution(
                self._ask_back(question, candidates, first), f"ambiguous: {list(candidates)}"
            )
        return Resolution(first, f"points at {candidates[0]}", candidates[0])

    def _own_subject(
        self, question: str, own: list[str], context: Conversation, pointing: bool
    ) -> Resolution:
        """Return the answer to a question naming its own subject: the context unused,
        unless it sets that name against the show talked about ("how many more hours than
        aouad?" after squid game)."""
        fresh = self._fresh(question)
        # "it" said after the name is another thing: what the last answer named counts too
        # ("which show is number one?" - "where does aouad sit compared to it?").
        talked_about = [*context.named, *context.answered] if pointing else context.named
        shows = list(
            dict.fromkeys(e for e in talked_about if self._fits(e, THING_KINDS) and e not in own)
        )
        # A comparison naming no attribute ("how far behind squid game is that?") compares
        # the one the conversation was about, not a default one.
        comparing = (fresh.intent or "").startswith(_COMPARING)
        unsaid = context.attribute is not None and not self.engine.operations.attribute_said(
            question
        )
        if len(own) != 1 or len(shows) != 1 or (comparing and not unsaid):
            return Resolution(fresh, "names its own subject: context unused")
        compared = self._answer_about(question, shows[0], context, pointing=False)
        if (compared.intent or "").startswith(_COMPARING):
            return Resolution(compared, f"compares {own[0]} with {shows[0]}", shows[0])
        return Resolution(fresh, "names its own subject: context unused")

    def after(
        self, question: str, answer: Answer, before: Conversation | None, focus: str | None
    ) -> Conversation:
        """Return what the conversation is about after `answer` to `question`, which took
        "it" to mean `focus` (None: nothing from the context)."""
        if answer.context is not None:  # an ask-back sets what its reply resolves against
            return answer.context
        reading = self.engine.vocabulary.read(stems(question))
        named = self._own(reading)
        topics = self._topics_after(reading, before, focus)
        if focus is not None:
            named.append(focus)  # "is that more than squid game": both are talked about
        if not named and not answer.answered and before is not None and answer.entity is None:
            return before  # chat or a question not understood leaves the topic as it was
        answered = [answer.entity] if answer.entity else []
        for fact_id in answer.fact_ids:
            fact = self.kb.facts.get(fact_id)
            if fact is not None:
                answered += [fact.about, *fact.mentions]
        return Conversation(
            named=tuple(dict.fromkeys(named)),
            answered=tuple(e for e in dict.fromkeys(answered) if e not in self._ambient),
            intent=answer.intent,
            topics=topics,
            earlier=(*before.named, *before.answered) if before is not None else (),
        )

    def _topics_after(
        self, reading: Reading, before: Conversation | None, focus: str | None
    ) -> tuple[tuple[str, float], ...]:
        """Return the topics a question asked about; one that pointed at the conversation's
        ("what would be in it" after season 2) keeps them."""
        topics = tuple((c, w) for c, w in reading.concepts.items() if c in self._topics)
        if not topics and focus is not None and before is not None:
            return before.topics
        return topics

    # --- reading the follow-up -------------------------------------------------------------

    def _elliptical(self, question: str, reading: Reading, own: list[str]) -> str | None:
        """Return the new name of an ellipsis ("and lupin's?", "what about the spanish
        thriller?", a bare "elite?"), or None when `question` asks something itself."""
        question = self._question_words_spelt(question)
        marker = _ELLIPSIS.match(question)
        if marker is None:
            # Without "and"/"what about", only a bare name is the last question again.
            return own[0] if own and not reading.concepts and not reading.pointing else None
        rest = question[marker.end() :]
        rest_reading = self.engine.vocabulary.read(stems(rest))
        if rest_reading.pointing:
            return None
        if rest_own := self._own(rest_reading):
            return None if self.engine.says_something(rest_reading) else rest_own[0]
        if own or not rest.strip():
            return None
        return self._described_show(rest, rest_reading)

    def _question_words_spelt(self, question: str) -> str:
        """Return `question` with its first two words spelt as the question word the
        vocabulary reads them as, if any: chat spells "what about lupin" "wat abt lupin"."""
        for match in list(_FIRST_WORDS.finditer(question))[:2]:
            word = match.group()
            concepts = self.engine.vocabulary.read(stems(word)).concepts
            spelt = next((c for c in _MARKER_WORDS if c in concepts), None)
            if spelt and spelt != word.casefold():
                return question[: match.start()] + spelt + question[match.end() :]
        return question

    def _described_show(self, rest: str, rest_reading: Reading) -> str | None:
        """Return the show an ellipsis describes instead of naming ("and the fifth?", "what
        about the spanish thriller?"), UNRESOLVED if it describes one but not which."""
        # "and the fifth?": a show described by its place on the list.
        placed = self.engine.operations.shows_by_place(rest_reading.words)
        if len(placed) == 1:
            return placed[0]
        # "what about the spanish thriller": a show described, not named.
        described = self._fresh(rest)
        if described.answered and described.intent == "which_show" and described.entity:
            return described.entity
        if rest_reading.words and rest_reading.words[0] in self._determiners:
            return UNRESOLVED  # "and the spanish one?": some show, but which?
        return None

    def _candidates(self, reading: Reading, context: Conversation) -> tuple[str, ...]:
        """Return what the follow-up points at: the fitting names of the last exchange, and
        for a pronoun those the exchange before talked about too, unless the last one
        picked among them (more than one is ambiguous)."""
        kinds = self._kinds_meant(reading)
        recent = self._recent(kinds, context)
        plural = not PLURAL_PRONOUNS.isdisjoint(reading.words)
        if kinds is None and not plural:
            return recent
        # "they" after "what is lupin" and "where is elite from": both shows; "it" after
        # "squid game's hours?" and "and aouad?" may mean either.
        earlier = [e for e in context.earlier if self._fits(e, kinds or THING_KINDS)]
        if set(recent) <= set(earlier) and not plural:
            return recent  # the last exchange picked one of those before ("which of them…")
        return tuple(dict.fromkeys([*recent, *earlier]))

    def _recent(self, kinds: frozenset[str] | None, context: Conversation) -> tuple[str, ...]:
        """Return what a follow-up pointing at `kinds` means in the last exchange: the
        fitting names of the last question and the names its answer gave besides, or when
        it named none, the first fitting name of the last answer ("which show is number
        one?")."""
        answered = [e for e in context.answered if self._fits(e, kinds)]
        if not context.named:
            # "it" after an answer about an outlet ("what's the source?") is its article.
            first = context.answered[:1]
            if first and kinds is THING_KINDS and self._fits(first[0], OUTLET_KINDS):
                return first
            # After a list, or a question about a topic ("whats the webtoon called"), the
            # answer's names are all talked about; else its first is what was asked.
            listed = (context.intent or "").startswith(_LISTING) or bool(context.topics)
            return tuple(answered if listed else answered[:1])
        named = [e for e in context.named if self._fits(e, kinds)]
        if context.intent in _DESCRIBING or kinds is None:
            # "tell me about squid game" names others only in passing, and "that" is
            # what the question was about ("did aouad debut in the top ten? who said that?").
            return tuple(named)
        # "what is aouad based on?" answers with the webtoon: "it" may now be either.
        return tuple(dict.fromkeys([*named, *answered]))

    def _kinds_meant(self, reading: Reading) -> frozenset[str] | None:
        """Return the kinds of entity the first pronoun can mean, None for any kind; "the
        show" (a noun for the article's subject) means a show."""
        for word in reading.words:
            if word in PERSON_PRONOUNS:
                return PERSON_KINDS
            if word in THING_PRONOUNS:
                return THING_KINDS
        if self.engine.vocabulary.names_with_a_noun(reading.words):
            return self._subject_kinds
        return None

    def _fits(self, entity: str, kinds: frozenset[str] | None) -> bool:
        known = self.kb.entities.get(entity)
        return known is not None and (kinds is None or known.kind in kinds)

    # --- answering -------------------------------------------------------------------------

    def _answer_about(
        self, question: str, entity: str, context: Conversation, pointing: bool
    ) -> Answer:
        """Return the answer to `question` with "it" (or nothing named) meaning `entity`.

        A question that points at `entity` ("who wrote it?" after the article's source) is
        not answered by facts that neither are about it nor name it: those answer some
        other "it" (the webtoon's author), so the question is declined instead.
        """
        with self._focused(entity, context):
            answer = self._fresh(question)
        if not pointing or not answer.answered or self._names(answer, entity):
            return answer
        name = self.kb.entities[entity].name
        return Answer(
            question=question,
            answered=False,
            text=f"I'm not sure what you're asking about {name}: try asking it another way.",
            intent=answer.intent,
            entity=entity,
            confidence=0,
            source=answer.source,
        )

    def _across(self, question: str, candidates: tuple[str, ...]) -> Answer | None:
        """Return the answer to `question` with "they" naming `candidates`, when that is one
        question across them (a comparison, "the same country"); None otherwise."""
        names = " and ".join(self.kb.entities[e].name for e in candidates)
        words = [names if stem(w) in PLURAL_PRONOUNS else w for w in question.split()]
        answer = self._fresh(" ".join(words))
        across = (answer.intent or "").startswith(_COMPARING)
        return answer.model_copy(update={"question": question}) if across else None

    def _names(self, answer: Answer, entity: str) -> bool:
        """Return whether a fact of `answer` is about `entity` or names it."""
        facts = (self.kb.facts.get(fact_id) for fact_id in answer.fact_ids)
        return any(f is not None and entity in (f.about, *f.mentions) for f in facts)

    def _again_about(self, question: str, context: Conversation, entity: str) -> Resolution:
        """Return the last question's answer about `entity` instead ("and lupin's?")."""
        assert context.intent is not None
        intent_id = self._intent_of(context)
        if intent_id is None:
            return Resolution(self._fresh(question), "the last question has no one subject")
        answer = self.engine.answer_intent(question, intent_id, entity, FOLLOW_UP_CONFIDENCE)
        return Resolution(answer, f"the last question ({intent_id}) about {entity}")

    def _intent_of(self, context: Conversation) -> str | None:
        """Return the intent the last question asked, as a question about one name."""
        assert context.intent is not None
        if context.intent in self.kb.intents:
            return _SAME_QUESTION_OF.get(context.intent, context.intent)
        attribute = context.attribute
        return ATTRIBUTE_INTENTS[attribute.value] if attribute else None

    def _unresolved(self, question: str) -> Answer:
        """Return the decline for an ellipsis whose new subject is no one thing the article
        names ("and the spanish one?": Money Heist or Elite?)."""
        return Answer(
            question=question,
            answered=False,
            text="I'm not sure which one you mean: try naming it.",
            confidence=0,
            source=self.engine.citation,
        )

    def _ask_back(self, question: str, candidates: tuple[str, ...], first: Answer) -> Answer:
        """Return the short question back for a pronoun that could mean several names."""
        names = [self.kb.entities[e].name for e in candidates]
        return Answer(
            question=question,
            answered=False,
            text=which_one(names),
            intent=first.intent,
            entity=None,
            confidence=0,
            source=first.source,
            # The reply ("lupin") is the same question about the one meant.
            context=Conversation(named=candidates, intent=first.intent),
        )


def _together(question: str, answers: list[Answer]) -> Answer:
    """Return one answer made of `answers` (one per name a plural pronoun means), said
    in turn; answered when any of them is."""
    texts = list(dict.fromkeys(a.text for a in answers))
    answered = [a for a in answers if a.answered]
    lead = answered[0] if answered else answers[0]
    return Answer(
        question=question,
        answered=bool(answered),
        text="\n\n".join(texts),
        intent=lead.intent,
        entity=lead.entity,
        fact_ids=list(dict.fromkeys(f for a in answers for f in a.fact_ids)),
        evidence=list(dict.fromkeys(e for a in answers for e in a.evidence)),
        confidence=min(a.confidence for a in answers),
        source=lead.source,
    )
