"""`chat`: a conversation in the terminal with the same engine the bot uses."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bot.cli.common import Subparsers, add_knowledge_option, load_engine
from bot.cli.render import format_answer
from bot.engine import Engine
from bot.engine.context import Conversation
from bot.knowledge import KnowledgeBase

PROMPT = "you> "
LEAVE_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})
# A blank line or this starts a new conversation: follow-ups no longer mean the last one.
NEW_CONVERSATION = "/new"
HISTORY_LENGTH = 1000
GREETING_SUGGESTIONS = 3


def add_parser(subparsers: Subparsers) -> None:
    """Add the `chat` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "chat",
        help="chat with the engine in the terminal",
        description="Ask questions one after another; a follow-up ('and lupin?', 'who "
        "directed it?') means what was last asked about. /new or a blank line starts over; "
        "quit, exit or Ctrl-D leaves.",
    )
    add_knowledge_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Hold the conversation on the knowledge named in `args` until the user leaves."""
    kb, engine = load_engine(args.knowledge)
    interactive = sys.stdin.isatty()
    print(greeting(kb))
    with _history(enabled=interactive):
        converse(engine, _line_reader(PROMPT if interactive else ""), print)
    return 0


def greeting(kb: KnowledgeBase) -> str:
    """Return the opening lines: what `kb` knows, what to try and how to leave."""
    subject = kb.entities[kb.source.subject].name
    tries = [i.suggestion for i in kb.intents.values() if i.suggestion][:GREETING_SUGGESTIONS]
    lines = [
        f"Ask me about {subject}. I answer from one article: "
        f'{kb.source.citation}, "{kb.source.headline}".',
    ]
    if tries:
        lines.append("Try: " + " · ".join(tries))
    lines.append(
        "Follow-ups mean the last question; /new (or a blank line) starts over. "
        "Type quit or exit (or press Ctrl-D) to leave."
    )
    return "\n".join(lines)


def converse(
    engine: Engine, read_line: Callable[[], str | None], write: Callable[[str], None]
) -> None:
    """Answer each line `read_line` gives with `write` until it gives None or a leave word.

    Each answer's context goes with the next line, until a blank line or /new.
    """
    context: Conversation | None = None
    while True:
        try:
            line = read_line()
            if line is None:
                return
            question = line.strip()
            if question.casefold() in LEAVE_WORDS:
                return
            if not question or question.casefold() == NEW_CONVERSATION:
                context = None
                continue
            answer = engine.answer(question, context)
            context = answer.context
            write(format_answer(answer))
            write("")
        except KeyboardInterrupt:
            # Ctrl-C drops the line being typed, as in a shell; Ctrl-D or quit leaves.
            write("")


def _line_reader(prompt: str) -> Callable[[], str | None]:
    """Return a reader of stdin lines that shows `prompt` and gives None at end of input."""

    def read_line() -> str | None:
        try:
            return input(prompt)
        except EOFError:
            if prompt:
                print()  # leave the shell's prompt on a line of its own
            return None

    return read_line


def history_path() -> Path:
    """Return the file the chat history is kept in, under the user's cache folder."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "aouad-trivia-bot" / "chat_history"


@contextmanager
def _history(*, enabled: bool) -> Iterator[None]:
    """Give `input()` line editing and saved history while the block runs, when `enabled`."""
    try:
        import readline
    except ImportError:  # not built on every platform (Windows); chat works without it
        enabled = False
    if not enabled:
        yield
        return
    path = history_path()
    with suppress(OSError):  # first chat, or an unreadable file: start with no history
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LENGTH)
    try:
        yield
    finally:
        # History is a convenience: a read-only home must not fail the chat.
        with suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)
