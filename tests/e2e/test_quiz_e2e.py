"""Trivia games end to end: the real bot process against the fake Discord.

One fake and one bot process serve the module (tests/e2e/scene.py; the last test restarts
it), so the tests run in file order. Rounds last 5 seconds (the shortest an admin may
set); a multiple-choice round ends early once everyone who played an earlier round has
answered, and a free-answer round at the first right answer, so a game takes a few
seconds.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.knowledge import KnowledgeBase
from bot.quiz import build_questions
from tests.e2e import silence
from tests.e2e.bot_process import BotProcess
from tests.e2e.scene import Running, Scene
from tests.fake_discord import FakeDiscord, InteractionRecord, SentMessage, User
from tests.fake_discord.models import Channel

ROUND_SECONDS = 5
# Waits: a round, its reveal and the pause after it, with room for a slow machine.
ROUND_WAIT = ROUND_SECONDS + 10.0
QUICK_WAIT = 5.0


@pytest.fixture(scope="module")
def scene(fake: FakeDiscord) -> Scene:
    return Scene.build(fake, "Quiz night", ["quiz-a", "quiz-b", "quiz-c"], member_prefix="player")


@pytest.fixture(scope="module")
def answers(kb: KnowledgeBase) -> dict[str, str]:
    """Return the right answer of every quiz question, by the question's text."""
    return {q.text: q.answer for q in build_questions(kb)}


# -- helpers ------------------------------------------------------------------------------


async def slash(
    fake: FakeDiscord, name: str, user: User, where: Channel, /, **options: Any
) -> InteractionRecord:
    record = fake.dispatch_slash_command(
        name, user_id=user.id, channel_id=where.id, options=options or None
    )
    return await fake.wait_for_interaction_reply(record)


def titled(prefix: str) -> Any:
    def check(sent: SentMessage) -> bool:
        return any((e.get("title") or "").startswith(prefix) for e in sent.embeds)

    return check


async def next_embed(
    fake: FakeDiscord, channel: Channel, prefix: str, timeout: float = QUICK_WAIT
) -> tuple[SentMessage, dict[str, Any]]:
    """Wait for the bot's next message in `channel` whose embed title starts with `prefix`."""
    sent = await fake.wait_for_message(channel.id, predicate=titled(prefix), timeout=timeout)
    return sent, sent.embeds[0]


def fields(embed: dict[str, Any]) -> dict[str, str]:
    return {f["name"]: f["value"] for f in embed.get("fields", [])}


def choice_buttons(message: SentMessage) -> list[dict[str, Any]]:
    """Return the answer buttons of `message`: its first row (Skip and the rest come below)."""
    return list(message.components[0]["components"]) if message.components else []


def button_for(message: SentMessage, answer: str) -> dict[str, Any]:
    """Return the button of `message` whose label is the choice `answer`."""
    (button,) = [b for b in choice_buttons(message) if b["label"].split(". ", 1)[1] == answer]
    return button


def question_text(embed: dict[str, Any]) -> str:
    return str(embed["description"])


async def press(fake: FakeDiscord, message: SentMessage, button: dict[str, Any], user: User) -> str:
    record = fake.dispatch_component(message.id, button["custom_id"], user_id=user.id)
    record = await fake.wait_for_interaction_response(record)
    assert record.ephemeral
    return str(record.response_data["content"])


async def start(
    fake: FakeDiscord, user: User, where: Channel, mode: str, rounds: int
) -> InteractionRecord:
    record = await slash(fake, "trivia start", user, where, rounds=rounds, mode=mode)
    assert not record.ephemeral, record.reply
    assert f"<@{user.id}> started a game" in record.reply["embeds"][0]["description"]
    return record


# -- tests, in order ----------------------------------------------------------------------


