"""`python -m bot sync --guild ID` against the fake Discord: that server's commands only.

The README's way to try new commands at once in one test server. Global commands are
covered by test_bot_e2e.py; here the commands must land in the one server named, nowhere
else, and work there for the bot that runs afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.fake_discord import FakeDiscord, FakeDiscordUsageError

COMMANDS = {"ask", "rank", "quote", "fact", "about", "source", "help", "config", "trivia"}


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    with FakeDiscord(message_content_allowed=True).running_in_thread() as fd:
        yield fd


async def test_sync_to_one_guild_registers_the_commands_there_only(
    fake: FakeDiscord, tmp_path: Path
) -> None:
    testing = fake.add_guild("Test server")
    other = fake.add_guild("Another server")
    in_testing = fake.add_channel(testing.id, "general")
    in_other = fake.add_channel(other.id, "general")
    env = bot_env(fake, tmp_path)

    result = run_cli("sync", "--guild", str(testing.id), env=env, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"synced {len(COMMANDS)} commands to server {testing.id}: ")
    assert "may take a few minutes" not in result.stdout  # a server's commands show at once
    assert {c["name"] for c in fake.guild_commands(testing.id)} == COMMANDS
    assert all(c["guild_id"] == str(testing.id) for c in fake.guild_commands(testing.id))
    assert fake.guild_commands(other.id) == []
    assert fake.global_commands == []
    puts = [r for r in fake.requests if r.method == "PUT"]
    assert [r.route for r in puts] == ["/applications/{application_id}/guilds/{guild_id}/commands"]
    assert puts[0].path.endswith(f"/guilds/{testing.id}/commands")
    fake.assert_no_errors()

    # The bot that runs next answers them in that server; the other has no such command.
    bot = BotProcess(env, tmp_path)
    try:
        await bot.wait_ready()
        asked = fake.dispatch_slash_command(
            "source", user_id=fake.owner_user.id, channel_id=in_testing.id
        )
        asked = await fake.wait_for_interaction_response(asked, timeout=10)
        assert "one Virgin Radio article" in asked.response_data["embeds"][0]["description"]
        with pytest.raises(FakeDiscordUsageError, match="not registered"):
            fake.dispatch_slash_command(
                "source", user_id=fake.owner_user.id, channel_id=in_other.id
            )
    finally:
        assert bot.stop() == 0
    assert "Traceback" not in bot.log
    fake.assert_no_errors()
