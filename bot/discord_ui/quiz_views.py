"""The trivia game on Discord: its embeds, the answer buttons, and a confirmation prompt.

Layout only: the game is `bot.quiz` (pure), `bot.exts.trivia._games` runs it, and the cog
`bot.exts.trivia._cog` starts it and takes the answers. Every embed is cut to Discord's limits
with `embeds.shorten` and `embeds.fit`; players appear as mentions, which Discord shows as
names and which ping nobody (the bot allows no mentions).

The answer buttons are dynamic items: their custom_id names the game, the round and the
choice, so a click on an old question (after the round, or after a restart) gets a polite
"this question is closed" instead of Discord's "interaction failed". An unexpected error
in a button gets a private apology too (`tree.guarded`, `tree.TriviaView`).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Protocol, Self, runtime_checkable

import discord

from bot.discord_ui.embeds import (
    ANSWER_COLOUR,
    DECLINE_COLOUR,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FOOTER_LIMIT,
    fit,
    shorten,
)
from bot.discord_ui.tree import TriviaView, guarded, permission_name
from bot.knowledge import KnowledgeBase
from bot.quiz import (
    EndReason,
    GameSummary,
    Mode,
    Question,
    RoundResult,
    RoundStart,
    ScoringRules,
)
from bot.quiz.categories import Category
from bot.storage import GuildSettings, ScoreEntry, StoreError

log = logging.getLogger(__name__)

QUIZ_COG_NAME = "Trivia"
CHOICE_PREFIX = "aouad:quiz"
CHOICE_TEMPLATE = re.compile(
    rf"{CHOICE_PREFIX}:(?P<game>[0-9a-f]{{8}}):(?P<round>\d{{1,3}}):(?P<choice>[0-7])"
)
SKIP_TEMPLATE = re.compile(rf"{CHOICE_PREFIX}:(?P<game>[0-9a-f]{{8}}):(?P<round>\d{{1,3}}):skip")
LETTERS = "ABCDEFGH"
BUTTON_LABEL_LIMIT = 80
SHOWN_PLAYERS = 10  # players listed in a reveal or a summary
SHOWN_STREAKS = 3
CONFIRM_SECONDS = 60.0
FEW_FRESH = 5  # the start message says how many fresh questions are left below this

QUIZ_COLOUR = discord.Colour(0xE67E22)
MEDALS = ("🥇", "🥈", "🥉")

CLOSED = "This question is closed: wait for the next one."
NO_GAME = "That game is over. Start a new one with `/trivia start`."
NOT_YOURS = "Only the person who asked can answer this."
DATABASE_DOWN = "Sorry, my database is unavailable: nothing was deleted. Please try again later."


# -- text -------------------------------------------------------------------------------


def seconds_text(answer_ms: int) -> str:
    """Return `answer_ms` as seconds for people: "2.31 s"."""
    return f"{answer_ms / 1000:.2f} s"


def points_text(points: int) -> str:
    """Return `points` with thousands separated: "1,234 pts" ("1 pt" for one)."""
    return f"{points:,} pt" if points == 1 else f"{points:,} pts"


def plural(count: int, word: str) -> str:
    """Return `count` and `word`, in the plural unless one: "1 question", "3 questions"."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _place(index: int, points: int) -> str:
    """Return the place `index` (0: first): a medal for the top three, if they scored."""
    if index < len(MEDALS) and points > 0:
        return MEDALS[index]
    return f"**{index + 1}.**"


def _more(lines: list[str], total: int) -> str:
    if total > len(lines):
        lines = [*lines, f"…and {total - len(lines)} more"]
    return "\n".join(lines)


def _cite(embed: discord.Embed, kb: KnowledgeBase, note: str = "") -> discord.Embed:
    """Set the footer of `embed` to `note` and the article's citation; fit it to the limits."""
    footer = f"Questions from {kb.source.citation} · {kb.source.headline}"
    embed.set_footer(text=shorten(f"{note} · {footer}" if note else footer, FOOTER_LIMIT))
    return fit(embed)


