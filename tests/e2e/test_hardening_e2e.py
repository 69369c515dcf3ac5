"""What a hostile client, a revoked admin and a new admin run into, on the real bot process.

One fake and one bot process (at LOG_LEVEL=DEBUG) serve the module; each test uses its
own fresh members, and a test that changes a server's settings uses a server of its own.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e import silence
from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.fake_discord import FakeDiscord, Permissions, User
from tests.fake_discord.models import Channel, Guild

QUESTION = "who directed all of us are dead?"
_names = itertools.count(1)


@pytest.fixture(scope="module")
def guild(fake: FakeDiscord) -> Guild:
    guild = fake.add_guild("Probe")
    fake.add_channel(guild.id, "general")
    return guild


@pytest.fixture(scope="module")
def general(fake: FakeDiscord, guild: Guild) -> Channel:
    return next(c for c in fake.world.channels.values() if c.guild_id == guild.id)


@pytest.fixture(scope="module")
def running(fake: FakeDiscord, guild: Guild, workdir: Path) -> Iterator[BotProcess]:
    synced = run_cli("sync", env=bot_env(fake, workdir), cwd=workdir)
    assert synced.returncode == 0, synced.stderr
    process = BotProcess(bot_env(fake, workdir, LOG_LEVEL="DEBUG"), workdir)
    try:
        yield process
    finally:
        process.stop()


# What one test leaves for a later one (the decline whose buttons are clicked again).
notes: dict[str, Any] = {}


@pytest.fixture
async def bot(running: BotProcess) -> BotProcess:
    await running.wait_ready()
    return running


def member(fake: FakeDiscord, guild: Guild) -> User:
    user = fake.add_user(f"prober{next(_names)}")
    fake.add_member(guild.id, user.id)
    return user


def admin(fake: FakeDiscord, guild: Guild) -> User:
    """Add a member whose role has Manage Server, and return them."""
    return admin_and_role(fake, guild)[0]


def admin_and_role(fake: FakeDiscord, guild: Guild) -> tuple[User, int]:
    """Add a member whose own role has Manage Server; return them and the role's id."""
    role = fake.add_role(guild.id, f"Admins{next(_names)}", Permissions.MANAGE_GUILD)
    user = fake.add_user(f"admin{next(_names)}")
    fake.add_member(guild.id, user.id, roles=[role.id])
    return user, role.id


def mention(fake: FakeDiscord, text: str) -> str:
    return f"<@{fake.bot_user.id}> {text}"


def leaf_options(data: dict[str, Any]) -> list[dict[str, Any]]:
    options = data["options"]
    while options and options[0]["type"] in (1, 2):
        options = options[0]["options"]
    return options


def assert_no_traceback(bot: BotProcess) -> None:
    assert "Traceback" not in bot.log
    assert not bot.lines_with(" ERROR ")


