"""The trivia game's look: every embed within Discord's limits, the answer buttons' ids."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from unittest.mock import MagicMock

import discord
import pytest
from discord.ext import commands

from bot.discord_ui import quiz_views
from bot.discord_ui.embeds import FIELD_VALUE_LIMIT, TOTAL_LIMIT
from bot.knowledge import KnowledgeBase
from bot.quiz import (
    EndReason,
    FastestAnswer,
    GameSummary,
    Mode,
    QuizSession,
    RoundResult,
    Standing,
    Streak,
    build_questions,
)
from bot.storage import ScoreEntry
from tests.helpers import MockInteraction, buttons, sent

LONG = "zombie " * 400


def within_limits(embed: discord.Embed) -> None:
    assert len(embed) <= TOTAL_LIMIT
    assert len(embed.fields) <= 25
    assert all(len(f.value or "") <= FIELD_VALUE_LIMIT for f in embed.fields)


@pytest.fixture
def result(kb: KnowledgeBase) -> RoundResult:
    """Return a finished multiple-choice round with 40 players and a very long answer."""
    session = QuizSession.new(
        build_questions(kb), rounds=2, mode=Mode.CHOICE, round_seconds=20, seed=3
    )
    shown = session.start_round(0.0)
    right = shown.question.answer_index
    assert right is not None
    for user in range(40):  # three in four right
        session.submit(10_000 + user, str((right + (user % 4 == 0)) % 4 + 1), user / 10)
    played = session.end_round()
    question = dataclasses.replace(played.question, answer=LONG, evidence=LONG)
    return dataclasses.replace(played, question=question, total=shown.total)


def test_reveal_fits_and_lists_the_winners_fastest_first(
    kb: KnowledgeBase, result: RoundResult
) -> None:
    embed = quiz_views.reveal_embed(kb, result, saved=False)

    within_limits(embed)
    right = {f.name: f.value or "" for f in embed.fields}["Right"]
    assert right.startswith("🥇 <@") and right.endswith("more")
    assert "⚠️ Not saved" in {f.name for f in embed.fields}


def test_reveal_when_nobody_answered(kb: KnowledgeBase, result: RoundResult) -> None:
    quiet = dataclasses.replace(result, players=())

    fields = {f.name: f.value for f in quiz_views.reveal_embed(kb, quiet).fields}

    assert fields["Right"] == "Nobody answered."
    assert "Wrong" not in fields


def test_summary_fits_with_many_players(kb: KnowledgeBase) -> None:
    standings = tuple(Standing(user, 9999 - user, 5, 5, 5, 1234) for user in range(60))
    summary = GameSummary(
        standings=standings,
        best_streaks=tuple(Streak(user, 5) for user in range(60)),
        fastest=FastestAnswer(7, 812, 3),
        rounds_played=5,
        rounds_total=5,
        end_reason=EndReason.COMPLETED,
    )

    embed = quiz_views.summary_embed(kb, summary, started_by=1)

    within_limits(embed)
    fields = {f.name: f.value or "" for f in embed.fields}
    assert fields["Standings"].count("\n") == quiz_views.SHOWN_PLAYERS  # ten and "…and 50 more"
    assert fields["Fastest answer"] == "<@7> ⚡ 0.81 s (question 3)"


def test_question_embed_shows_the_choices_and_when_time_is_up(kb: KnowledgeBase) -> None:
    session = QuizSession.new(
        build_questions(kb), rounds=1, mode=Mode.CHOICE, round_seconds=20, seed=3
    )
    shown = session.start_round(0.0)
    ends = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)

    embed = quiz_views.question_embed(kb, shown, ends, mention=None)

    fields = {f.name: f.value or "" for f in embed.fields}
    assert fields["Choices"].splitlines()[0].startswith("**A.** ")
    assert "<t:1893456000:R>" in fields["Time"]


def test_answer_buttons_fit_and_round_trip(kb: KnowledgeBase) -> None:
    session = QuizSession.new(
        build_questions(kb), rounds=1, mode=Mode.CHOICE, round_seconds=20, seed=3
    )
    shown = session.start_round(0.0)
    long = dataclasses.replace(shown.question, choices=(LONG, "b", "c", "d"))
    shown = dataclasses.replace(shown, question=long)

    found = buttons(quiz_views.choice_view("0123abcd", shown, skip=(1, 2)))

    assert len(found) == 5  # four answers, then Skip
    assert all(len(b.label or "") <= 80 and len(b.custom_id or "") <= 100 for b in found)
    match = quiz_views.CHOICE_TEMPLATE.fullmatch(found[2].custom_id or "")
    assert match is not None
    assert (match["game"], match["round"], match["choice"]) == ("0123abcd", "1", "2")
    skip = quiz_views.SKIP_TEMPLATE.fullmatch(found[4].custom_id or "")
    assert skip is not None and (skip["game"], skip["round"]) == ("0123abcd", "1")
    assert found[4].label == "Skip · 1/2" and found[4].row == 1


async def test_a_click_without_the_quiz_cog_says_the_game_is_over() -> None:
    client = MagicMock(spec_set=commands.Bot)
    client.get_cog.return_value = None
    interaction = MockInteraction.make(client)
    match = re.fullmatch(quiz_views.CHOICE_TEMPLATE, f"{quiz_views.CHOICE_PREFIX}:0123abcd:2:1")
    assert match is not None
    base = discord.ui.Button[discord.ui.View](label="B. Squid Game")

    button = await quiz_views.ChoiceButton.from_custom_id(interaction, base, match)
    await button.callback(interaction)

    assert button.item.label == "B. Squid Game"
    assert sent(interaction).content == quiz_views.NO_GAME


def test_leaderboard_and_score_fit(kb: KnowledgeBase) -> None:
    entries = [
        ScoreEntry(
            guild_id=1, user_id=u, points=10**12, correct=10**6, best_streak=99, fastest_ms=1
        )
        for u in range(10)
    ]

    board = quiz_views.leaderboard_embed(kb, entries, you=(11, entries[0]))
    score = quiz_views.score_embed(kb, 5, entries[0], 1)

    within_limits(board)
    within_limits(score)
    assert "1,000,000,000,000 pts" in (board.description or "")


def _summary(standings: list[Standing], played: int, total: int, reason: EndReason) -> GameSummary:
    return GameSummary(
        standings=tuple(standings),
        best_streaks=(),
        fastest=None,
        rounds_played=played,
        rounds_total=total,
        end_reason=reason,
    )


def test_nobody_with_zero_points_gets_a_medal(kb: KnowledgeBase) -> None:
    standings = [Standing(1, 150, 1, 1, 1, 900), Standing(2, 0, 0, 1, 0, None)]
    summary = quiz_views.summary_embed(kb, _summary(standings, 1, 1, EndReason.COMPLETED))
    lines = {f.name: f.value or "" for f in summary.fields}["Standings"].splitlines()
    assert lines[0].startswith("🥇 <@1>") and lines[1].startswith("**2.** <@2>")

    entries = [
        ScoreEntry(guild_id=1, user_id=3, points=0, correct=0, best_streak=0, fastest_ms=None)
    ]
    board = quiz_views.leaderboard_embed(kb, entries)
    assert (board.description or "").startswith("**1.** <@3>")


@pytest.mark.parametrize(
    ("played", "total", "reason", "expected"),
    [
        (1, 1, EndReason.COMPLETED, "The one question was played."),
        (3, 3, EndReason.COMPLETED, "All 3 questions played."),
        (1, 1, EndReason.STOPPED, "Stopped by <@9> after 1 of 1 question."),
        (0, 2, EndReason.INACTIVE, "after 0 of 2 questions."),
    ],
)
def test_the_ending_counts_questions_in_good_english(
    kb: KnowledgeBase, played: int, total: int, reason: EndReason, expected: str
) -> None:
    embed = quiz_views.summary_embed(kb, _summary([], played, total, reason), stopped_by=9)
    assert expected in (embed.description or "")


def test_the_summary_says_which_rounds_were_not_saved(kb: KnowledgeBase) -> None:
    summary = _summary([Standing(1, 150, 1, 2, 1, 900)], 2, 2, EndReason.COMPLETED)
    embed = quiz_views.summary_embed(kb, summary, unsaved=[2])
    note = {f.name: f.value or "" for f in embed.fields}["⚠️ Not saved"]
    assert "1 question (2)" in note
    assert "⚠️ Not saved" not in {f.name for f in quiz_views.summary_embed(kb, summary).fields}


def test_start_counts_one_question_as_one(kb: KnowledgeBase) -> None:
    embed = quiz_views.start_embed(
        kb,
        started_by=1,
        mode=Mode.CHOICE,
        rounds=1,
        round_seconds=20,
        first_in=1,
        mention=None,
    )
    assert "**1 question**" in (embed.description or "")


def test_a_spoiler_reveal_hides_the_answer_and_the_sentence(
    kb: KnowledgeBase, result: RoundResult
) -> None:
    played = dataclasses.replace(
        result, question=dataclasses.replace(result.question, answer="Lee | Jae-kyoo")
    )
    embed = quiz_views.reveal_embed(kb, played, spoilers=True)
    within_limits(embed)
    assert "✅ **||Lee \\| Jae-kyoo||**" in (embed.description or "")
    sentence = {f.name: f.value or "" for f in embed.fields}["From the article"]
    assert sentence.startswith("> ||") and sentence.endswith("||")
    plain = quiz_views.reveal_embed(kb, played)
    assert "||" not in (plain.description or "").replace("\\|", "")


def test_closed_buttons_tell_no_answer_with_spoilers_on(result: RoundResult) -> None:
    greys = buttons(quiz_views.closed_view("0a1b2c3d", result, reveal=False))
    assert all(b.disabled and b.style is discord.ButtonStyle.secondary for b in greys)
