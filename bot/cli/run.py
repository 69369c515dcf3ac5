"""`run`: start the Discord bot and keep it running until stopped (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.common import CommandError, Subparsers
from bot.cli.discord_common import StartupLog, bot_settings, bot_token, configure_logging


def add_parser(subparsers: Subparsers) -> None:
    """Add the `run` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "run",
        help="run the Discord bot",
        description="Connect to Discord and answer until stopped. Settings come from the "
        "environment and .env (see .env.example); DISCORD_TOKEN is required. Slash "
        "commands are registered with `python -m bot sync`, not at every start.",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the bot with the settings of the environment; return 0 once it stopped cleanly.

    The start-up's INFO lines are printed once Discord accepted the token: a start that
    fails (a rejected token, an unreachable database) prints only the line saying why.
    """
    settings = bot_settings()
    token = bot_token(settings)
    configure_logging(settings.log_level, secrets=[token])
    startup_log = StartupLog.install()

    from bot.runner import StartupError, run_bot
    from bot.storage import StoreError

    try:
        asyncio.run(run_bot(settings, token, on_login=startup_log.let_through))
    except (StartupError, StoreError) as exc:
        startup_log.discard()
        raise CommandError(str(exc)) from None
    finally:
        startup_log.let_through()
    return 0
