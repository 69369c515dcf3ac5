"""What the Discord subcommands (run, sync, invite, reports) share: settings, token, logging.

Kept free of discord.py imports, like every module the command line loads at start:
the handlers import the Discord side when they run.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterable

from bot.cli.common import CommandError
from bot.settings import Settings, SettingsError, load_settings

LOG_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
# Interaction and webhook tokens sit in URL paths: /interactions/<id>/<token>/callback,
# /webhooks/<application id>/<token>. Whoever has one can answer in the bot's name.
_URL_TOKEN = re.compile(r"(/(?:interactions|webhooks)/\d+/)[A-Za-z0-9_.\-]+")
REDACTED = "<redacted>"
# Libraries whose DEBUG output is not the bot's, and the lowest level of theirs shown.
# discord.py logs every gateway event and request body at DEBUG (other people's messages,
# interaction tokens); its INFO (connected, resumed) is useful. The database drivers log
# every statement with its values (a miss report's question, answer and reporter hash):
# aiosqlite at DEBUG, SQLAlchemy's engine at INFO. asyncio logs its loop's internals. So
# DEBUG stays the bot's own "why didn't it reply?" log.
QUIET_LOGGERS = {
    "discord": logging.INFO,
    "aiosqlite": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "asyncpg": logging.WARNING,
    "aiohttp": logging.INFO,
    "asyncio": logging.INFO,
}


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


class OneLineFormatter(logging.Formatter):
    """Format each record on one line, without secrets.

    A traceback's newlines become a literal "\\n", so each event stays one line for log
    collectors (journald, docker) and grep. `secrets` (the bot token) and tokens in
    interaction or webhook URLs are replaced with "<redacted>".
    """

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        """Format with `fmt`, hiding every string in `secrets`."""
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        """Return `record` as one line, secrets redacted."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        text = _URL_TOKEN.sub(rf"\g<1>{REDACTED}", text)
        return text.replace("\r\n", "\n").replace("\n", "\\n")


def configure_logging(level: str, *, secrets: Iterable[str] = ()) -> None:
    """Send log records at `level` and above to stderr, one line each, `secrets` hidden."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(OneLineFormatter(LOG_FORMAT, secrets))
    logging.basicConfig(level=level, handlers=[handler], force=True)
    for name, lowest in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(max(lowest, logging.getLevelName(level)))


class StartupLog(logging.Handler):
    """Hold the start-up's INFO lines until the token is accepted, so a failed start is one line.

    Installed in front of the root logger's handlers by `install()`. Records below WARNING
    are held; a WARNING or above is written at once, after those held before it.
    `let_through()` (Discord accepted the token) writes the held records, and every record
    after them at once; `discard()` (the start failed: its one line says why) drops them.
    """

    def __init__(self, targets: Iterable[logging.Handler]) -> None:
        """Pass records on to `targets`."""
        super().__init__()
        self._targets = list(targets)
        self._held: list[logging.LogRecord] | None = []

    @classmethod
    def install(cls) -> StartupLog:
        """Put a StartupLog in front of the root logger's handlers and return it."""
        root = logging.getLogger()
        held = cls(root.handlers)
        root.handlers[:] = [held]
        return held

    def emit(self, record: logging.LogRecord) -> None:
        """Hold `record` if it is below WARNING and nothing was let through yet, else write it."""
        if self._held is not None and record.levelno < logging.WARNING:
            self._held.append(record)
            return
        self._write([*(self._held or ()), record])
        if self._held is not None:
            self._held = []

    def let_through(self) -> None:
        """Write what is held; from now on write every record at once."""
        self.acquire()
        try:
            held, self._held = self._held or [], None
            self._write(held)
        finally:
            self.release()

    def discard(self) -> None:
        """Drop what is held; from now on write every record at once."""
        self.acquire()
        try:
            self._held = None
        finally:
            self.release()

    def _write(self, records: Iterable[logging.LogRecord]) -> None:
        for record in records:
            for target in self._targets:
                if record.levelno >= target.level:
                    target.handle(record)


def snowflake(text: str) -> int:
    """Return `text` as a Discord id (a positive integer), for argparse."""
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"not a Discord id: {text!r}")
    return int(text)
