"""Starting the real bot process in less usual conditions, against the fake Discord.

A rejected token, Discord failing the login, Discord refusing the message content
intent, a development guild, shards, and `invite` asking Discord for the application id.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from bot.runner import StartupError, fetch_application_id, run_bot, sync_commands
from bot.settings import Settings
from bot.storage.migrate import head_revision
from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.fake_discord import FakeDiscord, Intents, SentMessage, pointed_at

QUESTION = "who directed all of us are dead?"


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(message_content_allowed=True).running_in_thread() as fd:
        yield fd


async def reply_in(fake: FakeDiscord, message: dict[str, object]) -> SentMessage:
    return await fake.wait_for_message(
        int(str(message["channel_id"])),
        predicate=lambda s: (
            (s.message.get("message_reference") or {}).get("message_id") == message["id"]
        ),
    )


@pytest.mark.parametrize("command", ["run", "sync", "invite"])
def test_a_rejected_token_exits_with_one_line(
    fake: FakeDiscord, tmp_path: Path, command: str
) -> None:
    token = "MTIz.not-the-right-token.abc"
    env = bot_env(fake, tmp_path, DISCORD_TOKEN=token)

    result = run_cli(command, env=env, cwd=tmp_path)

    assert result.returncode == 1
    # `run` logs at LOG_LEVEL=INFO (bot_env), but its start-up lines wait for Discord to
    # accept the token: a rejected one prints nothing but the line saying what to do.
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Discord rejected DISCORD_TOKEN")
    assert "Reset Token" in line and ".env" in line
    assert token not in result.stderr + result.stdout
    assert result.stdout == ""


def test_a_database_a_newer_bot_upgraded_is_refused_in_one_line(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    env = bot_env(fake, tmp_path)
    upgraded = run_cli("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(tmp_path / "bot.sqlite3") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")

    result = run_cli("run", env=env, cwd=tmp_path)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"the database is at schema revision 9999, newer than this bot knows "
        f"(up to {head_revision()}); upgrade the bot"
    ]
    assert fake.identifies == []  # it never connected


@pytest.mark.parametrize("command", ["run", "sync", "invite"])
@pytest.mark.parametrize(
    ("status", "says"),
    [
        (503, "Discord answered HTTP 503 while logging in"),
        (403, "Discord answered HTTP 403 while logging in"),
    ],
)
def test_discord_failing_the_login_exits_with_one_line(
    fake: FakeDiscord, tmp_path: Path, command: str, status: int, says: str
) -> None:
    # discord.py raises HTTPException for these at once (it retries 500, 502, 504 for 25 s
    # first: tests/test_runner.py covers that path with the waits patched out).
    fake.fail_next("GET /users/@me", status=status)

    result = run_cli(command, env=bot_env(fake, tmp_path), cwd=tmp_path)

    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(says), line
    assert ("Discord's side" in line) == (status >= 500)
    assert fake.token not in result.stderr + result.stdout
    assert [r.status for r in fake.injected] == [status]


# What each command does to log in, in process.
LOGINS: dict[str, Callable[[Settings, str], Awaitable[object]]] = {
    "run": run_bot,
    "sync": lambda settings, token: sync_commands(settings, token, None),
    "invite": fetch_application_id,
}


@pytest.mark.parametrize("command", list(LOGINS))
async def test_discord_failing_every_try_of_the_login_is_one_startup_error(
    fake_discord: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    # The 500 path, in process: discord.py tries GET /users/@me five times, waiting 1, 3,
    # 5, 7 and 9 s after each 500 (here not at all), then raises DiscordServerError.
    real_sleep = asyncio.sleep

    async def no_retry_wait(delay: float, result: object = None) -> object:
        return await real_sleep(0 if delay >= 1 else delay, result)

    monkeypatch.setattr(asyncio, "sleep", no_retry_wait)  # what discord.http waits with
    fake_discord.fail_next("GET /users/@me", count=5, status=500)
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        discord_api_base=fake_discord.api_base,
        discord_gateway_url=fake_discord.gateway_url,
    )

    with pointed_at(fake_discord), pytest.raises(StartupError) as raised:
        await LOGINS[command](settings, fake_discord.token)

    (line,) = str(raised.value).splitlines()
    assert line.startswith("Discord answered HTTP 500 while logging in: 500: Internal Server")
    assert "Discord's side" in line and fake_discord.token not in line
    assert raised.value.__suppress_context__  # printed alone, without a traceback
    assert [r.status for r in fake_discord.injected] == [500] * 5


def test_invite_asks_discord_for_the_application_id(fake: FakeDiscord, tmp_path: Path) -> None:
    result = run_cli("invite", env=bot_env(fake, tmp_path), cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    query = parse_qs(urlparse(result.stdout.strip()).query)
    assert query["client_id"] == [str(fake.application_id)]
    assert query["scope"] == ["bot applications.commands"]


async def test_without_the_message_content_intent_it_still_answers_mentions(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    fake.set_privileged_intents(message_content=False)
    world = fake.add_basic_world()
    env = bot_env(fake, tmp_path, DEV_GUILD_ID=str(world.guild.id))
    bot = BotProcess(env, tmp_path)
    try:
        await bot.wait_ready()

        assert "refused the privileged message content intent" in bot.log
        assert "answer slash commands, mentions and DMs only" in bot.log
        assert "message content intent: OFF" in bot.log
        # The first IDENTIFY (with the intent) was closed with 4014; the second got READY.
        assert [e.code for e in fake.gateway_errors] == [4014]
        (identify,) = fake.identifies
        assert not identify.detail["intents"] & Intents.MESSAGE_CONTENT
        # DEV_GUILD_ID: the commands are synced to that guild at start, never globally.
        names = {c["name"] for c in fake.guild_commands(world.guild.id)}
        assert {"ask", "config"} <= names
        assert fake.global_commands == []

        mentioned = fake.dispatch_message(
            world.channel.id, world.user.id, f"<@{fake.bot_user.id}> {QUESTION}"
        )
        (embed,) = (await reply_in(fake, mentioned)).embeds
        assert "Lee Jae-kyoo" in embed["description"]
        dm = fake.dispatch_dm(world.user.id, QUESTION)
        assert "Lee Jae-kyoo" in (await reply_in(fake, dm)).embeds[0]["description"]
        asked = fake.dispatch_slash_command(
            "ask",
            user_id=world.user.id,
            channel_id=world.channel.id,
            options={"question": QUESTION},
        )
        await fake.wait_for_interaction_response(asked)
        assert fake.errors == []
    finally:
        assert bot.stop() == 0
    assert "Traceback" not in bot.log


async def test_runs_the_shards_it_is_given(fake: FakeDiscord, tmp_path: Path) -> None:
    world = fake.add_basic_world()
    env = bot_env(fake, tmp_path, SHARD_COUNT="2")
    bot = BotProcess(env, tmp_path)
    try:
        await bot.wait_ready()
        assert sorted(e.shard for e in fake.identifies) == [(0, 2), (1, 2)]

        dm = fake.dispatch_dm(world.user.id, QUESTION)
        assert "Lee Jae-kyoo" in (await reply_in(fake, dm)).embeds[0]["description"]
    finally:
        assert bot.stop() == 0