def cooldown_of(workdir: Path, guild_id: int) -> Any:
    with sqlite3.connect(workdir / "bot.sqlite3") as db:
        row = db.execute(
            "SELECT cooldown_seconds FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ).fetchone()
    return row[0] if row else None


# -- 5. option values Discord's client never sends --------------------------------------


async def test_a_number_option_sent_as_text_is_refused_clearly(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel, workdir: Path
) -> None:
    def as_text(data: dict[str, Any]) -> None:
        leaf_options(data)[0]["value"] = "abc"

    record = fake.dispatch_slash_command(
        "config cooldown",
        user_id=admin(fake, guild).id,
        channel_id=general.id,
        options={"seconds": 30},
        tamper=as_text,
    )
    record = await fake.wait_for_interaction_reply(record)

    assert record.ephemeral
    content = record.reply["content"]
    assert "`seconds` must be a whole number from 0 to 3600" in content
    assert "abc" in content and "Nothing was changed" in content
    assert cooldown_of(workdir, guild.id) is None
    assert_no_traceback(bot)


async def test_a_number_out_of_its_range_is_refused(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel, workdir: Path
) -> None:
    def too_big(data: dict[str, Any]) -> None:
        leaf_options(data)[0]["value"] = 10**9

    record = fake.dispatch_slash_command(
        "config cooldown",
        user_id=admin(fake, guild).id,
        channel_id=general.id,
        options={"seconds": 30},
        tamper=too_big,
    )
    record = await fake.wait_for_interaction_reply(record)

    assert record.ephemeral and "from 0 to 3600" in record.reply["content"]
    assert cooldown_of(workdir, guild.id) is None


async def test_a_channel_missing_from_the_resolved_data_is_named_plainly(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    def unresolved(data: dict[str, Any]) -> None:
        del data["resolved"]

    record = fake.dispatch_slash_command(
        "config channel add",
        user_id=admin(fake, guild).id,
        channel_id=general.id,
        options={"channel": general.id},
        tamper=unresolved,
    )
    record = await fake.wait_for_interaction_reply(record)

    assert record.ephemeral
    content = record.reply["content"]
    assert "I can't find that channel" in content
    assert "Object" not in content and str(general.id) not in content
    assert_no_traceback(bot)


async def test_autocomplete_for_an_option_without_suggestions_gets_none(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    record = fake.dispatch_autocomplete(
        "ask",
        user_id=member(fake, guild).id,
        channel_id=general.id,
        focused="question",
        options={"question": "who"},
    )
    record = await fake.wait_for_interaction_response(record)

    assert record.choices == []
    assert_no_traceback(bot)


# -- 2. a confirmation re-checks the permission at click time ----------------------------


def scores_in(workdir: Path, guild_id: int) -> int:
    with sqlite3.connect(workdir / "bot.sqlite3") as db:
        (count,) = db.execute(
            "SELECT count(*) FROM trivia_scores WHERE guild_id = ?", (guild_id,)
        ).fetchone()
    return int(count)


async def test_a_revoked_admin_cannot_confirm_the_leaderboard_reset(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel, workdir: Path
) -> None:
    with sqlite3.connect(workdir / "bot.sqlite3") as db:
        db.execute(
            "INSERT INTO trivia_scores (guild_id, user_id, points, correct, best_streak) "
            "VALUES (?, ?, 150, 1, 1)",
            (guild.id, member(fake, guild).id),
        )
    user, role = admin_and_role(fake, guild)
    asked = fake.dispatch_slash_command(
        "config trivia reset-leaderboard", user_id=user.id, channel_id=general.id
    )
    prompt = await fake.wait_for_interaction_message(asked)
    (row,) = prompt.components
    confirm = next(b for b in row["components"] if b["label"] == "Reset the leaderboard")

    fake.set_role_permissions(guild.id, role, 0)  # Manage Server is taken away
    click = fake.dispatch_component(prompt.id, confirm["custom_id"], user_id=user.id)
    click = await fake.wait_for_interaction_response(click)

    assert click.response is not None and click.response["type"] == 7  # the prompt, updated
    content = click.response["data"]["content"]
    assert "no longer have the **Manage Server** permission" in content
    assert "nothing was deleted" in content
    assert scores_in(workdir, guild.id) == 1
    assert_no_traceback(bot)


# -- 7. the first channel an admin adds takes effect --------------------------------------


async def test_adding_the_first_channel_switches_mention_mode_to_channels(
    bot: BotProcess, fake: FakeDiscord
) -> None:
    guild = fake.add_guild("Fresh")  # default settings: mention mode
    lounge = fake.add_channel(guild.id, "lounge")
    user = admin(fake, guild)

    added = fake.dispatch_slash_command(
        "config channel add", user_id=user.id, channel_id=lounge.id, options={"channel": lounge.id}
    )
    added = await fake.wait_for_interaction_reply(added)
    asked = fake.dispatch_message(lounge.id, member(fake, guild).id, QUESTION)

    assert added.ephemeral
    assert "I switched it to `channels`" in added.reply["content"]
    reply = await fake.wait_for_message(
        lounge.id,
        predicate=lambda sent: (
            (sent.message.get("message_reference") or {}).get("message_id") == asked["id"]
        ),
    )
    assert "Lee Jae-kyoo" in reply.embeds[0]["description"]


# -- 6. a question during the cooldown gets a ⏳, not silence ------------------------------


async def test_a_mention_on_cooldown_gets_an_hourglass_and_no_reply(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    asker = member(fake, guild)  # the server's cooldown is the default, 10 seconds
    first = fake.dispatch_message(general.id, asker.id, mention(fake, QUESTION))
    await fake.wait_for_message(general.id, predicate=silence.replies_to(first))
    again = fake.dispatch_message(general.id, asker.id, mention(fake, "where does it rank?"))
    sentinel = fake.dispatch_message(
        general.id, member(fake, guild).id, mention(fake, "who directed it?")
    )

    outcome = await silence.assert_silent(fake, bot, again, sentinel=sentinel)

    assert "on cooldown; ⏳" in outcome
    assert [r for r in fake.reactions if r[0] == int(again["id"])] == [(int(again["id"]), "⏳")]
    assert not [r for r in fake.reactions if r[0] == int(first["id"])]


# -- 3. what people typed is shown inert, and read as shown -------------------------------


async def test_a_hostile_question_is_shown_inert_and_read_as_shown(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    hostile = (
        "\u202e**FREE** ||nitro|| [FREE NITRO](https://evil.example) <t:1700000000:R> "
        + "".join(c + "\u0336" for c in "who")
        + "\u0301" * 200
        + " directed\x00 it?\ufffe"
    )
    asked = fake.dispatch_message(general.id, member(fake, guild).id, mention(fake, hostile))

    reply = await fake.wait_for_message(general.id, predicate=silence.replies_to(asked))

    (embed,) = reply.embeds
    title = embed["title"]
    assert "Lee Jae-kyoo" in embed["description"]  # the disguised "who" was read
    for hidden in ("\u202e", "\u0336", "\u0301", "\x00", "\ufffe"):
        assert hidden not in title
    assert title.startswith("\\*\\*FREE\\*\\* \\|\\|nitro\\|\\| \\[FREE NITRO]")
    assert "\\<t:1700000000:R>" in title
    assert title.endswith("who directed it?")


# -- 8. suggestions you can click ---------------------------------------------------------


async def test_a_suggestion_click_answers_the_asker_publicly_and_others_privately(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, general: Channel
) -> None:
    asker, other = member(fake, guild), member(fake, guild)
    asked = fake.dispatch_message(general.id, asker.id, mention(fake, "who won the world cup?"))
    decline = await fake.wait_for_message(general.id, predicate=silence.replies_to(asked))
    suggestions, report = decline.components
    first, *_ = suggestions["components"]
    assert 1 <= len(suggestions["components"]) <= 3
    assert report["components"][0]["label"] == "Should I know this?"

    mine = fake.dispatch_component(decline.id, first["custom_id"], user_id=asker.id)
    mine = await fake.wait_for_interaction_reply(mine)
    theirs = fake.dispatch_component(decline.id, first["custom_id"], user_id=other.id)
    theirs = await fake.wait_for_interaction_reply(theirs)

    for record in (mine, theirs):
        assert record.response_type == 4
        (embed,) = record.reply["embeds"]
        assert embed["title"] == first["label"]
        assert "Virgin Radio" in embed["footer"]["text"]
    assert not mine.ephemeral  # the asker: in public, under the decline
    assert theirs.ephemeral  # anyone else: only they see it
    assert_no_traceback(bot)
    notes["decline"] = decline.id
    notes["asker"] = asker.id


async def test_suggestion_buttons_work_after_a_restart(
    bot: BotProcess, fake: FakeDiscord, guild: Guild, workdir: Path
) -> None:
    # The last test of the module: it replaces the bot process.
    assert bot.stop() == 0
    restarted = BotProcess(bot_env(fake, workdir, LOG_LEVEL="DEBUG"), workdir)
    try:
        await restarted.wait_ready()
        message = fake.world.messages[notes["decline"]]
        button = message["components"][0]["components"][-1]

        click = fake.dispatch_component(
            notes["decline"], button["custom_id"], user_id=notes["asker"]
        )
        click = await fake.wait_for_interaction_reply(click)

        (embed,) = click.reply["embeds"]
        assert embed["title"] == button["label"]
        assert not click.ephemeral
        assert "Traceback" not in restarted.log
    finally:
        restarted.stop()
