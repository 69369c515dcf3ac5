"""Stage 4, decide: answer or decline each clause, and choose between reading a message
whole and clause by clause.

A fact found is declined when the fit is too weak (by the fitted model), when another
intent fits as well and answers otherwise, when the question names the answer and asks
something else, or asks about another kind of show. A clause that asks nothing beside one
that asks (a premise, a framing, a fragment, chat, a restatement) never answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from bot.engine.computed import Computed
from bot.engine.config import EngineConfig
from bot.engine.decision import DecisionModel, features
from bot.engine.fact_index import FactIndex
from bot.engine.matcher import EXACT_TOLERANCE, IntentMatcher, IntentScore
from bot.engine.operations import EVERY
from bot.engine.stages.resolve import (
    FactFinder,
    Resolved,
    ResolvedMessage,
    ResolvedPart,
    Understood,
)
from bot.engine.text import is_framing, is_premise, stem, tokens
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Fact


class Decline(StrEnum):
    """Why one part of a question gets no fact: what `explain` prints, and what later
    steps read (an earlier part the article does not answer makes a restatement silent)."""

    OTHER_TITLE = "asks about another show, which the article does not cover"
    NOTHING_READ = "nothing I recognise"
    ONLY_QUESTION_WORDS = "nothing asked beyond question words"
    WEAK_FIT = "the best fit is too weak"
    STRANGER = "asks about a name, not the show"
    NO_FACT = "no fact for"
    RIVAL = "another intent fits just as well"
    PAST_THE_ANSWER = "names the answer and asks something else"
    OTHER_KIND = "asks about another kind of show"
    PREMISE = "a premise of the question, not a question"
    FRAMING = "frames the question, not a question"
    FRAGMENT = "a fragment of a longer question"
    RESTATEMENT = "says again what an earlier part asked"
    ONE_OF_MANY = "asks for a list, and one show's fact is no list"


# The concept of "list" (EVERY is "all"): "list all the shows" asks for a list.
_LIST = "list"
# Why a question is declined for what it says itself (nothing read, a weak or tied fit),
# whatever the article holds: a part after such a question may be its tail.
_UNANSWERED = frozenset({Decline.NOTHING_READ, Decline.WEAK_FIT, Decline.RIVAL})
# What "it" in a next part may stand for, named in a part before it.
_THINGS = frozenset({"show", "work"})


@dataclass(frozen=True)
class Outcome:
    """The decision for one clause of a question: the fact it is answered by, or why not."""

    reading: Reading
    scores: tuple[IntentScore, ...]
    entities: tuple[str, ...]
    fact: Fact | None = None
    reason: Decline | None = None
    detail: str = ""  # what the reason is about ("hours about ['elite']"), for explain
    # Another quote of the same speaker that fits about as well, said beside the first.
    companion: Fact | None = None

    def declined(self, reason: Decline, detail: str = "") -> Outcome:
        """Return this outcome declined for `reason`."""
        return Outcome(self.reading, self.scores, self.entities, None, reason, detail)

    @property
    def why(self) -> str:
        """Return the reason for the decline, with what it is about."""
        reason = self.reason.value if self.reason else "no reason"
        return f"{reason} {self.detail}" if self.detail else reason

    @property
    def top(self) -> IntentScore | None:
        return self.scores[0] if self.scores else None

    @property
    def confidence(self) -> int:
        return round(100 * self.top.score) if self.top else 0


@dataclass(frozen=True)
class DecidedPart:
    """One part of a question decided: an operation's result, or its clauses' outcomes."""

    text: str
    computed: Computed | None = None
    outcomes: tuple[Outcome, ...] = ()
    by_clause: bool = False  # the outcomes are the clauses', not the whole message's
    scope: float = 0.0  # the log-odds that the message asks what the article answers


@dataclass(frozen=True)
class Decided:
    """What stage 4 hands on: every part of the question, decided."""

    text: str
    parts: tuple[DecidedPart, ...]
    computes: bool  # a part is an operation: the answer is computed from values


class Decider:
    """Decides, clause by clause, whether the article answers."""

    def __init__(
        self,
        kb: KnowledgeBase,
        config: EngineConfig,
        model: DecisionModel | None,
        *,
        vocabulary: Vocabulary,
        matcher: IntentMatcher,
        facts: FactIndex,
        finder: FactFinder,
    ) -> None:
        """Decide with `config`'s thresholds and the fitted `model` (None: the threshold),
        through the engine's vocabulary, intent matcher, fact index and fact finder."""
        self.kb = kb
        self.config = config
        self.model = model
        self.vocabulary = vocabulary
        self.matcher = matcher
        self.facts = facts
        self.finder = finder
        # The intent each of a speaker's quotes answers, with its speaker.
        self._quote_speakers = {q.answers: q.speaker for q in kb.quotes.values()}
        # The intents of the quotes the article gives in one passage, by each one's intent.
        passages: dict[str, list[str]] = {}
        for quote in kb.quotes.values():
            if quote.passage:
                passages.setdefault(quote.passage, []).append(quote.answers)
        self._said_with = {
            intent: [other for other in said if other != intent]
            for said in passages.values()
            for intent in said
        }
        # The operations' listing words that ask no question themselves ("list", "name").
        listing = {stem(w) for w in kb.operations.listing} if kb.operations else set()
        self._listing_verbs = listing - {stem(w) for w in self._question_words(kb)}

    def decide(self, resolved: Resolved) -> Decided:
        """Return every part of `resolved` decided."""
        parts = tuple(self._part(part) for part in resolved.parts)
        return Decided(resolved.text, parts, resolved.computes)

    def _part(self, part: ResolvedPart) -> DecidedPart:
        if part.message is None:
            return DecidedPart(part.text, part.computed)
        scope = self.scope(part.message)
        outcomes = self.message(part.message, scope)
        by_clause = len(outcomes) != 1 or outcomes[0].reading is not part.message.whole.reading
        return DecidedPart(part.text, part.computed, outcomes, by_clause, scope)

    def scope(self, resolved: ResolvedMessage) -> float:
        """Return the log-odds, by the fitted scope model, that the message asks what the
        article answers at all: read once, whole, for every clause (0 without a model)."""
        return self.model.scope.log_odds(resolved.whole.reading) if self.model else 0.0

    def message(self, resolved: ResolvedMessage, scope: float | None = None) -> tuple[Outcome, ...]:
        """Return the outcomes a message is answered by: its clauses', or the whole's;
        `scope` is the message's (`scope`), read here when not given.

        The whole message read at once mixes its clauses' names and words: when the clauses
        answer, and not with what the whole would, the clauses are the better reading.
        """
        scope = self.scope(resolved) if scope is None else scope
        whole = self.outcome(resolved.whole, scope)
        said = resolved.message
        if len(said.clauses) < 2:
            return (whole,)
        split = [self.outcome(understood, scope) for understood in resolved.clauses]
        texts = [clause.text for clause in said.clauses]
        split = self._drop_fragments(split, texts, said.rambling)
        split = self._drop_introductions(split)
        split = self._drop_restatements(split)
        facts = {o.fact.id for o in split if o.fact}
        if whole.fact is not None and self._premise_leads(split, said.rambling):
            return (whole,)
        if facts and (len(facts) >= 2 or whole.fact is None or whole.fact.id not in facts):
            return tuple(o for o in split if not o.reading.is_empty)
        return (whole,)

    @staticmethod
    def _premise_leads(split: list[Outcome], rambling: bool) -> bool:
        """Return whether a premise says what the question after it is about, the question
        not pointing back at it: "if i want to read the director's comments, which
        publication should i look up" asks the director's, read whole. (A question that
        points, "if there's a season 2, what would it be about", carries the topic itself.)"""
        if rambling or not any(o.reason is Decline.PREMISE for o in split):
            return False
        return not any(o.reading.pointing for o in split if o.fact)

    def outcome(self, understood: Understood, scope: float) -> Outcome:
        """Return whether the article answers one clause of a message whose scope (the
        log-odds that it asks what the article answers) is `scope`, and by which fact."""
        unread = self._unread(understood, scope)
        if unread is not None:
            reason, detail = unread
            return Outcome(
                understood.reading, understood.scores, understood.entities, None, reason, detail
            )
        return self._judged(understood)

    def _unread(self, understood: Understood, scope: float) -> tuple[Decline, str] | None:
        """Return why a clause is declined whatever fact it found, None if it is not."""
        reading, top, words = understood.reading, understood.top, understood.words
        if reading.others:
            return Decline.OTHER_TITLE, reading.others[0]
        if reading.is_empty or top is None:
            return Decline.NOTHING_READ, ""
        says = reading.entities or self.says_something(reading, words)
        if not says and not understood.focused:
            # "who are you", "what time is it": question words alone ask nothing of the show.
            return Decline.ONLY_QUESTION_WORDS, ""
        if not self._fits_well(reading, understood.scores, len(words), scope):
            return Decline.WEAK_FIT, f"{top.intent} {top.score:.2f}"
        if stranger := self._stranger(reading, top.intent):
            return Decline.STRANGER, repr(stranger)
        return None

    def _judged(self, understood: Understood) -> Outcome:
        """Return the outcome answered by the fact `understood` found, unless it must not be."""
        fact, top = understood.fact, understood.top
        assert top is not None
        outcome = Outcome(understood.reading, understood.scores, understood.entities, fact)
        if fact is None:
            return outcome.declined(Decline.NO_FACT, f"{top.intent} about {list(outcome.entities)}")
        corrected = understood.corrected
        if rival := self._rival(outcome, corrected):
            return outcome.declined(Decline.RIVAL, rival)
        if self._asks_past_the_answer(outcome.reading, fact):
            return outcome.declined(Decline.PAST_THE_ANSWER)
        intent = self.kb.intents[top.intent]
        if self._lists(outcome.reading) and (intent.about_subject or intent.answer_kind == "show"):
            # "list the viewing-hour figures the article gives": not the show's alone;
            # "list all ten shows in the top ten": not the one at the top.
            return outcome.declined(Decline.ONE_OF_MANY)
        if kind := self._another_kind(outcome.reading, corrected, fact):
            # "french show?": the French show the article names, if a reading finds it.
            return self._of_kind(outcome, corrected, kind) or outcome.declined(
                Decline.OTHER_KIND, kind
            )
        companion = self._companion_quote(outcome, corrected)
        return replace(outcome, companion=companion) if companion else outcome

    def _companion_quote(self, outcome: Outcome, words: tuple[str, ...]) -> Fact | None:
        """Return another quote of the same speaker that fits about as well as the one
        answered ("what did he say about the next season" fits two of the director's
        quotes, and either alone may be the wrong one; both are what he said), else the
        one the article quotes in the same passage."""
        top = outcome.top
        assert top and outcome.fact
        speaker = self._quote_speakers.get(top.intent)
        if speaker is None:
            return None
        for other in outcome.scores[1:]:
            if other.score < top.score - self.config.quote_companion_margin:
                break
            if self._quote_speakers.get(other.intent) == speaker:
                return self.finder.find(other.intent, outcome.entities, words)
        # Else the quote the article gives beside it, in the same passage: what fans ask of
        # one ("is s2 gonna be from the zombies' pov") is often said in the other.
        said_with = self._said_with.get(top.intent, [])
        return self.finder.find(said_with[0], outcome.entities, words) if said_with else None

    @staticmethod
    def _question_words(kb: KnowledgeBase) -> set[str]:
        """Return the words of the concepts that ask ("what", "which", "is")."""
        asking = (c for c in kb.concepts.values() if c.asks or c.question_word)
        return {w for concept in asking for w in concept.words}

    def _lists(self, reading: Reading) -> bool:
        """Return whether `reading` opens by asking for a list ("list the …", "name all
        the …"): a listing word that asks no question, then a determiner or "all"."""
        words, claims = reading.words, reading.claims
        if len(words) < 2 or words[0] not in self._listing_verbs:
            return False
        # "list the …" asks a list; "name the director" a name, "name all the …" a list.
        listed = claims[0] == _LIST and words[1] in self.vocabulary.determiners
        return listed or claims[1] == EVERY

    def _fits_well(
        self, reading: Reading, scores: tuple[IntentScore, ...], words: int, scope: float
    ) -> bool:
        """Return whether the best intent fits well enough to answer: by the fitted model
        (knowledge/decision.yaml), else by the fixed fit threshold."""
        config, top = self.config, scores[0]
        if top.recall < config.min_recall:
            return False  # it says too little of what the phrasing asks, whatever the fit
        if not config.decide or (top.exact and top.score >= 1.0 - EXACT_TOLERANCE):
            # A question saying exactly what a phrasing says, no more and no less, and of the
            # kind of answer it gives, was answered right 2,679 times of 2,682 in the dev
            # sets: no model overrules it.
            return True
        if self.model is not None:
            measured = features(reading, list(scores), words, config, scope)
            probability = self.model.probability(measured)
            return probability >= self.model.cut
        return top.score >= config.answer_threshold

    def _asks_past_the_answer(self, reading: Reading, fact: Fact) -> bool:
        """Return whether `reading` names `fact`'s answer and asks about something else.

        "who wrote this virgin radio article" names the source and asks for its writer.
        """
        intent = self.kb.intents[fact.answers]
        if reading.concepts.keys().isdisjoint(intent.when_answer_named):
            return False
        answers = [fact.about]
        if intent.answer_kind:
            named = (fact.about, *fact.mentions)
            answers = [e for e in named if self.kb.entities[e].kind == intent.answer_kind]
        return not set(answers).isdisjoint(reading.entities)

    def _another_kind(self, reading: Reading, words: tuple[str, ...], fact: Fact) -> str | None:
        """Return the kind of show a question names that the show's own answer is not.

        "french show?" and "is there a show from france among the most popular" point at no
        show in particular and name a French one: All of Us Are Dead's facts do not answer.
        """
        if reading.entities or fact.about != self.kb.source.subject:
            return None
        answer = self.facts.answer_forms(fact)
        for index, word in enumerate(words):
            form = self.facts.forms([word]).pop()
            if form in self.facts.named_forms and form not in answer:
                # "is it french?" points at the show first: a premise to correct, not a kind.
                return None if self.vocabulary.points_definitely(words[:index]) else form
        return None

    def _of_kind(self, outcome: Outcome, words: tuple[str, ...], kind: str) -> Outcome | None:
        """Return `outcome` answered by the best fitting intent not about the show whose
        fact names `kind`, that intent leading the scores; None if there is none."""
        for score in outcome.scores:
            if score.score < self.config.answer_threshold:
                return None
            if self.kb.intents[score.intent].about_subject:
                continue
            fact = self.finder.find(score.intent, [], words, outcome.reading.excluded)
            if fact is not None and kind in self.facts.answer_forms(fact):
                # The answer is this intent's: it leads the scores the Answer reports.
                scores = (score, *(s for s in outcome.scores if s is not score))
                return replace(outcome, fact=fact, scores=scores)
        return None

    def _rival(self, outcome: Outcome, words: tuple[str, ...]) -> str | None:
        """Return another intent that fits `outcome`'s question as well and answers otherwise.

        "what did he actually say" fits what Variety said as well as what the director
        said: a guess between them is as likely wrong as right.
        """
        top = outcome.top
        assert top and outcome.fact
        for other in outcome.scores[1:]:
            if other.score < top.score - self.config.tie:
                return None
            fact = self.finder.find(other.intent, outcome.entities, words, outcome.reading.excluded)
            if fact is not None and fact.about != outcome.fact.about:
                return other.intent
        return None

    def _drop_fragments(
        self, split: list[Outcome], parts: list[str], rambling: bool
    ) -> list[Outcome]:
        """Let no part that asks nothing answer beside one that asks.

        A premise ("if lee did all of us are dead, who directed squid game") never answers.
        A later short part without a question word or name is a fragment ("…, not hours").
        In a rambling message, chat beside a part that asks and answers is chat ("my sister
        hasnt started it, …, who directed it"). A message made only of short parts
        ("director and premiere?") asks in each.
        """
        split = [
            o.declined(Decline.PREMISE) if o.fact and is_premise(part) else o
            for o, part in zip(split, parts, strict=True)
        ]
        split = _drop_framing(split, parts)
        split = self._drop_tails(split)
        return self._drop_chat(split, [len(tokens(part)) for part in parts], rambling)

    def _drop_tails(self, split: list[Outcome]) -> list[Outcome]:
        """Let no part asking nothing answer right after a question the article does not
        answer: it is that question's tail ("what kinds of survival did he lay out for
        season one and a possible season two"), and answering it answers something else."""
        kept = list(split)
        for index in range(1, len(split)):
            before, outcome = split[index - 1], split[index]
            unanswered = before.reason in _UNANSWERED and self._is_question(before.reading)
            if outcome.fact and unanswered and not self._is_question(outcome.reading):
                kept[index] = outcome.declined(Decline.FRAGMENT)
        return kept

    def _drop_chat(self, split: list[Outcome], sizes: list[int], rambling: bool) -> list[Outcome]:
        """Let a later short part asking nothing (of `sizes` words) answer only when every
        part is short, and in a rambling message, chat not beside an answered question."""
        if all(size <= self.config.terse_part for size in sizes):
            return split
        asking = [self._is_question(outcome.reading) for outcome in split]
        answered_question = any(a and o.fact for a, o in zip(asking, split, strict=True))
        chatty = rambling and answered_question
        kept: list[Outcome] = []
        for index, (outcome, size) in enumerate(zip(split, sizes, strict=True)):
            fragment = index > 0 and size <= self.config.terse_part
            if outcome.fact and not asking[index] and (fragment or chatty):
                outcome = outcome.declined(Decline.FRAGMENT)
            kept.append(outcome)
        return kept

    def _drop_introductions(self, split: list[Outcome]) -> list[Outcome]:
        """Let no part that only names something answer when the next part asks about it
        ("what about elite, what spot does it sit in?"): the name is that question's "it",
        not a question of its own."""
        kept = list(split)
        for index, outcome in enumerate(split[:-1]):
            reading, after = outcome.reading, split[index + 1].reading
            shows = [e for e in reading.entities if self.kb.entities[e].kind in _THINGS]
            names_only = shows and not self.says_something(reading, reading.words)
            if outcome.fact and names_only and after.pointing and not after.entities:
                kept[index] = outcome.declined(Decline.FRAGMENT)
        return kept

    def _drop_restatements(self, split: list[Outcome]) -> list[Outcome]:
        """Let no part that only says again what an unanswered earlier part said answer.

        "when is season 2 coming out, is there a release date": the release date is season
        two's, which the article does not give, not the show's premiere.
        """
        kept = split[:1]
        for index, outcome in enumerate(split[1:], 1):
            # Earlier parts understood, and declined as something the article does not say.
            unanswered = [o for o in kept[:index] if o.reason is Decline.NO_FACT]
            if outcome.fact and not outcome.reading.entities and unanswered:
                question_words = self.matcher.question_words
                said = {c for c in outcome.reading.concepts if c not in question_words}
                said_before = {c for o in unanswered for c in o.reading.concepts}
                if said and said <= said_before:
                    outcome = outcome.declined(Decline.RESTATEMENT)
            kept.append(outcome)
        return kept

    def _stranger(self, reading: Reading, intent: str) -> str | None:
        """Return the name a question about the show's own facts asks about instead, if any.

        "where does hellbound rank" points at nothing but a word that is no English word:
        it asks about Hellbound, which the article does not cover.
        """
        if reading.entities or not self.kb.intents[intent].about_subject:
            return None
        names = (w for w in reading.unknown_first if self.matcher.looks_like_a_name(w))
        return next(names, None)

    def _is_question(self, reading: Reading) -> bool:
        """Return whether `reading` asks by itself: a question word or a name."""
        return bool(reading.entities) or not self.matcher.question_words.isdisjoint(
            reading.concepts
        )

    def says_something(self, reading: Reading, words: tuple[str, ...]) -> bool:
        """Return whether `reading` holds a word with meaning beyond who/what/when, or names
        the show with a noun ("what is this show", "where is the series from"); "what time
        is it" does not."""
        asking = self.matcher.asking
        if any(w >= 0.5 and c not in asking for c, w in reading.concepts.items()):
            return True
        return self.vocabulary.names_with_a_noun(words)


