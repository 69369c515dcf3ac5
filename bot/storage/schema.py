"""Table definitions, shared unchanged by SQLite and PostgreSQL.

Guild settings columns are nullable on purpose: NULL means "use the default declared in
`GuildSettings`", so defaults live in one place and a guild that never changed a setting
follows the code's default if it changes later.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Dialect,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)

# Every change to these tables needs a schema revision in bot/storage/migrations/versions
# (how: bot/storage/migrations/__init__.py); tests/storage/test_migrations.py fails until
# the revisions build exactly these tables.

# Named constraints, so later migrations can refer to them by a predictable name.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return `value` converted to UTC for storage on `dialect`."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored `value` as an aware UTC datetime whatever `dialect` returned."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("mode", String(16), nullable=True),
    Column("cooldown_seconds", Float, nullable=True),
    Column("trivia_round_seconds", Integer, nullable=True),
    Column("trivia_rounds", Integer, nullable=True),
    # Schema version 2 (trivia quiz v2).
    Column("trivia_spoilers", Boolean, nullable=True),
    Column("trivia_hints", Boolean, nullable=True),
)

guild_channels = Table(
    "guild_channels",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("channel_id", BigInteger, primary_key=True, autoincrement=False),
)

miss_reports = Table(
    "miss_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
    Column("guild_id", BigInteger, nullable=True, index=True),
    Column("message_id", BigInteger, nullable=False),
    Column("user_hash", String(64), nullable=False),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("intent", Text, nullable=True),
    Column("confidence", Float, nullable=False),
    Column("answered", Boolean, nullable=False),
    # One report per user per answer message.
    UniqueConstraint("message_id", "user_hash"),
)

trivia_scores = Table(
    "trivia_scores",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("points", BigInteger, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("best_streak", Integer, nullable=False),
    Column("fastest_ms", Integer, nullable=True),
)

# Trivia games in progress, one per channel: the session as `QuizSession.to_dict()` gives
# it, saved after each round, so a restarted bot can announce the game as ended.
quiz_games = Table(
    "quiz_games",
    metadata,
    Column("channel_id", BigInteger, primary_key=True, autoincrement=False),
    Column("guild_id", BigInteger, nullable=False, index=True),
    Column("started_by", BigInteger, nullable=False),
    Column("state", JSON, nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    # Schema version 2: the game's id (its buttons' custom_id) and the message of the
    # question open now (NULL between rounds), so a restart can turn its buttons off.
    Column("game_id", String(16), nullable=True),
    Column("question_message_id", BigInteger, nullable=True),
)

# Schema version 2: the quiz questions each channel was asked, the latest time each, so a
# channel gets fresh ones first (its rows of a pool are deleted once the pool is used up).
quiz_asked = Table(
    "quiz_asked",
    metadata,
    Column("channel_id", BigInteger, primary_key=True, autoincrement=False),
    Column("question_key", String(200), primary_key=True),
    Column("guild_id", BigInteger, nullable=False, index=True),
    Column("asked_at", UTCDateTime(), nullable=False),
)

# Secrets the bot makes for itself and must keep stable (the report salt), one row each.
bot_secrets = Table(
    "bot_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# The guild settings fields stored as columns; `channels` lives in `guild_channels`.
SETTINGS_COLUMNS: tuple[str, ...] = (
    "mode",
    "cooldown_seconds",
    "trivia_round_seconds",
    "trivia_rounds",
    "trivia_spoilers",
    "trivia_hints",
)
