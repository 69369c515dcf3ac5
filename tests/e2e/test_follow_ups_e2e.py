"""Follow-ups on the real bot process against the fake Discord: a mention then a
follow-up mention, a Discord reply to an answer after the conversation window, and two
people in one channel keeping their own conversations.

The bot runs with CONVERSATION_SECONDS=2, so "after the window" takes seconds, and the
server's cooldown is set to 0 (by an admin, with /config) so follow-ups are not held back.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.fake_discord import FakeDiscord, Permissions, SentMessage, User
from tests.fake_discord.models import Channel, Guild

WINDOW_SECONDS = 2
_names = itertools.count(1)
# The servers whose cooldown the first test set to 0 (one bot process serves the module).
_cooldown_off: set[int] = set()


@pytest.fixture(scope="module")
def guild(fake: FakeDiscord) -> Guild:
    guild = fake.add_guild("Follow-ups")
    fake.add_channel(guild.id, "general")
    return guild


@pytest.fixture(scope="module")
def general(fake: FakeDiscord, guild: Guild) -> Channel:
    return next(c for c in fake.world.channels.values() if c.guild_id == guild.id)


@pytest.fixture(scope="module")
def running(
    fake: FakeDiscord, guild: Guild, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BotProcess]:
    workdir: Path = tmp_path_factory.mktemp("bot")
    synced = run_cli("sync", env=bot_env(fake, workdir), cwd=workdir)
    assert synced.returncode == 0, synced.stderr
    env = bot_env(fake, workdir, CONVERSATION_SECONDS=str(WINDOW_SECONDS))
    process = BotProcess(env, workdir)
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
async def bot(running: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel) -> BotProcess:
    await running.wait_ready()
    if guild.id not in _cooldown_off:
        role = fake.add_role(guild.id, "Admins", Permissions.MANAGE_GUILD)
        admin = fake.add_user("admin")
        fake.add_member(guild.id, admin.id, roles=[role.id])
        record = fake.dispatch_slash_command(
            "config cooldown", user_id=admin.id, channel_id=general.id, options={"seconds": 0}
        )
        await fake.wait_for_interaction_reply(record)
        _cooldown_off.add(guild.id)
    return running


def member(fake: FakeDiscord, guild: Guild) -> User:
    user = fake.add_user(f"fan{next(_names)}")
    fake.add_member(guild.id, user.id)
    return user


async def ask(
    fake: FakeDiscord,
    where: Channel,
    who: User,
    text: str,
    *,
    reply_to: int | None = None,
    mention: bool = True,
) -> tuple[dict[str, Any], str]:
    """Post `text` as `who` (mentioning the bot unless told not to); return the bot's reply
    message and its answer text."""
    content = f"<@{fake.bot_user.id}> {text}" if mention else text
    message = fake.dispatch_message(where.id, who.id, content, reply_to=reply_to)

    def replies(sent: SentMessage) -> bool:
        reference = sent.message.get("message_reference") or {}
        return reference.get("message_id") == message["id"]

    sent = await fake.wait_for_message(where.id, predicate=replies, timeout=10)
    (embed,) = sent.embeds
    return sent.message, embed["description"]


async def test_a_mention_then_a_follow_up_mention(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    fan = member(fake, guild)
    _, first = await ask(fake, general, fan, "tell me about squid game")
    assert "Squid Game" in first
    _, hours = await ask(fake, general, fan, "how many hours did it get?")
    assert "1.65 billion" in hours
    _, elite = await ask(fake, general, fan, "and elite?")
    assert "Elite" in elite and "361" not in elite
    fake.assert_no_errors()


async def test_a_reply_to_an_answer_after_the_window_follows_it_up(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    fan = member(fake, guild)
    answer, _ = await ask(fake, general, fan, "tell me about elite")
    await asyncio.sleep(WINDOW_SECONDS + 0.5)
    # Past the window a mention stands alone: "it" is the article's show again…
    _, alone = await ask(fake, general, fan, "how long have people watched it?")
    assert "361 million" in alone
    # …but a Discord reply to the answer about Elite (no mention needed) follows it up.
    await asyncio.sleep(WINDOW_SECONDS + 0.5)
    _, followed = await ask(
        fake,
        general,
        fan,
        "how long have people watched it?",
        reply_to=int(answer["id"]),
        mention=False,
    )
    assert "Elite" in followed and "361" not in followed
    fake.assert_no_errors()


async def test_two_people_in_one_channel_keep_separate_conversations(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    alice, bob = member(fake, guild), member(fake, guild)
    await ask(fake, general, alice, "tell me about squid game")
    await ask(fake, general, bob, "what is lupin")
    _, for_alice = await ask(fake, general, alice, "how many hours did it get?")
    _, for_bob = await ask(fake, general, bob, "where is it from?")
    assert "1.65 billion" in for_alice
    assert "French" in for_bob
    fake.assert_no_errors()