def _field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    if value.strip():
        embed.add_field(
            name=shorten(name, FIELD_NAME_LIMIT),
            value=shorten(value, FIELD_VALUE_LIMIT),
            inline=inline,
        )


def how_to_play(
    mode: Mode, rules: ScoringRules, *, mention: str | None, hints: bool = False
) -> str:
    """Return how to answer and score in `mode`; `mention` is set when answers must mention it.

    `hints`: questions give a hint at half time.
    """
    bonus = f"{rules.base_points} points, plus up to {rules.speed_bonus} for answering fast"
    if mode is Mode.CHOICE:
        text = (
            "Click the button of your answer: one answer per question, no changing it. "
            f"Everyone who is right scores {bonus}. The answer is revealed when time is up; "
            "once everyone playing has answered, the next question comes early."
        )
    else:
        where = (
            f"Mention me with your answer ({mention} your answer): I can't read other messages."
            if mention
            else "Type your answer in this channel (spelling slips are fine)."
        )
        text = f"{where} The first right answer takes the round: {bonus}."
    if hints:
        text += f" {hint_rule(mode, rules)}"
    return text


def hint_rule(mode: Mode | None, rules: ScoringRules) -> str:
    """Return what the half-time hint is in `mode` (None: either) and what it costs."""
    what = {
        Mode.CHOICE: "one wrong choice goes",
        Mode.FREE: "the answer's first letters and shape show (a number: its size)",
        None: "the answer's first letters and shape show, or one wrong choice goes",
    }[mode]
    return (
        f"💡 At half time {what}: a right answer after the hint scores {_share(rules.after_hint)}."
    )


def _share(fraction: float) -> str:
    return "half" if fraction == 0.5 else f"{round(fraction * 100)}%"


def trivia_help(settings: GuildSettings | None) -> str:
    """Return how trivia plays in a server with `settings` (None: in DMs), for /help."""
    text = (
        "`/trivia start` plays in a channel: pick `mode:` and a `category:` "
        "(`/trivia categories` lists them). A channel gets questions it hasn't had yet first. "
        "To skip a question, click **Skip** (or type `skip` in free answer): once more than "
        "half of the game's players ask, the answer is shown and nobody scores."
    )
    if settings is None:
        return text
    hints = hint_rule(None, ScoringRules()) if settings.trivia_hints else "Hints are off here."
    spoilers = (
        "Reveals here hide the answer in a spoiler."
        if settings.trivia_spoilers
        else "Reveals here show the answer openly."
    )
    return f"{text} {hints} {spoilers}"


# -- the game ---------------------------------------------------------------------------


def _first_question(seconds: float) -> str:
    if seconds < 1:
        return "Here comes the first question!"
    return (
        f"The first question comes in {round(seconds)} second{'s' if round(seconds) != 1 else ''}."
    )


def start_embed(
    kb: KnowledgeBase,
    *,
    started_by: int,
    mode: Mode,
    rounds: int,
    round_seconds: float,
    first_in: float,
    mention: str | None,
    hints: bool = False,
    asked_rounds: int | None = None,
    category: str | None = None,
    fresh_left: int | None = None,
) -> discord.Embed:
    """Return the announcement of a new game of `rounds` questions started by `started_by`.

    `asked_rounds` is what the starter asked for when the questions ran short of it;
    `category` the name of the only category played; `fresh_left` how many questions
    the channel has not had yet after this game (said when few are).
    """
    kind = "multiple choice" if mode is Mode.CHOICE else "free answer"
    if category is not None:
        kind = f"{kind}, {category} only"
    subject = kb.entities[kb.source.subject].name
    embed = discord.Embed(
        title=shorten(f"🧟 {subject} trivia!", 256),
        description=f"<@{started_by}> started a game: **{plural(rounds, 'question')}**, "
        f"{kind}, **{round_seconds:g} seconds** each. "
        f"{_first_question(first_in)}",
        colour=QUIZ_COLOUR,
    )
    if asked_rounds is not None and asked_rounds > rounds:
        where = " in that category" if category is not None else ""
        embed.description = (
            f"{embed.description}\n(I only have {plural(rounds, 'question')}{where}.)"
        )
    if fresh_left is not None and fresh_left < max(rounds, FEW_FRESH):
        embed.description = f"{embed.description}\n{_fresh_note(fresh_left, category)}"
    _field(embed, "How to play", how_to_play(mode, ScoringRules(), mention=mention, hints=hints))
    _field(
        embed,
        "Good to know",
        "Streaks of right answers and the fastest answer make the summary. "
        "`/trivia stop` ends the game (whoever started it, or Manage Server); "
        "`/trivia leaderboard` shows the server's all-time scores.",
    )
    return _cite(embed, kb)


