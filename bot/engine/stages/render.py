"""Stage 5, render: the `Answer` a user sees. The facts' answers (or the computed text)
with their evidence and the article cited; or a decline that says what the article does
not say, by name where it can, with questions to try instead.
"""

from __future__ import annotations

from bot.engine.answer import Answer, Citation
from bot.engine.computed import Computed
from bot.engine.config import EngineConfig
from bot.engine.context import ATTRIBUTE_INTENTS, Conversation
from bot.engine.fact_index import FactIndex
from bot.engine.operations import Operation
from bot.engine.stages.decide import Decided, Decline, Outcome
from bot.engine.stages.resolve import FactFinder
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import Fact


class Renderer:
    """Builds the Answer of a decided question."""

    def __init__(
        self,
        kb: KnowledgeBase,
        config: EngineConfig,
        facts: FactIndex,
        finder: FactFinder,
    ) -> None:
        self.kb = kb
        self.config = config
        self.facts = facts
        self.finder = finder
        # Suggested, in their order, when a decline knows nothing closer (intents.yaml).
        offered = sorted((i.fallback, i.id) for i in kb.intents.values() if i.fallback)
        self._fallback = [intent for _, intent in offered]
        self.citation = Citation(
            outlet=kb.source.outlet,
            date=kb.source.citation.removeprefix(f"{kb.source.outlet}, "),
            headline=kb.source.headline,
        )
        self.source = f"the one article I know ({self.citation})"

    def render(self, decided: Decided) -> Answer:
        """Return the Answer to `decided`: computed from values, or by the facts found."""
        if decided.computes:
            return self._computed(decided)
        return self.matched(decided.text, decided.parts[0].outcomes)

    def matched(self, question: str, outcomes: tuple[Outcome, ...]) -> Answer:
        """Return the answer by the facts of `outcomes`, or the decline of the best one."""
        answered = [o for o in outcomes if o.fact]
        if answered:
            return self._answered(question, answered)
        return self._declined(question, outcomes)

    def about(self, question: str, intent: str, entity: str, confidence: int) -> Answer:
        """Return `intent`'s answer about `entity` ("and lupin's?" after a question about
        money heist's place), or decline naming what the article does not say of it."""
        fact = self.finder.find(intent, [entity], ())
        if fact is not None and (fact.about == entity or not self.kb.intents[intent].about_subject):
            return self._of_facts(question, [fact], intent, fact.about, confidence)
        asked = self.kb.intents[intent].describe(self.kb.entities[entity].name)
        return Answer(
            question=question,
            answered=False,
            text=f"I can't tell you that: {self.source} doesn't say {asked}.",
            intent=intent,
            entity=entity,
            confidence=confidence,
            source=self.citation,
            suggestions=self.suggestions_about([entity]),
        )

    # --- computed from the shows' values --------------------------------------------------

    def _computed(self, decided: Decided) -> Answer:
        """Return the answers of a question with an operation: the computed ones, then the
        other parts' that the article answers; else the first operation's decline."""
        computed = [part.computed for part in decided.parts if part.computed is not None]
        answered = [c for c in computed if c.answered]
        matched = [
            self._answered(part.text, facts)
            for part in decided.parts
            if part.computed is None and (facts := [o for o in part.outcomes if o.fact])
        ]
        if not answered and not matched:
            return self._not_computed(decided.text, computed[0])
        return self._combined(decided.text, answered, matched)

    def _combined(self, question: str, answered: list[Computed], matched: list[Answer]) -> Answer:
        """Return one answer of the computed answers, then the matched ones; the first
        computed one (else matched one) says what was asked about."""
        intent, entity = _lead(answered, matched)
        computed_ids = [f for c in answered for f in c.fact_ids]
        computed_evidence = [e for c in answered for e in c.evidence]
        return Answer(
            question=question,
            answered=True,
            text="\n\n".join([*(c.text for c in answered), *(m.text for m in matched)]),
            intent=intent,
            entity=entity,
            fact_ids=[*computed_ids, *(f for m in matched for f in m.fact_ids)],
            evidence=[*computed_evidence, *(e for m in matched for e in m.evidence)],
            confidence=self.config.computed_confidence,
            source=self.citation,
        )

    def _not_computed(self, question: str, first: Computed) -> Answer:
        """Return the decline of an operation the article's values do not answer."""
        return Answer(
            question=question,
            answered=False,
            text=first.text,
            intent=first.intent,
            entity=first.shows[0] if first.shows else None,
            confidence=self.config.computed_confidence,
            source=self.citation,
            suggestions=self.suggestions_about(list(first.shows)),
            context=_asked_back(first),
        )

    # --- answered by facts ------------------------------------------------------------------

    def _answered(self, question: str, outcomes: list[Outcome]) -> Answer:
        facts: list[Fact] = []
        for outcome in outcomes:
            for fact in (outcome.fact, outcome.companion):
                if fact and fact not in facts:
                    facts.append(fact)
        first = outcomes[0]
        assert first.fact and first.top
        confidence = min(o.confidence for o in outcomes)
        return self._of_facts(question, facts, first.top.intent, first.fact.about, confidence)

    def _of_facts(
        self, question: str, facts: list[Fact], intent: str, entity: str, confidence: int
    ) -> Answer:
        return Answer(
            question=question,
            answered=True,
            text="\n\n".join(f.answer for f in facts),
            intent=intent,
            entity=entity,
            fact_ids=[f.id for f in facts],
            evidence=[e for f in facts for e in f.evidence],
            confidence=confidence,
            source=self.citation,
        )

    # --- declined ---------------------------------------------------------------------------

    def _declined(self, question: str, outcomes: tuple[Outcome, ...]) -> Answer:
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

    def _decline_text(self, outcome: Outcome) -> str:
        if outcome.reading.others:
            return f"I can't answer that: {self.source} doesn't cover {outcome.reading.others[0]}."
        if outcome.reason is Decline.PAST_THE_ANSWER and outcome.entities:
            name = self.kb.entities[outcome.entities[0]].name
            return f"I can't tell you that from {self.source}: it names {name}, and no more."
        named = self._named_decline(outcome)
        if named is not None:
            return named
        subject = self.kb.entities[self.kb.source.subject].name
        return f"I can't answer that from {self.source} about {subject}."

    def _named_decline(self, outcome: Outcome) -> str | None:
        """Return a decline naming what the question asked of whom, if it fit well enough
        to tell: what the article does not say, or that the question was unclear."""
        top = outcome.top
        intent = self.kb.intents[top.intent] if top else None
        if intent is None or top is None or top.score < self.config.named_decline_fit:
            return None
        known = [self.kb.entities[e] for e in outcome.entities]
        if intent.left_open and not known:
            known = [self.kb.entities[self.kb.source.subject]]
        if not known:
            return None
        about = " and ".join(e.name for e in known)
        if all(self.finder.find(intent.id, [e], ()) is None for e in outcome.entities):
            return f"I can't tell you that: {self.source} doesn't say {intent.describe(about)}."
        # The article may well say it: the question was too unclear to be sure.
        return f"I'm not sure what you're asking about {about}: try asking it another way."

    def _suggestions(self, outcome: Outcome) -> list[str]:
        intents = [s.intent for s in outcome.scores if s.score > 0.2]
        return self.suggestions_about(list(outcome.entities), intents)

    def suggestions_about(self, entities: list[str], intents: list[str] | None = None) -> list[str]:
        """Return questions to suggest about the first of `entities`, best `intents` first."""
        intents = [*(intents or []), *self._fallback]
        entity = entities[0] if entities else None
        if entity:
            # What the article does say about the show or person asked about comes first.
            intents = [i for i in self.facts.intents_about(entity) if i in intents] + intents
        suggestions: list[str] = []
        for intent_id in intents:
            text = self._suggestion(intent_id, entity)
            if text and text not in suggestions:
                suggestions.append(text)
            if len(suggestions) == self.config.max_suggestions:
                break
        return suggestions

    def _suggestion(self, intent_id: str, entity: str | None) -> str | None:
        """Return `intent_id`'s suggested question, about `entity` if the article says it."""
        text = self.kb.intents[intent_id].suggestion
        if text and entity and self.finder.find(intent_id, [entity], ()):
            subject = self.kb.entities[self.kb.source.subject].name
            text = text.replace(subject, self.kb.entities[entity].name)
        return text


def _lead(answered: list[Computed], matched: list[Answer]) -> tuple[str | None, str | None]:
    """Return the intent and entity of a combined answer: the first computed answer's (its
    first show), else the first matched answer's."""
    lead = answered[0] if answered else None
    intent = lead.intent if lead else matched[0].intent
    entity = (lead.shows[0] if lead and lead.shows else None) or (
        matched[0].entity if matched else None
    )
    return intent, entity


def _asked_back(computed: Computed) -> Conversation | None:
    """Return what a reply to a question asked back ("Do you mean Money Heist or Elite?")
    resolves against: the shows offered and the attribute asked of the one meant."""
    prefix = f"{Operation.WHICH_ONE.value}_"
    if not computed.intent.startswith(prefix):
        return None
    intent = ATTRIBUTE_INTENTS.get(computed.intent.removeprefix(prefix))
    return Conversation(named=computed.shows, intent=intent)
