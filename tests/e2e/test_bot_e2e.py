"""The real bot process (`python -m bot sync`, then `run`) against the fake Discord.

One fake and one bot process serve the whole module, set up as tests/e2e/scene.py says
(the last test restarts the bot), so the tests run in file order, each with fresh members.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.exts.knowledge import FACT_EXCLUDED_INTENTS
from bot.knowledge import KnowledgeBase
from tests.e2e import silence
from tests.e2e.bot_process import BotProcess
from tests.e2e.scene import Running, Scene
from tests.fake_discord import FakeDiscord, InteractionRecord, Permissions, SentMessage, User
from tests.fake_discord.models import Channel

CITATION = "Virgin Radio, 9 Feb 2022"
QUESTION = "who directed all of us are dead?"
COMMANDS = {"ask", "rank", "quote", "fact", "about", "source", "help", "config", "trivia"}
EPHEMERAL = 1 << 6


@pytest.fixture(scope="module")
def scene(fake: FakeDiscord) -> Scene:
    made = Scene.build(fake, "Zombie fans", ["trivia", "offtopic"], member_prefix="member")
    # Helpers may run /config as far as Discord is concerned (their role has Manage
    # Server), but in #general they lack it: the bot's own check must refuse them there.
    helpers = made.add_role("Helpers", Permissions.MANAGE_GUILD)
    fake.set_permission_overwrite(made.general.id, helpers, deny=Permissions.MANAGE_GUILD)
    return made


# -- helpers ------------------------------------------------------------------------------


def mention(fake: FakeDiscord, text: str) -> str:
    return f"<@{fake.bot_user.id}> {text}"


async def reply_to(fake: FakeDiscord, message: dict[str, Any], timeout: float = 5.0) -> SentMessage:
    """Wait for the bot's reply to `message`."""

    def replies(sent: SentMessage) -> bool:
        reference = sent.message.get("message_reference") or {}
        return reference.get("message_id") == message["id"]

    return await fake.wait_for_message(
        int(message["channel_id"]), predicate=replies, timeout=timeout
    )


async def assert_silent(
    fake: FakeDiscord, scene: Scene, bot: BotProcess, message: dict[str, Any]
) -> str:
    """Check `bot` handled `message` without answering it; return how it handled it.

    A question in #general that mentions the bot is the sentinel it must answer; the
    bot's DEBUG line for `message` says it was done with it (see `tests/e2e/silence.py`).
    """
    sentinel = fake.dispatch_message(
        scene.general.id, scene.member().id, mention(fake, "who directed it?")
    )
    return await silence.assert_silent(fake, bot, message, sentinel=sentinel)


async def slash(
    fake: FakeDiscord, name: str, user: User, where: Channel, /, **options: Any
) -> InteractionRecord:
    """Run `/name` as `user` in channel `where` and return the interaction once answered."""
    record = fake.dispatch_slash_command(
        name, user_id=user.id, channel_id=where.id, options=options or None
    )
    return await fake.wait_for_interaction_reply(record)


def first_embed(record: InteractionRecord) -> dict[str, Any]:
    embeds = record.reply.get("embeds") or []
    assert embeds, f"no embed in {record.reply}"
    return embeds[0]


def assert_cites(embed: dict[str, Any]) -> None:
    assert CITATION in embed["footer"]["text"]


def assert_pings_nobody(sent: SentMessage) -> None:
    allowed = sent.allowed_mentions
    assert allowed is not None
    assert allowed.get("parse") == []
    assert not allowed.get("replied_user")
    assert not allowed.get("users") and not allowed.get("roles")


def read_settings(workdir: Path, guild_id: int) -> tuple[Any, ...] | None:
    with sqlite3.connect(workdir / "bot.sqlite3") as db:
        return db.execute(
            "SELECT mode, cooldown_seconds FROM guild_settings WHERE guild_id = ?", (guild_id,)
        ).fetchone()


# -- tests, in order ----------------------------------------------------------------------


