"""`eval`: score the engine on a question set and report accuracy per category and style.

Questions still waiting for their `expect` (entries of a `reports export` nobody has
judged yet) are skipped, and the report says how many. A question with `context` is a
follow-up: its earlier messages are asked first, in one conversation, and only it is graded;
`--explain` then also shows what the context made of it.
"""

from __future__ import annotations

import argparse
import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from bot.cli.common import CommandError, Subparsers, add_knowledge_option, load_engine
from bot.cli.question_set import EvalQuestion, contains_expected, load_question_set
from bot.engine import Answer
from bot.engine.context import Conversation

Outcome = Literal["correct", "wrong", "missed"]
SHOWN_ANSWER_CHARS = 100


class QuestionAnswerer(Protocol):
    """Anything that answers a question the way the engine does."""

    def answer(self, question: str, context: Conversation | None = None) -> Answer:
        """Return the answer to `question` asked after `context`."""
        ...


# Explains how the engine read a question asked after a context (None: asked alone).
Explainer = Callable[[str, Conversation | None], str]


@dataclass(frozen=True)
class Graded:
    """One question of the set, the engine's answer and how it counts."""

    question: EvalQuestion
    answer: Answer
    outcome: Outcome
    context: Conversation | None = None  # what the earlier messages left, for a follow-up


@dataclass(frozen=True)
class Tally:
    """How many of `total` questions came out right."""

    correct: int
    total: int

    @property
    def rate(self) -> float:
        """Return the share answered right, 0.0 for no questions."""
        return self.correct / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.correct}/{self.total}"


@dataclass(frozen=True)
class EvalReport:
    """Every graded question of a set, with the totals the thresholds are set on."""

    graded: tuple[Graded, ...]
    skipped: int = 0  # pending questions: no `expect` yet, so not graded

    @property
    def in_scope(self) -> Tally:
        """Return how many answerable questions were answered with the expected text."""
        return _tally(g for g in self.graded if g.question.in_scope)

    @property
    def declined(self) -> Tally:
        """Return how many out-of-scope questions were declined."""
        return _tally(g for g in self.graded if not g.question.in_scope)

    @property
    def wrong(self) -> int:
        """Return how many questions got an answer that is not the expected one."""
        return sum(g.outcome == "wrong" for g in self.graded)

    @property
    def misses(self) -> list[Graded]:
        """Return the questions that did not come out right, in set order."""
        return [g for g in self.graded if g.outcome != "correct"]

    def by(self, key: Callable[[EvalQuestion], str | None]) -> dict[str, Tally]:
        """Return a tally per value of `key` (in first-seen order), skipping None."""
        groups: dict[str, list[Graded]] = {}
        for graded in self.graded:
            value = key(graded.question)
            if value is not None:
                groups.setdefault(value, []).append(graded)
        return {value: _tally(items) for value, items in groups.items()}

    def skipped_line(self) -> str | None:
        """Return the line saying how many questions were skipped, None if none were."""
        if not self.skipped:
            return None
        if self.skipped == 1:
            return "1 question has no expect yet: skipped"
        return f"{self.skipped} questions have no expect yet: skipped"

    def summary(self) -> str:
        """Return the one-line summary that ends every report."""
        return f"accuracy: in-scope {self.in_scope}, declined {self.declined}, wrong {self.wrong}"


def add_parser(subparsers: Subparsers) -> None:
    """Add the `eval` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "eval",
        help="score the engine on a question set",
        description="Answer every question of FILE and report accuracy per category and "
        "style, the misses, and a last line 'accuracy: in-scope A/B, declined C/D, wrong W'.",
    )
    parser.add_argument("file", type=Path, metavar="FILE.yaml", help="the question set")
    parser.add_argument(
        "--explain", action="store_true", help="show the engine's matching details for each miss"
    )
    add_knowledge_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Score the engine on the question set named in `args` and print the report."""
    questions = load_question_set(args.file)
    if all(question.pending for question in questions):
        raise CommandError(
            f"{args.file}: no question has an expect yet: fill in `expect` (text the right "
            "answer must contain, or `decline`) for the ones to evaluate"
        )
    _, engine = load_engine(args.knowledge)
    report = score_question_set(engine, questions)
    print(f"{args.file}: {len(questions)} questions\n")

    print(format_report(report, explain=engine.explain if args.explain else None))
    return 0


