"""Replies that Discord rate-limits for longer than discord.py waits still go out, once.

discord.py answers a 429 by waiting `retry_after` and trying again, five tries in all;
then it raises. In a storm (many 429s in a row on a channel's route) that drops replies.
`ReplyOutbox.send` takes over from there: a reply refused with 429 after discord.py's
tries waits in its channel's line and is tried again when Discord said it may, in
arrival order, until `RETRY_WINDOW` seconds after it was first tried. Past that, or
when `MAX_WAITING` replies already wait in the channel, it is dropped (`ReplyDropped`)
and the caller logs a warning.

Only a 429 is retried: Discord did not take the message, so a retry cannot post it
twice. A 5xx or a network error may have posted it, so those are not retried here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import discord

T = TypeVar("T")

# How long after its first try a rate-limited reply may still go out.
RETRY_WINDOW = 60.0
# Replies that may wait in one channel's line; more are dropped at once.
MAX_WAITING = 50
# The wait when a 429 says nothing of how long (Discord always does).
DEFAULT_RETRY_AFTER = 1.0


class ReplyDropped(Exception):
    """The reply was not sent: rate-limited past the window, or its channel's line is full."""


def is_rate_limited(exc: BaseException) -> bool:
    """Return whether `exc` is Discord's 429, raised once discord.py stopped retrying."""
    return isinstance(exc, discord.HTTPException) and exc.status == 429


def retry_after(exc: discord.HTTPException) -> float:
    """Return the seconds Discord asked to wait in the 429 `exc` (headers: seconds)."""
    headers = getattr(exc.response, "headers", None) or {}
    for name in ("Retry-After", "X-RateLimit-Reset-After"):
        try:
            return max(0.0, float(headers[name]))
        except (KeyError, TypeError, ValueError):
            continue
    return DEFAULT_RETRY_AFTER


@dataclass
class _Line:
    """One channel's waiting replies: a fair lock (first come, first tried) and a count."""

    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    waiting: int = 0


class ReplyOutbox:
    """Per-channel lines of replies waiting out Discord's rate limit."""

    def __init__(
        self,
        *,
        window: float = RETRY_WINDOW,
        max_waiting: int = MAX_WAITING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Retry for `window` seconds, at most `max_waiting` replies per channel."""
        self.window = window
        self.max_waiting = max_waiting
        self._clock = clock
        self._lines: dict[int, _Line] = {}

    def waiting(self, channel_id: int) -> int:
        """Return how many replies wait in the line of `channel_id`."""
        line = self._lines.get(channel_id)
        return line.waiting if line else 0

    async def send(self, channel_id: int, attempt: Callable[[], Awaitable[T]]) -> T:
        """Return what `attempt` (one send) returns, retrying it while Discord says 429.

        Raise `ReplyDropped` when giving up; any other error of `attempt` propagates.
        """
        deadline = self._clock() + self.window
        try:
            return await attempt()
        except discord.HTTPException as exc:
            if not is_rate_limited(exc):
                raise
            ready_at = self._clock() + retry_after(exc)
        line = self._lines.setdefault(channel_id, _Line())
        if line.waiting >= self.max_waiting:
            raise ReplyDropped(f"{line.waiting} replies already wait in the channel")
        line.waiting += 1
        try:
            async with line.lock:
                return await self._retry(attempt, ready_at, deadline)
        finally:
            line.waiting -= 1
            if not line.waiting:
                del self._lines[channel_id]

    async def _retry(
        self, attempt: Callable[[], Awaitable[T]], ready_at: float, deadline: float
    ) -> T:
        """Try `attempt` again from `ready_at` on, while 429s allow it before `deadline`."""
        while True:
            if ready_at > deadline:
                raise ReplyDropped(f"still rate-limited {self.window:g} s after the first try")
            await asyncio.sleep(max(0.0, ready_at - self._clock()))
            try:
                return await attempt()
            except discord.HTTPException as exc:
                if not is_rate_limited(exc):
                    raise
                ready_at = self._clock() + retry_after(exc)
