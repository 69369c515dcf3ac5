"""Two bot processes, shard 0 and shard 1 of 2, serving one application on one PostgreSQL.

Both run the real `python -m bot run` with SHARD_COUNT=2 and SHARD_IDS=0 or 1, the same
token and the same DATABASE_URL (TEST_POSTGRES_URL; skipped with the reason without one).
The fake Discord routes each server's events by Discord's formula, (guild_id >> 22) % 2,
and DMs to shard 0. Server A is on shard 0, server B on shard 1. Which process answered is
read from each process's own /metrics (METRICS_PORT), since both reply as the same bot.

Settings crossing between processes is the case that matters in production: a server
moves from one process to another (a process loses its gateway connection and another
takes its shard over, or shards are rebalanced), and the process that serves it next must
use what was saved through the other, without a restart. Through Discord a setting can
only be saved by the process that serves the server at that moment, so the test moves
server B's shard for real, without restarting the process that reads:

1. Process 1 serves B and reads its settings (a message in B's #trivia is not answered:
   B is in the default "mention" mode). Process 1 now also holds that in memory.
2. Process 1 is frozen (SIGSTOP) and its gateway connection dropped, as in a network
   partition. A third process, W, starts with SHARD_IDS=1 and takes the shard over.
3. Through W, B's admin turns on channels mode for #trivia and is told it is done. W stops.
4. Process 1 is thawed (SIGCONT). It is the same process (same pid, started once), finds
   its session gone, identifies again and serves B once more.
5. The next message in B's #trivia is answered, by process 1 (its /metrics count it):
   process 1 used the setting saved through W on its next message, not what it had read.

Process 1 holds B's settings in memory; what keeps them right is the NOTIFY W's save sent
and process 1's listener (bot/storage/listener.py). The last test cuts that listener's
connection (pg_terminate_backend, as a PostgreSQL restart or failover would) and has a
third process, this test's own store, save B's settings: process 1 reconnects, re-reads,
and follows them on its next message. (That a change made while the listener is down is
re-read once it is back is shown deterministically in tests/storage.)
"""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.storage import Store
from bot.storage.listener import APPLICATION_NAME
from tests.e2e import silence
from tests.e2e.bot_process import WAIT, BotProcess, bot_env, run_cli
from tests.e2e.scrape import answered, sample, scrape
from tests.e2e.tcp_proxy import free_port
from tests.fake_discord import FakeDiscord, SentMessage, User, shard_for_guild
from tests.fake_discord.models import Channel, Guild
from tests.postgres import postgres_url, terminate, wipe

SHARDS = 2
QUESTION = "who directed all of us are dead?"
ANSWER = "Lee Jae-kyoo"


async def _empty_postgres() -> str:
    url = await postgres_url()
    await wipe(url)
    return url


@dataclass
class Server:
    guild: Guild
    general: Channel
    trivia: Channel


@dataclass
class Cluster:
    """The fake Discord, the two servers, and the bot processes by name."""

    fake: FakeDiscord
    url: str
    root: Path
    a: Server
    b: Server
    processes: dict[str, BotProcess] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def env(self, workdir: Path, **extra: str) -> dict[str, str]:
        # DEBUG: one log line per message handled, which `assert_silent` waits for.
        return bot_env(self.fake, workdir, DATABASE_URL=self.url, LOG_LEVEL="DEBUG", **extra)

    def start(self, name: str, shard_ids: str) -> BotProcess:
        """Start process `name` running `shard_ids` of SHARDS, with its own metrics port."""
        workdir = self.root / name
        workdir.mkdir(exist_ok=True)
        self.ports[name] = free_port()
        env = self.env(
            workdir,
            SHARD_COUNT=str(SHARDS),
            SHARD_IDS=shard_ids,
            METRICS_PORT=str(self.ports[name]),
        )
        self.processes[name] = BotProcess(env, workdir)
        return self.processes[name]

    def member(self, server: Server) -> User:
        user = self.fake.add_user(f"member{next(self._names)}")
        self.fake.add_member(server.guild.id, user.id)
        return user

    def ask(self, server: Server, channel: Channel, *, mention: bool) -> dict[str, Any]:
        content = f"<@{self.fake.bot_user.id}> {QUESTION}" if mention else QUESTION
        return self.fake.dispatch_message(channel.id, self.member(server).id, content)

    async def reply_to(self, message: dict[str, Any], timeout: float = 10.0) -> SentMessage:
        return await self.fake.wait_for_message(
            int(message["channel_id"]),
            predicate=lambda sent: _replies_to(sent, message),
            timeout=timeout,
        )

    def replies(self, message: dict[str, Any]) -> list[SentMessage]:
        return [s for s in self.fake.bot_messages if _replies_to(s, message)]

    async def assert_silent(self, server: Server, message: dict[str, Any], by: str) -> str:
        """Check process `by` handled `message` without a reply; return how it handled it.

        A later mention in the same server is the sentinel the process must answer; its
        DEBUG line for `message` says it was done with it (see `tests/e2e/silence.py`).
        """
        sentinel = self.ask(server, server.general, mention=True)
        return await silence.assert_silent(
            self.fake, self.processes[by], message, sentinel=sentinel
        )

    async def admin(self, server: Server, name: str, **options: Any) -> str:
        """Run `/config …` as the owner of `server`; return the bot's (private) answer."""
        record = self.fake.dispatch_slash_command(
            name, user_id=self.fake.owner_user.id, channel_id=server.general.id, options=options
        )
        record = await self.fake.wait_for_interaction_reply(record, timeout=10)
        assert record.ephemeral
        return str(record.reply["content"])

    def readies(self, shard: int) -> int:
        """Return how many READYs the fake sent for `shard` so far."""
        return sum(1 for e in self.fake.gateway_log if e.kind == "ready" and e.shard == (shard, 2))


