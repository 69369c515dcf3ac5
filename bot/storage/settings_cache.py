"""Each server's settings in memory, so an ordinary message costs no database round trip.

With the message content intent Discord sends the bot every message of every server, and
nearly all of them are chatter to ignore. `SettingsCache` answers the two questions the
free-text listener asks of each message without going to the database:

* `may_answer_unmentioned(guild_id)`: could a message that does not mention the bot be
  answered in this server at all? Only if the server chose channels; every other
  unmentioned message needs no settings. The set of such servers is loaded whole (one
  query at start and after each re-sync) and kept as a superset: a server whose settings
  are being re-read counts as one, which costs one lookup, never a lost answer.
* `get_or_read(guild_id, read)`: the server's settings, read once (one read shared by
  every message that waits for it) and kept until they change.

Keeping it right is the store's job (see `Store.start_settings_cache`): every write through
this process puts the committed settings here, and a change made by another process
(PostgreSQL NOTIFY, see `bot.storage.listener`) invalidates its server here. Versions make
that safe against reads in flight: each invalidation bumps the server's version, and a
read only lands in the cache if no invalidation came while it ran, so an answer read
before a change can never overwrite the change.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Mapping

from bot.storage.models import GuildSettings

# One shared instance for every server on the defaults: most servers never change one.
_DEFAULTS = GuildSettings()


class SettingsCache:
    """Settings per server with a version each; see the module docstring."""

    def __init__(self) -> None:
        self._settings: dict[int, GuildSettings] = {}
        # Bumped by each invalidation; absent means 0. Only changed servers get an entry.
        self._versions: dict[int, int] = {}
        # Servers that may have chosen channels (a superset, see the module docstring).
        self._with_channels: set[int] = set()
        # Reads in flight, by server and the version they started at.
        self._reads: dict[tuple[int, int], asyncio.Future[GuildSettings]] = {}

    def __len__(self) -> int:
        return len(self._settings)

    def cached_ids(self) -> list[int]:
        """Return the servers whose settings are held."""
        return list(self._settings)

    def versions(self) -> dict[int, int]:
        """Return a copy of the servers' versions (those never invalidated are absent: 0)."""
        return dict(self._versions)

    def version(self, guild_id: int) -> int:
        """Return the version of `guild_id`'s settings: how often they were invalidated."""
        return self._versions.get(guild_id, 0)

    def get(self, guild_id: int) -> GuildSettings | None:
        """Return `guild_id`'s settings if held, else None."""
        return self._settings.get(guild_id)

    def may_answer_unmentioned(self, guild_id: int) -> bool:
        """Return False when `guild_id` certainly chose no channels (so needs no settings)."""
        return guild_id in self._with_channels

    def put(self, guild_id: int, settings: GuildSettings, version: int) -> bool:
        """Hold `settings`, read or committed at `version`; return False if that is stale."""
        if self.version(guild_id) != version:
            return False
        self._settings[guild_id] = _DEFAULTS if settings == _DEFAULTS else settings
        if settings.channels:
            self._with_channels.add(guild_id)
        else:
            self._with_channels.discard(guild_id)
        return True

    def invalidate(self, guild_id: int) -> None:
        """Forget `guild_id`'s settings: they changed elsewhere; the next use reads them."""
        self._versions[guild_id] = self.version(guild_id) + 1
        self._settings.pop(guild_id, None)
        # Until they are read again the server may have channels: look them up.
        self._with_channels.add(guild_id)

    def resynced(
        self,
        fresh: Mapping[int, GuildSettings],
        channel_guilds: Collection[int],
        versions_before: Mapping[int, int],
    ) -> None:
        """Take a full re-read: `fresh` settings and every server with channels.

        `versions_before` are `versions()` from before the read began: a server
        invalidated since keeps its invalidation (and counts as having channels).
        """
        for guild_id, settings in fresh.items():
            self.put(guild_id, settings, versions_before.get(guild_id, 0))
        changed = {g for g, v in self._versions.items() if versions_before.get(g, 0) != v}
        held = {g for g, s in self._settings.items() if s.channels}
        self._with_channels = set(channel_guilds) | changed | held

    async def get_or_read(
        self, guild_id: int, read: Callable[[int], Awaitable[GuildSettings]]
    ) -> GuildSettings:
        """Return `guild_id`'s settings, reading them with `read` if not held.

        Messages that arrive while a read is in flight wait for that read instead of
        starting their own. Errors of `read` reach every waiter; nothing is held then.
        """
        held = self._settings.get(guild_id)
        if held is not None:
            return held
        key = (guild_id, self.version(guild_id))
        pending = self._reads.get(key)
        if pending is None:
            pending = asyncio.ensure_future(self._read(key, read))
            # Retrieve the error even if every waiter was cancelled, so none goes unseen.
            pending.add_done_callback(lambda done: done.cancelled() or done.exception())
            self._reads[key] = pending
        # A waiter that is cancelled must not cancel the read the others wait for.
        return await asyncio.shield(pending)

    async def _read(
        self, key: tuple[int, int], read: Callable[[int], Awaitable[GuildSettings]]
    ) -> GuildSettings:
        guild_id, version = key
        try:
            settings = await read(guild_id)
        finally:
            del self._reads[key]
        self.put(guild_id, settings, version)
        return settings