def test_sync_registers_the_commands(synced: Any, fake: FakeDiscord) -> None:
    assert synced.returncode == 0, synced.stderr
    assert "synced 9 commands globally" in synced.stdout
    commands = {c["name"]: c for c in fake.global_commands}
    assert set(commands) == COMMANDS
    config = commands["config"]
    assert config["default_member_permissions"] == str(Permissions.MANAGE_GUILD)
    assert config.get("contexts") == [0] or config.get("dm_permission") is False
    subcommands = {o["name"] for o in config["options"]}
    assert subcommands == {"show", "mode", "channel", "cooldown", "reset", "reports", "trivia"}
    (show,) = commands["rank"]["options"]
    assert show["autocomplete"] is True and not show.get("required")
    fake.assert_no_errors()


async def test_logs_in_without_syncing_commands_again(bot: BotProcess, fake: FakeDiscord) -> None:
    identify = fake.identifies[-1]
    assert identify.detail["intents"] & (1 << 15), "asks for the message content intent"
    assert len(fake.requests_to("PUT /applications/{application_id}/commands")) == 1  # sync only
    assert "Traceback" not in bot.log
    assert fake.bot_user.username in bot.log


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("ask", {"question": QUESTION}, "Lee Jae-kyoo"),
        ("ask", {"question": "what's the capital of France?"}, "article"),
        ("rank", {}, "Squid Game"),
        ("rank", {"show": "all_of_us_are_dead"}, "#5"),
        ("quote", {"topic": "bullying_and_society"}, "school bullying"),
        ("quote", {}, "“"),
        ("source", {}, "one Virgin Radio article"),
    ],
)
async def test_slash_commands_answer(
    bot: BotProcess,
    fake: FakeDiscord,
    scene: Scene,
    name: str,
    options: dict[str, Any],
    expected: str,
) -> None:
    record = await slash(fake, name, scene.member(), scene.general, **options)

    assert record.response_type == 4
    assert not record.ephemeral
    embed = first_embed(record)
    assert expected in embed.get("description", "")
    assert_cites(embed)
    fake.assert_no_errors()


def flat(text: str) -> str:
    return " ".join(text.split())


