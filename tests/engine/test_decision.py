"""The fitted answer/decline decision: shipped, reproducible, and applied."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.engine.config import EngineConfig
from bot.engine.decision import FEATURES, DecisionModel, IntentModel, decision_model
from bot.engine.text import stems
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.schema import IntentOdds

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    """Return the shipped knowledge."""
    return load_knowledge()


def test_the_shipped_model_weighs_every_feature(kb: KnowledgeBase) -> None:
    model = decision_model(kb, EngineConfig())
    assert model is not None
    assert len(model.weights) == len(FEATURES)
    assert 0.0 < model.cut < 1.0


def test_the_model_is_what_the_script_fits() -> None:
    # Fitted with a fixed seed on the dev sets: the checked-in file is reproducible.
    result = subprocess.run(
        [sys.executable, "scripts/calibrate.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_model_for_other_features_is_refused(kb: KnowledgeBase) -> None:
    assert kb.decision is not None
    weights = dict(kb.decision.weights)
    weights.pop("margin")
    other = dataclasses.replace(kb, decision=kb.decision.model_copy(update={"weights": weights}))
    with pytest.raises(ValueError, match=r"run scripts/calibrate\.py again"):
        Engine(other)


def test_probability_grows_with_the_weighted_features() -> None:
    model = DecisionModel(weights=(2.0, -1.0), bias=0.0, cut=0.5)
    assert model.probability((0.0, 0.0)) == pytest.approx(0.5)
    assert model.probability((1.0, 0.0)) > 0.5 > model.probability((0.0, 1.0))


def test_without_deciding_a_weak_fit_is_answered(kb: KnowledgeBase) -> None:
    # How the script sees what the engine would answer: nothing declined for a weak fit.
    question = "what title leads netflix's foreign-language popularity chart"  # fits at 0.60
    assert not Engine(kb).answer(question).answered
    assert not Engine(dataclasses.replace(kb, decision=None)).answer(question).answered
    collecting = Engine(kb, EngineConfig(decide=False)).answer(question)
    assert "Squid Game" in collecting.text


@pytest.mark.parametrize(
    ("answerable", "not_answerable"),
    [
        ("who directed it", "who plays the main character"),
        ("how many hours did it get", "how many episodes are there"),
        ("what is the webtoon called", "whats 17 times 23"),
    ],
)
def test_the_scope_model_tells_what_the_article_answers_from_what_it_does_not(
    kb: KnowledgeBase, answerable: str, not_answerable: str
) -> None:
    engine = Engine(kb)
    assert engine.decision is not None
    scope = engine.decision.scope

    def odds(question: str) -> float:
        return scope.log_odds(engine.vocabulary.read(stems(question)))

    assert odds(answerable) > 0 > odds(not_answerable)


def test_a_model_without_a_scope_finds_every_message_neutral(kb: KnowledgeBase) -> None:
    assert kb.decision is not None
    unscoped = dataclasses.replace(kb, decision=kb.decision.model_copy(update={"scope": None}))
    engine = Engine(unscoped)
    assert engine.decision is not None
    reading = engine.vocabulary.read(stems("who plays the main character"))
    assert engine.decision.scope.log_odds(reading) == 0.0


def test_explain_shows_the_scope_the_decision_weighed(kb: KnowledgeBase) -> None:
    assert "scope" in Engine(kb).explain("who directed it?")


def test_the_intent_model_puts_each_intent_behind_the_likeliest() -> None:
    odds = {
        "rule": IntentOdds(unseen=-6.0, said={"yardstick": -1.0, "~list": -2.0}),
        "rank": IntentOdds(unseen=-6.0, said={"~list": -1.5, "where": -1.0}),
    }
    model = IntentModel.of(odds)
    assert model.behind(["yardstick"], ["list"]) == {"rule": 0.0, "rank": -4.5}
    assert model.behind(["where"], []) == {"rule": -5.0, "rank": 0.0}
    assert model.behind(["unheard"], []) == {}  # knows none of it: moves nothing


def test_what_fans_asking_an_intent_said_moves_close_fits_apart(kb: KnowledgeBase) -> None:
    # No phrasing says "yardstick" or "order its chart"; the questions fans asked about
    # the ranking's rule did.
    question = "what yardstick does netflix use to order its chart of most popular foreign shows"
    engine = Engine(kb)
    assert engine.answer(question).intent == "ranking_rule", engine.explain(question)
    engine.matcher.intent_model = None
    assert engine.answer(question).intent != "ranking_rule"


def test_a_question_saying_exactly_a_phrasing_is_not_moved_by_the_intent_model(
    kb: KnowledgeBase,
) -> None:
    engine = Engine(kb)
    model = engine.matcher.intent_model
    assert model is not None
    for intent in kb.intents.values():
        for phrasing in intent.phrasings:
            reading = engine.vocabulary.read(stems(phrasing))
            engine.matcher.intent_model = None
            plain = {s.intent: s.score for s in engine.matcher.score(reading)}
            engine.matcher.intent_model = model
            for score in engine.matcher.score(reading):
                if score.precision >= 1.0 and score.recall >= 1.0:
                    assert score.score == plain[score.intent], (phrasing, score.intent)


def test_a_perfect_fit_is_answered_whatever_the_model_says(kb: KnowledgeBase) -> None:
    engine = Engine(kb)
    assert engine.decider.model is not None
    engine.decider.model = dataclasses.replace(engine.decider.model, cut=1.01)  # never
    assert engine.answer("who directed all of us are dead").answered  # a phrasing, exactly
    assert not engine.answer("who directed all of us are dead in the end").answered
