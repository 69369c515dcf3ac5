"""The async store for per-guild settings, miss reports and trivia scores.

One code path serves SQLite (aiosqlite) and PostgreSQL (asyncpg). The only difference is
which SQLAlchemy `insert()` construct builds upserts; both dialects share its
`on_conflict_*` API and the resulting SQL.

`get_guild_settings` reads the database on every call (what /config shows). The message
path uses `settings_for_message` instead, which after `start_settings_cache` (the bot
does, `Store.open(url, cache_settings=True)`) costs no round trip: every server's saved
settings are loaded into memory (`bot.storage.settings_cache`) and kept right across
processes. Every write that changes settings notifies `listener.CHANNEL` in its own
transaction on PostgreSQL, and each process listens (`bot.storage.listener`); on SQLite,
one process, its own writes are all there is, so the cache is exact. Every write is committed before
the method returns. The settings last read or written for each guild are also kept for
`get_guild_settings_or_last_known`, which falls back on them while the database is
unavailable, so answering goes on as before.

Every operation (getting a connection, its statements, the commit) must finish within
`OPERATION_TIMEOUT` seconds (`Store.open(url, operation_timeout=…)`), or it is abandoned
and raises `StoreUnavailableError`, as when the database is down: a database that hangs
instead of refusing makes callers wait that long, not forever. That leaves a slash
command that deferred its reply time to apologise; connecting at start keeps its own,
longer `connect_timeout`.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import ColumnElement, Table, and_, case, delete, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from bot.storage.errors import StoreUnavailableError
from bot.storage.listener import CHANNEL, SettingsListener
from bot.storage.migrate import upgrade_database
from bot.storage.models import (
    AskedQuestion,
    GuildSettings,
    MissReport,
    RoundScore,
    ScoreEntry,
    StoredQuizGame,
)
from bot.storage.schema import (
    SETTINGS_COLUMNS,
    bot_secrets,
    guild_channels,
    guild_settings,
    miss_reports,
    quiz_asked,
    quiz_games,
    trivia_scores,
)
from bot.storage.settings_cache import SettingsCache
from bot.storage.urls import normalize_database_url

log = logging.getLogger(__name__)

T = TypeVar("T")

# Errors that mean "the database cannot be reached", as opposed to a bug in a query.
_UNAVAILABLE = (OperationalError, InterfaceError, OSError, TimeoutError)

_MAX_LIST = 1000
# Seconds one operation of the store may take before it counts as an outage.
OPERATION_TIMEOUT = 2.5
# Seconds between warnings that answers use the last known settings during an outage.
_OUTAGE_LOG_EVERY = 60.0


class Store:
    """Per-guild state in one database; create it with `Store.open(url)`."""

    def __init__(
        self, engine: AsyncEngine, where: str, operation_timeout: float = OPERATION_TIMEOUT
    ) -> None:
        """Wrap an engine whose schema is ready; use `Store.open` instead of calling this."""
        self._engine = engine
        self._where = where
        self._operation_timeout = operation_timeout
        self._closed = False
        # The settings last read or committed per guild: the fallback during an outage.
        self._last_known: dict[int, GuildSettings] = {}
        self._outage_logged_at = -_OUTAGE_LOG_EVERY
        # The message path's settings (None: not started, read through) and what keeps
        # them right on PostgreSQL; `_origin` marks this store's own notifications.
        self._cache: SettingsCache | None = None
        self._listener: SettingsListener | None = None
        self._origin = secrets.token_hex(8)

    @classmethod
    def open(
        cls,
        url: str,
        *,
        connect_timeout: float = 10.0,
        operation_timeout: float = OPERATION_TIMEOUT,
        cache_settings: bool = False,
    ) -> _OpeningStore:
        """Open the database at `url`, waiting up to `connect_timeout` seconds to connect.

        Use `store = await Store.open(url)` or `async with Store.open(url) as store:`.
        Raises ValueError at once for a URL that is neither SQLite nor PostgreSQL, and
        `StoreUnavailableError` on the await if the database cannot be reached. Each
        operation of the store then gets `operation_timeout` seconds. `cache_settings`
        starts the settings cache of the message path (`start_settings_cache`).
        """
        # Normalise now so an unsupported URL fails here, not at the first await.
        return _OpeningStore(
            normalize_database_url(url), connect_timeout, operation_timeout, cache_settings
        )

    async def close(self) -> None:
        """Close every connection; the store cannot be used afterwards.

        A database that hangs gets the operation timeout to say goodbye; then the
        connections are dropped without it, so a stopping bot does not hang too.
        """
        if not self._closed:
            self._closed = True
            if self._listener is not None:
                await self._listener.close()
            try:
                async with asyncio.timeout(self._operation_timeout):
                    await self._engine.dispose()
            except TimeoutError:
                log.warning(
                    "database %s did not answer while closing: connections dropped", self._where
                )
                await self._engine.dispose(close=False)

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def backend(self) -> str:
        """Return the database kind: "sqlite" or "postgresql"."""
        return self._engine.dialect.name

    # -- guild settings -------------------------------------------------------------------

    async def get_guild_settings(self, guild_id: int) -> GuildSettings:
        """Return the settings saved for `guild_id`, or the defaults if none were saved."""
        version = self._version(guild_id)
        async with self._transaction() as conn:
            settings = await _read_settings(conn, guild_id)
        return self._remember(guild_id, settings, version)

    async def get_guild_settings_or_last_known(self, guild_id: int) -> GuildSettings:
        """Return `guild_id`'s settings; while the database is unavailable, the last known.

        "Last known" is what this process last read or saved for the guild (the defaults
        if it never did). For answering questions, which must go on during an outage;
        commands that show or change settings use `get_guild_settings` and fail instead.
        """
        try:
            return await self.get_guild_settings(guild_id)
        except StoreUnavailableError as exc:
            return self._last_known_during(guild_id, exc)

    def _last_known_during(self, guild_id: int, exc: StoreUnavailableError) -> GuildSettings:
        """Return `guild_id`'s last known settings (or the defaults), logging the outage."""
        known = self._last_known.get(guild_id)
        # One warning a minute is enough to see an outage; every message would flood.
        now = time.monotonic()
        quiet = now - self._outage_logged_at < _OUTAGE_LOG_EVERY
        if not quiet:
            self._outage_logged_at = now
        log.log(
            logging.DEBUG if quiet else logging.WARNING,
            "guild %d: using the %s settings, %s",
            guild_id,
            "last known" if known is not None else "default",
            exc,
        )
        return known if known is not None else GuildSettings()

    def may_answer_unmentioned(self, guild_id: int) -> bool:
        """Return False if `guild_id` certainly chose no channels, without any lookup.

        A message there that does not mention the bot is then ignored without reading
        settings. Always True (look them up) while the settings cache is not started.
        """
        return self._cache is None or self._cache.may_answer_unmentioned(guild_id)

    def settings_if_held(self, guild_id: int) -> GuildSettings | None:
        """Return `guild_id`'s settings if they are in memory and current, else None.

        No lookup at all: for deciding on a message before anything is awaited. None
        while the settings cache is not started, and for a server whose settings changed
        elsewhere and were not read since (`settings_for_message` reads those).
        """
        return self._cache.get(guild_id) if self._cache is not None else None

    async def settings_for_message(self, guild_id: int) -> GuildSettings:
        """Return `guild_id`'s settings for answering a message: from memory when held.

        Without the settings cache, as `get_guild_settings_or_last_known`. With it, from
        memory; only a server whose settings another process changed is read (once)
        before its next use, and during an outage that read gives the last known.
        """
        if self._cache is None:
            return await self.get_guild_settings_or_last_known(guild_id)
        try:
            return await self._cache.get_or_read(guild_id, self.get_guild_settings)
        except StoreUnavailableError as exc:
            return self._last_known_during(guild_id, exc)

    def _version(self, guild_id: int) -> int:
        """Return the cache's version of `guild_id` before a read or write (0: no cache)."""
        return self._cache.version(guild_id) if self._cache is not None else 0

    def _remember(self, guild_id: int, settings: GuildSettings, version: int) -> GuildSettings:
        """Keep committed `settings`, read or written at cache `version`, and return them."""
        self._last_known[guild_id] = settings
        if self._cache is not None:
            self._cache.put(guild_id, settings, version)
        return settings

    # -- the settings cache ---------------------------------------------------------------

    async def start_settings_cache(self) -> None:
        """Hold settings in memory for `settings_for_message`, kept right as described above.

        On PostgreSQL this starts the listener (its own connection) and returns once it
        listens, or once its first attempt failed (it then re-reads on an interval).
        """
        if self._cache is not None:
            return
        self._cache = SettingsCache()
        if self.backend != "postgresql":
            await self.resync_settings()
            return
        dsn = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._listener = SettingsListener(dsn, self._notified, self.resync_settings)
        await self._listener.start()

    async def resync_settings(self) -> bool:
        """Load every server's saved settings into memory, for what notifications missed.

        Returns False (changing nothing) if the database is unavailable.
        """
        cache = self._cache
        if cache is None:
            return False
        versions = cache.versions()
        try:
            async with self._transaction() as conn:
                snapshot = await _read_all_settings(conn)
        except StoreUnavailableError as exc:
            log.debug("could not re-read the settings: %s", exc)
            return False
        cache.load(snapshot, versions)
        self._last_known.update(snapshot)
        return True

    def _notified(self, payload: str) -> None:
        """Forget the settings another process changed (payload: "<guild id> <origin>")."""
        guild_text, _, origin = payload.partition(" ")
        if origin == self._origin or self._cache is None:
            return  # this store's own write: already held as committed
        try:
            guild_id = int(guild_text)
        except ValueError:
            log.warning("ignoring a settings notification without a server id: %.40r", payload)
            return
        self._cache.invalidate(guild_id)

    async def _notify(self, conn: AsyncConnection, guild_id: int) -> None:
        """Tell every listening process, once this transaction commits, that settings changed."""
        if self.backend == "postgresql":
            payload = f"{guild_id} {self._origin}"
            await conn.execute(select(func.pg_notify(CHANNEL, payload)))

    async def update_guild_settings(self, guild_id: int, **changes: Any) -> GuildSettings:
        """Apply `changes` to `guild_id`'s settings and return the result once committed.

        Raises `InvalidSettingError` (and writes nothing) if a change is invalid. Passing
        `channels` replaces the whole channel set.
        """
        version = self._version(guild_id)
        async with self._transaction() as conn:
            current = await _read_settings(conn, guild_id)
            updated = current.with_changes(**changes)
            columns = {name: getattr(updated, name) for name in changes if name in SETTINGS_COLUMNS}
            await self._write_columns(conn, guild_id, columns)
            if "channels" in changes:
                await self._replace_channels(conn, guild_id, updated.channels)
            settings = await _read_settings(conn, guild_id)
            await self._notify(conn, guild_id)
        return self._remember(guild_id, settings, version)

    async def add_channel(
        self, guild_id: int, channel_id: int, *, first_switches_mode: bool = False
    ) -> GuildSettings:
        """Enable free-text answers in `channel_id` of `guild_id`; return the new settings.

        With `first_switches_mode`, adding the first channel while the mode is "mention"
        also sets the mode to "channels", in the same transaction.
        """
        version = self._version(guild_id)
        async with self._transaction() as conn:
            current = await _read_settings(conn, guild_id)
            current.with_changes(channels=current.channels | {channel_id})  # validates the id
            stmt = self._insert(guild_channels).values(guild_id=guild_id, channel_id=channel_id)
            await conn.execute(stmt.on_conflict_do_nothing())
            if first_switches_mode and not current.channels and current.mode == "mention":
                await self._write_columns(conn, guild_id, {"mode": "channels"})
            settings = await _read_settings(conn, guild_id)
            await self._notify(conn, guild_id)
        return self._remember(guild_id, settings, version)

    async def remove_channel(self, guild_id: int, channel_id: int) -> GuildSettings:
        """Disable free-text answers in `channel_id` of `guild_id`; return the new settings."""
        version = self._version(guild_id)
        async with self._transaction() as conn:
            await conn.execute(
                delete(guild_channels).where(
                    guild_channels.c.guild_id == guild_id,
                    guild_channels.c.channel_id == channel_id,
                )
            )
            settings = await _read_settings(conn, guild_id)
            await self._notify(conn, guild_id)
        return self._remember(guild_id, settings, version)

    async def reset_guild_settings(self, guild_id: int) -> GuildSettings:
        """Forget everything saved for `guild_id`'s settings; return the defaults."""
        version = self._version(guild_id)
        async with self._transaction() as conn:
            await conn.execute(delete(guild_settings).where(guild_settings.c.guild_id == guild_id))
            await conn.execute(delete(guild_channels).where(guild_channels.c.guild_id == guild_id))
            await self._notify(conn, guild_id)
        return self._remember(guild_id, GuildSettings(), version)

    async def _write_columns(
        self, conn: AsyncConnection, guild_id: int, columns: Mapping[str, object]
    ) -> None:
        """Upsert only the changed `columns`, so concurrent edits of other fields survive."""
        if not columns:
            return
        stmt = self._insert(guild_settings).values(guild_id=guild_id, **columns)
        await conn.execute(
            stmt.on_conflict_do_update(index_elements=[guild_settings.c.guild_id], set_=columns)
        )

    async def _replace_channels(
        self, conn: AsyncConnection, guild_id: int, channels: frozenset[int]
    ) -> None:
        """Make `channels` the whole set of enabled channels of `guild_id`."""
        await conn.execute(delete(guild_channels).where(guild_channels.c.guild_id == guild_id))
        if channels:
            rows = [{"guild_id": guild_id, "channel_id": c} for c in sorted(channels)]
            await conn.execute(guild_channels.insert(), rows)

    # -- miss reports ---------------------------------------------------------------------

    async def add_report(self, report: MissReport) -> bool:
        """Save `report`; return False (saving nothing) if that user already reported it."""
        stmt = (
            self._insert(miss_reports)
            .values(**report.model_dump())
            .on_conflict_do_nothing(
                index_elements=[miss_reports.c.message_id, miss_reports.c.user_hash]
            )
            .returning(miss_reports.c.id)
        )
        async with self._transaction() as conn:
            inserted = (await conn.execute(stmt)).first()
        return inserted is not None

    async def list_reports(self, guild_id: int | None = None, limit: int = 20) -> list[MissReport]:
        """Return up to `limit` reports, newest first, from `guild_id` (None: everywhere)."""
        _check_limit(limit)
        query = select(*_report_columns()).order_by(
            miss_reports.c.created_at.desc(), miss_reports.c.id.desc()
        )
        if guild_id is not None:
            query = query.where(miss_reports.c.guild_id == guild_id)
        async with self._transaction() as conn:
            rows = (await conn.execute(query.limit(limit))).mappings().all()
        return [MissReport.model_validate(dict(row)) for row in rows]

    async def all_reports(self) -> list[MissReport]:
        """Return every report, oldest first (the order an export wants)."""
        query = select(*_report_columns()).order_by(
            miss_reports.c.created_at.asc(), miss_reports.c.id.asc()
        )
        async with self._transaction() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [MissReport.model_validate(dict(row)) for row in rows]

    # -- secrets --------------------------------------------------------------------------

    async def get_or_create_secret(self, name: str) -> str:
        """Return the secret saved as `name`, making and saving a random one the first time.

        Safe when several processes share the database: the first write wins and every
        process returns that value.
        """
        candidate = secrets.token_hex(32)
        insert = self._insert(bot_secrets).values(name=name, value=candidate)
        async with self._transaction() as conn:
            await conn.execute(insert.on_conflict_do_nothing(index_elements=[bot_secrets.c.name]))
            value = await conn.scalar(select(bot_secrets.c.value).where(bot_secrets.c.name == name))
        if not isinstance(value, str):  # pragma: no cover - the row was just written
            raise StoreUnavailableError(f"could not read the secret {name!r} back")
        return value

    # -- trivia scores --------------------------------------------------------------------

    async def add_score(
        self,
        guild_id: int,
        user_id: int,
        points: int,
        correct: int,
        streak: int,
        answer_ms: int | None = None,
    ) -> ScoreEntry:
        """Add `points` and `correct` answers to `user_id`'s totals in `guild_id`.

        `streak` raises the best streak if longer; `answer_ms` (the time of a correct
        answer, None if there was none) lowers the fastest time if quicker.
        """
        score = RoundScore(user_id, points, correct, streak, answer_ms)
        stmt = self._score_upsert(guild_id, score).returning(*trivia_scores.c)
        async with self._transaction() as conn:
            row = (await conn.execute(stmt)).mappings().one()
        return ScoreEntry.model_validate(dict(row))

    def _score_upsert(self, guild_id: int, score: RoundScore) -> sqlite.Insert | postgresql.Insert:
        """Return the statement adding `score` to its player's totals in `guild_id`."""
        _check_counts(
            points=score.points,
            correct=score.correct,
            streak=score.streak,
            answer_ms=score.answer_ms,
        )
        t = trivia_scores
        insert = self._insert(t).values(
            guild_id=guild_id,
            user_id=score.user_id,
            points=score.points,
            correct=score.correct,
            best_streak=score.streak,
            fastest_ms=score.answer_ms,
        )
        new = insert.excluded
        # CASE rather than GREATEST/MAX: the same SQL works on SQLite and PostgreSQL.
        return insert.on_conflict_do_update(
            index_elements=[t.c.guild_id, t.c.user_id],
            set_={
                "points": t.c.points + new.points,
                "correct": t.c.correct + new.correct,
                "best_streak": case(
                    (new.best_streak > t.c.best_streak, new.best_streak), else_=t.c.best_streak
                ),
                "fastest_ms": case(
                    (t.c.fastest_ms.is_(None), new.fastest_ms),
                    (new.fastest_ms < t.c.fastest_ms, new.fastest_ms),
                    else_=t.c.fastest_ms,
                ),
            },
        )

    async def leaderboard(self, guild_id: int, limit: int = 10) -> list[ScoreEntry]:
        """Return the top `limit` players of `guild_id` by points, then correct answers."""
        _check_limit(limit)
        t = trivia_scores
        query = (
            select(t)
            .where(t.c.guild_id == guild_id)
            .order_by(
                t.c.points.desc(),
                t.c.correct.desc(),
                t.c.fastest_ms.asc().nulls_last(),
                t.c.user_id.asc(),
            )
            .limit(limit)
        )
        async with self._transaction() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [ScoreEntry.model_validate(dict(row)) for row in rows]

    async def score(self, guild_id: int, user_id: int) -> ScoreEntry | None:
        """Return `user_id`'s totals in `guild_id`, or None if they never scored."""
        t = trivia_scores
        query = select(t).where(t.c.guild_id == guild_id, t.c.user_id == user_id)
        async with self._transaction() as conn:
            row = (await conn.execute(query)).mappings().first()
        return None if row is None else ScoreEntry.model_validate(dict(row))

    async def reset_leaderboard(self, guild_id: int) -> int:
        """Delete every score in `guild_id`; return how many players were removed."""
        t = trivia_scores
        async with self._transaction() as conn:
            result = await conn.execute(delete(t).where(t.c.guild_id == guild_id))
        return result.rowcount

    async def forget_user(
        self,
        guild_id: int,
        user_id: int,
        *,
        scrub_game: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None,
    ) -> bool:
        """Delete `user_id`'s scores in `guild_id`; return whether there were any.

        `scrub_game` takes the state of each game saved in the guild and returns it without
        the user (None: leave it); it is saved in the same transaction, so a restart
        cannot announce the user's points in an interrupted game.
        """
        t, q = trivia_scores, quiz_games
        async with self._transaction() as conn:
            result = await conn.execute(
                delete(t).where(t.c.guild_id == guild_id, t.c.user_id == user_id)
            )
            if scrub_game is not None:
                query = (
                    select(q.c.channel_id, q.c.state)
                    .where(q.c.guild_id == guild_id)
                    .with_for_update()
                )
                for channel_id, state in (await conn.execute(query)).all():
                    scrubbed = scrub_game(dict(state))
                    if scrubbed is not None:
                        update = q.update().where(q.c.channel_id == channel_id)
                        await conn.execute(update.values(state=scrubbed))
        return result.rowcount > 0

    async def score_rank(self, guild_id: int, user_id: int) -> int | None:
        """Return `user_id`'s place on `guild_id`'s leaderboard (1: first), None if unranked.

        The order is the leaderboard's: points, correct answers, fastest answer, user id.
        """
        t = trivia_scores
        async with self._transaction() as conn:
            query = select(t).where(t.c.guild_id == guild_id, t.c.user_id == user_id)
            row = (await conn.execute(query)).mappings().first()
            if row is None:
                return None
            mine = ScoreEntry.model_validate(dict(row))
            faster: ColumnElement[bool]
            as_fast: ColumnElement[bool]
            if mine.fastest_ms is None:
                faster, as_fast = t.c.fastest_ms.is_not(None), t.c.fastest_ms.is_(None)
            else:
                faster = t.c.fastest_ms < mine.fastest_ms
                as_fast = t.c.fastest_ms == mine.fastest_ms
            level = and_(t.c.points == mine.points, t.c.correct == mine.correct)
            ahead = or_(
                t.c.points > mine.points,
                and_(t.c.points == mine.points, t.c.correct > mine.correct),
                and_(level, faster),
                and_(level, as_fast, t.c.user_id < user_id),
            )
            count = select(func.count()).select_from(t).where(t.c.guild_id == guild_id, ahead)
            before = await conn.scalar(count)
        return int(before or 0) + 1

    # -- quiz games in progress -----------------------------------------------------------

    async def save_quiz_game(
        self,
        guild_id: int,
        channel_id: int,
        started_by: int,
        state: Mapping[str, Any],
        *,
        game_id: str | None = None,
    ) -> None:
        """Save the game running in `channel_id` of `guild_id` (replacing any saved before).

        `state` is the session as `QuizSession.to_dict()` returns it; `started_by` the
        user who started the game; `game_id` the id in its buttons (kept if None).
        """
        stmt = self._game_upsert(guild_id, channel_id, started_by, state, game_id=game_id)
        async with self._transaction() as conn:
            await conn.execute(stmt)

    async def set_quiz_question_message(self, channel_id: int, message_id: int | None) -> None:
        """Record `message_id` as the open question of the game saved for `channel_id`."""
        q = quiz_games
        async with self._transaction() as conn:
            await conn.execute(
                q.update()
                .where(q.c.channel_id == channel_id)
                .values(question_message_id=message_id)
            )

    async def save_quiz_round(
        self,
        guild_id: int,
        channel_id: int,
        started_by: int,
        scores: Sequence[RoundScore],
        state: Mapping[str, Any] | None,
        *,
        asked: str | None = None,
    ) -> None:
        """Add a finished round's `scores` in `guild_id` and save its game, all or nothing.

        `state` is the game after the round, as `save_quiz_game` takes it, or None when
        the game is over: its saved row is then deleted. `asked` is the key of the
        round's question, recorded as asked in the channel now. Everything is written in
        one transaction: if any write fails (or the process dies), none is committed, so
        a round is never half saved. Raises ValueError (writing nothing) for a negative
        count.
        """
        statements = [self._score_upsert(guild_id, score) for score in scores]
        if asked is not None:
            statements.append(self._asked_upsert(guild_id, channel_id, asked))
        async with self._transaction() as conn:
            for statement in statements:
                await conn.execute(statement)
            if state is None:
                await conn.execute(delete(quiz_games).where(quiz_games.c.channel_id == channel_id))
            else:
                await conn.execute(self._game_upsert(guild_id, channel_id, started_by, state))

    def _game_upsert(
        self,
        guild_id: int,
        channel_id: int,
        started_by: int,
        state: Mapping[str, Any],
        *,
        game_id: str | None = None,
    ) -> sqlite.Insert | postgresql.Insert:
        """Return the statement saving the game of `channel_id`, replacing any saved before.

        The saved state is between rounds: no question is open (see
        `set_quiz_question_message`). The game id is kept unless `game_id` is given.
        """
        q = quiz_games
        insert = self._insert(q).values(
            channel_id=channel_id,
            guild_id=guild_id,
            started_by=started_by,
            state=dict(state),
            updated_at=datetime.now(UTC),
            game_id=game_id,
            question_message_id=None,
        )
        new = insert.excluded
        changes: dict[str, Any] = {
            "guild_id": new.guild_id,
            "started_by": new.started_by,
            "state": new.state,
            "updated_at": new.updated_at,
            "question_message_id": new.question_message_id,
        }
        if game_id is not None:
            changes["game_id"] = new.game_id
        return insert.on_conflict_do_update(index_elements=[q.c.channel_id], set_=changes)

    def _asked_upsert(
        self, guild_id: int, channel_id: int, question_key: str
    ) -> sqlite.Insert | postgresql.Insert:
        """Return the statement recording `question_key` as asked in `channel_id` now."""
        a = quiz_asked
        insert = self._insert(a).values(
            channel_id=channel_id,
            question_key=question_key,
            guild_id=guild_id,
            asked_at=datetime.now(UTC),
        )
        return insert.on_conflict_do_update(
            index_elements=[a.c.channel_id, a.c.question_key],
            set_={"asked_at": insert.excluded.asked_at, "guild_id": insert.excluded.guild_id},
        )

    async def asked_questions(self, guild_id: int) -> list[AskedQuestion]:
        """Return the quiz questions asked in `guild_id`'s channels, the latest time each."""
        a = quiz_asked
        query = select(a.c.channel_id, a.c.question_key, a.c.asked_at).where(
            a.c.guild_id == guild_id
        )
        async with self._transaction() as conn:
            rows = (await conn.execute(query)).all()
        return [AskedQuestion(*row) for row in rows]

    async def forget_asked_questions(self, channel_id: int, keys: Sequence[str]) -> None:
        """Delete the record of `keys` asked in `channel_id`: they are fresh there again."""
        a = quiz_asked
        async with self._transaction() as conn:
            await conn.execute(
                delete(a).where(a.c.channel_id == channel_id, a.c.question_key.in_(list(keys)))
            )

    async def delete_quiz_game(self, channel_id: int) -> bool:
        """Delete the game saved for `channel_id`; return whether there was one.

        Only one caller gets True for a saved game, so it alone announces its end.
        """
        async with self._transaction() as conn:
            result = await conn.execute(
                delete(quiz_games).where(quiz_games.c.channel_id == channel_id)
            )
        return result.rowcount > 0

    async def running_quiz_games(self, guild_id: int | None = None) -> list[StoredQuizGame]:
        """Return the saved games, oldest first, of `guild_id` (None: of every guild)."""
        q = quiz_games
        query = select(q).order_by(q.c.updated_at.asc(), q.c.channel_id.asc())
        if guild_id is not None:
            query = query.where(q.c.guild_id == guild_id)
        async with self._transaction() as conn:
            rows = (await conn.execute(query)).mappings().all()
        return [StoredQuizGame.model_validate(dict(row)) for row in rows]

    # -- plumbing -------------------------------------------------------------------------

    def _insert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        """Return an INSERT for `table` that supports ON CONFLICT on this database."""
        if self._engine.dialect.name == "postgresql":
            return postgresql.insert(table)
        return sqlite.insert(table)

    @asynccontextmanager
    async def _transaction(self) -> AsyncIterator[AsyncConnection]:
        """Yield a connection in a transaction committed on exit; map outages to one error.

        All of it must be done within the operation timeout, or it counts as an outage.
        """
        if self._closed:
            raise RuntimeError("the store is closed")
        deadline = asyncio.timeout(self._operation_timeout)
        try:
            async with deadline, self._engine.begin() as conn:
                yield conn
        except _UNAVAILABLE as exc:
            raise self._unavailable(exc, timed_out=deadline.expired()) from exc
        except DBAPIError as exc:
            if not exc.connection_invalidated and not deadline.expired():
                raise
            raise self._unavailable(exc, timed_out=deadline.expired()) from exc

    def _unavailable(self, exc: BaseException, *, timed_out: bool) -> StoreUnavailableError:
        """Return the one-line outage error for `exc` (`timed_out`: the operation was too slow)."""
        if timed_out:
            return StoreUnavailableError(
                f"database unavailable ({self._where}): no answer within "
                f"{self._operation_timeout:g} s"
            )
        return StoreUnavailableError(_unavailable_message(self._where, exc))


