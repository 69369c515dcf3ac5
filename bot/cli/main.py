"""Build the `python -m bot` parser from the registered subcommands and dispatch to one.

Exit codes: 0 ok, 1 failure (a broken knowledge or question file, say), 2 usage.
To add a subcommand, write a module with `add_parser(subparsers)` and list it in COMMANDS;
a module that needs heavy imports (discord.py) should import them inside its handler so
the offline commands stay fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Protocol

from bot.cli import ask, bench, chat, db, evaluate, explain, invite, kb, reports, run, sync
from bot.cli.common import CommandError, Handler, Subparsers
from bot.knowledge import KnowledgeError

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
# 128 + SIGINT, as shells report a command stopped by Ctrl-C.
EXIT_INTERRUPTED = 130


class Command(Protocol):
    """A subcommand module: it adds its own parser to the `python -m bot` parser."""

    def add_parser(self, subparsers: Subparsers) -> None:
        """Add this subcommand's parser to `subparsers`, with `handler` set as a default."""


COMMANDS: tuple[Command, ...] = (
    ask,
    chat,
    evaluate,
    explain,
    kb,
    bench,
    run,
    sync,
    invite,
    reports,
    db,
)


def build_parser() -> argparse.ArgumentParser:
    """Return the top-level parser with every subcommand in COMMANDS added."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="All of Us Are Dead trivia bot: answer, chat, evaluate and check offline.",
    )
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse `argv` (default: the process arguments), run the subcommand, return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_OK
    try:
        return handler(args)
    except (KnowledgeError, CommandError) as exc:
        # Both messages are one line that already says which file, where and what is wrong.
        print(exc, file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILURE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    # The reader (`| head`) went away; see "Note on SIGPIPE" in the signal module docs.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
