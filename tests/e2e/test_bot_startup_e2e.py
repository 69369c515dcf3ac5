"""Starting the real bot process in less usual conditions, against the fake Discord.

A rejected token, Discord refusing the message content intent, a development guild,
shards, and `invite` asking Discord for the application id.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.fake_discord import FakeDiscord, Intents, SentMessage

QUESTION = "who directed all of us are dead?"


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    fd = FakeDiscord(message_content_allowed=True).start_in_thread()
    try:
        yield fd
    finally:
        fd.stop_thread()


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
    lines = result.stderr.strip().splitlines()
    if command != "run":  # `run` logs its start-up (at LOG_LEVEL INFO) before logging in
        assert len(lines) == 1, result.stderr
    assert lines[-1].startswith("Discord rejected DISCORD_TOKEN")
    assert "Reset Token" in lines[-1] and ".env" in lines[-1]
    assert not [line for line in lines if " ERROR " in line or " WARNING " in line]
    assert token not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


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
