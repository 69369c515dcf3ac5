"""The one `answer` call that every way in (slash command, free text, CLI, quiz) goes through.

A question goes through five stages (bot/engine/stages/), each handing the next one typed
value: normalise (`Normalised`) -> read (`Read`) -> resolve (`Resolved`) -> decide
(`Decided`) -> render (`Answer`). `Engine.answer` runs them in that order; a follow-up first
goes through `FollowUps` (conversation.py), which runs them with "it" meaning what the
conversation was about.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from bot.engine.answer import Answer
from bot.engine.attributes import AttributeTable
from bot.engine.computed import Calculator, NamedEntity
from bot.engine.config import EngineConfig
from bot.engine.context import Conversation
from bot.engine.conversation import FollowUps
from bot.engine.decision import decision_model
from bot.engine.descriptions import Descriptions
from bot.engine.fact_index import FactIndex
from bot.engine.matcher import IntentMatcher
from bot.engine.operations import OperationReader
from bot.engine.stages import decide as decide_stage
from bot.engine.stages import normalise as normalise_stage
from bot.engine.stages import read as read_stage
from bot.engine.stages import resolve as resolve_stage
from bot.engine.stages.decide import Decider, Outcome
from bot.engine.stages.normalise import Normaliser, clean
from bot.engine.stages.read import Reader
from bot.engine.stages.render import Renderer
from bot.engine.stages.resolve import FactFinder, Focus, Resolver
from bot.engine.text import stems, tokens
from bot.engine.vocabulary import Reading, Vocabulary
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Fact

# A question word inside a phrasing, not first, asks nothing there ("top 10 when it aired").
INNER_QUESTION_WORDS = frozenset({"when", "where", "who", "why"})


class Engine:
    """Answers questions from a KnowledgeBase: pure, no I/O, safe for any input."""

    def __init__(self, kb: KnowledgeBase, config: EngineConfig | None = None) -> None:
        """Build the vocabulary and phrasing index of `kb` once, for fast answers; tuned by
        `config` (default: the shipped values) and `kb`'s fitted decision model."""
        self.kb = kb
        self.config = config or EngineConfig()
        self.decision = decision_model(kb, self.config) if self.config.decide else None
        phrasing_words = sorted(
            {t for i in kb.intents.values() for p in i.phrasings for t in tokens(p)}
        )
        self.vocabulary = Vocabulary(kb, phrasing_words, self.config)
        intents = self.decision.intents if self.decision else None
        self.matcher = IntentMatcher(kb, self.vocabulary, self.config, intents)
        self.facts = FactIndex(kb)
        attributes = AttributeTable(kb)
        self.operations = OperationReader(kb, self.vocabulary, attributes, self.config)
        self.calculator = Calculator(attributes, self._named_entities())
        finder = FactFinder(kb, self.facts, self.vocabulary)
        # The stages, in the order a question goes through them.
        self.normaliser = Normaliser(kb)
        self.reader = Reader(self.vocabulary, self.operations, self.normaliser)
        self.resolver = Resolver(kb, self.matcher, finder, self.calculator)
        self.decider = Decider(
            kb,
            self.config,
            self.decision,
            vocabulary=self.vocabulary,
            matcher=self.matcher,
            facts=self.facts,
            finder=finder,
        )
        self.renderer = Renderer(kb, self.config, self.facts, finder)
        self.citation = self.renderer.citation
        self.topic_concepts = self.resolver.topic_concepts
        # What "it" (or nothing named) means while a follow-up is answered: the show.
        self._focus = Focus()
        self.followups = FollowUps(self, self._fresh, self._focused)
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
        question = clean(question)  # stage 1: read what is shown, no invisible tricks
        self.vocabulary.forget()
        focus = None
        if context is None or context.is_empty:
            answer = self._fresh(question)
        else:
            resolved = self.followups.resolve(question, context)
            answer, focus = resolved.answer, resolved.focus
        after = self.followups.after(question, answer, context, focus)
        return answer.model_copy(update={"context": after})

    def _fresh(self, question: str) -> Answer:
        """Answer cleaned `question` as read by itself (with "it" meaning the focus, if one
        is set), or with the show it describes named ("the show that came fifth"), if surer
        so."""
        answer = self._plain(question)
        if answer.confidence >= self.config.description_gate:
            return answer
        return self.descriptions.answer(question, answer) or answer

    def _plain(self, question: str) -> Answer:
        """Answer cleaned `question` as its words read, or if that declines, as read
        without what only describes the article it asks about ("which outlet ran this
        story about the show being fifth": the story's topic pulls to the ranking, but
        "the news about it cracking the top ten" is how one tells Variety's from another)."""
        answer = self._staged(question)
        if answer.answered:
            return answer
        undescribed = self.normaliser.undescribed(question)
        if undescribed == question:
            return answer
        retried = self._staged(undescribed)
        return retried.model_copy(update={"question": question}) if retried.answered else answer

    def _staged(self, question: str) -> Answer:
        """Answer cleaned `question` through the five stages, top to bottom."""
        normalised = self.normaliser.normalise(question)
        read = self.reader.read(normalised)
        resolved = self.resolver.resolve(read, self._focus)
        decided = self.decider.decide(resolved)
        return self.renderer.render(decided)

    def answer_intent(self, question: str, intent: str, entity: str, confidence: int) -> Answer:
        """Return `intent`'s answer about `entity` ("and lupin's?" after a question about
        money heist's place), or decline naming what the article does not say of it."""
        return self.renderer.about(question, intent, entity, confidence)

    def says_something(self, reading: Reading) -> bool:
        """Return whether `reading` asks something beyond question words and names."""
        return self.decider.says_something(reading, reading.words)

    @contextmanager
    def _focused(self, entity: str, context: Conversation) -> Iterator[None]:
        """Let "it", and a question naming nothing, mean `entity` (or a topic of `context`:
        "season 2") while the block runs; a comparison naming no attribute compares the
        context's."""
        operations = self.operations
        before = (self._focus, operations.subject, operations.focus_attribute)
        self._focus = Focus(entity, dict(context.topics))
        if entity in operations.table.shows:
            operations.subject = entity
        operations.focus_attribute = context.attribute
        try:
            yield
        finally:
            self._focus, operations.subject, operations.focus_attribute = before

    def _outcomes(self, text: str) -> tuple[Outcome, ...]:
        """Return the outcomes of `text` matched as one message (no operation read)."""
        read = self.reader.message(self.normaliser.message(text))
        return self.decider.message(self.resolver.message(read, self._focus))

    def decided_by_fit(self, question: str) -> Outcome | None:
        """Return the weakest part `question` is answered by, as the intents read it (None
        if none answers or its sentences are operations): the outcome whose features
        scripts/calibrate.py fits the decision on."""
        question = clean(question)
        self.vocabulary.forget()
        if any(self.operations.read(s.text) for s in self.normaliser.normalise(question).sentences):
            return None
        answered = [o for o in self._outcomes(question) if o.fact and o.top]
        return min(answered, key=lambda o: o.confidence) if answered else None

    def explain(self, question: str, context: Conversation | None = None) -> str:
        """Return what each stage made of `question`, and the answer; asked after `context`,
        first what the context was and what it resolved to."""
        lines: list[str] = []
        focus = None
        if context is not None and not context.is_empty:
            self.vocabulary.forget()
            resolved = self.followups.resolve(clean(question), context)
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
        self.vocabulary.forget()
        normalised = self.normaliser.normalise(clean(question))
        read = self.reader.read(normalised)
        resolved = self.resolver.resolve(read, self._focus)
        decided = self.decider.decide(resolved)
        answer = self.renderer.render(decided)
        return "\n".join(
            [
                f"question: {question[:200]!r}",
                *normalise_stage.describe(normalised),
                *read_stage.describe(read),
                *resolve_stage.describe(resolved),
                *decide_stage.describe(decided),
                f"render: answered={answer.answered} intent={answer.intent} "
                f"entity={answer.entity} confidence={answer.confidence}",
                f"  {answer.text[:300]!r}",
            ]
        )

    def phrasing_answers(self, intent_id: str, text: str) -> str | None:
        """Return what is wrong with phrasing `text` of intent `intent_id`, None if nothing:
        the intent must answer it (or decline it, if the intent lists it in `declines`)."""
        intent = self.kb.intents[intent_id]
        self.vocabulary.forget()
        got = self.renderer.matched(text, self._outcomes(text))
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
