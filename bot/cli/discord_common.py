"""What the Discord subcommands (run, sync, invite, reports) share: settings, token, logging.

Kept free of discord.py imports, like every module the command line loads at start:
the handlers import the Discord side when they run.
"""

from __future__ import annotations

import argparse
import logging
import sys

from bot.cli.common import CommandError
from bot.settings import Settings, SettingsError, load_settings

LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"


def bot_settings() -> Settings:
    """Return the settings from the environment and `.env`, or raise a one-line CommandError."""
    try:
        return load_settings()
    except SettingsError as exc:
        raise CommandError(str(exc)) from None


def bot_token(settings: Settings) -> str:
    """Return DISCORD_TOKEN, or raise a one-line CommandError saying how to get one."""
    try:
        return settings.require_token()
    except SettingsError as exc:
        raise CommandError(str(exc)) from None


def configure_logging(level: str) -> None:
    """Send log records at `level` and above to stderr, one line each."""
    logging.basicConfig(level=level, format=LOG_FORMAT, stream=sys.stderr, force=True)
    # discord.py logs every request and gateway frame at DEBUG; keep that for when asked.
    if level != "DEBUG":
        logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLevelName(level)))


def snowflake(text: str) -> int:
    """Return `text` as a Discord id (a positive integer), for argparse."""
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a Discord id: {text!r}")
    return int(text)
