"""Running trivia games: each game is one asyncio task in the channel it was started in.

The task asks, waits until the deadline (or an early end), ends the round, saves its
points, reveals, pauses, next; then the summary. The `/trivia` cog (`bot.exts.trivia._cog`)
starts games here (`GameRunner.start`) and feeds them answers; an answer that ends a
round early, or a stop, sets `Game.round_over` or `Game.stopped_by` and wakes the game
(`Game.wake`). Timing is the event loop's clock (`GameRunner.now`).

A game is saved in the store when it starts, and after every round together with the
round's points, in one transaction (`Store.save_quiz_round`): a restart loses none of a
finished round and never keeps half of one; the row goes when the game ends. After a
restart, the cog's `on_ready` has each saved game announced as interrupted, with its
standings (`GameRunner.announce_interrupted`), which deletes it first: the delete
decides, so only one process announces it.

Metrics count one quiz "question" per round that ends: answered when at least one player
got it right, declined when nobody did (see `bot.metrics`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord

from bot.discord_ui import quiz_views
from bot.knowledge import KnowledgeBase
from bot.metrics import Metrics
from bot.quiz import EndReason, Mode, QuizSession, RoundResult, RoundStart
from bot.storage import RoundScore, Store, StoredQuizGame, StoreError

log = logging.getLogger(__name__)

# The pause after a reveal, so people can read it: a quarter of a round, at most this.
INTERMISSION_MAX = 5.0
# When a question gives its hint (if the server has hints on), as a share of its time.
HINT_AT = 0.5
PROBLEM = (
    "Sorry, this trivia game hit a problem on my side and ended. Points of the finished "
    "questions are saved."
)


class _ChannelLost(Exception):
    """The game's channel is gone, or the bot may no longer send there."""


@dataclass(eq=False)
class Game:
    """A game running in one channel: its session, and what its answers and stop change."""

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
    unsaved: list[int] = field(default_factory=list)  # rounds whose points were not saved
    spoilers: bool = False  # reveals hide the answer behind a spoiler
    hints: bool = False  # each question gives a hint at half time
    skip_votes: set[int] = field(default_factory=set)  # asked to skip the open round
    skipping: bool = False  # the open round ends unscored: a majority voted to skip it
    shown: RoundStart | None = None  # the open round, as asked
    ends_at: dt.datetime | None = None  # when the open round's time is up
    question: discord.Message | None = None  # the message asking the open round

    def skip_tally(self) -> tuple[int, int]:
        """Return the skip votes of the open round and how many it takes to skip it.

        It takes more than half of the game's players so far: whoever answered a round,
        answered this one, or voted.
        """
        players = self.joined | self.answered | self.skip_votes
        return len(self.skip_votes), len(players) // 2 + 1

    def vote_skip(self, user_id: int) -> bool:
        """Count `user_id`'s vote to skip the open round; return False if they had voted.

        A majority ends the round (`skipping`) and wakes the game.
        """
        if user_id in self.skip_votes or self.round_number == 0:
            return False
        self.skip_votes.add(user_id)
        votes, needed = self.skip_tally()
        if votes >= needed:
            self.skipping = self.round_over = True
            self.wake.set()
        return True


