"""Spam control for free-text answers: one answer per person per N seconds, N per guild.

Slash commands use `app_commands.checks.cooldown`; messages bypass decorators, so the
listener asks this mapping (like `commands.CooldownMapping`, but the period comes from
the guild's settings on each call, so an admin's change applies at once).
"""

from __future__ import annotations

import time
from collections.abc import Callable

Key = tuple[int | None, int]  # (guild id or None for DMs, user id)

# Entries older than the longest allowed cooldown can never limit anyone again.
MAX_PERIOD = 3600.0
_PRUNE_EVERY = 1000


class FreeTextCooldown:
    """When each person last got a free-text answer, per guild (None: DMs)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        """Start empty, reading the time from `clock` (seconds, monotonic)."""
        self._clock = clock
        self._last: dict[Key, float] = {}
        self._since_prune = 0

    def retry_after(self, guild_id: int | None, user_id: int, period: float) -> float:
        """Return the seconds `user_id` must still wait in `guild_id`, 0.0 if they need not."""
        last = self._last.get((guild_id, user_id))
        if last is None or period <= 0:
            return 0.0
        return max(0.0, last + period - self._clock())

    def record(self, guild_id: int | None, user_id: int) -> float:
        """Note that `user_id` is being answered in `guild_id`; return the time noted.

        It is noted before the answer is sent, so a burst of messages gets one answer;
        `release` takes it back if the answer never went out.
        """
        now = self._clock()
        self._last[(guild_id, user_id)] = now
        self._since_prune += 1
        if self._since_prune >= _PRUNE_EVERY:
            self._prune(now)
        return now

    def release(self, guild_id: int | None, user_id: int, noted: float) -> None:
        """Take back the answer `record` noted at `noted`: it was not sent after all.

        Nothing changes if `user_id` was answered again since (a later time is noted).
        """
        if self._last.get((guild_id, user_id)) == noted:
            del self._last[(guild_id, user_id)]

    def __len__(self) -> int:
        return len(self._last)

    def _prune(self, now: float) -> None:
        """Forget entries too old to limit anyone, so memory stays bounded."""
        self._since_prune = 0
        self._last = {k: t for k, t in self._last.items() if now - t < MAX_PERIOD}
