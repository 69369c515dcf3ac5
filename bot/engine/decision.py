"""Decide whether the best fitting intent's answer is given: a model fitted on the labelled
question sets, applied in pure Python.

`scripts/calibrate.py` fits a logistic regression on the features of every question the
engine would answer if it never declined for a weak fit, labelled by whether that answer
was right, and chooses the cut for a wrong-answer rate it states, on sets left out of the
fit. It writes `knowledge/decision.yaml`; without that file the
engine falls back to the fixed fit threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bot.engine.config import EngineConfig
from bot.engine.matcher import IntentScore
from bot.engine.vocabulary import Reading
from bot.knowledge.base import KnowledgeBase

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
)


@dataclass(frozen=True)
class DecisionModel:
    """A logistic regression over FEATURES and the probability cut to answer at."""

    weights: tuple[float, ...]
    bias: float
    cut: float

    def probability(self, features: tuple[float, ...]) -> float:
        """Return the modelled probability that the answer with `features` is right."""
        total = self.bias + sum(w * x for w, x in zip(self.weights, features, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, total))))


def features(
    reading: Reading, scores: list[IntentScore], words: int, config: EngineConfig
) -> tuple[float, ...]:
    """Return the FEATURES of a question's reading and its intent scores."""
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
    )


def decision_model(kb: KnowledgeBase) -> DecisionModel | None:
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
    return DecisionModel(tuple(given[name] for name in FEATURES), kb.decision.bias, kb.decision.cut)
