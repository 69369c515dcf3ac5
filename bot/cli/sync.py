"""`sync`: register the slash commands with Discord (globally, or in one server), then exit."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.common import CommandError, Subparsers
from bot.cli.discord_common import bot_settings, bot_token, configure_logging, snowflake


def add_parser(subparsers: Subparsers) -> None:
    """Add the `sync` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "sync",
        help="register the slash commands with Discord",
        description="Register the bot's slash commands with Discord, then exit. Run it "
        "after changing commands, not at every start: Discord rate-limits syncing. "
        "With --guild the commands appear in that server at once (for testing).",
    )
    parser.add_argument(
        "--guild",
        metavar="ID",
        type=snowflake,
        default=None,
        help="sync to this server only (its id: right-click the server, Copy Server ID)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Sync the commands and print what was registered where."""
    settings = bot_settings()
    token = bot_token(settings)
    configure_logging("WARNING")

    from bot.runner import StartupError, sync_commands
    from bot.storage import StoreError

    try:
        names = asyncio.run(sync_commands(settings, token, args.guild))
    except (StartupError, StoreError) as exc:
        raise CommandError(str(exc)) from None
    where = f"to server {args.guild}" if args.guild else "globally"
    print(f"synced {len(names)} commands {where}: " + ", ".join(f"/{n}" for n in names))
    if args.guild is None:
        print("Discord may take a few minutes to show changes in every server.")
    return 0