def _drop_framing(split: list[Outcome], parts: list[str]) -> list[Outcome]:
    """Let a framing part ("according to the director, …") answer only for a question that
    does not, and never as a bare name ("per lee, …" asks nothing about Lee)."""
    framed = [is_framing(part) for part in parts]
    asked = any(o.fact and not f for o, f in zip(split, framed, strict=True))
    return [
        o.declined(Decline.FRAMING)
        if o.fact and framing and (asked or not o.reading.concepts)
        else o
        for o, framing in zip(split, framed, strict=True)
    ]


def describe(decided: Decided) -> list[str]:
    """Return what `explain` prints of stage 4: each part's outcome, clause by clause (or
    whole, when the clauses were not the better reading)."""
    lines = ["decide:"]
    for number, part in enumerate(decided.parts, 1):
        if part.computed is not None:
            verdict = "answered" if part.computed.answered else "declined"
            lines.append(f"  part {number}: computed, {verdict}")
        if part.outcomes:
            lines.append(f"  part {number}: scope {part.scope:+.1f} (log-odds it is answerable)")
        for index, outcome in enumerate(part.outcomes, 1):
            top = f"{outcome.top.intent} {outcome.top.score:.2f}" if outcome.top else "no intent"
            decision = f"fact {outcome.fact.id}" if outcome.fact else f"decline: {outcome.why}"
            where = f"clause {index}" if part.by_clause else "whole"
            lines.append(f"  part {number} {where}: {top} -> {decision}")
    return lines