def grade(question: EvalQuestion, answer: Answer) -> Outcome:
    """Return how `answer` counts for `question`: correct, wrong or missed.

    Raises ValueError for a pending question (no `expect` to grade against).
    """
    if question.expect is None:
        raise ValueError(f"{question.q!r} has no expect yet")
    if not question.in_scope:
        return "wrong" if answer.answered else "correct"
    if not answer.answered:
        return "missed"
    return "correct" if contains_expected(answer.text, question.expect) else "wrong"


def score_question_set(engine: QuestionAnswerer, questions: Sequence[EvalQuestion]) -> EvalReport:
    """Answer each of `questions` with `engine` and grade it, skipping the pending ones."""
    graded = []
    for question in questions:
        if question.pending:
            continue
        context = None
        for earlier in question.context:
            context = engine.answer(earlier, context).context
        answer = engine.answer(question.q, context)
        graded.append(Graded(question, answer, grade(question, answer), context))
    return EvalReport(tuple(graded), skipped=len(questions) - len(graded))


def format_report(report: EvalReport, explain: Explainer | None = None) -> str:
    """Return `report` as text: tallies per category and style, misses, then the summary."""
    sections = [_table("category", report.by(lambda q: q.category))]
    styles = report.by(lambda q: q.style)
    if styles:
        sections.append(_table("style", styles))
    sections.append(_misses(report.misses, explain))
    skipped = report.skipped_line()
    if skipped is not None:
        sections.append(skipped)
    sections.append(report.summary())
    return "\n\n".join(sections)


def _tally(graded: Iterable[Graded]) -> Tally:
    items = list(graded)
    return Tally(sum(g.outcome == "correct" for g in items), len(items))


def _table(title: str, tallies: dict[str, Tally]) -> str:
    """Return one row per group: name, correct/total and the percentage."""
    width = max(len(title), *(len(name) for name in tallies))
    rows = [f"{title:<{width}}  {'correct':>9}  {'accuracy':>8}"]
    for name, tally in tallies.items():
        rows.append(f"{name:<{width}}  {tally!s:>9}  {tally.rate:>8.1%}")
    return "\n".join(rows)


def _misses(misses: list[Graded], explain: Explainer | None) -> str:
    """Return every miss with what was expected and what the engine said."""
    if not misses:
        return "misses: none"
    lines = [f"misses ({len(misses)}):"]
    for graded in misses:
        lines.extend(_miss(graded))
        if explain is not None:
            text = explain(graded.question.q, graded.context)
            lines.append(textwrap.indent(text, "    | "))
    return "\n".join(lines)


def _miss(graded: Graded) -> list[str]:
    """Return the lines describing one miss."""
    question, answer = graded.question, graded.answer
    group = question.category + (f"/{question.style}" if question.style else "")
    got = "answered" if answer.answered else "declined"
    lines = [f"    after: {' / '.join(repr(m) for m in question.context)}"]
    return [
        f"- {graded.outcome.upper()} [{group}] {question.q!r}",
        *(lines if question.context else []),
        f"    expected: {question.expect}",
        f"    got: {got}, intent {answer.intent}, confidence {answer.confidence}: "
        f"{_shorten(answer.text)}",
    ]


def _shorten(text: str) -> str:
    """Return `text` on one line, cut to about SHOWN_ANSWER_CHARS characters."""
    flat = " ".join(text.split())
    if len(flat) <= SHOWN_ANSWER_CHARS:
        return flat
    return flat[: SHOWN_ANSWER_CHARS - 1].rstrip() + "…"
