"""`login_errors`: the one mapping of a failed login or connection to a one-line message."""

from __future__ import annotations

from unittest.mock import MagicMock

import aiohttp
import discord
import pytest

from bot.runner import StartupError, login_errors, token_rejected_message
from bot.settings import Settings

TOKEN = "MTIzNDU2Nzg5.fake.token-value-XYZ"
SETTINGS = Settings(discord_api_base="https://discord.example/api/v10")


def http_error(status: int, text: str) -> discord.HTTPException:
    response = MagicMock(status=status, reason="Error")
    return discord.HTTPException(response, text)


def raised(exc: BaseException, doing: str = "logging in") -> str:
    with pytest.raises(StartupError) as caught, login_errors(SETTINGS, TOKEN, doing):
        raise exc
    assert caught.value.__suppress_context__  # the traceback of discord.py is not shown
    return str(caught.value)


def test_a_rejected_token() -> None:
    assert raised(discord.LoginFailure("Improper token has been passed.")) == (
        token_rejected_message()
    )


@pytest.mark.parametrize(
    "exc",
    [aiohttp.ClientConnectionError("connection refused"), discord.GatewayNotFound()],
    ids=["no connection", "no gateway"],
)
def test_discord_out_of_reach_names_the_api_base(exc: Exception) -> None:
    assert raised(exc).startswith("could not reach Discord at https://discord.example/api/v10: ")


def test_an_http_error_names_the_step_on_one_line_without_the_token() -> None:
    message = raised(http_error(502, f"bad\ngateway {TOKEN}"), doing="connecting")
    assert message == (
        "Discord answered HTTP 502 while connecting: bad gateway <redacted> "
        "(a problem on Discord's side: try again in a few minutes)"
    )


def test_anything_else_passes_through() -> None:
    with pytest.raises(discord.ConnectionClosed), login_errors(SETTINGS, TOKEN):
        raise discord.ConnectionClosed(MagicMock(close_code=4011), shard_id=None, code=4011)
