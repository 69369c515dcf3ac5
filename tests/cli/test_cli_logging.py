"""The bot's log: one line per event, no secrets, no one's messages from discord.py."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.cli.discord_common import QUIET_LOGGERS, StartupLog, configure_logging

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.Gabcde.secret-part-of-the-token"
INTERACTION_TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldA"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger and discord.py's logger back as they were."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    quiet = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, quiet_level in quiet.items():
        logging.getLogger(name).setLevel(quiet_level)


def test_a_traceback_stays_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        logging.getLogger("bot.test").exception("error in /ask in guild %d", 42)

    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    assert "ERROR" in lines[0] and "bot.test: error in /ask in guild 42" in lines[0]
    assert "Traceback (most recent call last):\\n" in lines[0]
    assert lines[0].endswith("RuntimeError: boom")


def test_the_token_and_interaction_tokens_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", secrets=[TOKEN])
    log = logging.getLogger("discord.http")

    log.warning("token %s leaked", TOKEN)
    log.warning(
        "We are being rate limited. POST https://discord.com/api/v10/interactions/123/%s/callback",
        INTERACTION_TOKEN,
    )
    log.warning("POST https://discord.com/api/v10/webhooks/456/%s/messages/@original", "tok.en-1")

    err = capsys.readouterr().err
    assert TOKEN not in err and INTERACTION_TOKEN not in err and "tok.en-1" not in err
    assert "token <redacted> leaked" in err
    assert "/interactions/123/<redacted>/callback" in err
    assert "/webhooks/456/<redacted>/messages" in err


@pytest.mark.parametrize("level", ["DEBUG", "INFO"])
def test_discord_py_debug_output_is_never_shown(level: str) -> None:
    # At DEBUG discord.py logs every gateway event: everyone's messages, in full.
    configure_logging(level)

    assert logging.getLogger().level == logging.getLevelName(level)
    assert not logging.getLogger("discord.gateway").isEnabledFor(logging.DEBUG)
    assert logging.getLogger("discord.gateway").isEnabledFor(logging.INFO)
    assert logging.getLogger("bot.exts").isEnabledFor(logging.getLevelName(level))


@pytest.mark.parametrize("name", ["aiosqlite", "sqlalchemy.engine.Engine", "asyncpg"])
def test_database_drivers_show_no_statements(name: str) -> None:
    # aiosqlite logs every statement with its values at DEBUG (a miss report's question,
    # answer and reporter hash): 252 of 272 lines of a DEBUG run were its. SQLAlchemy's
    # engine does so at INFO.
    configure_logging("DEBUG")

    assert not logging.getLogger(name).isEnabledFor(logging.INFO)
    assert logging.getLogger(name).isEnabledFor(logging.WARNING)
    assert logging.getLogger("bot.exts.free_text").isEnabledFor(logging.DEBUG)


def test_warning_level_quiets_discord_py_too() -> None:
    configure_logging("WARNING")

    assert not logging.getLogger("discord.client").isEnabledFor(logging.INFO)


def test_the_start_up_log_is_held_until_the_token_is_accepted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO")
    held = StartupLog.install()
    log = logging.getLogger("bot.test")

    log.info("storage ready")
    assert capsys.readouterr().err == ""
    log.warning("a warning comes at once")
    log.info("logging in")
    assert [line.split(": ", 1)[1] for line in capsys.readouterr().err.splitlines()] == [
        "storage ready",
        "a warning comes at once",
    ]

    held.let_through()
    log.info("ready")
    lines = capsys.readouterr().err.splitlines()
    assert [line.split(": ", 1)[1] for line in lines] == ["logging in", "ready"]


def test_a_failed_start_drops_the_held_lines(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO")
    held = StartupLog.install()

    logging.getLogger("bot.test").info("storage ready")
    held.discard()
    held.let_through()  # as `run` does on its way out: nothing held any more

    assert capsys.readouterr().err == ""