def _fresh_note(left: int, category: str | None) -> str:
    pool = "questions" if category is None else f"{category} questions"
    if left == 0:
        return f"These are the last {pool} this channel hasn't had: then they come round again."
    fresh = plural(left, "fresh question")
    return f"After this game, {fresh} left here; then the {pool} come round again."


def categories_embed(
    kb: KnowledgeBase, categories: Sequence[tuple[Category, int]]
) -> discord.Embed:
    """Return the question categories with how many questions each has."""
    lines = [f"**{c.name}** (`{c.id}`): {plural(count, 'question')}" for c, count in categories]
    embed = discord.Embed(
        title="Trivia categories",
        description="\n".join(lines)
        + "\n\nPlay one with `/trivia start category:`; a channel gets questions it hasn't "
        "had yet first.",
        colour=QUIZ_COLOUR,
    )
    return _cite(embed, kb)


def question_embed(
    kb: KnowledgeBase,
    shown: RoundStart,
    ends_at: dt.datetime,
    *,
    mention: str | None,
    skip: tuple[int, int] = (0, 1),
) -> discord.Embed:
    """Return question `shown`, with its choices in multiple choice, open until `ends_at`.

    `skip`: the votes to skip it and how many it takes (free answer: typed `skip`).
    """
    embed = discord.Embed(
        title=f"Question {shown.number}/{shown.total}",
        description=shorten(shown.question.text, 2000),
        colour=QUIZ_COLOUR,
    )
    if shown.mode is Mode.CHOICE:
        lines = [f"**{LETTERS[i]}.** {choice}" for i, choice in enumerate(shown.choices)]
        if shown.ruled_out is not None:
            lines[shown.ruled_out] = f"~~{lines[shown.ruled_out]}~~"
        _field(embed, "Choices", "\n".join(lines))
        how = "Click your answer: one try."
    elif mention:
        how = f"Mention me with your answer: {mention} …"
    else:
        how = "Type your answer in this channel: first right answer wins."
    _field(embed, "Time", f"{how} Time is up {discord.utils.format_dt(ends_at, 'R')}.")
    _field(embed, "💡 Hint", _hint_text(shown))
    if shown.mode is Mode.FREE:
        votes, needed = skip
        tally = f" ({votes}/{needed} so far)" if votes else ""
        _field(embed, "Skip", f"Type `skip` to vote to skip it{tally}: a majority skips it.")
    return _cite(embed, kb)


def _hint_text(shown: RoundStart) -> str:
    """Return the hint `shown` gives, if it has been given, and what it costs."""
    cost = f"A right answer now scores {_share(ScoringRules().after_hint)}."
    if shown.ruled_out is not None:
        return f"**{LETTERS[shown.ruled_out]}** is wrong: it's out. {cost}"
    if shown.hint is not None:
        return f"{shown.hint} {cost}"
    return ""


def spoiler(text: str) -> str:
    """Return `text` in a spoiler tag, its own bars escaped so the tag holds."""
    escaped = text.replace("|", "\\|")
    return f"||{escaped}||"


