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
from bot.knowledge import KnowledgeBase

PROMPT = "you> "
LEAVE_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})
HISTORY_LENGTH = 1000
GREETING_SUGGESTIONS = 3


def add_parser(subparsers: Subparsers) -> None:
    """Add the `chat` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "chat",
        help="chat with the engine in the terminal",
        description="Ask questions one after another; quit, exit or Ctrl-D leaves.",
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
    lines.append("Type quit or exit (or press Ctrl-D) to leave.")
    return "\n".join(lines)


def converse(
    engine: Engine, read_line: Callable[[], str | None], write: Callable[[str], None]
) -> None:
    """Answer each line `read_line` gives with `write` until it gives None or a leave word."""
    while True:
        try:
            line = read_line()
            if line is None:
                return
            question = line.strip()
            if question.casefold() in LEAVE_WORDS:
                return
            if question:
                write(format_answer(engine.answer(question)))
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
