"""The one `answer` call that every way in (slash command, free text, CLI, quiz) goes through."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from enum import StrEnum

from bot.engine.answer import Answer, Citation
from bot.engine.attributes import AttributeTable
from bot.engine.computed import Calculator, Computed, NamedEntity
from bot.engine.config import EngineConfig
from bot.engine.context import ATTRIBUTE_INTENTS, Conversation
from bot.engine.conversation import FollowUps
from bot.engine.decision import decision_model, features
from bot.engine.descriptions import Descriptions
from bot.engine.fact_index import FactIndex
from bot.engine.matcher import IntentMatcher, IntentScore
from bot.engine.operations import Operation, OperationQuestion, OperationReader
from bot.engine.text import clauses, is_framing, is_premise, sentences, stems, tokens
from bot.engine.user_text import clean_user_text
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Fact

# A question word inside a phrasing, not first, asks nothing there ("top 10 when it aired").
INNER_QUESTION_WORDS = frozenset({"when", "where", "who", "why"})
FALLBACK_SUGGESTIONS = ("director", "hours", "season_two", "based_on", "rank")


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


@dataclass
class _Outcome:
    """The decision for one clause of a question."""

    reading: Reading
    scores: list[IntentScore]
    fact: Fact | None = None
    reason: Decline | None = None
    detail: str = ""  # what the reason is about ("hours about ['elite']"), for explain
    entities: list[str] = field(default_factory=list)
    # Another quote of the same speaker that fits about as well, said beside the first.
    companion: Fact | None = None

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


class Engine:
    """Answers questions from a KnowledgeBase: pure, no I/O, safe for any input."""

    def __init__(self, kb: KnowledgeBase, config: EngineConfig | None = None) -> None:
        """Build the vocabulary and phrasing index of `kb` once, for fast answers; tuned by
        `config` (default: the shipped values) and `kb`'s fitted decision model."""
        self.kb = kb
        self.config = config or EngineConfig()
        self.decision = decision_model(kb) if self.config.decide else None
        phrasing_words = sorted(
            {t for i in kb.intents.values() for p in i.phrasings for t in tokens(p)}
        )
        self.vocabulary = Vocabulary(kb, phrasing_words, self.config)
        self.matcher = IntentMatcher(kb, self.vocabulary, self.config)
        self.topic_concepts = {name for name, concept in kb.concepts.items() if concept.topic}
        self.facts = FactIndex(kb)
        attributes = AttributeTable(kb)
        self.operations = OperationReader(kb, self.vocabulary, attributes, self.config)
        self.calculator = Calculator(attributes, self._named_entities())
        self.citation = Citation(
            outlet=kb.source.outlet,
            date=kb.source.citation.removeprefix(f"{kb.source.outlet}, "),
            headline=kb.source.headline,
        )
        # What "it" (or nothing named) means while a follow-up is answered; None: the show.
        self._focus: str | None = None
        self._focus_topics: dict[str, float] = {}
        self.followups = FollowUps(self, self._fresh, self._focused)
        # The intent each of a speaker's quotes answers, with its speaker.
        self._quote_speakers = {q.answers: q.speaker for q in kb.quotes.values()}
        self.descriptions = Descriptions(self, self._plain)

    def _named_entities(self) -> dict[str, list[NamedEntity]]:
        """Return, by kind, the entities the article names, each with how it introduces them
        (the first sentence of their identity fact)."""
        identity: dict[str, Fact] = {}
        for fact in self.facts.by_intent.get("identity", []):
            identity.setdefault(fact.about, fact)
        named: dict[str, list[NamedEntity]] = {}
        for entity in self.kb.entities.values():
            introduced = identity.get(entity.id)
            if entity.ambient or introduced is None:
                continue
            summary = introduced.answer.split(". ")[0].rstrip(".") + "."
            named.setdefault(entity.kind, []).append(
                NamedEntity(entity.id, summary, tuple(introduced.evidence))
            )
        return named

    # --- the public calls -----------------------------------------------------------------

    def answer(self, question: str, context: Conversation | None = None) -> Answer:
        """Answer `question`, or decline with suggestions when the article does not say.

        `context` is what the conversation was last about (the `context` of the previous
        answer): a follow-up ("and lupin's?", "who directed it?") resolves against it. The
        answer's own `context` is what to pass with the next question.
        """
        question = clean_user_text(question)  # read what is shown: no invisible tricks
        self.vocabulary.forget()
        focus = None
        if context is None or context.is_empty:
            answer = self._fresh(question)
        else:
            resolved = self.followups.resolve(question, context)
            answer, focus = resolved.answer, resolved.focus
        after = self.followups.after(question, answer, context, focus)
        return answer.model_copy(update={"context": after})

    def answer_intent(self, question: str, intent: str, entity: str, confidence: int) -> Answer:
        """Return `intent`'s answer about `entity` ("and lupin's?" after a question about
        money heist's place), or decline naming what the article does not say of it."""
        fact = self._resolve(intent, [entity], ())
        if fact is not None and (fact.about == entity or not self.kb.intents[intent].about_subject):
            return Answer(
                question=question,
                answered=True,
                text=fact.answer,
                intent=intent,
                entity=fact.about,
                fact_ids=[fact.id],
                evidence=list(fact.evidence),
                confidence=confidence,
                source=self.citation,
            )
        asked = self.kb.intents[intent].describe(self.kb.entities[entity].name)
        source = f"the one article I know ({self.citation})"
        return Answer(
            question=question,
            answered=False,
            text=f"I can't tell you that: {source} doesn't say {asked}.",
            intent=intent,
            entity=entity,
            confidence=confidence,
            source=self.citation,
            suggestions=self._suggestions_about([entity]),
        )

    def says_something(self, reading: Reading) -> bool:
        """Return whether `reading` asks something beyond question words and names."""
        return self._says_something(reading, reading.words)

    def _fresh(self, question: str) -> Answer:
        """Answer `question` as read by itself (with "it" meaning the focus, if one is set),
        or with the show it describes named ("the show that came fifth"), if surer so."""
        answer = self._plain(question)
        if answer.confidence >= self.config.description_gate:
            return answer
        return self.descriptions.answer(question, answer) or answer

    def _plain(self, question: str) -> Answer:
        """Answer `question` as its words read, by an operation or an intent."""
        return self._computed(question) or self._matched(question)

    @contextmanager
    def _focused(self, entity: str, context: Conversation) -> Iterator[None]:
        """Let "it", and a question naming nothing, mean `entity` (or a topic of `context`:
        "season 2") while the block runs; a comparison naming no attribute compares the
        context's."""
        operations = self.operations
        before = (self._focus, self._focus_topics, operations.subject, operations.focus_attribute)
        self._focus, self._focus_topics = entity, dict(context.topics)
        if entity in operations.table.shows:
            operations.subject = entity
        operations.focus_attribute = context.attribute
        try:
            yield
        finally:
            self._focus, self._focus_topics, operations.subject, operations.focus_attribute = before

    def _computed(self, question: str) -> Answer | None:
        """Return the answer to a message with a sentence about several shows' values
        ("which has more hours, squid game or aouad?"), or None if it has none.

        The message's other sentences are answered as any question is.
        """
        parts: list[str] = []
        operations: list[OperationQuestion | None] = []
        for sentence in sentences(question):
            whole = self.operations.read(sentence)
            # "are money heist and lupin from the same country" is read whole; in "which
            # outlet reported it, and did it beat squid game" only a clause compares.
            clauses_of = clauses(sentence).parts
            if whole and self._asks_each_apart(whole, clauses_of):
                whole = None  # "which country is lupin from, and what's elite's genre"
            clauses_of = [] if whole else clauses_of
            read: list[OperationQuestion | None] = []
            if len(clauses_of) > 1:  # one clause is the sentence, already read
                excluded = self.vocabulary.read(stems(sentence)).excluded
                read = [self.operations.read(clause, excluded) for clause in clauses_of]
            if any(read):
                parts += clauses_of
                operations += read
            else:
                parts.append(sentence)
                operations.append(whole)
        if not any(operations):
            return None
        computed: list[Computed] = []
        matched: list[Answer] = []
        for part, operation in zip(parts, operations, strict=True):
            if operation is not None:
                computed.append(self.calculator.answer(operation))
            elif (plain := self._matched(part)).answered:
                matched.append(plain)
        answered = [c for c in computed if c.answered]
        if not answered and not matched:
            first = computed[0]
            return Answer(
                question=question,
                answered=False,
                text=first.text,
                intent=first.intent,
                entity=first.shows[0] if first.shows else None,
                confidence=self.config.computed_confidence,
                source=self.citation,
                suggestions=self._suggestions_about(list(first.shows)),
                context=_asked_back(first),
            )
        texts = [c.text for c in answered] + [m.text for m in matched]
        lead = answered[0] if answered else None
        return Answer(
            question=question,
            answered=True,
            text="\n\n".join(texts),
            intent=lead.intent if lead else matched[0].intent,
            entity=(lead.shows[0] if lead and lead.shows else None)
            or (matched[0].entity if matched else None),
            fact_ids=[
                *(f for c in answered for f in c.fact_ids),
                *(f for m in matched for f in m.fact_ids),
            ],
            evidence=[
                *(e for c in answered for e in c.evidence),
                *(e for m in matched for e in m.evidence),
            ],
            confidence=self.config.computed_confidence,
            source=self.citation,
        )

    def _asks_each_apart(self, whole: OperationQuestion, parts: list[str]) -> bool:
        """Return whether `whole`, read as one operation on several shows, is clauses each
        asking one show its own attribute: two questions, not one across shows."""
        if whole.operation is not Operation.VALUES or len(parts) < 2:
            return False
        asked = [self.operations.attribute_said(part) for part in parts]
        named = [self.vocabulary.read(stems(part)).entities for part in parts]
        own_show = all(len(shows) == 1 for shows in named) and len({*map(tuple, named)}) == len(
            parts
        )
        return own_show and None not in asked and len(set(asked)) == len(asked)

    def _matched(self, question: str) -> Answer:
        """Answer `question` by the intent it fits best, or decline."""
        outcomes = self._outcomes(question)
        answered = [o for o in outcomes if o.fact]
        if answered:
            return self._answered(question, answered)
        return self._declined(question, outcomes)

    def decision_features(self, question: str) -> tuple[float, ...] | None:
        """Return the decision features of the weakest part `question` is answered by, as
        the intents read it (None if none answers or its sentences are operations): what
        scripts/calibrate.py fits the decision on."""
        question = clean_user_text(question)
        self.vocabulary.forget()
        if any(self.operations.read(s) for s in sentences(question)):
            return None
        answered = [o for o in self._outcomes(question) if o.fact and o.top]
        if not answered:
            return None
        weakest = min(answered, key=lambda o: o.confidence)
        return features(weakest.reading, weakest.scores, len(weakest.reading.words), self.config)

    def explain(self, question: str, context: Conversation | None = None) -> str:
        """Return the matching details for `question`: words, entities, intents, decision;
        asked after `context`, first what the context was and what it resolved to."""
        lines: list[str] = []
        focus = None
        if context is not None and not context.is_empty:
            self.vocabulary.forget()
            resolved = self.followups.resolve(clean_user_text(question), context)
            focus = resolved.focus
            lines += [
                f"context: named={list(context.named)} answered={list(context.answered)} "
                f"intent={context.intent}",
                f"resolved: {resolved.note}",
            ]
        if focus is None:
            return "\n".join([*lines, self._explain(question)])
        assert context is not None
        with self._focused(focus, context):
            return "\n".join([*lines, self._explain(question)])

    def _explain(self, question: str) -> str:
        lines = [f"question: {question[:200]!r}", f"tokens: {list(stems(question))}"]
        for number, outcome in enumerate(self._outcomes(question), 1):
            reading = outcome.reading
            lines.append(
                f"clause {number}: concepts={reading.concepts} entities={reading.entities}"
            )
            lines.append(f"  unknown={reading.unknown} typos={reading.typos}")
            for score in outcome.scores[:4]:
                lines.append(
                    f"  {score.intent:<24} {score.score:.2f} (p={score.precision:.2f} "
                    f"r={score.recall:.2f}) via {score.phrasing!r}"
                )
            decision = f"fact {outcome.fact.id}" if outcome.fact else f"decline: {outcome.why}"
            lines.append(f"  -> {decision}")
        return "\n".join(lines)

    def phrasing_answers(self, intent_id: str, text: str) -> str | None:
        """Return what is wrong with phrasing `text` of intent `intent_id`, None if nothing:
        the intent must answer it (or decline it, if the intent lists it in `declines`)."""
        intent = self.kb.intents[intent_id]
        self.vocabulary.forget()
        got = self._matched(text)
        facts = [self.kb.facts[f] for f in got.fact_ids if f in self.kb.facts]
        answered = got.answered and any(intent_id in (f.answers, *f.also_answers) for f in facts)
        if text in intent.declines or intent.left_open:
            if got.answered:
                return f"is answered ({got.intent}) though the intent declines it"
            return None
        if answered:
            return None
        how = f"answered by '{got.intent}'" if got.answered else f"declined ({got.intent})"
        return f"does not answer its own intent '{intent_id}': {how}"

    def phrasing_warnings(self) -> list[str]:
        """Return a warning for each phrasing that reads the same as another intent's, or
        says a question word inside it.

        Lexicon words that read the same as another concept's come first.
        """
        seen: dict[frozenset[str], tuple[str, str]] = {}
        warnings = list(self.vocabulary.collisions)
        for intent in self.kb.intents.values():
            for text in intent.phrasings:
                if inner := next((w for w in tokens(text)[1:] if w in INNER_QUESTION_WORDS), None):
                    # "was it top 10 when it released" would make the intent answer "when".
                    warnings.append(
                        f"intent '{intent.id}' phrasing {text!r} says {inner!r} inside it: the "
                        f"intent then answers {inner!r} questions"
                    )
                reading = self.vocabulary.read(stems(text))
                key = frozenset([*reading.concepts, *(f"@{e}" for e in reading.entities)])
                other = seen.setdefault(key, (intent.id, text))
                if other[0] != intent.id:
                    warnings.append(
                        f"intents '{other[0]}' and '{intent.id}' collide: {other[1]!r} and "
                        f"{text!r} read the same"
                    )
        return warnings

    # --- deciding ------------------------------------------------------------------------

    def _outcomes(self, question: str) -> list[_Outcome]:
        whole = self._decide(stems(question), [])
        parts, rambling = clauses(question)
        if len(parts) < 2:
            return [whole]
        split: list[_Outcome] = []
        carried: list[str] = []
        topics: dict[str, float] = {}
        for part in parts:
            outcome = self._decide(stems(part), carried, topics)
            carried = self._carried(outcome.reading, carried)
            topics = self._topics(outcome.reading) or topics
            split.append(outcome)
        self._drop_fragments(split, parts, rambling)
        self._drop_restatements(split)
        facts = {o.fact.id for o in split if o.fact}
        # The whole message read at once mixes its parts' names and words: when the parts
        # answer, and not with what the whole would, the parts are the better reading.
        if facts and (len(facts) >= 2 or whole.fact is None or whole.fact.id not in facts):
            return [o for o in split if not o.reading.is_empty]
        return [whole]

    def _decide(
        self, words: tuple[str, ...], carried: list[str], topics: dict[str, float] | None = None
    ) -> _Outcome:
        reading = self.vocabulary.read(words)
        # A follow-up naming nothing ("release date??" after "is there a season 2?") asks
        # about what the conversation was about, as "it" would.
        bare_follow_up = not topics and self._focus is not None and not reading.anchored
        topics = topics or self._focus_topics
        pointing = reading.pointing or bare_follow_up
        if topics and pointing and reading.concepts and not reading.entities:
            # "…season 2 confirmed, and what would it be about": "it" is season 2.
            reading = replace(reading, concepts={**topics, **reading.concepts})
        scores = self.matcher.score(reading)
        entities = reading.entities or carried
        if not entities and self._focus and scores and self._about_one(scores[0].intent):
            entities = [self._focus]  # a follow-up: "it" is what the conversation is about
        # "where is it from?" asks little by itself; of what the conversation is about, enough.
        focused = reading.pointing and entities == [self._focus]
        outcome = _Outcome(reading, scores, entities=entities)
        top = outcome.top
        if reading.others:
            outcome.reason, outcome.detail = Decline.OTHER_TITLE, reading.others[0]
        elif reading.is_empty or top is None:
            outcome.reason = Decline.NOTHING_READ
        elif not reading.entities and not self._says_something(reading, words) and not focused:
            # "who are you", "what time is it": question words alone ask nothing of the show.
            outcome.reason = Decline.ONLY_QUESTION_WORDS
        elif not self._fits_well(reading, scores, len(words)):
            outcome.reason, outcome.detail = Decline.WEAK_FIT, f"{top.intent} {top.score:.2f}"
        elif stranger := self._stranger(reading, top.intent):
            outcome.reason, outcome.detail = Decline.STRANGER, repr(stranger)
        else:
            # As read: "is there a frnech show" is French for telling which show is meant.
            corrected = tuple(reading.typos.get(word, word) for word in words)
            # A name carried from an earlier part is "it"; a part pointing at nothing that
            # asks about no one subject ("how many days does the list count") has no "it".
            free = not reading.anchored and not self._about_one(top.intent)
            about = [] if free else outcome.entities
            outcome.fact = self._resolve(top.intent, about, corrected, reading.excluded)
            if outcome.fact is None:
                outcome.reason = Decline.NO_FACT
                outcome.detail = f"{top.intent} about {outcome.entities}"
            elif rival := self._rival(outcome, corrected):
                outcome.fact, outcome.reason, outcome.detail = None, Decline.RIVAL, rival
            elif self._asks_past_the_answer(reading, outcome.fact):
                outcome.fact, outcome.reason = None, Decline.PAST_THE_ANSWER
            elif kind := self._another_kind(reading, corrected, outcome.fact):
                # "french show?": the French show the article names, if a reading finds it.
                outcome.fact = self._of_kind(outcome, corrected, kind)
                if outcome.fact is None:
                    outcome.reason, outcome.detail = Decline.OTHER_KIND, kind
            else:
                outcome.companion = self._companion_quote(outcome, corrected)
        return outcome

    def _companion_quote(self, outcome: _Outcome, words: tuple[str, ...]) -> Fact | None:
        """Return another quote of the same speaker that fits about as well as the one
        answered: "what did he say about the next season" fits two of the director's
        quotes, and either alone may be the wrong one; both are what he said."""
        top = outcome.top
        assert top and outcome.fact
        speaker = self._quote_speakers.get(top.intent)
        if speaker is None:
            return None
        for other in outcome.scores[1:]:
            if other.score < top.score - self.config.quote_companion_margin:
                return None
            if self._quote_speakers.get(other.intent) == speaker:
                return self._resolve(other.intent, outcome.entities, words, ())
        return None

    def _fits_well(self, reading: Reading, scores: list[IntentScore], words: int) -> bool:
        """Return whether the best intent fits well enough to answer: by the fitted model
        (knowledge/decision.yaml), else by the fixed fit threshold."""
        config, top = self.config, scores[0]
        if top.recall < config.min_recall:
            return False  # it says too little of what the phrasing asks, whatever the fit
        if not config.decide:
            return True
        if self.decision is not None:
            probability = self.decision.probability(features(reading, scores, words, config))
            return probability >= self.decision.cut
        return top.score >= config.answer_threshold

    def _about_one(self, intent: str) -> bool:
        """Return whether `intent`'s question is about one named thing ("who directed it"),
        not answered by the article whatever is named ("which show is number one")."""
        return self.kb.intents[intent].about_subject

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

    def _of_kind(self, outcome: _Outcome, words: tuple[str, ...], kind: str) -> Fact | None:
        """Return the fact of the best fitting intent, not about the show, that names `kind`."""
        for score in outcome.scores:
            if score.score < self.config.answer_threshold:
                return None
            if self.kb.intents[score.intent].about_subject:
                continue
            fact = self._resolve(score.intent, [], words, outcome.reading.excluded)
            if fact is not None and kind in self.facts.answer_forms(fact):
                # The answer is this intent's: it leads the scores the Answer reports.
                outcome.scores = [score, *(s for s in outcome.scores if s is not score)]
                return fact
        return None

    def _rival(self, outcome: _Outcome, words: tuple[str, ...]) -> str | None:
        """Return another intent that fits `outcome`'s question as well and answers otherwise.

        "what did he actually say" fits what Variety said as well as what the director
        said: a guess between them is as likely wrong as right.
        """
        top = outcome.top
        assert top and outcome.fact
        for other in outcome.scores[1:]:
            if other.score < top.score - self.config.tie:
                return None
            fact = self._resolve(other.intent, outcome.entities, words, outcome.reading.excluded)
            if fact is not None and fact.about != outcome.fact.about:
                return other.intent
        return None

    @staticmethod
    def _carried(reading: Reading, carried: list[str]) -> list[str]:
        """Return what a later "it" means after `reading`: the name it gave, if any.

        A part that says "it" before a name ("how does it compare to squid game") means by
        "it" something else than that name: the show, as with nothing named.
        """
        if not reading.entities:
            return carried
        return [] if reading.points_before_naming else reading.entities

    def _drop_fragments(self, split: list[_Outcome], parts: list[str], rambling: bool) -> None:
        """Let no part that asks nothing answer beside one that asks.

        A premise ("if lee did all of us are dead, who directed squid game") never answers.
        A later short part without a question word or name is a fragment ("…, not hours").
        In a rambling message, chat beside a part that asks and answers is chat ("my sister
        hasnt started it, …, who directed it"). A message made only of short parts
        ("director and premiere?") asks in each.
        """
        for outcome, part in zip(split, parts, strict=True):
            if outcome.fact and is_premise(part):
                outcome.fact, outcome.reason = None, Decline.PREMISE
        # A framing part ("according to the director, …") answers only for a question that
        # does not, and never as a bare name ("per lee, …" asks nothing about Lee).
        framed = [is_framing(part) for part in parts]
        asked = any(o.fact and not f for o, f in zip(split, framed, strict=True))
        for outcome, framing in zip(split, framed, strict=True):
            if outcome.fact and framing and (asked or not outcome.reading.concepts):
                outcome.fact, outcome.reason = None, Decline.FRAMING
        sizes = [len(tokens(part)) for part in parts]
        if all(size <= self.config.terse_part for size in sizes):
            return
        asking = [self._is_question(outcome.reading) for outcome in split]
        answered_question = any(a and o.fact for a, o in zip(asking, split, strict=True))
        chatty = rambling and answered_question
        for index, (outcome, size) in enumerate(zip(split, sizes, strict=True)):
            fragment = index > 0 and size <= self.config.terse_part
            if outcome.fact and not asking[index] and (fragment or chatty):
                outcome.fact, outcome.reason = None, Decline.FRAGMENT

    def _drop_restatements(self, split: list[_Outcome]) -> None:
        """Let no part that only says again what an unanswered earlier part said answer.

        "when is season 2 coming out, is there a release date": the release date is season
        two's, which the article does not give, not the show's premiere.
        """
        for index, outcome in enumerate(split[1:], 1):
            # Earlier parts understood, and declined as something the article does not say.
            unanswered = [o for o in split[:index] if o.reason is Decline.NO_FACT]
            if not outcome.fact or outcome.reading.entities or not unanswered:
                continue
            said = {c for c in outcome.reading.concepts if c not in self.matcher.question_words}
            said_before = {c for o in unanswered for c in o.reading.concepts}
            if said and said <= said_before:
                outcome.fact, outcome.reason = None, Decline.RESTATEMENT

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

    def _topics(self, reading: Reading) -> dict[str, float]:
        """Return the concepts of `reading` that a later "it" may point at."""
        return {c: w for c, w in reading.concepts.items() if c in self.topic_concepts}

    def _says_something(self, reading: Reading, words: tuple[str, ...]) -> bool:
        """Return whether `reading` holds a word with meaning beyond who/what/when, or names
        the show with a noun ("what is this show", "where is the series from"); "what time
        is it" does not."""
        asking = self.matcher.asking
        if any(w >= 0.5 and c not in asking for c, w in reading.concepts.items()):
            return True
        return self.vocabulary.names_with_a_noun(words)

    def _resolve(
        self,
        intent: str,
        entities: list[str],
        words: tuple[str, ...],
        excluded: Iterable[str] = (),
    ) -> Fact | None:
        """Return the fact answering `intent` about the named `entities` (default: the show).

        No fact about an `excluded` name answers ("which spanish show besides money heist").
        """
        if not entities:
            if self.kb.intents[intent].about_subject:
                subject = self.kb.source.subject
                if subject in excluded:
                    return None
                facts = self.facts.naming(intent, [subject])
                return next((f for f in facts if f.about == subject), None)
            facts = [f for f in self.facts.by_intent.get(intent, []) if f.about not in excluded]
            return facts[0] if len(facts) == 1 else self._closest(facts, words)
        fitting = [f for f in self.facts.naming(intent, entities) if f.about not in excluded]
        for entity in entities:
            for fact in fitting:
                if fact.about == entity:
                    return fact
        return fitting[0] if len(fitting) == 1 else None

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

    # --- building the Answer -----------------------------------------------------------------

    def _answered(self, question: str, outcomes: list[_Outcome]) -> Answer:
        facts: list[Fact] = []
        for outcome in outcomes:
            for fact in (outcome.fact, outcome.companion):
                if fact and fact not in facts:
                    facts.append(fact)
        first = outcomes[0]
        assert first.fact and first.top
        return Answer(
            question=question,
            answered=True,
            text="\n\n".join(f.answer for f in facts),
            intent=first.top.intent,
            entity=first.fact.about,
            fact_ids=[f.id for f in facts],
            evidence=[e for f in facts for e in f.evidence],
            confidence=min(o.confidence for o in outcomes),
            source=self.citation,
        )

    def _declined(self, question: str, outcomes: list[_Outcome]) -> Answer:
        best = max(outcomes, key=lambda o: o.confidence)
        return Answer(
            question=question,
            answered=False,
            text=self._decline_text(best),
            intent=best.top.intent if best.top else None,
            entity=best.entities[0] if best.entities else None,
            confidence=best.confidence,
            source=self.citation,
            suggestions=self._suggestions(best),
        )

    def _decline_text(self, outcome: _Outcome) -> str:
        source = f"the one article I know ({self.citation})"
        if outcome.reading.others:
            return f"I can't answer that: {source} doesn't cover {outcome.reading.others[0]}."
        if outcome.reason is Decline.PAST_THE_ANSWER and outcome.entities:
            name = self.kb.entities[outcome.entities[0]].name
            return f"I can't tell you that from {source}: it names {name}, and no more."
        subject = self.kb.entities[self.kb.source.subject].name
        known = [self.kb.entities[e] for e in outcome.entities]
        intent = self.kb.intents[outcome.top.intent] if outcome.top else None
        if intent and intent.left_open and not known:
            known = [self.kb.entities[self.kb.source.subject]]
        if intent and known and outcome.top and outcome.top.score >= self.config.named_decline_fit:
            about = " and ".join(e.name for e in known)
            if all(self._resolve(intent.id, [e], ()) is None for e in outcome.entities):
                return f"I can't tell you that: {source} doesn't say {intent.describe(about)}."
            # The article may well say it: the question was too unclear to be sure.
            return f"I'm not sure what you're asking about {about}: try asking it another way."
        return f"I can't answer that from {source} about {subject}."

    def _suggestions(self, outcome: _Outcome) -> list[str]:
        intents = [s.intent for s in outcome.scores if s.score > 0.2]
        return self._suggestions_about(outcome.entities, intents)

    def _suggestions_about(
        self, entities: list[str], intents: list[str] | None = None
    ) -> list[str]:
        """Return questions to suggest about the first of `entities`, best `intents` first."""
        intents = [*(intents or []), *(i for i in FALLBACK_SUGGESTIONS if i in self.kb.intents)]
        entity = entities[0] if entities else None
        if entity:
            # What the article does say about the show or person asked about comes first.
            intents = [i for i in self.facts.intents_about(entity) if i in intents] + intents
        subject = self.kb.entities[self.kb.source.subject].name
        suggestions: list[str] = []
        for intent_id in intents:
            text = self.kb.intents[intent_id].suggestion
            if text and entity and self._resolve(intent_id, [entity], ()):
                text = text.replace(subject, self.kb.entities[entity].name)
            if text and text not in suggestions:
                suggestions.append(text)
            if len(suggestions) == self.config.max_suggestions:
                break
        return suggestions


def _asked_back(computed: Computed) -> Conversation | None:
    """Return what a reply to a question asked back ("Do you mean Money Heist or Elite?")
    resolves against: the shows offered and the attribute asked of the one meant."""
    prefix = f"{Operation.WHICH_ONE.value}_"
    if not computed.intent.startswith(prefix):
        return None
    intent = ATTRIBUTE_INTENTS.get(computed.intent.removeprefix(prefix))
    return Conversation(named=computed.shows, intent=intent)