def reveal_embed(
    kb: KnowledgeBase, result: RoundResult, *, saved: bool = True, spoilers: bool = False
) -> discord.Embed:
    """Return the reveal of the finished round `result`: answer, evidence and who scored.

    `spoilers`: the answer and the article's sentence are in spoiler tags, so people who
    read the channel later aren't told.
    """
    winners = result.winners
    wrong = len(result.players) - len(winners)
    question, answer = shorten(result.question.text, 1500), shorten(result.answer, 500)
    evidence = shorten(" ".join(result.evidence.split()), FIELD_VALUE_LIMIT - 10)
    if spoilers:
        answer, evidence = spoiler(answer), spoiler(evidence)
    embed = discord.Embed(
        title=f"Answer to question {result.number}/{result.total}",
        description=f"{question}\n\n✅ **{answer}**",
        colour=ANSWER_COLOUR if winners else DECLINE_COLOUR,
    )
    _field(embed, "From the article", f"> {evidence}")
    if winners:
        lines = []
        for index, player in enumerate(winners[:SHOWN_PLAYERS]):
            line = (
                f"{_place(index, player.points)} <@{player.user_id}> +{points_text(player.points)}"
            )
            if player.answer_ms is not None:
                line += f" · {seconds_text(player.answer_ms)}"
            if player.streak >= 2:
                line += f" · 🔥 {player.streak} in a row"
            if player.hinted:
                line += " · 💡 after the hint"
            lines.append(line)
        _field(embed, "Right", _more(lines, len(winners)))
    elif result.skipped:
        _field(embed, "Right", "⏭ Skipped by a vote of the players: nobody scores.")
    elif result.players:
        _field(embed, "Right", "Nobody got it.")
    else:
        _field(embed, "Right", "Nobody answered.")
    if wrong:
        _field(embed, "Wrong", f"{wrong} wrong answer{'s' if wrong != 1 else ''}")
    if result.hinted and not result.skipped:
        after_hint = _share(ScoringRules().after_hint)
        _field(embed, "💡 Hint", f"Given at half time: right answers after it scored {after_hint}.")
    if not saved:
        _field(
            embed,
            "⚠️ Not saved",
            "My database is unavailable: this round's points are not on the leaderboard.",
        )
    return _cite(embed, kb)


_ENDINGS = {
    EndReason.COMPLETED: "All {total} played.",
    EndReason.INACTIVE: "Nobody answered for a while, so I ended the game after {played} of "
    "{total}.",
    EndReason.STOPPED: "Stopped by {who} after {played} of {total}.",
    EndReason.INTERRUPTED: "I restarted during this game, so it ended after {played} of {total}. "
    "Points of the finished questions are on the leaderboard.",
}


def summary_embed(
    kb: KnowledgeBase,
    summary: GameSummary,
    *,
    stopped_by: int | None = None,
    started_by: int | None = None,
    unsaved: Sequence[int] = (),
) -> discord.Embed:
    """Return the end of a game: how it ended, the standings, best streaks, fastest answer.

    `unsaved` are the numbers of the rounds whose points could not be saved: the standings
    leave them out, as the leaderboard does, and say so.
    """
    reason = summary.end_reason or EndReason.COMPLETED
    titles = {
        EndReason.COMPLETED: "🏆 Trivia results",
        EndReason.INACTIVE: "🏆 Trivia over: nobody is answering",
        EndReason.STOPPED: "🏆 Trivia stopped",
        EndReason.INTERRUPTED: "⚠️ Trivia game interrupted",
    }
    ending = _ENDINGS[reason]
    if reason is EndReason.COMPLETED and summary.rounds_total == 1:
        ending = "The one question was played."
    description = ending.format(
        total=plural(summary.rounds_total, "question"),
        played=summary.rounds_played,
        who=f"<@{stopped_by}>" if stopped_by is not None else "a moderator",
    )
    if started_by is not None:
        description += f" (Started by <@{started_by}>.)"
    embed = discord.Embed(title=titles[reason], description=description, colour=QUIZ_COLOUR)
    scored = [s for s in summary.standings if s.answered]
    if scored:
        lines = [
            f"{_place(i, s.points)} <@{s.user_id}> {points_text(s.points)} · "
            f"{s.correct}/{s.answered} right"
            for i, s in enumerate(scored[:SHOWN_PLAYERS])
        ]
        _field(embed, "Standings", _more(lines, len(scored)))
    else:
        _field(embed, "Standings", "Nobody answered.")
    if unsaved:
        numbers = ", ".join(str(n) for n in unsaved)
        _field(
            embed,
            "⚠️ Not saved",
            f"My database was unavailable, so the points of {plural(len(unsaved), 'question')} "
            f"({numbers}) are missing: the standings count only what was saved.",
        )
    runs = [s for s in summary.best_streaks if s.length >= 2]  # one right answer is no streak
    streaks = [f"<@{s.user_id}> 🔥 {s.length} in a row" for s in runs[:SHOWN_STREAKS]]
    _field(embed, "Best streak", "\n".join(streaks), inline=True)
    if summary.fastest is not None:
        fastest = summary.fastest
        _field(
            embed,
            "Fastest answer",
            f"<@{fastest.user_id}> ⚡ {seconds_text(fastest.answer_ms)} "
            f"(question {fastest.round_number})",
            inline=True,
        )
    return _cite(embed, kb, "All-time scores: /trivia leaderboard")


