"""`ask`: answer one question, or a batch of questions read one per line from stdin.

With --json, a stdin line may also be a JSON object `{"question": "...", "conversation":
"any id"}`: the lines of one conversation id are one conversation, in order (a follow-up
means what the last one asked about). Plain-text lines stay independent.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO

from bot.cli.common import Subparsers, add_knowledge_option, load_engine
from bot.cli.render import answer_json, format_answer
from bot.conversations import ConversationMemory
from bot.engine import Answer, Engine

EXIT_USAGE = 2


def add_parser(subparsers: Subparsers) -> None:
    """Add the `ask` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "ask",
        help="answer a question (or one per stdin line)",
        description="Answer QUESTION. Without one, answer each line of stdin in order "
        "(a blank line still gets an answer, so output lines match input lines). With "
        '--json a line may be {"question": "...", "conversation": "id"}: lines of one '
        "conversation id are one conversation, in order.",
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
    if args.json:
        for reply in answer_json_lines(engine, sys.stdin):
            print(reply, flush=True)
        return 0
    for answer in answer_lines(engine, sys.stdin):
        print(_render(answer, as_json=False), flush=True)
        print(flush=True)
    return 0


def answer_lines(engine: Engine, lines: Iterable[str]) -> Iterator[Answer]:
    """Yield the engine's answer to each of `lines` as it is read, blank ones included."""
    for line in lines:
        yield engine.answer(line.rstrip("\r\n"))


def answer_json_lines(engine: Engine, lines: Iterable[str]) -> Iterator[str]:
    """Yield one JSON line per line of `lines`: the answer, or for a malformed JSON object
    `{"error": ...}`. An object's `conversation` threads its questions' context."""
    # No expiry in a batch; bounded all the same, however many ids it holds.
    conversations: ConversationMemory[str] = ConversationMemory(ttl=None)
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.lstrip().startswith("{"):
            yield answer_json(engine.answer(line))
            continue
        try:
            question, conversation = _json_question(line)
        except ValueError as exc:
            yield json.dumps({"error": f"line {number}: {exc}"}, ensure_ascii=False)
            continue
        context = conversations.get(conversation) if conversation is not None else None
        answer = engine.answer(question, context)
        if conversation is not None:
            conversations.put(conversation, answer.context)
        data = answer.to_json_dict()
        if conversation is not None:
            data["conversation"] = conversation
        yield json.dumps(data, ensure_ascii=False)


def _json_question(line: str) -> tuple[str, str | None]:
    """Return the question and conversation id of a JSON line; ValueError saying what is
    wrong with it (never echoing it)."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    unknown = sorted(set(data) - {"question", "conversation"})
    if unknown:
        raise ValueError(f"unknown key {unknown[0][:40]!r} (expected question, conversation)")
    question = data.get("question")
    if not isinstance(question, str):
        raise ValueError('"question" must be a string')
    conversation = data.get("conversation")
    if conversation is not None and not isinstance(conversation, str | int):
        raise ValueError('"conversation" must be a string or a number')
    return question, None if conversation is None else str(conversation)


def _render(answer: Answer, *, as_json: bool) -> str:
    return answer_json(answer) if as_json else format_answer(answer)


def _use_utf8(stream: TextIO) -> None:
    """Switch `stream` to UTF-8 (undecodable input replaced) whatever the locale says."""
    # JSON is UTF-8 by definition, and one stray byte must not end a batch of hundreds.
    if not isinstance(stream, io.TextIOWrapper):
        return
    if stream.encoding.lower().replace("-", "") != "utf8" or stream.errors != "replace":
        stream.reconfigure(encoding="utf-8", errors="replace")
