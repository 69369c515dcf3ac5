"""Hold the engine to the development question sets (tests/questions/dev*.yaml).

The held-out sets (tests/questions/holdout*.yaml) are kept unseen while the engine is tuned;
score them with `python -m bot eval tests/questions/holdout4.yaml`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import EvalReport, format_report, score_question_set
from bot.cli.question_set import load_question_set
from bot.engine import Engine

DEV_SETS = sorted((Path(__file__).resolve().parent / "questions").glob("dev*.yaml"))
# Thresholds the engine must keep; raise them as it improves.
MIN_IN_SCOPE_ACCURACY = 0.85
MIN_OUT_OF_SCOPE_DECLINED = 0.90
MAX_WRONG_SHARE = 0.03


@pytest.fixture(scope="module", params=DEV_SETS, ids=lambda path: path.stem)
def report(request: pytest.FixtureRequest, engine: Engine) -> EvalReport:
    """Return the engine's graded answers to one development set."""
    return score_question_set(engine, load_question_set(request.param))


def test_there_are_development_sets() -> None:
    assert len(DEV_SETS) >= 2


def test_in_scope_questions_are_answered_right(report: EvalReport) -> None:
    assert report.in_scope.rate >= MIN_IN_SCOPE_ACCURACY, format_report(report)


def test_out_of_scope_questions_are_declined(report: EvalReport) -> None:
    assert report.declined.rate >= MIN_OUT_OF_SCOPE_DECLINED, format_report(report)


def test_wrong_answers_are_rare(report: EvalReport) -> None:
    assert report.wrong <= MAX_WRONG_SHARE * len(report.graded), format_report(report)