def interrupted_embed(
    kb: KnowledgeBase, summary: GameSummary | None, *, started_by: int
) -> discord.Embed:
    """Return the notice of a game a restart ended; `summary` None if it could not be read."""
    if summary is not None:
        return summary_embed(kb, summary, started_by=started_by)
    embed = discord.Embed(
        title="⚠️ Trivia game interrupted",
        description=f"I restarted during the game <@{started_by}> started here, so it ended. "
        "Points of the finished questions are on the leaderboard.",
        colour=QUIZ_COLOUR,
    )
    return _cite(embed, kb, "All-time scores: /trivia leaderboard")


# -- scores -----------------------------------------------------------------------------


def _entry_stats(entry: ScoreEntry) -> str:
    text = f"{points_text(entry.points)} · {entry.correct} right"
    if entry.best_streak >= 2:
        text += f" · 🔥 {entry.best_streak}"
    if entry.fastest_ms is not None:
        text += f" · ⚡ {seconds_text(entry.fastest_ms)}"
    return text


def leaderboard_embed(
    kb: KnowledgeBase,
    entries: Sequence[ScoreEntry],
    *,
    you: tuple[int, ScoreEntry] | None = None,
) -> discord.Embed:
    """Return the top players `entries`; `you` is the asker's (rank, score) if not among them."""
    embed = discord.Embed(title="🏆 Trivia leaderboard", colour=QUIZ_COLOUR)
    if not entries:
        embed.description = "Nobody has scored in this server yet. Start a game: `/trivia start`."
        return _cite(embed, kb)
    lines = [
        f"{_place(i, e.points)} <@{e.user_id}> {_entry_stats(e)}" for i, e in enumerate(entries)
    ]
    embed.description = shorten("\n".join(lines), 4096)
    if you is not None:
        rank, entry = you
        _field(embed, "You", f"**#{rank}** {_entry_stats(entry)}")
    return _cite(embed, kb, "🔥 best streak · ⚡ fastest right answer")


def score_embed(
    kb: KnowledgeBase, user_id: int, entry: ScoreEntry | None, rank: int | None
) -> discord.Embed:
    """Return `user_id`'s trivia totals in this server (`entry` None: they never scored)."""
    embed = discord.Embed(title="Trivia score", colour=QUIZ_COLOUR)
    if entry is None:
        embed.description = f"<@{user_id}> hasn't played trivia in this server yet."
        return _cite(embed, kb)
    embed.description = f"<@{user_id}>" + (f" is **#{rank}** in this server." if rank else "")
    _field(embed, "Points", f"{entry.points:,}", inline=True)
    _field(embed, "Right answers", f"{entry.correct:,}", inline=True)
    _field(embed, "Best streak", f"{entry.best_streak} in a row", inline=True)
    fastest = seconds_text(entry.fastest_ms) if entry.fastest_ms is not None else "none yet"
    _field(embed, "Fastest right answer", fastest, inline=True)
    return _cite(embed, kb)


# -- answer buttons ---------------------------------------------------------------------


