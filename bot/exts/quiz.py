"""`/trivia …`: quiz games in a channel, the leaderboard, and forgetting one's scores.

A thin layer over `bot.quiz` (the game, pure) and `bot.discord_ui.quiz_views` (its look).
Each game is one asyncio task: ask, wait until the deadline (or an early end), end the
round, save its points, reveal, pause, next; then the summary. Answers come from the
buttons (multiple choice) or, in free-answer games, from the channel's messages, which the
free-text cog then leaves alone (`claims_message`).

Timing is the event loop's clock. A multiple-choice round ends early once everyone who
answered an earlier round of the game has answered it; a free-answer round ends at the
first right answer. Without the message content intent, free-answer players mention the
bot with their answer (Discord sends the text of those).

A game is saved in the store when it starts, and after every round together with the
round's points, in one transaction (`Store.save_quiz_round`): a restart loses none of a
finished round and never keeps half of one; the row goes when the game ends. After a
restart, `on_ready` announces each saved game of a guild this process serves as
interrupted, with its standings, and deletes it: the delete decides, so only one process
announces it.

Metrics count one quiz "question" per round that ends: answered when at least one player
got it right, declined when nobody did (see `bot.metrics`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import TriviaBot
from bot.discord_ui import quiz_views
from bot.discord_ui.quiz_views import QUIZ_COG_NAME, ChoiceButton, ConfirmView
from bot.discord_ui.tree import (
    STORE_ACTION,
    STORE_SUBJECT,
    defer_reply,
    permission_name,
    send_ephemeral,
)
from bot.exts.free_text import strip_mentions_of
from bot.quiz import (
    EndReason,
    Mode,
    Outcome,
    Question,
    QuizSession,
    RoundResult,
    build_questions,
)
from bot.storage import RoundScore, StoreError, setting_bounds

log = logging.getLogger(__name__)

RATE, PER = 4, 20.0
READS_SCORES = {STORE_ACTION: "load", STORE_SUBJECT: "trivia scores"}
MAX_ROUNDS = int(setting_bounds("trivia_rounds")[1])
# The pause after a reveal, so people can read it: a quarter of a round, at most this.
INTERMISSION_MAX = 5.0
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
PROBLEM = (
    "Sorry, this trivia game hit a problem on my side and ended. Points of the finished "
    "questions are saved."
)


class _ChannelLost(Exception):
    """The game's channel is gone, or the bot may no longer send there."""


