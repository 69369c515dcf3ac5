"""Decide whether the best fitting intent's answer is given: a model fitted on the labelled
question sets, applied in pure Python.

`scripts/calibrate.py` fits a logistic regression on the features of every question the
engine would answer if it never declined for a weak fit, labelled by whether that answer
was right, and chooses the cut for a wrong-answer rate it states, on sets left out of the
fit. It writes `knowledge/decision.yaml`; without that file the
engine falls back to the fixed fit threshold.

One feature is itself learnt from the labelled questions: the scope, a naive Bayes
log-odds that a question is one the article answers at all, from its words and concepts.
The fit of a phrasing cannot tell "how long is each episode" from "how long is the
counting window"; the thousands of questions fans asked, in scope and out, can.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.engine.config import EngineConfig
from bot.engine.matcher import IntentScore
from bot.engine.vocabulary import Reading
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import IntentOdds

# The features, in the order the weights are written.
FEATURES = (
    "score",
    "precision",
    "recall",
    "margin",
    "unknown",
    "typos",
    "named",
    "concepts",
    "words",
    "rule",
    "scope",
)


@dataclass(frozen=True)
class ScopeModel:
    """Naive Bayes log-odds that a question is one the article answers: a prior, and what
    each word and concept said adds (fitted by scripts/calibrate.py on the dev sets)."""

    prior: float = 0.0
    words: Mapping[str, float] = field(default_factory=dict)
    concepts: Mapping[str, float] = field(default_factory=dict)
    bound: float = EngineConfig.scope_bound  # the log-odds stay within ± this

    def log_odds(self, reading: Reading) -> float:
        """Return the bounded log-odds that a message read as `reading` (whole) asks
        something the article answers."""
        return self.odds_of(reading.words, reading.concepts)

    def odds_of(self, words: Iterable[str], concepts: Iterable[str]) -> float:
        """Return the bounded log-odds of a message saying `words` and `concepts`."""
        total = self.prior + sum(self.words.get(w, 0.0) for w in set(words))
        total += sum(self.concepts.get(c, 0.0) for c in set(concepts))
        return max(-self.bound, min(self.bound, total))


def said_tokens(words: Iterable[str], concepts: Iterable[str]) -> frozenset[str]:
    """Return what a message says as the intent model keys it: its words, and each of its
    concepts written ~concept (scripts/calibrate.py counts the same)."""
    return frozenset({*words, *(f"~{c}" for c in concepts)})


@dataclass(frozen=True)
class IntentModel:
    """Naive Bayes over what fans asking each intent said (fitted by scripts/calibrate.py
    on the questions each intent answered right): which intent a message's words make
    likeliest. The phrasings say how an intent is asked; thousands of questions say more
    of how fans ask it ("yardstick", "order its chart": the ranking's rule)."""

    unseen: Mapping[str, float] = field(default_factory=dict)
    # By word (or ~concept), by intent whose questions said it: how much likelier it made
    # that intent than a word its questions never said (its `unseen`).
    lift: Mapping[str, Mapping[str, float]] = field(default_factory=dict)

    def behind(self, words: Iterable[str], concepts: Iterable[str]) -> dict[str, float]:
        """Return, by intent, its log-odds behind the likeliest intent (0 for that one) for
        a message saying `words` and `concepts`; {} if the model knows none of them."""
        said = sorted(said_tokens(words, concepts) & self.lift.keys())
        if not said:
            return {}
        scores = {intent: unseen * len(said) for intent, unseen in self.unseen.items()}
        for token in said:
            for intent, lift in self.lift[token].items():
                scores[intent] += lift
        top = max(scores.values())
        return {intent: score - top for intent, score in scores.items()}

    @classmethod
    def of(cls, odds: Mapping[str, IntentOdds]) -> IntentModel:
        """Return the model of fitted `odds` by intent."""
        lift: dict[str, dict[str, float]] = {}
        for intent, fitted in odds.items():
            for token, said in fitted.said.items():
                lift.setdefault(token, {})[intent] = said - fitted.unseen
        return cls({i: o.unseen for i, o in odds.items()}, lift)


@dataclass(frozen=True)
class DecisionModel:
    """A logistic regression over FEATURES and the probability cut to answer at."""

    weights: tuple[float, ...]
    bias: float
    cut: float
    scope: ScopeModel = field(default_factory=ScopeModel)
    intents: IntentModel | None = None

    def probability(self, features: tuple[float, ...]) -> float:
        """Return the modelled probability that the answer with `features` is right."""
        total = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, total))))


def features(
    reading: Reading,
    scores: list[IntentScore],
    words: int,
    config: EngineConfig,
    scope: float,
) -> tuple[float, ...]:
    """Return the FEATURES of a question part's reading and its intent scores, with the
    whole message's `scope` (ScopeModel.log_odds)."""
    top = scores[0]
    second = next((s.score for s in scores[1:] if s.intent != top.intent), 0.0)
    return (
        top.score,
        top.precision,
        top.recall,
        top.score - second,
        float(len(reading.unknown)),
        float(len(reading.typos)),
        float(bool(reading.entities)),
        float(len(reading.concepts)),
        math.log1p(words),
        # The fixed rule the model refines: the fit over its threshold.
        float(top.score >= config.answer_threshold),
        scope,
    )


def decision_model(kb: KnowledgeBase, config: EngineConfig) -> DecisionModel | None:
    """Return the decision model `kb` ships, None if it has none; its features must be
    exactly FEATURES (a model fitted for other features would decide at random)."""
    if kb.decision is None:
        return None
    given = kb.decision.weights
    if set(given) != set(FEATURES):
        raise ValueError(
            f"decision.yaml weighs {sorted(given)}, the engine measures {sorted(FEATURES)}: "
            "run scripts/calibrate.py again"
        )
    fitted = kb.decision.scope
    scope = (
        ScopeModel(fitted.prior, fitted.words, fitted.concepts, config.scope_bound)
        if fitted
        else ScopeModel()
    )
    intents = IntentModel.of(kb.decision.intents) if kb.decision.intents else None
    return DecisionModel(
        tuple(given[name] for name in FEATURES), kb.decision.bias, kb.decision.cut, scope, intents
    )