@runtime_checkable
class ChoiceHandler(Protocol):
    """What takes a click on an answer button (the quiz cog)."""

    async def answer_choice(
        self, interaction: discord.Interaction[Any], game_id: str, round_number: int, index: int
    ) -> None:
        """Take the click in `interaction` on choice `index` of round `round_number`."""


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=CHOICE_TEMPLATE
):
    """One answer of a multiple-choice question: "B. Lee Jae-kyoo"."""

    def __init__(
        self,
        game_id: str,
        round_number: int,
        index: int,
        label: str,
        *,
        style: discord.ButtonStyle = discord.ButtonStyle.primary,
        disabled: bool = False,
    ) -> None:
        """Make the button for choice `index` (shown as `label`) of round `round_number`."""
        super().__init__(
            discord.ui.Button(
                label=shorten(label, BUTTON_LABEL_LIMIT),
                style=style,
                disabled=disabled,
                custom_id=f"{CHOICE_PREFIX}:{game_id}:{round_number}:{index}",
            )
        )
        self.game_id, self.round_number, self.index = game_id, round_number, index

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """Rebuild the clicked button from its custom_id `match`."""
        label = getattr(item, "label", None) or LETTERS[int(match["choice"])]
        return cls(match["game"], int(match["round"]), int(match["choice"]), label)

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the click to the quiz cog, or say the game is over if it isn't loaded."""
        handler = interaction.client.get_cog(QUIZ_COG_NAME)
        if isinstance(handler, ChoiceHandler):
            await handler.answer_choice(interaction, self.game_id, self.round_number, self.index)
        else:
            await interaction.response.send_message(NO_GAME, ephemeral=True)


@runtime_checkable
class SkipHandler(Protocol):
    """What takes a click on a question's Skip button (the quiz cog)."""

    async def skip_choice(
        self, interaction: discord.Interaction[Any], game_id: str, round_number: int
    ) -> None:
        """Take the vote in `interaction` to skip round `round_number` of game `game_id`."""


class SkipButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=SKIP_TEMPLATE
):
    """The vote to skip a multiple-choice question, with the votes so far: "Skip · 1/2"."""

    def __init__(self, game_id: str, round_number: int, votes: int = 0, needed: int = 1) -> None:
        """Make the Skip button of round `round_number` showing `votes` of `needed`."""
        super().__init__(
            discord.ui.Button(
                label=f"Skip · {votes}/{needed}",
                emoji="⏭",
                style=discord.ButtonStyle.secondary,
                custom_id=f"{CHOICE_PREFIX}:{game_id}:{round_number}:skip",
                row=1,  # below the four answers, which stay the first row
            )
        )
        self.game_id, self.round_number = game_id, round_number

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """Rebuild the clicked button from its custom_id `match`."""
        return cls(match["game"], int(match["round"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Hand the vote to the quiz cog, or say the game is over if it isn't loaded."""
        handler = interaction.client.get_cog(QUIZ_COG_NAME)
        if isinstance(handler, SkipHandler):
            await handler.skip_choice(interaction, self.game_id, self.round_number)
        else:
            await interaction.response.send_message(NO_GAME, ephemeral=True)


def choice_label(index: int, choice: str) -> str:
    """Return the label of choice `index`: "B. Lee Jae-kyoo"."""
    return f"{LETTERS[index]}. {choice}"


def choice_view(
    game_id: str, shown: RoundStart, *, skip: tuple[int, int] = (0, 1)
) -> discord.ui.View:
    """Return the answer buttons of the open round `shown`, and below them Skip.

    `skip`: the votes to skip it so far and how many it takes. The choice a hint ruled
    out stays in its place, off and grey.
    """
    view = discord.ui.View(timeout=None)
    for index, choice in enumerate(shown.choices):
        out = index == shown.ruled_out
        view.add_item(
            ChoiceButton(
                game_id,
                shown.number,
                index,
                choice_label(index, choice),
                style=discord.ButtonStyle.secondary if out else discord.ButtonStyle.primary,
                disabled=out,
            )
        )
    view.add_item(SkipButton(game_id, shown.number, *skip))
    return view


def closed_view(game_id: str, result: RoundResult, *, reveal: bool = True) -> discord.ui.View:
    """Return the buttons of the finished round `result`, disabled, the right one in green.

    `reveal=False` (spoilers on) leaves every button grey: green would tell the answer.
    """
    return _disabled_view(game_id, result.number, result.question, reveal=reveal)


def interrupted_view(game_id: str, number: int, question: Question) -> discord.ui.View:
    """Return the buttons of round `number` asking `question`, disabled: a restart ended it."""
    return _disabled_view(game_id, number, question, reveal=False)


def _disabled_view(
    game_id: str, number: int, question: Question, *, reveal: bool
) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    right = question.answer_index if reveal else None
    for index, choice in enumerate(question.choices):
        style = discord.ButtonStyle.success if index == right else discord.ButtonStyle.secondary
        view.add_item(
            ChoiceButton(
                game_id, number, index, choice_label(index, choice), style=style, disabled=True
            )
        )
    return view


# -- confirmation -----------------------------------------------------------------------


class ConfirmView(TriviaView):
    """Confirm and Cancel buttons that only `owner_id` may press, for `timeout` seconds.

    Confirm runs `action`, which returns what to say. Set `origin` to the interaction that
    showed the prompt, so a timeout can say that nothing happened. With `required`, the
    click itself must carry those permissions (Discord sends the clicker's permissions
    with every click): an admin whose Manage Server was taken away after the prompt can
    no longer confirm it.
    """

    def __init__(
        self,
        owner_id: int,
        action: Callable[[], Awaitable[str]],
        *,
        confirm_label: str,
        cancelled: str = "Cancelled: nothing was deleted.",
        timed_out: str = "No answer, so nothing was deleted.",
        timeout: float = CONFIRM_SECONDS,
        required: discord.Permissions | None = None,
    ) -> None:
        """Ask `owner_id` to confirm `action` with a button labelled `confirm_label`.

        `required`: the permissions the owner must still have when they click Confirm.
        """
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.required = required
        self.action = action
        self.cancelled, self.timed_out = cancelled, timed_out
        self.origin: discord.Interaction[Any] | None = None
        self.outcome: str | None = None  # "confirmed", "refused", "cancelled" or "timed out"
        self.confirm.label = confirm_label

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Let only the owner press the buttons; tell anyone else so."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(NOT_YOURS, ephemeral=True)
        return False

    @discord.ui.button(label="Confirm", style=discord.ButtonStyle.danger)
    async def confirm(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Self]
    ) -> None:
        """Run the action and show its result in place of the prompt.

        The click is acknowledged first: the action uses the database, which may take
        longer than the 3 seconds Discord waits.
        """
        if self.outcome is not None:
            return
        missing = self.missing_permissions(interaction)
        if missing:
            self.outcome = "refused"
            self.stop()
            await interaction.response.edit_message(
                content=f"You no longer have the {missing} permission, so nothing was deleted.",
                embed=None,
                view=None,
            )
            return
        self.outcome = "confirmed"
        self.stop()
        await interaction.response.defer()
        try:
            text = await self.action()
        except StoreError as exc:
            log.warning("confirmed action failed: %s", exc)
            text = DATABASE_DOWN
        await interaction.edit_original_response(content=text, embed=None, view=None)

    def missing_permissions(self, interaction: discord.Interaction[Any]) -> str:
        """Return the names of the `required` permissions the clicker lacks now ("" if none)."""
        if self.required is None:
            return ""
        have = interaction.permissions
        missing = [flag for flag, needed in self.required if needed and not getattr(have, flag)]
        return ", ".join(f"**{permission_name(flag)}**" for flag in missing)

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(
        self, interaction: discord.Interaction[Any], button: discord.ui.Button[Self]
    ) -> None:
        """Drop the prompt without doing anything."""
        if self.outcome is not None:
            return
        self.outcome = "cancelled"
        self.stop()
        await interaction.response.edit_message(content=self.cancelled, embed=None, view=None)

    async def on_timeout(self) -> None:
        """Say that nothing happened, in place of the prompt."""
        if self.outcome is not None:
            return
        self.outcome = "timed out"
        if self.origin is None:
            return
        try:
            await self.origin.edit_original_response(content=self.timed_out, embed=None, view=None)
        except discord.HTTPException as exc:
            log.info("could not edit a timed-out confirmation: %s", exc)