class _OpeningStore:
    """What `Store.open` returns: await it, or use it as an async context manager."""

    def __init__(
        self, url: str, connect_timeout: float, operation_timeout: float, cache_settings: bool
    ) -> None:
        self._url = url
        self._connect_timeout = connect_timeout
        self._operation_timeout = operation_timeout
        self._cache_settings = cache_settings
        self._store: Store | None = None

    def __await__(self) -> Generator[Any, None, Store]:
        return self._open().__await__()

    async def __aenter__(self) -> Store:
        self._store = await self._open()
        return self._store

    async def _open(self) -> Store:
        store = await _open_store(self._url, self._connect_timeout, self._operation_timeout)
        if self._cache_settings:
            try:
                await store.start_settings_cache()
            except BaseException:
                await store.close()
                raise
        return store

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._store is not None:
            await self._store.close()


async def _open_store(async_url: str, connect_timeout: float, operation_timeout: float) -> Store:
    """Connect to `async_url`, bring the schema to the newest revision, return the store."""
    engine, where = _make_engine(async_url, connect_timeout)
    _, revision = await _guarded(engine, where, upgrade_database(engine))
    log.info("storage ready: %s (schema revision %s)", where, revision)
    return Store(engine, where, operation_timeout)


async def with_database(
    url: str, work: Callable[[AsyncEngine], Awaitable[T]], *, connect_timeout: float = 10.0
) -> T:
    """Return what `work` does with an engine on `url`, for `python -m bot db`.

    The database being out of reach raises StoreUnavailableError with a one-line message,
    as for `Store.open`; the engine is closed afterwards.
    """
    engine, where = _make_engine(normalize_database_url(url), connect_timeout)
    try:
        return await _guarded(engine, where, work(engine))
    finally:
        await engine.dispose()


