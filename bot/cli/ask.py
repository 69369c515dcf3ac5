"""`ask`: answer one question, or a batch of questions read one per line from stdin."""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from bot.cli.common import Subparsers, add_knowledge_option, load_engine
from bot.cli.render import answer_json, format_answer
from bot.engine import Answer, Engine

EXIT_USAGE = 2


def add_parser(subparsers: Subparsers) -> None:
    """Add the `ask` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "ask",
        help="answer a question (or one per stdin line)",
        description="Answer QUESTION. Without one, answer each line of stdin in order "
        "(a blank line still gets an answer, so output lines match input lines).",
    )
    parser.add_argument("question", nargs="*", help="the question (quotes optional)")
    parser.add_argument(
        "--json", action="store_true", help="print each answer as one JSON object per line"
    )
    add_knowledge_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Answer the question in `args`, or every stdin line when there is none."""
    if not args.question and sys.stdin.isatty():
        # Waiting silently on a terminal looks like a hang: say what ask expects instead.
        print(
            "ask: give a QUESTION, or pipe questions in one per line (or try chat)", file=sys.stderr
        )
        return EXIT_USAGE
    _, engine = load_engine(args.knowledge)
    if args.json:
        _use_utf8(sys.stdout)
    if args.question:
        print(_render(engine.answer(" ".join(args.question)), as_json=args.json))
        return 0
    _use_utf8(sys.stdin)
    for answer in answer_lines(engine, sys.stdin):
        print(_render(answer, as_json=args.json), flush=True)
        if not args.json:
            print(flush=True)
    return 0


def answer_lines(engine: Engine, lines: Iterable[str]) -> Iterator[Answer]:
    """Yield the engine's answer to each of `lines` as it is read, blank ones included."""
    for line in lines:
        yield engine.answer(line.rstrip("\r\n"))


def _render(answer: Answer, *, as_json: bool) -> str:
    return answer_json(answer) if as_json else format_answer(answer)


def _use_utf8(stream: TextIO) -> None:
    """Switch `stream` to UTF-8 (undecodable input replaced) whatever the locale says."""
    # JSON is UTF-8 by definition, and one stray byte must not end a batch of hundreds.
    if not isinstance(stream, io.TextIOWrapper):
        return
    if stream.encoding.lower().replace("-", "") != "utf8" or stream.errors != "replace":
        stream.reconfigure(encoding="utf-8", errors="replace")