def _replies_to(sent: SentMessage, message: dict[str, Any]) -> bool:
    return (sent.message.get("message_reference") or {}).get("message_id") == message["id"]


def _server_on_shard(fake: FakeDiscord, name: str, shard: int) -> Server:
    """Add a server whose id puts it on `shard` of SHARDS, with #general and #trivia."""
    while True:
        guild_id = fake.snowflakes.next()
        if shard_for_guild(guild_id, SHARDS) == shard:
            break
    guild = fake.add_guild(name, id=guild_id)
    return Server(
        guild, fake.add_channel(guild.id, "general"), fake.add_channel(guild.id, "trivia")
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    url = asyncio.run(_empty_postgres())  # skips the module without a server
    fake = FakeDiscord(message_content_allowed=True).start_in_thread()
    root = tmp_path_factory.mktemp("shards")
    made = Cluster(fake, url, root, _server_on_shard(fake, "A", 0), _server_on_shard(fake, "B", 1))
    try:
        synced = run_cli("sync", env=made.env(root), cwd=root)
        assert synced.returncode == 0, synced.stderr
        # Both at once, as a deployment would: they race to create the schema.
        made.start("p0", "0")
        made.start("p1", "1")
        yield made
    finally:
        for process in made.processes.values():
            if process.proc.poll() is None:
                os.kill(process.proc.pid, signal.SIGCONT)  # a stopped process ignores SIGTERM
            process.stop()
        fake.stop_thread()


@pytest.fixture
async def ready(cluster: Cluster) -> Cluster:
    for name in ("p0", "p1"):
        await cluster.processes[name].wait_ready()
    return cluster


async def test_each_process_answers_only_its_own_servers(ready: Cluster) -> None:
    c = ready
    assert sorted(e.shard for e in c.fake.identifies) == [(0, 2), (1, 2)]

    in_a = c.ask(c.a, c.a.general, mention=True)
    in_b = c.ask(c.b, c.b.general, mention=True)
    dm = c.fake.dispatch_dm(c.member(c.a).id, QUESTION)
    for message in (in_a, in_b, dm):
        (embed,) = (await c.reply_to(message)).embeds
        assert ANSWER in embed["description"]
    # Each process is done with its messages (its DEBUG line), having replied once.
    for name, message in (("p0", in_a), ("p1", in_b), ("p0", dm)):
        assert await silence.handled(c.processes[name], message) == "replied"

    assert [len(c.replies(m)) for m in (in_a, in_b, dm)] == [1, 1, 1]
    p0, p1 = await scrape(c.ports["p0"]), await scrape(c.ports["p1"])
    # Process 0: server A and the DM (DMs come on shard 0); process 1: server B only.
    assert sample(p0, "trivia_questions_total", source="free_text", outcome="answered") == 2
    assert sample(p1, "trivia_questions_total", source="free_text", outcome="answered") == 1
    assert sample(p0, "trivia_guilds") == sample(p1, "trivia_guilds") == 1
    assert "shards: 0 of 2" in c.processes["p0"].log
    assert "shards: 1 of 2" in c.processes["p1"].log
    c.fake.assert_no_errors()


async def test_a_setting_is_used_on_the_next_message(ready: Cluster) -> None:
    c = ready
    before = await answered(c.ports["p0"], "free_text"), await answered(c.ports["p1"], "free_text")

    assert (await c.admin(c.a, "config mode", mode="channels")).startswith("Done")
    assert "I'll answer" in await c.admin(c.a, "config channel add", channel=c.a.trivia.id)
    in_a = c.ask(c.a, c.a.trivia, mention=False)
    (embed,) = (await c.reply_to(in_a)).embeds
    in_b = c.ask(c.b, c.b.trivia, mention=False)
    # B's settings are B's: still "mention".
    assert "not for me" in await c.assert_silent(c.b, in_b, by="p1")

    assert ANSWER in embed["description"]
    after = await answered(c.ports["p0"], "free_text"), await answered(c.ports["p1"], "free_text")
    assert after == (before[0] + 1, before[1] + 1)  # A's #trivia by p0; the sentinel in B by p1


async def test_a_setting_saved_through_another_process_is_used_without_restart(
    ready: Cluster,
) -> None:
    c = ready
    p1 = c.processes["p1"]
    pid = p1.proc.pid
    # 1. p1 serves B and reads its settings: "mention" mode, so #trivia gets no answer.
    silent = c.ask(c.b, c.b.trivia, mention=False)
    assert "not for me" in await c.assert_silent(c.b, silent, by="p1")
    answered_by_p1 = await answered(c.ports["p1"], "free_text")
    readies = c.readies(1)

    # 2. p1 freezes and loses its connection; W takes shard 1 over.
    os.kill(pid, signal.SIGSTOP)
    try:
        assert c.fake.close_gateway(abrupt=True, shard_id=1) == 1
        await c.fake.wait_for(
            lambda: not any(s.conn for s in c.fake.sessions if s.shard == (1, 2)),
            timeout=5,
            what="p1's connection to drop",
        )
        w = c.start("w", "1")
        await w.wait_ready()

        # 3. Through W, B's admin turns channels mode on for #trivia.
        assert (await c.admin(c.b, "config mode", mode="channels")).startswith("Done")
        assert "I'll answer" in await c.admin(c.b, "config channel add", channel=c.b.trivia.id)
        assert w.stop() == 0
    finally:
        # 4. p1 thaws: same process, it identifies again and serves B.
        os.kill(pid, signal.SIGCONT)
    await c.fake.wait_for(lambda: c.readies(1) >= readies + 2, timeout=WAIT, what="p1's READY")

    # 5. p1's next message in B's #trivia is answered: the setting W saved, read fresh.
    asked = c.ask(c.b, c.b.trivia, mention=False)
    (embed,) = (await c.reply_to(asked)).embeds

    assert ANSWER in embed["description"]
    assert await answered(c.ports["p1"], "free_text") == answered_by_p1 + 1
    assert p1.proc.poll() is None and p1.proc.pid == pid
    assert p1.count("storage ready") == 1  # started once: no restart
    assert len(c.replies(asked)) == 1
    # Server A never noticed: p0 still answers there.
    await c.reply_to(c.ask(c.a, c.a.general, mention=True))
    assert "Traceback" not in p1.log + c.processes["p0"].log


async def test_a_setting_saved_elsewhere_is_used_after_the_listener_was_cut(
    ready: Cluster,
) -> None:
    c = ready
    p1 = c.processes["p1"]
    guild_id = c.b.guild.id
    # Another process (this test's) puts B back to the defaults; p1 follows by NOTIFY.
    async with Store.open(c.url) as admin:
        await admin.reset_guild_settings(guild_id)
    silent = c.ask(c.b, c.b.trivia, mention=False)
    assert "not for me" in await c.assert_silent(c.b, silent, by="p1")
    answered_by_p1 = await answered(c.ports["p1"], "free_text")

    assert await terminate(c.url, f"{APPLICATION_NAME} {p1.proc.pid}") == 1
    await p1.wait_for_log("settings listener lost its connection")
    async with Store.open(c.url) as admin:
        await admin.update_guild_settings(
            guild_id, mode="channels", channels=frozenset({c.b.trivia.id})
        )
    await p1.wait_for_log("settings listener connected again; settings re-read")

    asked = c.ask(c.b, c.b.trivia, mention=False)
    (embed,) = (await c.reply_to(asked)).embeds

    assert ANSWER in embed["description"]
    assert await answered(c.ports["p1"], "free_text") == answered_by_p1 + 1
    assert len(c.replies(asked)) == 1
    assert p1.count("storage ready") == 1  # the same process throughout
    assert "Traceback" not in p1.log