def _make_engine(async_url: str, connect_timeout: float) -> tuple[AsyncEngine, str]:
    """Return an engine on `async_url` (a SQLite file's folder made) and where it points."""
    url = make_url(async_url)
    where = _describe_url(url)
    try:
        _make_sqlite_folder(url)
    except OSError as exc:
        raise StoreUnavailableError(_unavailable_message(where, exc)) from exc
    # Both drivers take `timeout`: asyncpg's connect timeout, sqlite3's busy-wait timeout.
    engine = create_async_engine(url, pool_pre_ping=True, connect_args={"timeout": connect_timeout})
    return engine, where


async def _guarded(engine: AsyncEngine, where: str, work: Awaitable[T]) -> T:
    """Await `work` on `engine`; an unreachable database becomes StoreUnavailableError.

    On any error the engine is closed, as its caller will not get it.
    """
    try:
        return await work
    except (*_UNAVAILABLE, DBAPIError) as exc:
        await engine.dispose()
        raise StoreUnavailableError(_unavailable_message(where, exc)) from exc
    except BaseException:
        await engine.dispose()
        raise


def _make_sqlite_folder(url: URL) -> None:
    """Create the parent folder of a SQLite database file if it is missing."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return
    Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


async def _read_settings(conn: AsyncConnection, guild_id: int) -> GuildSettings:
    """Return `guild_id`'s settings as stored, filling unset (NULL) fields with defaults."""
    columns = [guild_settings.c[name] for name in SETTINGS_COLUMNS]
    query = select(*columns).where(guild_settings.c.guild_id == guild_id)
    row = (await conn.execute(query)).mappings().first()
    query_channels = select(guild_channels.c.channel_id).where(
        guild_channels.c.guild_id == guild_id
    )
    channels = frozenset((await conn.scalars(query_channels)).all())
    stored = {k: v for k, v in (row or {}).items() if v is not None}
    return _settings_from_stored(guild_id, stored, channels)


