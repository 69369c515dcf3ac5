"""The set-up that the module-long end-to-end suites share (the bot's, the quiz's).

One fake Discord runs on its own thread for the whole module, with one server: `#general`
and the channels a suite names, members added on demand (each test uses fresh ones, so
that settings or cooldowns one test leaves cannot silence another's users). One bot
process serves the module: `python -m bot sync`, then `python -m bot run` at DEBUG, so a
test can tell from its log when it is done with a message it must not answer
(`tests/e2e/silence.py`). A suite defines its `scene` fixture with `Scene.build`; the
`fake`, `workdir`, `synced`, `running` and `bot` fixtures are in tests/e2e/conftest.py.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.bot_process import BotProcess
from tests.fake_discord import FakeDiscord, User
from tests.fake_discord.models import Channel, Guild


@dataclass
class Scene:
    """The fake server the bot lives in, its channels and roles by name, and fresh members."""

    fake: FakeDiscord
    guild: Guild
    channels: dict[str, Channel]
    roles: dict[str, int] = field(default_factory=dict)
    member_prefix: str = "member"
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def build(
        cls, fake: FakeDiscord, guild_name: str, channels: Sequence[str], member_prefix: str
    ) -> Scene:
        """Add a server named `guild_name` with `#general` and `channels` to `fake`."""
        guild = fake.add_guild(guild_name)
        made = {name: fake.add_channel(guild.id, name) for name in ("general", *channels)}
        return cls(fake, guild, made, member_prefix=member_prefix)

    @property
    def admin(self) -> User:
        """The server's owner."""
        return self.fake.owner_user

    @property
    def general(self) -> Channel:
        return self.channels["general"]

    def add_role(self, name: str, permissions: int) -> int:
        """Add a role with `permissions` to the server; return its id."""
        self.roles[name] = self.fake.add_role(self.guild.id, name, permissions).id
        return self.roles[name]

    def member(self, *roles: int) -> User:
        """Add a new member with `roles` and return them."""
        user = self.fake.add_user(f"{self.member_prefix}{next(self._names)}")
        self.fake.add_member(self.guild.id, user.id, roles=roles)
        return user


@dataclass
class Running:
    """The bot process of the module; `restart` replaces it."""

    env: dict[str, str]
    workdir: Path
    process: BotProcess
    # What one test leaves for a later one (the message whose button is clicked again).
    notes: dict[str, int] = field(default_factory=dict)

    def restart(self) -> int:
        """Stop the bot (returning its exit code) and start a new process in its place."""
        code = self.process.stop()
        self.process = BotProcess(self.env, self.workdir)
        return code

    def db(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        """Return the rows of `query` on the bot's SQLite database."""
        with sqlite3.connect(self.workdir / "bot.sqlite3") as conn:
            return conn.execute(query, args).fetchall()