@dataclass(eq=False)
class Game:
    """A game running in one channel, and what the cog needs to drive it."""

    id: str  # in the answer buttons' custom_id: clicks on another game's buttons are stale
    guild_id: int
    channel: discord.abc.Messageable
    channel_id: int
    started_by: int
    session: QuizSession
    round_seconds: float
    mention: str | None  # set when free answers must mention the bot (no content intent)
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    joined: set[int] = field(default_factory=set)  # answered an earlier round
    answered: set[int] = field(default_factory=set)  # answered the open round
    round_number: int = 0  # the open round, 0 between rounds
    round_over: bool = False  # the open round may end before its deadline
    stopped_by: int | None = None
    task: asyncio.Task[None] | None = None


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
        self.intermission = intermission
        self.games: dict[int, Game] = {}  # by channel id
        self._starting: set[int] = set()
        self._saving: set[asyncio.Task[bool]] = set()
        super().__init__()

    async def cog_load(self) -> None:
        """Route clicks on answer buttons here, old messages' included."""
        self.bot.add_dynamic_items(ChoiceButton)

    async def cog_unload(self) -> None:
        """Stop every game's task; the saved games are announced after the restart."""
        self.bot.remove_dynamic_items(ChoiceButton)
        tasks = [game.task for game in self.games.values() if game.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # A round's points being written finish being written.
        await asyncio.gather(*self._saving, return_exceptions=True)
        self.games.clear()

    # -- commands ----------------------------------------------------------------------

    @app_commands.command(name="start", description="Start a trivia game in this channel.")
    @app_commands.describe(
        rounds=f"How many questions, 1 to {MAX_ROUNDS} (default: the server's setting)",
        mode="Click one of four answers, or type the answer (default: multiple choice)",
    )
    @app_commands.choices(mode=MODE_CHOICES)
    @app_commands.checks.cooldown(RATE, PER)
    async def start(
        self,
        interaction: discord.Interaction[TriviaBot],
        rounds: app_commands.Range[int, 1, MAX_ROUNDS] | None = None,
        mode: app_commands.Choice[str] | None = None,
    ) -> None:
        """Start a game of `rounds` questions in `mode` in the channel of `interaction`."""
        guild_id, channel = interaction.guild_id, interaction.channel
        if guild_id is None or not isinstance(channel, discord.abc.Messageable):
            raise app_commands.NoPrivateMessage()
        channel_id = interaction.channel_id or 0
        running = self.games.get(channel_id)
        if running is not None or channel_id in self._starting:
            await send_ephemeral(interaction, self._already_running(running))
            return
        missing = self._missing_permissions(interaction)
        if missing:
            await send_ephemeral(
                interaction,
                f"I can't run a game here: I'm missing {', '.join(missing)} in this channel.",
            )
            return
        chosen = Mode(mode.value) if mode is not None else Mode.CHOICE
        self._starting.add(channel_id)
        try:
            # Acknowledge before the database, publicly as the game's announcement; an
            # apology then takes the place of "thinking…", publicly too.
            await defer_reply(interaction, ephemeral=False)
            settings = await self.bot.store.get_guild_settings(guild_id)
            session = QuizSession.new(
                self.questions,
                rounds=rounds or settings.trivia_rounds,
                mode=chosen,
                round_seconds=settings.trivia_round_seconds,
                seed=self.rng.getrandbits(64),
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
            )
            await self.bot.store.save_quiz_game(
                guild_id, channel_id, game.started_by, session.to_dict()
            )
        except StoreError as exc:
            log.warning("trivia: could not start a game in %s: %s", channel_id, exc)
            await send_ephemeral(interaction, DATABASE_DOWN.format(what="start a game"))
            return
        finally:
            self._starting.discard(channel_id)
        self.games[channel_id] = game
        first_in = self._intermission(game)
        embed = quiz_views.start_embed(
            self.bot.knowledge,
            started_by=game.started_by,
            mode=chosen,
            rounds=session.total_rounds,
            round_seconds=settings.trivia_round_seconds,
            first_in=first_in,
            mention=game.mention,
            asked_rounds=rounds,
        )
        game.task = asyncio.create_task(self._play(game), name=f"trivia-{channel_id}")
        log.info(
            "trivia: %s game of %d rounds started in channel %d of guild %d",
            chosen,
            session.total_rounds,
            channel_id,
            guild_id,
        )
        try:
            await interaction.followup.send(embed=embed)
        except discord.HTTPException as exc:
            log.warning("trivia: could not announce the game in %s: %s", channel_id, exc)

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
        member: discord.Member | None = None,
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
        playing = any(user_id in g.joined | g.answered for g in self._games_in(guild_id))
        if entry is None and not playing:
            await send_ephemeral(
                interaction, "You have no trivia scores in this server: nothing to forget."
            )
            return

        async def forget() -> str:
            await self.bot.store.forget_user(guild_id, user_id)
            for game in self._games_in(guild_id):
                game.session.forget_player(user_id)
                game.joined.discard(user_id)
                game.answered.discard(user_id)
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
        result = game.session.submit(user_id, str(index + 1), self._now())
        if result.counted:
            game.answered.add(user_id)
            if game.joined and game.joined <= game.answered:
                game.round_over = True
                game.wake.set()
        await send_ephemeral(interaction, self._choice_reply(game, result.outcome, index))

    def _choice_reply(self, game: Game, outcome: Outcome, index: int) -> str:
        current = game.session.current
        if outcome in (Outcome.CORRECT, Outcome.INCORRECT) and current is not None:
            label = quiz_views.choice_label(index, current.choices[index])
            return f"Locked in: **{label}**. The answer comes when time is up."
        if outcome is Outcome.ALREADY_ANSWERED:
            return "You've already answered this question: one answer each."
        return quiz_views.CLOSED

    def claims_message(self, message: discord.Message) -> bool:
        """Return whether `message` is in a free-answer game's channel (it's an answer)."""
        game = self.games.get(message.channel.id)
        return game is not None and game.session.mode is Mode.FREE

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
        result = game.session.submit(message.author.id, text, self._now())
        if result.counted:
            game.answered.add(message.author.id)
        if result.round_over:
            game.round_over = True
            game.wake.set()

    # -- the game ----------------------------------------------------------------------

    async def _play(self, game: Game) -> None:
        """Run `game` to its end: rounds, then the summary; forget it when it is over."""
        try:
            await self._pause(game, self._intermission(game))
            while not game.session.finished and game.stopped_by is None:
                await self._play_round(game)
            if not game.session.finished:  # stopped between two rounds
                game.session.stop(EndReason.STOPPED)
                await self._save_round(game, None)
            summary = quiz_views.summary_embed(
                self.bot.knowledge,
                game.session.summary(),
                stopped_by=game.stopped_by,
                started_by=game.started_by,
            )
            await self._send(game, fatal=False, embed=summary)
            log.info(
                "trivia: game in channel %d over (%s)", game.channel_id, game.session.end_reason
            )
        except _ChannelLost as exc:
            log.info(
                "trivia: game in channel %d ended, cannot send there: %s",
                game.channel_id,
                exc.__cause__,
            )
            await self._abandon(game)
        except Exception:
            log.exception("trivia: game in channel %d failed", game.channel_id)
            await self._abandon(game)
            with contextlib.suppress(_ChannelLost):
                await self._send(game, fatal=False, content=PROBLEM)
        finally:
            if self.games.get(game.channel_id) is game:
                del self.games[game.channel_id]

    async def _play_round(self, game: Game) -> None:
        """Ask the next question, wait for the answers, save the round and reveal it."""
        loop = asyncio.get_running_loop()
        session = game.session
        shown = session.start_round(loop.time())
        game.round_number, game.round_over = shown.number, False
        game.answered.clear()
        ends_at = discord.utils.utcnow() + dt.timedelta(seconds=shown.deadline - shown.started_at)
        embed = quiz_views.question_embed(self.bot.knowledge, shown, ends_at, mention=game.mention)
        kwargs: dict[str, Any] = {"embed": embed}
        if shown.mode is Mode.CHOICE:
            kwargs["view"] = quiz_views.choice_view(game.id, shown)
        question = await self._send(game, fatal=True, **kwargs)
        await self._pause(game, shown.deadline - loop.time(), lambda: game.round_over)
        result = session.stop() if game.stopped_by is not None else session.end_round()
        game.round_number = 0
        if result is None:  # pragma: no cover - a round was open
            return
        self._count_question(result)
        saved = await self._save_round(game, result)
        game.joined |= {player.user_id for player in result.players}
        if question is not None and shown.mode is Mode.CHOICE:
            with contextlib.suppress(discord.HTTPException):
                await question.edit(view=quiz_views.closed_view(game.id, result))
        await self._send(
            game,
            fatal=False,
            embed=quiz_views.reveal_embed(self.bot.knowledge, result, saved=saved),
        )
        if not session.finished:
            await self._pause(game, self._intermission(game))

    async def _pause(
        self, game: Game, seconds: float, early: Callable[[], bool] = lambda: False
    ) -> None:
        """Sleep `seconds`, or less once the game is stopped or `early()` is true.

        Both are checked whenever something sets `game.wake` (a stop, a winning answer).
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(seconds, 0.0)
        while game.stopped_by is None and not early():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            game.wake.clear()
            try:
                await asyncio.wait_for(game.wake.wait(), remaining)
            except TimeoutError:
                return

    async def _save_round(self, game: Game, result: RoundResult | None) -> bool:
        """Save `result`'s points and the game (or delete it if over); return whether saved.

        The write is shielded: a bot shutting down waits for it (see `cog_unload`).
        """
        state = None if game.session.finished else game.session.to_dict()
        task = asyncio.create_task(self._write_round(game, result, state))
        self._saving.add(task)
        task.add_done_callback(self._saving.discard)
        return await asyncio.shield(task)

    async def _write_round(
        self, game: Game, result: RoundResult | None, state: dict[str, Any] | None
    ) -> bool:
        """Write every player's points of `result` and the game's `state`, all or nothing."""
        scores = [
            RoundScore(
                player.user_id,
                points=player.points,
                correct=int(player.correct),
                streak=player.streak,
                answer_ms=player.answer_ms,
            )
            for player in (result.players if result is not None else ())
        ]
        try:
            await self.bot.store.save_quiz_round(
                game.guild_id, game.channel_id, game.started_by, scores, state
            )
        except StoreError as exc:
            log.warning("trivia: could not save a round in channel %d: %s", game.channel_id, exc)
            return False
        return True

    def _count_question(self, result: RoundResult) -> None:
        """Count the round `result` as one quiz question, answered if anyone got it right."""
        self.bot.metrics.record_answer("quiz", bool(result.winners))

    async def _abandon(self, game: Game) -> None:
        """End `game` without a summary, saving the open round's answers; never raise."""
        try:
            result = game.session.stop(EndReason.STOPPED)
            if result is not None:
                self._count_question(result)
            await self._save_round(game, result)
        except Exception:
            log.exception("trivia: could not wind up the game in channel %d", game.channel_id)

    async def _send(self, game: Game, *, fatal: bool, **kwargs: Any) -> discord.Message | None:
        """Send `kwargs` in the game's channel; raise `_ChannelLost` if the game can't go on.

        A refusal (missing permission, deleted channel) always ends the game; another
        failure only when `fatal`, else it is logged and None returned.
        """
        try:
            return await game.channel.send(**kwargs)
        except (discord.Forbidden, discord.NotFound) as exc:
            raise _ChannelLost() from exc
        except discord.HTTPException as exc:
            if fatal:
                raise _ChannelLost() from exc
            log.warning("trivia: could not send in channel %d: %s", game.channel_id, exc)
            return None

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
                await self._announce_interrupted(
                    guild, saved.channel_id, saved.started_by, saved.state
                )
            except StoreError as exc:
                log.warning("trivia: could not clear an interrupted game: %s", exc)
                return

    async def _announce_interrupted(
        self, guild: discord.Guild, channel_id: int, started_by: int, state: dict[str, Any]
    ) -> None:
        """Post the end of the game saved for `channel_id`, if this process deletes it first."""
        if not await self.bot.store.delete_quiz_game(channel_id):
            return
        try:
            session = QuizSession.from_dict(state)
            session.stop(EndReason.INTERRUPTED)
            # However the restored game closes, people should read that a restart ended it.
            summary = dataclasses.replace(session.summary(), end_reason=EndReason.INTERRUPTED)
        except ValueError as exc:
            log.warning("trivia: unreadable saved game in channel %d: %s", channel_id, exc)
            summary = None
        channel = guild.get_channel_or_thread(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.info("trivia: the channel %d of an interrupted game is gone", channel_id)
            return
        embed = quiz_views.interrupted_embed(self.bot.knowledge, summary, started_by=started_by)
        try:
            await channel.send(embed=embed)
        except discord.HTTPException as exc:
            log.info("trivia: could not announce an interrupted game in %d: %s", channel_id, exc)
            return
        log.info("trivia: announced the interrupted game in channel %d", channel_id)

    # -- helpers -----------------------------------------------------------------------

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    def _intermission(self, game: Game) -> float:
        if self.intermission is not None:
            return self.intermission
        return min(INTERMISSION_MAX, game.round_seconds / 4)

    def _games_in(self, guild_id: int) -> list[Game]:
        return [game for game in self.games.values() if game.guild_id == guild_id]

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


async def setup(bot: commands.Bot) -> None:
    """Add the /trivia commands to `bot`."""
    if not isinstance(bot, TriviaBot):
        raise TypeError("the quiz cog needs a TriviaBot")
    await bot.add_cog(QuizCog(bot))