async def _read_all_settings(conn: AsyncConnection) -> dict[int, GuildSettings]:
    """Return the settings of every server that saved any, in two queries."""
    columns = [guild_settings.c[name] for name in SETTINGS_COLUMNS]
    query = select(guild_settings.c.guild_id, *columns)
    rows = {row["guild_id"]: row for row in (await conn.execute(query)).mappings()}
    channels: dict[int, set[int]] = {}
    query_channels = select(guild_channels.c.guild_id, guild_channels.c.channel_id)
    for guild_id, channel_id in await conn.execute(query_channels):
        channels.setdefault(guild_id, set()).add(channel_id)
    result = {}
    for guild_id in rows.keys() | channels.keys():
        row = rows.get(guild_id)
        items = row.items() if row is not None else ()
        stored = {k: v for k, v in items if k != "guild_id" and v is not None}
        result[guild_id] = _settings_from_stored(
            guild_id, stored, frozenset(channels.get(guild_id, ()))
        )
    return result


def _settings_from_stored(
    guild_id: int, stored: dict[str, Any], channels: frozenset[int]
) -> GuildSettings:
    """Build settings from stored values, falling back to defaults for invalid ones."""
    try:
        return GuildSettings.model_validate({**stored, "channels": channels})
    except ValidationError as exc:
        # A value the current code rejects (a range narrowed since it was saved, a manual
        # edit) must not make every message in the guild fail: use the default instead.
        bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
        log.warning("guild %d: ignoring invalid stored settings %s", guild_id, sorted(bad))
        kept = {k: v for k, v in stored.items() if k not in bad}
        return GuildSettings.model_validate(
            {**kept, "channels": frozenset() if "channels" in bad else channels}
        )