async def test_the_commands_are_registered_and_an_admin_shortens_rounds(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running
) -> None:
    commands = {c["name"]: c for c in fake.global_commands}
    trivia = {o["name"] for o in commands["trivia"]["options"]}
    assert trivia == {"start", "stop", "leaderboard", "score", "forget-me", "categories"}
    config = {o["name"]: o for o in commands["config"]["options"]}
    assert {o["name"] for o in config["trivia"]["options"]} == {
        "round-time",
        "rounds",
        "reset-leaderboard",
        "spoilers",
        "hints",
    }

    done = await slash(fake, "config trivia round-time", scene.admin, scene.general, seconds=5)

    assert done.ephemeral and "5 seconds" in done.reply["content"]
    assert running.db("SELECT trivia_round_seconds FROM guild_settings") == [(5,)]


async def test_a_multiple_choice_game(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-a"]
    alice, bob = scene.member(), scene.member()
    await start(fake, alice, where, "choice", rounds=2)

    # Question 1: nobody has played yet, so it runs its full 5 seconds.
    question, embed = await next_embed(fake, where, "Question 1/2")
    right = button_for(question, answers[question_text(embed)])
    wrong = next(b for b in choice_buttons(question) if b is not right)
    assert "Locked in" in await press(fake, question, right, alice)
    assert "already answered" in await press(fake, question, wrong, alice)
    assert "Locked in" in await press(fake, question, wrong, bob)
    first_reveal, reveal = await next_embed(
        fake, where, "Answer to question 1/2", timeout=ROUND_WAIT
    )
    assert f"<@{alice.id}>" in fields(reveal)["Right"]
    assert fields(reveal)["From the article"].startswith("> ")
    closed = choice_buttons(question)  # the message was edited: buttons off, answer green
    assert all(b.get("disabled") for b in closed)
    assert [b["style"] for b in closed].count(3) == 1  # 3: success (green)

    # Question 2: both players answer, so it ends at once, before its deadline. Proven by
    # the order of events on the fake's clock: the bot starts question 2's clock only
    # after the fake has received reveal 1, so the deadline comes later than ROUND_SECONDS
    # after reveal 1; the reveal of question 2 arrives before that.
    question, embed = await next_embed(fake, where, "Question 2/2", timeout=ROUND_WAIT)
    right = button_for(question, answers[question_text(embed)])
    await press(fake, question, right, bob)
    await press(fake, question, right, alice)
    second_reveal, _ = await next_embed(fake, where, "Answer to question 2/2")
    earliest_deadline = first_reveal.created_at + ROUND_SECONDS
    assert second_reveal.created_at < earliest_deadline, "the round waited for its deadline"

    sent, summary = await next_embed(fake, where, "🏆 Trivia results")
    for message in (question, sent):  # players appear as mentions, which ping nobody
        assert (message.allowed_mentions or {}).get("parse") == []
    standings = fields(summary)["Standings"]
    assert standings.index(f"<@{alice.id}>") < standings.index(f"<@{bob.id}>")
    assert f"<@{alice.id}> 🔥 2 in a row" in fields(summary)["Best streak"]
    scores = dict(running.db("SELECT user_id, correct FROM trivia_scores"))
    assert (scores[alice.id], scores[bob.id]) == (2, 1)
    assert running.db("SELECT * FROM quiz_games") == []
    running.notes["alice"] = alice.id
    fake.assert_no_errors()


async def test_a_free_answer_game_keeps_free_text_quiet(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-b"]
    await slash(fake, "config mode", scene.admin, scene.general, mode="channels")
    await slash(fake, "config channel add", scene.admin, scene.general, channel=where.id)
    carol, dan = scene.member(), scene.member()
    await start(fake, carol, where, "free", rounds=2)

    for number in (1, 2):
        _, embed = await next_embed(fake, where, f"Question {number}/2", timeout=ROUND_WAIT)
        # In an answer-everything channel this would get an answer, but not during a game.
        chatter = fake.dispatch_message(where.id, dan.id, "who directed all of us are dead?")
        fake.dispatch_message(where.id, carol.id, answers[question_text(embed)].lower())
        _, reveal = await next_embed(fake, where, f"Answer to question {number}/2")
        assert f"<@{carol.id}>" in fields(reveal)["Right"]
        # The same question in #general, mentioning the bot, must be answered meanwhile
        # (asked by someone new each time: free text has a per-person cooldown).
        sentinel = fake.dispatch_message(
            scene.general.id,
            scene.member().id,
            f"<@{fake.bot_user.id}> who directed all of us are dead?",
        )
        outcome = await silence.assert_silent(fake, bot, chatter, sentinel=sentinel)
        assert "trivia game" in outcome

    _, summary = await next_embed(fake, where, "🏆 Trivia results")
    assert fields(summary)["Standings"].startswith(f"🥇 <@{carol.id}>")
    assert "Fastest answer" in fields(summary)
    # The game is over: the channel's questions get answers again.
    asked = fake.dispatch_message(where.id, dan.id, "who directed all of us are dead?")
    reply = await fake.wait_for_message(
        where.id,
        predicate=lambda s: (
            (s.message.get("message_reference") or {}).get("message_id") == asked["id"]
        ),
    )
    assert "Lee Jae-kyoo" in reply.embeds[0]["description"]


async def test_games_in_two_channels_at_once(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, answers: dict[str, str]
) -> None:
    first, second = scene.channels["quiz-a"], scene.channels["quiz-b"]
    erin, finn, gus = scene.member(), scene.member(), scene.member()
    await start(fake, erin, first, "choice", rounds=3)
    await start(fake, finn, second, "free", rounds=3)

    again = await slash(fake, "trivia start", gus, first)
    assert again.ephemeral and "already running" in again.response_data["content"]
    question, embed = await next_embed(fake, first, "Question 1/3", timeout=ROUND_WAIT)
    _, free = await next_embed(fake, second, "Question 1/3", timeout=ROUND_WAIT)
    assert "Locked in" in await press(
        fake, question, button_for(question, answers[question_text(embed)]), gus
    )
    fake.dispatch_message(second.id, gus.id, answers[question_text(free)])
    _, reveal = await next_embed(fake, second, "Answer to question 1/3")
    assert f"<@{gus.id}>" in fields(reveal)["Right"]

    refused = await slash(fake, "trivia stop", gus, first)
    assert refused.ephemeral and "Manage Server" in refused.response_data["content"]
    await slash(fake, "trivia stop", erin, first)
    await slash(fake, "trivia stop", finn, second)

    _, stopped_first = await next_embed(fake, first, "🏆 Trivia stopped")
    _, stopped_second = await next_embed(fake, second, "🏆 Trivia stopped")
    assert f"Stopped by <@{erin.id}>" in stopped_first["description"]
    assert f"Stopped by <@{finn.id}>" in stopped_second["description"]
    # Gus's locked-in answer of the stopped round counts.
    assert f"<@{gus.id}>" in fields(stopped_first)["Standings"]
    fake.assert_no_errors()


async def test_a_restart_announces_the_interrupted_game_and_keeps_the_scores(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-c"]
    hana = scene.member()
    await start(fake, hana, where, "free", rounds=3)
    _, embed = await next_embed(fake, where, "Question 1/3", timeout=ROUND_WAIT)
    fake.dispatch_message(where.id, hana.id, answers[question_text(embed)])
    await next_embed(fake, where, "Answer to question 1/3")
    await next_embed(fake, where, "Question 2/3", timeout=ROUND_WAIT)

    assert running.restart() == 0
    await running.process.wait_ready()

    _, notice = await next_embed(fake, where, "⚠️ Trivia game interrupted", timeout=10)
    assert "after 1 of 3" in notice["description"]
    assert fields(notice)["Standings"].startswith(f"🥇 <@{hana.id}>")
    assert running.db("SELECT * FROM quiz_games") == []
    assert "Traceback" not in running.process.log

    board = await slash(fake, "trivia leaderboard", hana, scene.general)
    lines = board.reply["embeds"][0]["description"]
    assert f"<@{running.notes['alice']}>" in lines and f"<@{hana.id}>" in lines
    score = await slash(fake, "trivia score", hana, scene.general)
    assert fields(score.reply["embeds"][0])["Right answers"] == "1"
    fake.assert_no_errors()