def fields_of(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


async def test_about_names_the_director_and_the_premiere(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    record = await slash(fake, "about", scene.member(), scene.general)

    embed = first_embed(record)
    fields = fields_of(embed)
    assert embed["title"] == "All of Us Are Dead"
    assert "Lee Jae-kyoo" in fields["Directed by"]
    assert "January 28" in fields["Premiere"]
    assert_cites(embed)


async def test_fact_is_one_of_the_knowledge_facts_with_its_evidence(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, kb: KnowledgeBase
) -> None:
    record = await slash(fake, "fact", scene.member(), scene.general)

    embed = first_embed(record)
    shown = (f for f in kb.facts.values() if f.answers not in FACT_EXCLUDED_INTENTS)
    facts = {flat(f.answer): f for f in shown}
    fact = facts.get(flat(embed["description"]))
    assert fact is not None, f"not a fact of the knowledge: {embed['description']!r}"
    quoted = fields_of(embed)["From the article"]
    assert quoted.startswith("> ")
    assert flat(fact.evidence[0]) in flat(quoted)
    assert_cites(embed)


async def test_help_is_private(bot: BotProcess, fake: FakeDiscord, scene: Scene) -> None:
    record = await slash(fake, "help", scene.member(), scene.general)

    assert record.ephemeral
    fields = {f["name"]: f["value"] for f in first_embed(record)["fields"]}
    assert "/ask question" in fields["Commands"]


async def test_autocomplete_offers_shows_and_topics(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    user = scene.member()
    shows = fake.dispatch_autocomplete(
        "rank",
        user_id=user.id,
        channel_id=scene.general.id,
        focused="show",
        options={"show": "squ"},
    )
    topics = fake.dispatch_autocomplete(
        "quote",
        user_id=user.id,
        channel_id=scene.general.id,
        focused="topic",
        options={"topic": ""},
    )

    shows = await fake.wait_for_interaction_response(shows)
    topics = await fake.wait_for_interaction_response(topics)

    assert shows.choices == [{"name": "#1 Squid Game", "value": "squid_game"}]
    assert topics.choices is not None and len(topics.choices) == 4


async def test_unknown_option_value_gets_a_friendly_refusal(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    record = await slash(fake, "rank", scene.member(), scene.general, show="Kingdom")

    assert record.ephemeral
    assert "Kingdom" in record.response_data["content"]


async def test_answers_a_mention_and_pings_nobody(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    question = fake.dispatch_message(
        scene.general.id, scene.member().id, mention(fake, f"@everyone {QUESTION}")
    )

    reply = await reply_to(fake, question)

    (embed,) = reply.embeds
    assert "Lee Jae-kyoo" in embed["description"]
    assert embed["title"] == f"@\u200beveryone {QUESTION}"  # escaped, as all user text
    assert_cites(embed)
    assert_pings_nobody(reply)
    assert not reply.message["mention_everyone"] and reply.message["mentions"] == []
    fake.assert_no_errors()


async def test_declines_out_loud_when_mentioned(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    question = fake.dispatch_message(
        scene.general.id, scene.member().id, mention(fake, "who won the 2022 world cup?")
    )

    reply = await reply_to(fake, question)
    (embed,) = reply.embeds

    assert embed["title"] == "who won the 2022 world cup?"
    suggestions, report = reply.components  # two rows: the suggestions, the report
    assert 1 <= len(suggestions["components"]) <= 3
    assert all(b["label"].endswith("?") for b in suggestions["components"])
    assert "Should I know this?" in str(report)


async def test_answers_in_dms(bot: BotProcess, fake: FakeDiscord, scene: Scene) -> None:
    question = fake.dispatch_dm(scene.member().id, "where does squid game rank?")

    (embed,) = (await reply_to(fake, question)).embeds

    assert "number one" in embed["description"]


async def test_silent_without_a_mention(bot: BotProcess, fake: FakeDiscord, scene: Scene) -> None:
    question = fake.dispatch_message(scene.general.id, scene.member().id, QUESTION)

    assert "not for me" in await assert_silent(fake, scene, bot, question)


async def test_admin_enables_a_channel(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running
) -> None:
    mode = await slash(fake, "config mode", scene.admin, scene.general, mode="channels")
    added = await slash(
        fake, "config channel add", scene.admin, scene.general, channel=scene.channels["trivia"].id
    )
    assert mode.ephemeral and added.ephemeral
    assert f"<#{scene.channels['trivia'].id}>" in added.reply["content"]

    asked = fake.dispatch_message(scene.channels["trivia"].id, scene.member().id, QUESTION)
    chatter = fake.dispatch_message(scene.channels["trivia"].id, scene.member().id, "lol")
    elsewhere = fake.dispatch_message(scene.channels["offtopic"].id, scene.member().id, QUESTION)

    (embed,) = (await reply_to(fake, asked)).embeds
    assert "Lee Jae-kyoo" in embed["description"]
    assert "silent" in await assert_silent(fake, scene, bot, chatter)
    assert "not for me" in await assert_silent(fake, scene, bot, elsewhere)
    assert read_settings(running.workdir, scene.guild.id) == ("channels", None)
    fake.assert_no_errors()


async def test_cooldown_keeps_one_person_from_flooding(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    done = await slash(fake, "config cooldown", scene.admin, scene.general, seconds=60)
    assert done.ephemeral and "60 seconds" in done.reply["content"]
    flooder = scene.member()

    first = fake.dispatch_message(scene.channels["trivia"].id, flooder.id, QUESTION)
    await reply_to(fake, first)
    second = fake.dispatch_message(
        scene.channels["trivia"].id, flooder.id, "where does squid game rank?"
    )
    third = fake.dispatch_message(scene.general.id, flooder.id, mention(fake, QUESTION))

    assert "cooldown" in await assert_silent(fake, scene, bot, second)
    assert "cooldown" in await assert_silent(fake, scene, bot, third)


async def test_slash_cooldown_answers_with_a_relative_time(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    user = scene.member()
    for _ in range(4):
        await slash(fake, "source", user, scene.general)

    refused = await slash(fake, "source", user, scene.general)

    assert refused.ephemeral
    assert "Slow down" in refused.response_data["content"]
    assert ":R>" in refused.response_data["content"]


async def test_non_admin_is_refused_and_nothing_changes(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running
) -> None:
    helper = scene.member(scene.roles["Helpers"])
    before = read_settings(running.workdir, scene.guild.id)

    refused = await slash(fake, "config mode", helper, scene.general, mode="off")

    assert refused.ephemeral
    assert "Manage Server" in refused.response_data["content"]
    assert read_settings(running.workdir, scene.guild.id) == before
    shown = await slash(fake, "config show", scene.admin, scene.general)
    fields = {f["name"]: f["value"] for f in first_embed(shown)["fields"]}
    assert "`channels`" in fields["Mode"]


async def test_report_button_stores_once_per_user(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running
) -> None:
    asked = await slash(fake, "ask", scene.member(), scene.general, question=QUESTION)
    answer = await fake.wait_for_interaction_message(asked)
    (row,) = answer.components
    (button,) = row["components"]
    assert button["label"] == "Wrong answer?"
    reporter = scene.member()

    first = fake.dispatch_component(answer.id, button["custom_id"], user_id=reporter.id)
    first = await fake.wait_for_interaction_reply(first)
    again = fake.dispatch_component(answer.id, button["custom_id"], user_id=reporter.id)
    again = await fake.wait_for_interaction_reply(again)

    assert first.ephemeral and "Thanks" in first.reply["content"]
    assert again.ephemeral and "already reported" in again.reply["content"]
    with sqlite3.connect(running.workdir / "bot.sqlite3") as db:
        rows = db.execute(
            "SELECT question, intent, answered, user_hash FROM miss_reports WHERE message_id = ?",
            (answer.id,),
        ).fetchall()
    assert len(rows) == 1
    question, intent, answered, user_hash = rows[0]
    assert (question, intent, answered) == (QUESTION, "director", 1)
    assert str(reporter.id) not in user_hash
    running.notes["reported_message"] = answer.id  # clicked again after the restart


async def test_the_debug_log_is_the_bots_own(bot: BotProcess) -> None:
    # The bot runs at LOG_LEVEL=DEBUG and has stored settings and a report by now:
    # aiosqlite would have logged each statement with its values (the report's question).
    assert bot.lines_with("DEBUG    bot.exts.free_text: free text: message")
    assert not bot.lines_with(" aiosqlite: ")
    assert not bot.lines_with(" sqlalchemy")
    assert all(" DEBUG    bot." in line for line in bot.lines_with(" DEBUG "))


async def test_resumes_after_the_gateway_drops(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    resumes = len(fake.resumes)

    assert fake.close_gateway(abrupt=True) == 1
    await fake.wait_for_resume(resumes + 1, timeout=20)
    question = fake.dispatch_message(scene.general.id, scene.member().id, mention(fake, QUESTION))

    (embed,) = (await reply_to(fake, question)).embeds
    assert "Lee Jae-kyoo" in embed["description"]


async def test_settings_and_buttons_survive_a_restart(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running
) -> None:
    reported = running.notes["reported_message"]

    assert running.restart() == 0
    assert "Traceback" not in bot.log
    await running.process.wait_ready()

    shown = await slash(fake, "config show", scene.admin, scene.general)
    fields = {f["name"]: f["value"] for f in first_embed(shown)["fields"]}
    assert "`channels`" in fields["Mode"]
    assert f"<#{scene.channels['trivia'].id}>" in fields["Channels"]
    assert "60 seconds" in fields["Free-text cooldown"]
    asked = fake.dispatch_message(scene.channels["trivia"].id, scene.member().id, QUESTION)
    await reply_to(fake, asked)
    message = fake.world.messages[reported]
    custom_id = message["components"][0]["components"][0]["custom_id"]
    click = fake.dispatch_component(reported, custom_id, user_id=scene.member().id)
    click = await fake.wait_for_interaction_reply(click)
    assert "Thanks" in click.reply["content"]
    assert len(fake.requests_to("PUT /applications/{application_id}/commands")) == 1
    fake.assert_no_errors()
