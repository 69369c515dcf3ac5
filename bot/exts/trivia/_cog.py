"""`/trivia …`: quiz games in a channel, the leaderboard, and forgetting one's scores.

A thin layer over `bot.quiz` (the game, pure), `bot.exts.trivia._games` (running each game
in its channel) and `bot.discord_ui.quiz_views` (its look). Answers come from the buttons
(multiple choice) or, in free-answer games, from the channel's messages, which the
free-text cog then leaves alone (`claims_message`).

A multiple-choice round ends early once everyone who answered an earlier round of the
game has answered it; a free-answer round ends at the first right answer. Without the
message content intent, free-answer players mention the bot with their answer (Discord
sends the text of those).

After a restart, `on_ready` announces each saved game of a guild this process serves as
interrupted, with its standings, and deletes it (see `bot.exts.trivia._games`).
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import TriviaBot
from bot.discord_ui import quiz_views
from bot.discord_ui.quiz_views import (
    QUIZ_COG_NAME,
    ChoiceButton,
    ConfirmView,
    SkipButton,
    plural,
)
from bot.discord_ui.tree import (
    STORE_ACTION,
    STORE_SUBJECT,
    defer_reply,
    permission_name,
    send_ephemeral,
)
from bot.exts.free_text import strip_mentions_of
from bot.exts.trivia._games import Game, GameRunner
from bot.quiz import Mode, Outcome, Question, QuizSession, build_questions
from bot.quiz.categories import ANY, categories_in, find_category, fresh_first, in_category
from bot.storage import StoreError, setting_bounds

log = logging.getLogger(__name__)

RATE, PER = 4, 20.0
READS_SCORES = {STORE_ACTION: "load", STORE_SUBJECT: "trivia scores"}
MAX_ROUNDS = int(setting_bounds("trivia_rounds")[1])
# What a free-answer player types to vote to skip the question (never an answer: none is).
SKIP_WORD = "skip"
# Answers longer than this are chat, not answers.
MAX_ANSWER_LENGTH = 200

MODE_CHOICES = [
    app_commands.Choice(name="Multiple choice: click a button", value=Mode.CHOICE.value),
    app_commands.Choice(name="Free answer: type it in the channel", value=Mode.FREE.value),
]
_USER_MESSAGE_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})
# What the bot needs in a channel to run a game there.
GAME_PERMISSIONS = ("view_channel", "send_messages", "embed_links")
DATABASE_DOWN = (
    "Sorry, my database is unavailable, so I can't {what} right now. Please try again later."
)


def forget_in_saved(state: dict[str, Any], user_id: int) -> dict[str, Any] | None:
    """Return the saved game `state` without `user_id`, or None if it is unreadable."""
    try:
        session = QuizSession.from_dict(state)
    except ValueError:
        return None
    session.forget_player(user_id)
    return session.to_dict()


def _from_a_person(message: discord.Message) -> bool:
    return (
        not message.author.bot
        and message.webhook_id is None
        and message.type in _USER_MESSAGE_TYPES
    )


@app_commands.guild_only()
class QuizCog(
    commands.GroupCog,
    name=QUIZ_COG_NAME,
    group_name="trivia",
    group_description="Trivia quiz games about the show.",
):
    """Trivia games, one per channel, and the server's leaderboard."""

    def __init__(
        self,
        bot: TriviaBot,
        *,
        rng: random.Random | None = None,
        intermission: float | None = None,
    ) -> None:
        """Run games for `bot`; `rng` shuffles them, `intermission` overrides the pause."""
        self.bot = bot
        self.questions: list[Question] = build_questions(bot.knowledge)
        self.rng = rng or random.Random()
        self.runner = GameRunner(
            store=bot.store, knowledge=bot.knowledge, metrics=bot.metrics, intermission=intermission
        )
        self._starting: set[int] = set()
        super().__init__()

    @property
    def games(self) -> dict[int, Game]:
        """Return the running games by channel id."""
        return self.runner.games

    async def cog_load(self) -> None:
        """Route clicks on answer buttons here, old messages' included."""
        self.bot.add_dynamic_items(ChoiceButton, SkipButton)

    async def cog_unload(self) -> None:
        """Stop every game's task; the saved games are announced after the restart."""
        self.bot.remove_dynamic_items(ChoiceButton, SkipButton)
        await self.runner.close()

    # -- commands ----------------------------------------------------------------------

    @app_commands.command(name="start", description="Start a trivia game in this channel.")
    @app_commands.describe(
        rounds=f"How many questions, 1 to {MAX_ROUNDS} (default: the server's setting)",
        mode="Click one of four answers, or type the answer (default: multiple choice)",
        category="Only questions of one kind (default: any); /trivia categories lists them",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    @app_commands.checks.cooldown(RATE, PER)
    async def start(
        self,
        interaction: discord.Interaction[TriviaBot],
        rounds: app_commands.Range[int, 1, MAX_ROUNDS] | None = None,
        mode: app_commands.Choice[str] | None = None,
        category: str | None = None,
    ) -> None:
        """Start a game of `rounds` questions in `mode` in the channel of `interaction`."""
        guild_id, channel = interaction.guild_id, interaction.channel
        if guild_id is None or not isinstance(channel, discord.abc.Messageable):
            raise app_commands.NoPrivateMessage()
        channel_id = interaction.channel_id or 0
        refusal = self._refusal(interaction, rounds, category)
        if refusal is not None:
            await send_ephemeral(interaction, refusal)
            return
        chosen = Mode(mode.value) if mode is not None else Mode.CHOICE
        pool = in_category(self.questions, category or ANY)
        self._starting.add(channel_id)
        try:
            # Acknowledge before the database, publicly as the game's announcement; an
            # apology then takes the place of "thinking…", publicly too.
            await defer_reply(interaction, ephemeral=False)
            settings = await self.bot.store.get_guild_settings(guild_id)
            wanted = rounds or settings.trivia_rounds
            ask, fresh_left = await self._fresh(guild_id, channel_id, pool, wanted)
            session = QuizSession.new(
                self.questions,
                rounds=wanted,
                mode=chosen,
                round_seconds=settings.trivia_round_seconds,
                seed=self.rng.getrandbits(64),
                ask=ask,
            )
            game = Game(
                id=secrets.token_hex(4),
                guild_id=guild_id,
                channel=channel,
                channel_id=channel_id,
                started_by=interaction.user.id,
                session=session,
                round_seconds=settings.trivia_round_seconds,
                mention=self._mention_needed(chosen),
                spoilers=settings.trivia_spoilers,
                hints=settings.trivia_hints,
            )
            await self.bot.store.save_quiz_game(
                guild_id, channel_id, game.started_by, session.to_dict(), game_id=game.id
            )
        except StoreError as exc:
            log.warning("trivia: could not start a game in %s: %s", channel_id, exc)
            await send_ephemeral(interaction, DATABASE_DOWN.format(what="start a game"))
            return
        finally:
            self._starting.discard(channel_id)
        self.runner.start(game)
        embed = quiz_views.start_embed(
            self.bot.knowledge,
            started_by=game.started_by,
            mode=chosen,
            rounds=session.total_rounds,
            round_seconds=settings.trivia_round_seconds,
            first_in=self.runner.intermission(game),
            mention=game.mention,
            hints=game.hints,
            asked_rounds=rounds,
            category=self._category_name(category),
            fresh_left=fresh_left,
        )
        try:
            await interaction.followup.send(embed=embed)
        except discord.HTTPException as exc:
            log.warning("trivia: could not announce the game in %s: %s", channel_id, exc)

    @start.autocomplete("category")
    async def _category_suggestions(
        self, interaction: discord.Interaction[TriviaBot], current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest the knowledge's categories, with how many questions each has."""
        typed = current.casefold().strip()
        found = [app_commands.Choice(name="Any category", value=ANY)] + [
            app_commands.Choice(name=f"{c.name} ({plural(count, 'question')})", value=c.id)
            for c, count in categories_in(self.questions)
        ]
        return [c for c in found if typed in c.name.casefold()][:25]

    @app_commands.command(
        name="categories", description="The kinds of trivia questions, and how many of each."
    )
    @app_commands.checks.cooldown(RATE, PER)
    async def categories(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """List the categories `/trivia start category:` takes, with their questions."""
        embed = quiz_views.categories_embed(self.bot.knowledge, categories_in(self.questions))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="stop", description="Stop the trivia game in this channel.")
    @app_commands.checks.cooldown(RATE, PER)
    async def stop(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Stop the channel's game, if the user started it or has Manage Server."""
        game = self.games.get(interaction.channel_id or 0)
        if game is None or game.stopped_by is not None:
            await send_ephemeral(interaction, "No trivia game is running in this channel.")
            return
        user = interaction.user
        if user.id != game.started_by and not interaction.permissions.manage_guild:
            await send_ephemeral(
                interaction,
                f"Only <@{game.started_by}>, who started this game, or members with the "
                f"**{permission_name('manage_guild')}** permission can stop it.",
            )
            return
        game.stopped_by = user.id
        game.wake.set()
        await send_ephemeral(interaction, "Stopping the game: the final standings follow.")

    @app_commands.command(
        name="leaderboard", description="The server's best trivia players.", extras=READS_SCORES
    )
    @app_commands.checks.cooldown(RATE, PER)
    async def leaderboard(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Show the top 10 of the server, and the asker's place if they are further down."""
        guild_id = self._guild_id(interaction)
        await defer_reply(interaction, ephemeral=False)
        store = self.bot.store
        entries = await store.leaderboard(guild_id, limit=quiz_views.SHOWN_PLAYERS)
        you = None
        if all(entry.user_id != interaction.user.id for entry in entries):
            mine = await store.score(guild_id, interaction.user.id)
            rank = await store.score_rank(guild_id, interaction.user.id)
            if mine is not None and rank is not None:
                you = (rank, mine)
        embed = quiz_views.leaderboard_embed(self.bot.knowledge, entries, you=you)
        await interaction.followup.send(embed=embed)

    @app_commands.command(
        name="score", description="Trivia points and place in this server.", extras=READS_SCORES
    )
    @app_commands.describe(member="Whose score (default: yours)")
    @app_commands.checks.cooldown(RATE, PER)
    async def score(
        self,
        interaction: discord.Interaction[TriviaBot],
        # A user, not a member: someone who left the server still has their stored score.
        member: discord.User | None = None,
    ) -> None:
        """Show the trivia totals of `member` (the user, if None) and their place."""
        guild_id = self._guild_id(interaction)
        user_id = (member or interaction.user).id
        await defer_reply(interaction, ephemeral=False)
        entry = await self.bot.store.score(guild_id, user_id)
        rank = await self.bot.store.score_rank(guild_id, user_id) if entry else None
        embed = quiz_views.score_embed(self.bot.knowledge, user_id, entry, rank)
        await interaction.followup.send(embed=embed)

    @app_commands.command(
        name="forget-me", description="Delete your trivia scores here.", extras=READS_SCORES
    )
    @app_commands.checks.cooldown(RATE, PER)
    async def forget_me(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Ask the user to confirm, then delete their scores in this server."""
        guild_id = self._guild_id(interaction)
        user_id = interaction.user.id
        await defer_reply(interaction, ephemeral=True)
        entry = await self.bot.store.score(guild_id, user_id)
        playing = any(user_id in g.joined | g.answered for g in self.runner.games_in(guild_id))
        if entry is None and not playing:
            await send_ephemeral(
                interaction, "You have no trivia scores in this server: nothing to forget."
            )
            return

        async def forget() -> str:
            for game in self.runner.games_in(guild_id):
                game.session.forget_player(user_id)
                game.joined.discard(user_id)
                game.answered.discard(user_id)
            # A round being saved was scored before the forgetting: let it land first, so
            # the saved games are scrubbed after it, in the transaction of the delete.
            await self.runner.settle()
            try:
                await self.bot.store.forget_user(
                    guild_id, user_id, scrub_game=lambda state: forget_in_saved(state, user_id)
                )
            except StoreError as exc:
                log.warning("trivia: could not delete a player's scores: %s", exc)
                return (
                    "Sorry, my database is unavailable, so your saved scores are not deleted: "
                    "please try again later. (You are out of the game running here.)"
                )
            log.info("trivia: a player's scores were deleted in guild %d", guild_id)
            return (
                "Done: your trivia scores in this server are deleted. (Answering in a game "
                "scores again.)"
            )

        what = (
            f"your {quiz_views.points_text(entry.points)} and {entry.correct} right answers"
            if entry
            else "your scores"
        )
        view = ConfirmView(user_id, forget, confirm_label="Delete my scores")
        await interaction.followup.send(
            f"Delete {what} in this server, and your place in any game running here? "
            "This can't be undone.",
            view=view,
            ephemeral=True,
        )
        view.origin = interaction  # the prompt took the place of "thinking…": its original

    # -- answers -----------------------------------------------------------------------

    async def answer_choice(
        self, interaction: discord.Interaction[Any], game_id: str, round_number: int, index: int
    ) -> None:
        """Take a click on choice `index` of round `round_number` of game `game_id`."""
        game = self.games.get(interaction.channel_id or 0)
        if game is None or game.id != game_id:
            await send_ephemeral(interaction, quiz_views.NO_GAME)
            return
        if game.round_number != round_number:
            await send_ephemeral(interaction, quiz_views.CLOSED)
            return
        user_id = interaction.user.id
        result = game.session.submit(user_id, str(index + 1), self.runner.now())
        if result.counted:
            game.answered.add(user_id)
            if game.joined and game.joined <= game.answered:
                game.round_over = True
                game.wake.set()
        await send_ephemeral(interaction, self._choice_reply(game, result.outcome, index))

    async def skip_choice(
        self, interaction: discord.Interaction[Any], game_id: str, round_number: int
    ) -> None:
        """Take a click on Skip of round `round_number` of game `game_id`."""
        game = self.games.get(interaction.channel_id or 0)
        if game is None or game.id != game_id:
            await send_ephemeral(interaction, quiz_views.NO_GAME)
            return
        if game.round_number != round_number or game.skipping:
            await send_ephemeral(interaction, quiz_views.CLOSED)
            return
        if not game.vote_skip(interaction.user.id):
            await send_ephemeral(interaction, "You've already voted to skip this question.")
        elif game.skipping:
            await send_ephemeral(interaction, "Skipped by majority: the answer follows.")
        else:
            # The click's answer is the question itself, its Skip count up by one.
            await interaction.response.edit_message(**self.runner.question_message(game))

    def _choice_reply(self, game: Game, outcome: Outcome, index: int) -> str:
        current = game.session.current
        if outcome in (Outcome.CORRECT, Outcome.INCORRECT) and current is not None:
            label = quiz_views.choice_label(index, current.choices[index])
            return f"Locked in: **{label}**. The answer comes when time is up."
        if outcome is Outcome.ALREADY_ANSWERED:
            return "You've already answered this question: one answer each."
        if outcome is Outcome.RULED_OUT:
            return "The hint ruled that choice out: pick another."
        return quiz_views.CLOSED

    def claims_message(self, message: discord.Message) -> bool:
        """Return whether `message` is in a free-answer game's channel (it's an answer)."""
        game = self.games.get(message.channel.id)
        return game is not None and game.session.mode is Mode.FREE

    def screen_message(self, data: Mapping[str, Any]) -> str | None:
        """Return why `on_message` would ignore this raw MESSAGE_CREATE payload (no
        free-answer game in its channel), or None (see `bot.message_gate`)."""
        game = self.games.get(int(data["channel_id"]))
        return None if game is not None and game.session.mode is Mode.FREE else "no game"

    def message_skipped(self, data: Mapping[str, Any], reason: str) -> None:
        """Nothing to note: a channel without a free-answer game is no business of this cog."""

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Take `message` as an answer if a free-answer game runs in its channel."""
        game = self.games.get(message.channel.id)
        me = self.bot.user
        if game is None or game.session.mode is not Mode.FREE or me is None:
            return
        if not _from_a_person(message) or message.author.id == me.id:
            return
        role = message.guild.self_role if message.guild else None
        text = strip_mentions_of(message.content, me.id, role.id if role else None)
        if not text or len(text) > MAX_ANSWER_LENGTH:
            return
        if text.strip().casefold() == SKIP_WORD:
            if game.vote_skip(message.author.id):
                await self.runner.redraw_question(game)
            return
        result = game.session.submit(message.author.id, text, self.runner.now())
        if result.counted:
            game.answered.add(message.author.id)
        if result.round_over:
            game.round_over = True
            game.wake.set()

    # -- after a restart ---------------------------------------------------------------

    @commands.Cog.listener()
    async def on_ready(self) -> None:
        """Announce, once each, the saved games a restart interrupted in this process's guilds."""
        try:
            saved_games = await self.bot.store.running_quiz_games()
        except StoreError as exc:
            log.warning("trivia: could not read the games a restart interrupted: %s", exc)
            return
        for saved in saved_games:
            if saved.channel_id in self.games or saved.channel_id in self._starting:
                continue  # running here: it is this process's own, live game
            guild = self.bot.get_guild(saved.guild_id)
            if guild is None or guild.unavailable:
                continue  # another shard's process serves it, or it will come back
            try:
                await self.runner.announce_interrupted(guild, saved)
            except StoreError as exc:
                log.warning("trivia: could not clear an interrupted game: %s", exc)
                return

    # -- helpers -----------------------------------------------------------------------

    def _refusal(
        self, interaction: discord.Interaction[Any], rounds: int | None, category: str | None
    ) -> str | None:
        """Return why a game can't start here as asked, or None if it can."""
        channel_id = interaction.channel_id or 0
        running = self.games.get(channel_id)
        if running is not None or channel_id in self._starting:
            return self._already_running(running)
        missing = self._missing_permissions(interaction)
        if missing:
            return f"I can't run a game here: I'm missing {', '.join(missing)} in this channel."
        if rounds is not None and not 1 <= rounds <= MAX_ROUNDS:
            # Discord enforces the declared range; a client with stale commands may not.
            return f"A game has 1 to {MAX_ROUNDS} questions: pick a number in that range."
        if category is not None and not in_category(self.questions, category):
            # What was typed is not shown back: it may be anything.
            return (
                "I have no questions in that category: pick one of the suggestions, or see "
                "`/trivia categories`."
            )
        return None

    @staticmethod
    def _category_name(category_id: str | None) -> str | None:
        """Return the name of the category `category_id` to announce (None: any)."""
        found = find_category(category_id) if category_id else None
        return found.name if found is not None else None

    async def _fresh(
        self, guild_id: int, channel_id: int, pool: list[Question], rounds: int
    ) -> tuple[list[Question], int]:
        """Return the questions of `pool` to ask in `channel_id`, fresh first, and how
        many fresh ones are left after them.

        When fewer than `rounds` are fresh, the pool is used up: the channel's record of
        it is cleared, and its questions come round again (least recently asked first).
        """
        asked = await self.bot.store.asked_questions(guild_id)
        here = {a.question_key for a in asked if a.channel_id == channel_id}
        last: dict[str, dt.datetime] = {}
        for record in asked:
            last[record.question_key] = max(
                record.asked_at, last.get(record.question_key, record.asked_at)
            )
        ordered = fresh_first(pool, here, last, self.rng)
        fresh = sum(1 for q in pool if q.key not in here)
        if fresh < min(rounds, len(pool)):
            await self.bot.store.forget_asked_questions(channel_id, [q.key for q in pool])
            fresh = len(pool)
        return ordered, max(fresh - min(rounds, len(pool)), 0)

    def _mention_needed(self, mode: Mode) -> str | None:
        """Return how to mention the bot if free answers need it (no content intent)."""
        me = self.bot.user
        if mode is not Mode.FREE or self.bot.intents.message_content or me is None:
            return None
        return f"@{me.name}"

    @staticmethod
    def _already_running(game: Game | None) -> str:
        if game is None:
            return "A trivia game is starting in this channel right now."
        session = game.session
        return (
            f"A trivia game is already running in this channel (started by <@{game.started_by}>, "
            f"question {max(session.rounds_played, game.round_number)}/{session.total_rounds}). "
            "Join in, or wait for it to end: one game per channel. Whoever started it, or "
            "someone with Manage Server, can end it with `/trivia stop`."
        )

    @staticmethod
    def _missing_permissions(interaction: discord.Interaction[Any]) -> list[str]:
        have = interaction.app_permissions
        needed = list(GAME_PERMISSIONS)
        if isinstance(interaction.channel, discord.Thread):
            needed[1] = "send_messages_in_threads"
        return [permission_name(flag) for flag in needed if not getattr(have, flag)]

    @staticmethod
    def _guild_id(interaction: discord.Interaction[Any]) -> int:
        if interaction.guild_id is None:
            raise app_commands.NoPrivateMessage()
        return interaction.guild_id
