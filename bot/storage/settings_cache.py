"""Each server's settings in memory, so an ordinary message costs no database round trip.

With the message content intent Discord sends the bot every message of every server, and
nearly all of them are chatter to ignore. `SettingsCache` holds the settings of every
server that saved any (loaded whole at start, and again after each re-sync: two queries),
so the free-text listener asks nothing of the database per message:

* `may_answer_unmentioned(guild_id)`: could a message that does not mention the bot be
  answered in this server at all? Only if the server chose channels; every other
  unmentioned message needs no settings.
* `get_or_read(guild_id, read)`: the server's settings. A server absent from the snapshot
  saved none: the defaults. Only a server whose settings changed elsewhere and were not
  read since ("dirty") is read, once, by one read that every waiting message shares.

Keeping it right is the store's job (see `Store.start_settings_cache`): every write through
this process puts the committed settings here, and a change made by another process
(PostgreSQL NOTIFY, see `bot.storage.listener`) invalidates its server here. Versions make
that safe against reads in flight: each invalidation bumps the server's version, and a
read only lands if no invalidation came while it ran, so settings read before a change
never overwrite the change. Until the first snapshot is loaded (the database failed at
that moment), every server counts as dirty: read on first use.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping

from bot.storage.models import GuildSettings

# One shared instance for every server on the defaults: most servers never change one.
_DEFAULTS = GuildSettings()


class SettingsCache:
    """Settings per server with a version each; see the module docstring."""

    def __init__(self) -> None:
        self._settings: dict[int, GuildSettings] = {}
        # Bumped by each invalidation; absent means 0. Only changed servers get an entry.
        self._versions: dict[int, int] = {}
        # Invalidated and not read since: their settings must be read before use.
        self._dirty: set[int] = set()
        # Servers that may have chosen channels: those held with channels, and the dirty.
        self._with_channels: set[int] = set()
        self.complete = False  # a snapshot was loaded: absent servers have the defaults
        # Reads in flight, by server and the version they started at.
        self._reads: dict[tuple[int, int], asyncio.Future[GuildSettings]] = {}

    def __len__(self) -> int:
        return len(self._settings)

    def versions(self) -> dict[int, int]:
        """Return a copy of the servers' versions (those never invalidated are absent: 0)."""
        return dict(self._versions)

    def version(self, guild_id: int) -> int:
        """Return the version of `guild_id`'s settings: how often they were invalidated."""
        return self._versions.get(guild_id, 0)

    def get(self, guild_id: int) -> GuildSettings | None:
        """Return `guild_id`'s settings if known without a read, else None."""
        held = self._settings.get(guild_id)
        if held is not None or not self.complete or guild_id in self._dirty:
            return held
        return _DEFAULTS

    def may_answer_unmentioned(self, guild_id: int) -> bool:
        """Return False when `guild_id` certainly chose no channels (so needs no settings)."""
        return not self.complete or guild_id in self._with_channels

    def put(self, guild_id: int, settings: GuildSettings, version: int) -> bool:
        """Hold `settings`, read or committed at `version`; return False if that is stale."""
        if self.version(guild_id) != version:
            return False
        self._dirty.discard(guild_id)
        if settings == _DEFAULTS and self.complete:
            self._settings.pop(guild_id, None)  # absent from a snapshot means the defaults
        else:
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
        self._dirty.add(guild_id)
        # Until they are read again the server may have channels: look them up.
        self._with_channels.add(guild_id)

    def load(
        self, snapshot: Mapping[int, GuildSettings], versions_before: Mapping[int, int]
    ) -> None:
        """Take `snapshot`, every server's saved settings, read after `versions_before`.

        `versions_before` are `versions()` from before the read began: a server
        invalidated since stays dirty, to be read on its next use.
        """
        changed = {g for g, v in self._versions.items() if versions_before.get(g, 0) != v}
        self._settings = {g: s for g, s in snapshot.items() if g not in changed and s != _DEFAULTS}
        self._dirty = changed
        self._with_channels = {g for g, s in self._settings.items() if s.channels} | changed
        self.complete = True

    async def get_or_read(
        self, guild_id: int, read: Callable[[int], Awaitable[GuildSettings]]
    ) -> GuildSettings:
        """Return `guild_id`'s settings, reading them with `read` if not held.

        Messages that arrive while a read is in flight wait for that read instead of
        starting their own. Errors of `read` reach every waiter; nothing is held then.
        """
        held = self.get(guild_id)
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
