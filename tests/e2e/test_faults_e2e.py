"""The real bot process when things go wrong: the gateway, Discord's REST API, the database.

Already covered elsewhere, so not repeated here: a gateway connection dropped and resumed
before the next question (test_bot_e2e.py), a rejected token and a refused intent
(test_bot_startup_e2e.py). Here:

* events sent while the connection was down are answered once it resumes;
* a session Discord will not resume: the bot identifies again and answers what follows;
* a 429 with `retry_after` on a reply: the bot waits that long and the reply arrives, once;
* a storm of 429s on a channel, longer than discord.py retries: every reply arrives, once;
* a 500 to every try of a reply: logged, and other people are answered meanwhile;
* the database unreachable at start: one line saying so, exit status 1;
* the database going away while running: settings commands apologise, questions are still
  answered with the settings known before, held in memory (SQLite, and PostgreSQL behind a
  proxy the test cuts when TEST_POSTGRES_URL is set: the settings listener says it lost
  its connection);
* SIGKILL right after an admin saw "Done": the setting is there after the restart;
* the database hanging (PostgreSQL behind a proxy that stops forwarding, when
  TEST_POSTGRES_URL is set): slash commands are acknowledged within Discord's 3 seconds
  and apologise soon after, questions are answered with the settings known before.

The first four share one bot process (module scope); the others start their own, each on
a fresh fake, with DEV_GUILD_ID so the bot registers its commands itself.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.discord_ui.tree import LOAD_FAILED, SAVE_FAILED
from bot.storage.store import OPERATION_TIMEOUT
from tests.e2e import silence
from tests.e2e.bot_process import WAIT, BotProcess, bot_env, run_cli
from tests.e2e.tcp_proxy import TcpProxy
from tests.fake_discord import FakeDiscord, InteractionRecord, SentMessage, User
from tests.fake_discord.models import Channel, Guild
from tests.postgres import postgres_behind_proxy

QUESTION = "who directed all of us are dead?"
ANSWER = "Lee Jae-kyoo"


@dataclass
class Scene:
    """A fake Discord with one server (#general, #trivia) and a way to add members."""

    fake: FakeDiscord
    guild: Guild
    general: Channel
    trivia: Channel
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def admin(self) -> User:
        return self.fake.owner_user

    def member(self) -> User:
        """Add a new member (free text has a per-person cooldown) and return them."""
        user = self.fake.add_user(f"member{next(self._names)}")
        self.fake.add_member(self.guild.id, user.id)
        return user

    def env(self, workdir: Path, **extra: str) -> dict[str, str]:
        return bot_env(self.fake, workdir, DEV_GUILD_ID=str(self.guild.id), **extra)

    def ask(
        self, channel: Channel, text: str = QUESTION, *, mention: bool = True
    ) -> dict[str, Any]:
        """Post `text` in `channel` as a new member, mentioning the bot if `mention`."""
        content = f"<@{self.fake.bot_user.id}> {text}" if mention else text
        return self.fake.dispatch_message(channel.id, self.member().id, content)

    async def reply_to(self, message: dict[str, Any], timeout: float = 5.0) -> SentMessage:
        """Wait for the bot's reply to `message`."""
        return await self.fake.wait_for_message(
            int(message["channel_id"]),
            predicate=lambda sent: replies_to(sent, message),
            timeout=timeout,
        )

    def replies(self, message: dict[str, Any]) -> list[SentMessage]:
        """Return every reply the bot sent to `message` so far."""
        return [s for s in self.fake.bot_messages if replies_to(s, message)]

    async def slash(self, name: str, user: User, **options: Any) -> InteractionRecord:
        """Run `/name` as `user` in #general and return the interaction once answered."""
        record = self.fake.dispatch_slash_command(
            name, user_id=user.id, channel_id=self.general.id, options=options or None
        )
        return await self.fake.wait_for_interaction_reply(record, timeout=20)


def replies_to(sent: SentMessage, message: dict[str, Any]) -> bool:
    return (sent.message.get("message_reference") or {}).get("message_id") == message["id"]


def make_scene(fake: FakeDiscord) -> Scene:
    guild = fake.add_guild("Zombie fans")
    return Scene(
        fake, guild, fake.add_channel(guild.id, "general"), fake.add_channel(guild.id, "trivia")
    )


def assert_answers(reply: SentMessage) -> None:
    (embed,) = reply.embeds
    assert ANSWER in embed["description"]


# -- one bot for the gateway and REST faults ----------------------------------------------


@pytest.fixture(scope="module")
def shared() -> Iterator[Scene]:
    with FakeDiscord(message_content_allowed=True).running_in_thread() as fake:
        yield make_scene(fake)


@pytest.fixture(scope="module")
def shared_bot(shared: Scene, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    workdir = tmp_path_factory.mktemp("faults")
    # DEBUG: the bot logs what became of each message once done with it (`silence.handled`).
    process = BotProcess(shared.env(workdir, LOG_LEVEL="DEBUG"), workdir)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def bot(shared_bot: BotProcess) -> BotProcess:
    await shared_bot.wait_ready()
    return shared_bot


async def test_questions_sent_while_disconnected_are_answered_after_resuming(
    bot: BotProcess, shared: Scene
) -> None:
    fake = shared.fake
    resumes = len(fake.resumes)

    # The bot is frozen meanwhile: it reconnects soon after the drop (after a random wait,
    # which can be a few ms), and the question must be sent while it is away, however
    # long this thread takes to get to it on a busy machine.
    os.kill(bot.proc.pid, signal.SIGSTOP)
    try:
        assert fake.close_gateway(abrupt=True) == 1
        missed = shared.ask(shared.general)  # Discord keeps it for the session, to replay
    finally:
        os.kill(bot.proc.pid, signal.SIGCONT)
    await fake.wait_for_resume(resumes + 1, timeout=20)

    assert_answers(await shared.reply_to(missed, timeout=10))
    assert fake.resumes[-1].detail["replayed"] >= 1
    assert len(shared.replies(missed)) == 1
    fake.assert_no_errors()


async def test_a_session_discord_will_not_resume_is_identified_again(
    bot: BotProcess, shared: Scene
) -> None:
    fake = shared.fake
    readies = len([e for e in fake.gateway_log if e.kind == "ready"])

    # 4009 "session timed out": the session is gone, RESUME gets INVALID_SESSION.
    assert fake.close_gateway(4009) == 1
    await fake.wait_for_identify(readies + 1, timeout=30)
    question = shared.ask(shared.general)

    assert_answers(await shared.reply_to(question, timeout=10))
    assert [e.kind for e in fake.gateway_log if e.kind == "invalid_session"]
    assert "Traceback" not in bot.log
    fake.assert_no_errors()


async def test_a_rate_limited_reply_waits_and_arrives_once(bot: BotProcess, shared: Scene) -> None:
    fake = shared.fake
    retry_after = 1.0
    route = f"POST /channels/{shared.general.id}/messages"
    fake.rate_limit_next(route, retry_after=retry_after)

    question = shared.ask(shared.general)
    reply = await shared.reply_to(question, timeout=10)

    assert_answers(reply)
    (limited,) = fake.injected
    assert limited.status == 429 and limited.response["retry_after"] == retry_after
    # The retry is the next request on the route; the fake's clock stamped both.
    sent = fake.requests_to(route)
    retry = sent[sent.index(limited) + 1]
    assert retry.status == 200
    assert retry.received_at - limited.received_at >= retry_after
    # Once the bot is done with the question (its DEBUG line), it has replied just once.
    assert await silence.handled(bot, question) == "replied"
    assert len(shared.replies(question)) == 1
    await bot.wait_for_log("responded with 429")
    assert "could not answer" not in bot.log
    fake.assert_no_errors()


async def test_a_429_storm_loses_no_reply_and_sends_none_twice(
    bot: BotProcess, shared: Scene
) -> None:
    fake = shared.fake
    storm = fake.add_channel(shared.guild.id, "storm")
    route = f"POST /channels/{storm.id}/messages"
    # 40 refusals in a row: discord.py gives up on a reply after 5 tries, so without the
    # outbox 8 of the 15 replies would be lost.
    fake.rate_limit_next(route, count=40, retry_after=0.25)

    questions = [shared.ask(storm) for _ in range(15)]

    for question in questions:
        assert await silence.handled(bot, question, timeout=WAIT) == "replied"
    for question in questions:
        (reply,) = shared.replies(question)  # each answered, once
        assert_answers(reply)
    assert [r.status for r in fake.requests_to(route)].count(429) == 40
    assert "could not answer" not in bot.log and "Traceback" not in bot.log
    fake.assert_no_errors()


async def test_a_reply_discord_keeps_failing_is_logged_and_others_are_served(
    bot: BotProcess, shared: Scene
) -> None:
    fake = shared.fake
    injected = len(fake.injected)
    # discord.py retries a 500 four times (1 + 3 + 5 + 7 s apart): fail all five tries.
    fake.fail_next(f"POST /channels/{shared.trivia.id}/messages", count=5, status=500)

    failing = shared.ask(shared.trivia)
    meanwhile = shared.ask(shared.general)
    assert_answers(await shared.reply_to(meanwhile, timeout=5))

    # discord.py sleeps 1, 3, 5, 7 and 9 s after the five 500s: 25 s before it gives up.
    await bot.wait_for_log(f"could not answer message {failing['id']}", timeout=25 + WAIT)
    (line,) = bot.lines_with(f"could not answer message {failing['id']}")
    assert "WARNING" in line and f"guild {shared.guild.id}" in line and "500" in line
    tries = fake.injected[injected:]
    assert [r.status for r in tries] == [500] * 5
    assert await silence.handled(bot, failing) == "not replied (Discord error)"
    # Someone else was served meanwhile: before the last failing try, on the fake's clock
    # (an order of events, not a speed).
    served = next(
        r
        for r in fake.requests_to(f"POST /channels/{shared.general.id}/messages")
        if r.status == 200
        and str((r.body.get("message_reference") or {}).get("message_id")) == meanwhile["id"]
    )
    assert served.received_at < tries[-1].received_at
    # And the channel whose reply failed is answered again afterwards.
    assert_answers(await shared.reply_to(shared.ask(shared.trivia)))
    assert "Traceback" not in bot.log
    fake.assert_no_errors()


# -- the database -------------------------------------------------------------------------


@pytest.fixture
def scene() -> Iterator[Scene]:
    with FakeDiscord(message_content_allowed=True).running_in_thread() as fake:
        yield make_scene(fake)


@pytest.mark.parametrize(
    ("database", "where"),
    [
        ("postgresql://trivia:hunter2secret@127.0.0.1:1/trivia", "PostgreSQL 127.0.0.1:1/trivia"),
        ("sqlite:///{workdir}/a-file/bot.sqlite3", "SQLite "),
    ],
    ids=["postgresql", "sqlite"],
)
def test_a_database_unreachable_at_start_is_one_line_and_exit_1(
    scene: Scene, tmp_path: Path, database: str, where: str
) -> None:
    (tmp_path / "a-file").write_text("a file where the database folder should be")
    env = scene.env(tmp_path, DATABASE_URL=database.format(workdir=tmp_path))

    result = run_cli("run", env=env, cwd=tmp_path)

    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"database unavailable ({where}")
    assert "Traceback" not in result.stderr
    assert "hunter2secret" not in result.stderr + result.stdout
    assert scene.fake.identifies == []  # it never went on to connect to Discord


@dataclass
class Outage:
    """A database the test can take away: its URL for the bot, and how to cut it."""

    url: str
    cut: Any
    restore: Any | None  # None: this kind of outage cannot be undone
    reads_fail: bool  # False: connections already open still read (SQLite's deleted file)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Outage]:
    if request.param == "sqlite":
        folder = tmp_path / "db"
        # Open connections keep reading the deleted file; writes and new connections fail.
        yield Outage(
            f"sqlite:///{folder / 'bot.sqlite3'}", lambda: shutil.rmtree(folder), None, False
        )
        return
    async with postgres_behind_proxy() as (url, proxy):
        yield Outage(url, proxy.cut, proxy.restore, True)


async def test_the_database_going_away_keeps_answers_and_fails_settings_politely(
    scene: Scene, database: Outage, tmp_path: Path
) -> None:
    bot = BotProcess(scene.env(tmp_path, DATABASE_URL=database.url), tmp_path)
    try:
        await bot.wait_ready()
        await scene.slash("config mode", scene.admin, mode="channels")
        await scene.slash("config channel add", scene.admin, channel=scene.trivia.id)
        assert_answers(await scene.reply_to(scene.ask(scene.trivia, mention=False)))

        database.cut()

        saving = await scene.slash("config cooldown", scene.admin, seconds=5)
        showing = await scene.slash("config show", scene.admin)
        assert saving.ephemeral and saving.reply["content"] == SAVE_FAILED
        assert showing.ephemeral
        if database.reads_fail:
            assert showing.reply["content"] == LOAD_FAILED
        # Channels mode, known from before: the defaults would not answer without a mention.
        assert_answers(await scene.reply_to(scene.ask(scene.trivia, mention=False)))
        assert_answers(await scene.reply_to(scene.ask(scene.general)))
        asked = await scene.slash("ask", scene.member(), question=QUESTION)
        assert ANSWER in asked.response_data["embeds"][0]["description"]
        assert "database unavailable" in bot.log
        if database.reads_fail:
            # PostgreSQL: the listener keeping the settings in memory right noticed.
            assert "settings listener lost its connection" in bot.log

        if database.restore is not None:
            database.restore()
            saved = await scene.slash("config cooldown", scene.admin, seconds=5)
            assert saved.reply["content"].startswith("Done")
    finally:
        code = bot.stop()
    assert code == 0
    assert "Traceback" not in bot.log
    scene.fake.assert_no_errors()


async def test_a_setting_saved_just_before_sigkill_is_there_after_restart(
    scene: Scene, tmp_path: Path
) -> None:
    env = scene.env(tmp_path)
    bot = BotProcess(env, tmp_path)
    try:
        await bot.wait_ready()
        saved = await scene.slash("config cooldown", scene.admin, seconds=42)
        assert saved.reply["content"].startswith("Done")
        bot.proc.kill()  # SIGKILL: no clean shutdown, no chance to flush anything
        assert bot.proc.wait(10) == -9
    finally:
        bot.stop()

    again = BotProcess(env, tmp_path)
    try:
        await again.wait_ready()
        shown = await scene.slash("config show", scene.admin)
    finally:
        assert again.stop() == 0
    fields = {f["name"]: f["value"] for f in shown.reply["embeds"][0]["fields"]}
    assert "42 seconds" in fields["Free-text cooldown"]


@pytest.fixture
async def hanging_database() -> AsyncIterator[tuple[str, TcpProxy]]:
    """Yield a PostgreSQL URL through a proxy, and the proxy, to make the database hang."""
    async with postgres_behind_proxy() as (url, proxy):
        yield url, proxy


async def test_a_database_that_hangs_keeps_answers_and_fails_settings_in_time(
    scene: Scene, hanging_database: tuple[str, TcpProxy], tmp_path: Path
) -> None:
    url, proxy = hanging_database
    bot = BotProcess(scene.env(tmp_path, DATABASE_URL=url), tmp_path)
    try:
        await bot.wait_ready()
        await scene.slash("config mode", scene.admin, mode="channels")
        await scene.slash("config channel add", scene.admin, channel=scene.trivia.id)

        proxy.stall()  # connections stay open, nothing comes back: no error to react to

        # Channels mode, known from before and held in memory: answered without a
        # mention, without waiting on the database.
        question = scene.ask(scene.trivia, mention=False)
        assert_answers(await scene.reply_to(question, timeout=OPERATION_TIMEOUT + 10))
        for command, options, apology in [
            ("config cooldown", {"seconds": 5}, SAVE_FAILED),
            ("config show", {}, LOAD_FAILED),
        ]:
            # `slash` waits a bounded time for the apology: without the store's timeout
            # the command would hang on the stalled database and never give one.
            record = await scene.slash(command, scene.admin, **options)
            # The fake refuses an acknowledgement after 3 s: this one was accepted.
            assert record.response_type == 5 and record.ephemeral
            assert [status for _, status in record.callback_attempts] == [200]
            assert record.reply["content"] == apology
        asked = await scene.slash("ask", scene.member(), question=QUESTION)
        assert ANSWER in asked.reply["embeds"][0]["description"]
        assert f"no answer within {OPERATION_TIMEOUT:g} s" in bot.log

        proxy.restore()
        saved = await scene.slash("config cooldown", scene.admin, seconds=5)
        assert saved.reply["content"].startswith("Done")
    finally:
        code = bot.stop()
    assert code == 0
    assert "Traceback" not in bot.log
    scene.fake.assert_no_errors()