def _report_columns() -> list[Any]:
    """Return the `miss_reports` columns a `MissReport` is built from."""
    return [miss_reports.c[name] for name in MissReport.model_fields]


def _check_limit(limit: int) -> None:
    """Reject a list `limit` outside 1.._MAX_LIST."""
    if not 1 <= limit <= _MAX_LIST:
        raise ValueError(f"limit must be between 1 and {_MAX_LIST}, got {limit}")


def _check_counts(**counts: int | None) -> None:
    """Reject negative score `counts` (None is allowed and means "not measured")."""
    for name, value in counts.items():
        if value is not None and value < 0:
            raise ValueError(f"{name} must not be negative, got {value}")


def _describe_url(url: URL) -> str:
    """Return where `url` points, without user name or password, for messages."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite {url.database or ':memory:'}"
    port = f":{url.port}" if url.port else ""
    return f"PostgreSQL {url.host or 'localhost'}{port}/{url.database or ''}"


def _unavailable_message(where: str, exc: BaseException) -> str:
    """Return a one-line "database unavailable" message for `exc` at `where`."""
    cause: BaseException = exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc
    reason = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    # asyncpg errors come wrapped as "<class '...'>: message"; keep the message.
    if reason.startswith("<class ") and ">: " in reason:
        reason = reason.split(">: ", 1)[1]
    return f"database unavailable ({where}): {reason[:200]}"