class GameRunner:
    """Runs the trivia games of one bot, one task each, and keeps them by channel id."""

    def __init__(
        self,
        *,
        store: Store,
        knowledge: KnowledgeBase,
        metrics: Metrics,
        intermission: float | None = None,
    ) -> None:
        """Save games in `store`, cite `knowledge`, count rounds in `metrics`.

        `intermission` overrides the pause before the first question and after a reveal.
        """
        self.store = store
        self.knowledge = knowledge
        self.metrics = metrics
        self.intermission_override = intermission
        self.games: dict[int, Game] = {}  # by channel id
        self._saving: set[asyncio.Task[bool]] = set()

    def start(self, game: Game) -> None:
        """Run `game` in a task of its own (from the caller's next await) until it ends."""
        self.games[game.channel_id] = game
        game.task = asyncio.create_task(self._play(game), name=f"trivia-{game.channel_id}")
        log.info(
            "trivia: %s game of %d rounds started in channel %d of guild %d",
            game.session.mode,
            game.session.total_rounds,
            game.channel_id,
            game.guild_id,
        )

    async def close(self) -> None:
        """Stop every game's task; the saved games are announced after the restart."""
        tasks = [game.task for game in self.games.values() if game.task is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # A round's points being written finish being written.
        await self.settle()
        self.games.clear()

    async def settle(self) -> None:
        """Wait until the rounds' points being written are written (or failed)."""
        await asyncio.gather(*self._saving, return_exceptions=True)

    def games_in(self, guild_id: int) -> list[Game]:
        """Return the games running in the guild `guild_id`."""
        return [game for game in self.games.values() if game.guild_id == guild_id]

    @staticmethod
    def now() -> float:
        """Return the time on the games' clock, the event loop's (answers are timed on it)."""
        return asyncio.get_running_loop().time()

    def intermission(self, game: Game) -> float:
        """Return the pause of `game` before its first question and after each reveal."""
        if self.intermission_override is not None:
            return self.intermission_override
        return min(INTERMISSION_MAX, game.round_seconds / 4)

    # -- one game ----------------------------------------------------------------------

    async def _play(self, game: Game) -> None:
        """Run `game` to its end: rounds, then the summary; forget it when it is over."""
        try:
            await self._pause(game, self.intermission(game))
            while not game.session.finished and game.stopped_by is None:
                await self._play_round(game)
            if not game.session.finished:  # stopped between two rounds
                game.session.stop(EndReason.STOPPED)
                await self._save_round(game, None)
            summary = quiz_views.summary_embed(
                self.knowledge,
                game.session.summary(),
                stopped_by=game.stopped_by,
                started_by=game.started_by,
                unsaved=game.unsaved,
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
        question = await self._ask(game)
        checkpoint = game.session.scores_checkpoint()
        if game.stopped_by is not None:
            result = game.session.stop()
        else:
            result = game.session.skip_round() if game.skipping else game.session.end_round()
        game.round_number, game.question = 0, None
        if result is None:  # pragma: no cover - a round was open
            return
        self._count_question(result)
        saved = await self._save_round(game, result)
        if not saved and result.players:
            # The standings show what the leaderboard has: this round's points are lost.
            game.session.rollback_scores(checkpoint)
            game.unsaved.append(result.number)
        game.joined |= {player.user_id for player in result.players}
        await self._reveal(game, question, result, saved=saved)
        if not game.session.finished:
            await self._pause(game, self.intermission(game))

    async def _ask(self, game: Game) -> discord.Message | None:
        """Open the next round, ask it, give its hint at half time, wait until it ends.

        Returns the message asking it (None if it could not be sent, not fatally).
        """
        loop = asyncio.get_running_loop()
        shown = game.session.start_round(loop.time())
        game.round_number, game.round_over = shown.number, False
        game.answered.clear()
        game.skip_votes.clear()
        game.skipping = False
        game.shown = shown
        game.ends_at = discord.utils.utcnow() + dt.timedelta(
            seconds=shown.deadline - shown.started_at
        )
        question = game.question = await self._send(game, fatal=True, **self.question_message(game))
        if question is not None and shown.mode is Mode.CHOICE:
            await self._remember_question(game, question)
        if game.hints:
            hint_at = shown.started_at + HINT_AT * (shown.deadline - shown.started_at)
            await self._pause(game, hint_at - loop.time(), lambda: game.round_over)
            if game.stopped_by is None and not game.round_over:
                game.shown = game.session.give_hint()
                await self.redraw_question(game)
        await self._pause(game, shown.deadline - loop.time(), lambda: game.round_over)
        return question

    async def _reveal(
        self, game: Game, question: discord.Message | None, result: RoundResult, *, saved: bool
    ) -> None:
        """Close the question's buttons and post the reveal of `result`."""
        if question is not None and result.question.choices:
            with contextlib.suppress(discord.HTTPException):
                view = quiz_views.closed_view(game.id, result, reveal=not game.spoilers)
                await question.edit(view=view)
        embed = quiz_views.reveal_embed(self.knowledge, result, saved=saved, spoilers=game.spoilers)
        await self._send(game, fatal=False, embed=embed)

    def question_message(self, game: Game) -> dict[str, Any]:
        """Return the open question of `game` as message kwargs: its embed (and buttons)."""
        shown, ends_at = game.shown, game.ends_at
        assert shown is not None and ends_at is not None  # a round is open
        skip = game.skip_tally()
        embed = quiz_views.question_embed(
            self.knowledge, shown, ends_at, mention=game.mention, skip=skip
        )
        if shown.mode is not Mode.CHOICE:
            return {"embed": embed}
        return {"embed": embed, "view": quiz_views.choice_view(game.id, shown, skip=skip)}

    async def redraw_question(self, game: Game) -> None:
        """Edit the open question of `game` to show its hint and skip votes as they are."""
        if game.question is None or game.round_number == 0 or game.skipping:
            return
        try:
            await game.question.edit(**self.question_message(game))
        except discord.HTTPException as exc:
            log.info("trivia: could not redraw the question in %d: %s", game.channel_id, exc)

    async def _remember_question(self, game: Game, question: discord.Message) -> None:
        """Save which message asks the open question, so a restart can close its buttons."""
        try:
            await self.store.set_quiz_question_message(game.channel_id, question.id)
        except StoreError as exc:
            log.warning(
                "trivia: could not save the question of channel %d: %s", game.channel_id, exc
            )

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

        The write is shielded: a bot shutting down waits for it (see `close`).
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
            await self.store.save_quiz_round(
                game.guild_id,
                game.channel_id,
                game.started_by,
                scores,
                state,
                asked=result.question.key if result is not None else None,
            )
        except StoreError as exc:
            log.warning("trivia: could not save a round in channel %d: %s", game.channel_id, exc)
            return False
        return True

    def _count_question(self, result: RoundResult) -> None:
        """Count the round `result` as one quiz question, answered if anyone got it right."""
        self.metrics.record_answer("quiz", bool(result.winners))

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

    async def announce_interrupted(self, guild: discord.Guild, saved: StoredQuizGame) -> None:
        """Post the end of the `saved` game, if this process deletes it first.

        The question it was asking loses its buttons, so a click there gets no "that game
        is over". Raises `StoreError` if the delete fails.
        """
        channel_id = saved.channel_id
        if not await self.store.delete_quiz_game(channel_id):
            return
        try:
            session = QuizSession.from_dict(saved.state)
        except ValueError as exc:
            log.warning("trivia: unreadable saved game in channel %d: %s", channel_id, exc)
            session = None
        channel = guild.get_channel_or_thread(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.info("trivia: the channel %d of an interrupted game is gone", channel_id)
            return
        summary = None
        if session is not None:
            await self._close_question(channel, saved, session)
            session.stop(EndReason.INTERRUPTED)
            # However the restored game closes, people should read that a restart ended it.
            summary = dataclasses.replace(session.summary(), end_reason=EndReason.INTERRUPTED)
        embed = quiz_views.interrupted_embed(self.knowledge, summary, started_by=saved.started_by)
        try:
            await channel.send(embed=embed)
        except discord.HTTPException as exc:
            log.info("trivia: could not announce an interrupted game in %d: %s", channel_id, exc)
            return
        log.info("trivia: announced the interrupted game in channel %d", channel_id)

    @staticmethod
    async def _close_question(
        channel: discord.abc.Messageable, saved: StoredQuizGame, session: QuizSession
    ) -> None:
        """Turn off the buttons of the question the `saved` game was asking, if any."""
        asked = session.next_question
        if saved.question_message_id is None or saved.game_id is None or asked is None:
            return
        if not isinstance(channel, discord.TextChannel | discord.Thread | discord.VoiceChannel):
            return
        view = quiz_views.interrupted_view(saved.game_id, session.rounds_played + 1, asked)
        try:
            await channel.get_partial_message(saved.question_message_id).edit(view=view)
        except discord.HTTPException as exc:
            log.info("trivia: could not close an interrupted question: %s", exc)
