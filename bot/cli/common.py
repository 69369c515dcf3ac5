"""What the subcommands share: the knowledge option, building the engine, the error type."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TypeAlias

from bot.engine import Engine
from bot.knowledge import KnowledgeBase, load_knowledge

# argparse keeps the type of `add_subparsers()`'s result private (and not subscriptable at
# run time); name it once here, as a string the type checker reads.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
Handler: TypeAlias = Callable[[argparse.Namespace], int]


class CommandError(Exception):
    """A subcommand cannot go on: its one-line message is printed and the exit code is 1."""


def add_knowledge_option(parser: argparse.ArgumentParser) -> None:
    """Add `--knowledge DIR` to `parser`: a knowledge folder to load instead of the shipped one."""
    parser.add_argument(
        "--knowledge",
        metavar="DIR",
        type=Path,
        default=None,
        help="knowledge folder to load (default: the project's knowledge/)",
    )


def load_engine(folder: Path | None) -> tuple[KnowledgeBase, Engine]:
    """Load the knowledge in `folder` (None: the shipped one) and build the engine on it."""
    kb = load_knowledge(folder)
    return kb, Engine(kb)
