"""`explain`: show what each stage of the engine made of a question (normalise, read,
resolve, decide, render), optionally as a follow-up after earlier messages."""

from __future__ import annotations

import argparse

from bot.cli.common import CommandError, Subparsers, add_knowledge_option, load_engine
from bot.engine.context import Conversation


def add_parser(subparsers: Subparsers) -> None:
    """Add the `explain` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "explain",
        help="show what each stage of the engine made of a question",
        description="Print each stage's output for QUESTION: the clauses and sentences it "
        "was cut into, the words read, the intents and facts resolved, the decision for "
        "each part, and the answer. With --after, the question is a follow-up of those "
        "messages, asked first in one conversation.",
    )
    parser.add_argument("question", nargs="+", help="the question (quotes optional)")
    parser.add_argument(
        "--after",
        metavar="MESSAGE",
        action="append",
        default=[],
        help="an earlier message of the conversation (repeat for several, in order)",
    )
    add_knowledge_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the engine's explanation of the question in `args`."""
    question = " ".join(args.question)
    if not question.strip():
        raise CommandError("explain: the question is empty")
    _, engine = load_engine(args.knowledge)
    context: Conversation | None = None
    for earlier in args.after:
        context = engine.answer(earlier, context).context
    print(engine.explain(question, context))
    return 0
