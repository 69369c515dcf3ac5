"""`db upgrade|current|history`: the database schema's revisions, for operators.

The bot upgrades its database at every start; these commands let an operator do it by
hand (before starting a new release on many shards, say) or see where it stands. Each
reads DATABASE_URL like `run` and needs no Discord token.
"""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from bot.cli.common import CommandError, Subparsers
from bot.cli.discord_common import bot_settings, configure_logging

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

T = TypeVar("T")


def add_parser(subparsers: Subparsers) -> None:
    """Add the `db` subcommand group to `subparsers`."""
    parser = subparsers.add_parser(
        "db",
        help="upgrade the database schema, or show its revision",
        description="The database schema's revisions (alembic), on DATABASE_URL.",
    )
    actions = parser.add_subparsers(title="db commands", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade",
        help="upgrade the database to the newest revision (the bot also does at start)",
        description="Bring DATABASE_URL's schema to the newest revision this bot knows, "
        "keeping every row; safe while other processes start (they wait, then find "
        "nothing to do).",
    )
    upgrade.set_defaults(handler=run_upgrade)
    current = actions.add_parser("current", help="print the database's revision")
    current.set_defaults(handler=run_current)
    history = actions.add_parser("history", help="list the revisions this bot knows")
    history.set_defaults(handler=run_history)


def run_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database and say from which revision to which."""
    from bot.storage.migrate import upgrade_database

    settings = bot_settings()
    configure_logging(settings.log_level)
    before, after = _with_database(settings.database_url, upgrade_database)
    if before == after:
        print(f"database already at revision {after}: nothing to do")
    else:
        print(f"database upgraded from revision {before or '(none)'} to {after}")
    return 0


def run_current(args: argparse.Namespace) -> int:
    """Print the database's revision, and whether it is the newest this bot knows."""
    from bot.storage.migrate import current_revision, head_revision

    settings = bot_settings()
    current = _with_database(settings.database_url, current_revision)
    head = head_revision()
    if current is None:
        print(f"no revision: run `python -m bot db upgrade` (newest: {head})")
    elif current == head:
        print(f"{current} (newest)")
    else:
        print(f"{current} (newest: {head}; `python -m bot db upgrade` or a start upgrades it)")
    return 0


def run_history(args: argparse.Namespace) -> int:
    """List the revisions, oldest first, each with the first line of its description."""
    from bot.storage.migrate import revisions

    for revision in revisions():
        print(f"{revision.id}  {revision.message.splitlines()[0] if revision.message else ''}")
    return 0


def _with_database(url: str, work: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    """Return what `work` does on the database at `url`; its being out of reach is one line."""
    from bot.storage import StoreError, with_database

    try:
        return asyncio.run(with_database(url, work))
    except StoreError as exc:
        raise CommandError(str(exc)) from None
