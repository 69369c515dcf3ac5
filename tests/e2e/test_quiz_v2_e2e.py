"""Trivia quiz v2 end to end: the rough edges a black-box play-through found, fixed.

Like `test_quiz_e2e` (whose fixtures and helpers this module shares): one fake and one bot
process for the module, tests in file order, the last ones restart the bot. Rounds last 5
seconds.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.e2e.bot_process import BotProcess
from tests.e2e.scene import Running, Scene
from tests.e2e.test_quiz_e2e import (
    QUICK_WAIT,
    ROUND_WAIT,
    answers,
    button_for,
    choice_buttons,
    fields,
    next_embed,
    press,
    question_text,
    scene,
    slash,
    start,
)
from tests.fake_discord import FakeDiscord
from tests.fake_discord.models import Channel

# The quiz suite's fixtures, used by name (`bot`, `fake`, `running` are tests/e2e/conftest's).
__all__ = ["answers", "scene"]


async def test_the_rounds_are_short_for_these_tests(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    done = await slash(fake, "config trivia round-time", scene.admin, scene.general, seconds=5)
    assert done.ephemeral and "5 seconds" in done.reply["content"]


async def test_a_stop_on_the_last_question_is_a_stop_and_zero_points_win_no_medal(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-a"]
    alice, bob = scene.member(), scene.member()
    await start(fake, alice, where, "choice", rounds=1)
    question, embed = await next_embed(fake, where, "Question 1/1", timeout=ROUND_WAIT)
    right = button_for(question, answers[question_text(embed)])
    wrong = next(b for b in choice_buttons(question) if b is not right)
    await press(fake, question, wrong, bob)

    await slash(fake, "trivia stop", alice, where)

    _, summary = await next_embed(fake, where, "🏆 Trivia stopped")
    assert f"Stopped by <@{alice.id}> after 1 of 1 question." in summary["description"]
    assert fields(summary)["Standings"].startswith(f"**1.** <@{bob.id}> 0 pts")
    logged = await fake.wait_for(
        lambda: "over (stopped)" in running.process.log or None, QUICK_WAIT, what="the log"
    )
    assert logged and "over (completed)" not in running.process.log
    # Bob is on the leaderboard with 0 points: no medal there either.
    board = await slash(fake, "trivia leaderboard", bob, scene.general)
    assert board.reply["embeds"][0]["description"].startswith(f"**1.** <@{bob.id}> 0 pts")
    fake.assert_no_errors()


async def test_a_quiet_game_that_ran_its_course_is_not_called_abandoned(
    bot: BotProcess, fake: FakeDiscord, scene: Scene
) -> None:
    where = scene.channels["quiz-b"]
    await start(fake, scene.member(), where, "free", rounds=2)
    await next_embed(fake, where, "Answer to question 2/2", timeout=3 * ROUND_WAIT)

    _, summary = await next_embed(fake, where, "🏆 Trivia results")
    assert summary["description"].startswith("All 2 questions played.")
    fake.assert_no_errors()


@pytest.mark.parametrize("rounds", [0, 21, 31])
async def test_a_stale_client_cannot_start_more_questions_than_declared(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, rounds: int
) -> None:
    # Commands registered by an older version (or a client that cached them) allow more.
    trivia = next(c for c in fake._global_commands.values() if c["name"] == "trivia")
    starting = next(o for o in trivia["options"] if o["name"] == "start")
    option = next(o for o in starting["options"] if o["name"] == "rounds")
    option["min_value"], option["max_value"] = 0, 31
    where = scene.channels["quiz-c"]
    refused = await slash(fake, "trivia start", scene.member(), where, rounds=rounds)

    # The option check of every command refuses it before the game would (issue 13).
    assert refused.ephemeral and "from 1 to 20" in refused.response_data["content"]
    assert running.db("SELECT * FROM quiz_games WHERE channel_id = ?", where.id) == []


async def test_the_score_of_someone_who_left_the_server(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running
) -> None:
    gone, never = fake.add_user("gone"), fake.add_user("never")  # not members (any more)
    running.db(
        "INSERT INTO trivia_scores (guild_id, user_id, points, correct, best_streak) "
        "VALUES (?, ?, 321, 2, 2)",
        scene.guild.id,
        gone.id,
    )
    asker = scene.member()

    theirs = await slash(fake, "trivia score", asker, scene.general, member=gone.id)
    nothing = await slash(fake, "trivia score", asker, scene.general, member=never.id)

    assert fields(theirs.reply["embeds"][0])["Points"] == "321"
    assert "hasn't played" in nothing.reply["embeds"][0]["description"]
    fake.assert_no_errors()


async def test_spoilers_on_hide_the_answer_in_the_reveal(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-b"]
    done = await slash(fake, "config trivia spoilers", scene.admin, scene.general, state="on")
    assert done.ephemeral and "spoiler" in done.reply["content"]
    assert running.db("SELECT trivia_spoilers FROM guild_settings") == [(1,)]
    shown = await slash(fake, "config show", scene.admin, scene.general)
    assert "on: reveals hide the answer" in str(shown.reply["embeds"][0])
    player = scene.member()
    await start(fake, player, where, "free", rounds=1)
    _, embed = await next_embed(fake, where, "Question 1/1", timeout=ROUND_WAIT)
    answer = answers[question_text(embed)]
    fake.dispatch_message(where.id, player.id, answer)

    _, reveal = await next_embed(fake, where, "Answer to question 1/1")

    assert f"✅ **||{answer}||**" in reveal["description"]
    assert fields(reveal)["From the article"].startswith("> ||")
    await slash(fake, "config trivia spoilers", scene.admin, scene.general, state="off")
    assert running.db("SELECT trivia_spoilers FROM guild_settings") == [(0,)]
    fake.assert_no_errors()


async def test_a_skip_vote_reaching_its_majority(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-a"]
    erin, finn = scene.member(), scene.member()
    await start(fake, erin, where, "choice", rounds=2)
    question, embed = await next_embed(fake, where, "Question 1/2", timeout=ROUND_WAIT)
    await press(fake, question, button_for(question, answers[question_text(embed)]), erin)
    await next_embed(fake, where, "Answer to question 1/2", timeout=ROUND_WAIT)
    question, _ = await next_embed(fake, where, "Question 2/2", timeout=ROUND_WAIT)
    (skip,) = question.components[1]["components"]  # below the four answers
    assert skip["label"] == "Skip · 0/1"

    # Finn is new: two players now, so his vote alone is not a majority; the count shows.
    vote = fake.dispatch_component(question.id, skip["custom_id"], user_id=finn.id)
    await fake.wait_for_interaction_response(vote)
    assert question.components[1]["components"][0]["label"] == "Skip · 1/2"
    vote = fake.dispatch_component(question.id, skip["custom_id"], user_id=erin.id)
    record = await fake.wait_for_interaction_response(vote)
    assert record.ephemeral and "Skipped" in record.response_data["content"]

    _, reveal = await next_embed(fake, where, "Answer to question 2/2")
    assert "Skipped by a vote" in fields(reveal)["Right"]
    _, summary = await next_embed(fake, where, "🏆 Trivia results")
    assert fields(summary)["Standings"].startswith(f"🥇 <@{erin.id}>")
    assert "1/1 right" in fields(summary)["Standings"]  # the skipped question counts for none
    assert running.db("SELECT correct FROM trivia_scores WHERE user_id = ?", erin.id) == [(1,)]
    fake.assert_no_errors()


@pytest.mark.parametrize("mode", ["free", "choice"])
async def test_a_hint_edit_and_the_lower_score_after_it(
    bot: BotProcess,
    fake: FakeDiscord,
    scene: Scene,
    running: Running,
    answers: dict[str, str],
    mode: str,
) -> None:
    where = scene.channels["quiz-c"]
    player = scene.member()
    await start(fake, player, where, mode, rounds=1)
    question, embed = await next_embed(fake, where, "Question 1/1", timeout=ROUND_WAIT)
    answer = answers[question_text(embed)]

    def hint() -> str | None:
        return fields(question.embeds[0]).get("💡 Hint")

    shown = await fake.wait_for(hint, ROUND_WAIT, what="the hint")  # the question, edited
    assert "now scores half" in shown
    if mode == "free":
        assert shown.startswith(("It looks like `", "A number"))
        fake.dispatch_message(where.id, player.id, answer)
    else:
        out = [b for b in choice_buttons(question) if b.get("disabled")]
        assert len(out) == 1 and out[0]["label"].split(". ", 1)[1] != answer
        assert len(choice_buttons(question)) == 4  # still the first row, one of them off
        await press(fake, question, button_for(question, answer), player)

    _, reveal = await next_embed(fake, where, "Answer to question 1/1", timeout=ROUND_WAIT)
    assert "💡 after the hint" in fields(reveal)["Right"]
    ((points,),) = running.db("SELECT points FROM trivia_scores WHERE user_id = ?", player.id)
    assert 50 <= points <= 75  # half of what the same answer scores without a hint
    fake.assert_no_errors()


async def test_a_round_the_database_could_not_save_is_left_out_of_the_standings(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-a"]
    gail = scene.member()
    await start(fake, gail, where, "choice", rounds=2)
    question, embed = await next_embed(fake, where, "Question 1/2", timeout=ROUND_WAIT)
    await press(fake, question, button_for(question, answers[question_text(embed)]), gail)
    # Another program holds the database while question 1 ends: its save fails.
    blocker = sqlite3.connect(running.workdir / "bot.sqlite3", timeout=10)
    try:
        blocker.execute("BEGIN EXCLUSIVE")
        _, reveal = await next_embed(fake, where, "Answer to question 1/2", timeout=ROUND_WAIT + 10)
    finally:
        blocker.rollback()
        blocker.close()
    assert "not on the leaderboard" in fields(reveal)["⚠️ Not saved"]

    question, embed = await next_embed(fake, where, "Question 2/2", timeout=ROUND_WAIT)
    await press(fake, question, button_for(question, answers[question_text(embed)]), gail)
    _, summary = await next_embed(fake, where, "🏆 Trivia results", timeout=ROUND_WAIT)

    ((points, correct),) = running.db(
        "SELECT points, correct FROM trivia_scores WHERE user_id = ?", gail.id
    )
    assert correct == 1  # question 2's only
    assert fields(summary)["Standings"].startswith(f"🥇 <@{gail.id}> {points} pts · 1/1 right")
    assert "(1) are missing" in fields(summary)["⚠️ Not saved"]


async def play_a_people_question(
    fake: FakeDiscord, scene: Scene, answers: dict[str, str], where: Channel
) -> str:
    """Play a one-question game of the "people" category in `where`; return its question."""
    player = scene.member()
    record = await slash(
        fake, "trivia start", player, where, rounds=1, mode="free", category="people"
    )
    assert "People only" in record.reply["embeds"][0]["description"]
    _, embed = await next_embed(fake, where, "Question 1/1", timeout=ROUND_WAIT)
    fake.dispatch_message(where.id, player.id, answers[question_text(embed)])
    await next_embed(fake, where, "🏆 Trivia results", timeout=ROUND_WAIT)
    return question_text(embed)


async def test_a_category_game_and_no_repeat_in_the_channel(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    where = scene.channels["quiz-c"]
    listed = await slash(fake, "trivia categories", scene.member(), where)
    assert "**People** (`people`): 2 questions" in listed.reply["embeds"][0]["description"]
    typing = fake.dispatch_autocomplete(
        "trivia start",
        user_id=scene.member().id,
        channel_id=where.id,
        focused="category",
        options={"category": "peo"},
    )
    await fake.wait_for_interaction_response(typing)
    assert typing.choices == [{"name": "People (2 questions)", "value": "people"}]

    first = await play_a_people_question(fake, scene, answers, where)
    running.notes["first person question"] = hash(first)
    assert first in {q for q, a in answers.items() if a in ("Lee Jae-kyoo", "Joo Dong-geun")}


async def test_a_restart_closes_the_open_question_and_forgets_who_asked_to_be_forgotten(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    buttons_here, forgetting_here = scene.channels["quiz-a"], scene.channels["quiz-b"]
    cleo, dara = scene.member(), scene.member()
    await start(fake, cleo, buttons_here, "choice", rounds=3)
    await start(fake, cleo, forgetting_here, "free", rounds=3)
    open_question, _ = await next_embed(fake, buttons_here, "Question 1/3", timeout=ROUND_WAIT)
    _, embed = await next_embed(fake, forgetting_here, "Question 1/3", timeout=ROUND_WAIT)
    fake.dispatch_message(forgetting_here.id, dara.id, answers[question_text(embed)])
    await next_embed(fake, forgetting_here, "Answer to question 1/3")
    await next_embed(fake, forgetting_here, "Question 2/3", timeout=ROUND_WAIT)

    # Dara asks to be forgotten mid-game; the bot stops before the next round is saved.
    asked = fake.dispatch_slash_command(
        "trivia forget-me", user_id=dara.id, channel_id=forgetting_here.id
    )
    prompt = await fake.wait_for_interaction_message(asked)
    (confirm,) = [b for b in choice_buttons(prompt) if b["label"] == "Delete my scores"]
    click = fake.dispatch_component(prompt.id, confirm["custom_id"], user_id=dara.id)
    await fake.wait_for_interaction_response(click)
    await fake.wait_for(lambda: "deleted" in prompt.content or None, QUICK_WAIT, what="deleted")
    assert running.restart() == 0
    await running.process.wait_ready()

    _, notice = await next_embed(fake, forgetting_here, "⚠️ Trivia game interrupted", timeout=10)
    assert f"<@{dara.id}>" not in str(notice)
    assert fields(notice)["Standings"] == "Nobody answered."
    await next_embed(fake, buttons_here, "⚠️ Trivia game interrupted", timeout=10)
    closed = choice_buttons(open_question)  # edited: no click can reach a gone game
    assert len(closed) == 4 and all(b.get("disabled") for b in closed)
    assert running.db("SELECT * FROM quiz_games") == []
    assert running.db("SELECT * FROM trivia_scores WHERE user_id = ?", dara.id) == []
    fake.assert_no_errors()


async def test_after_the_restart_the_channel_gets_the_other_question(
    bot: BotProcess, fake: FakeDiscord, scene: Scene, running: Running, answers: dict[str, str]
) -> None:
    second = await play_a_people_question(fake, scene, answers, scene.channels["quiz-c"])

    assert hash(second) != running.notes["first person question"]
    fake.assert_no_errors()
