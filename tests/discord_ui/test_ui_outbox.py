"""The reply outbox: a reply rate-limited past discord.py's tries waits its turn, and goes once."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from unittest.mock import MagicMock

import discord
import pytest

from bot.discord_ui.outbox import ReplyDropped, ReplyOutbox, is_rate_limited, retry_after

CHANNEL = 42


def http_error(status: int, retry: float | None = 0.01) -> discord.HTTPException:
    response = MagicMock()
    response.status = status
    response.reason = "Too Many Requests" if status == 429 else "Internal Server Error"
    response.headers = {} if retry is None else {"Retry-After": str(retry)}
    return discord.HTTPException(response, {"message": "nope", "code": 0})


class Channel:
    """A route that answers 429 to the first `refusals` sends, then posts each message."""

    def __init__(self, refusals: int, status: int = 429) -> None:
        self.refusals = refusals
        self.status = status
        self.tries: list[str] = []
        self.posted: list[str] = []

    def sender(self, text: str) -> Callable[[], asyncio.Future[str]]:
        async def attempt() -> str:
            self.tries.append(text)
            if self.refusals > 0:
                self.refusals -= 1
                raise http_error(self.status)
            self.posted.append(text)
            return text

        return attempt  # type: ignore[return-value]


async def test_a_reply_rate_limited_past_discord_py_goes_out_once() -> None:
    channel, outbox = Channel(refusals=3), ReplyOutbox()

    sent = await outbox.send(CHANNEL, channel.sender("answer"))

    assert sent == "answer"
    assert channel.tries == ["answer"] * 4
    assert channel.posted == ["answer"]
    assert outbox.waiting(CHANNEL) == 0  # the line is gone once empty


async def test_waiting_replies_go_out_in_arrival_order() -> None:
    channel, outbox = Channel(refusals=3), ReplyOutbox()

    sent = await asyncio.gather(*(outbox.send(CHANNEL, channel.sender(t)) for t in "abc"))

    assert sent == ["a", "b", "c"]
    assert channel.posted == ["a", "b", "c"]


async def test_a_reply_still_limited_after_the_window_is_dropped() -> None:
    channel, outbox = Channel(refusals=100), ReplyOutbox(window=0.05)

    with pytest.raises(ReplyDropped, match="still rate-limited"):
        await outbox.send(CHANNEL, channel.sender("late"))

    assert channel.posted == []
    assert outbox.waiting(CHANNEL) == 0


async def test_a_full_line_drops_at_once() -> None:
    channel, outbox = Channel(refusals=2), ReplyOutbox(max_waiting=1)

    results = await asyncio.gather(
        outbox.send(CHANNEL, channel.sender("first")),
        outbox.send(CHANNEL, channel.sender("second")),
        return_exceptions=True,
    )

    assert results[0] == "first"
    assert isinstance(results[1], ReplyDropped)
    assert channel.posted == ["first"]
    assert channel.tries.count("second") == 1  # tried once by discord.py, never again


async def test_other_errors_are_not_retried_since_they_may_have_posted() -> None:
    channel, outbox = Channel(refusals=1, status=500), ReplyOutbox()

    with pytest.raises(discord.HTTPException) as raised:
        await outbox.send(CHANNEL, channel.sender("once"))

    assert raised.value.status == 500
    assert channel.tries == ["once"]


def test_the_wait_comes_from_discords_headers() -> None:
    assert retry_after(http_error(429, 2.5)) == 2.5
    assert retry_after(http_error(429, None)) == 1.0
    assert is_rate_limited(http_error(429)) and not is_rate_limited(http_error(500))
