"""A database as the last release before alembic made it, with a row in every table.

The tables are that release's `bot/storage/schema.py`, copied unchanged (with its
`schema_version` table, which its `Store.open` filled with version 1 after `create_all`),
so the migration tests can upgrade exactly what operators have.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import normalize_database_url
from bot.storage.schema import UTCDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "pk": "pk_%(table_name)s",
    }
)

schema_version = Table(
    "schema_version",
    metadata,
    # A single row with id 1.
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)

guild_settings = Table(
    "guild_settings",
    metadata,
    Column("guild_id", BigInteger, primary_key=True, autoincrement=False),
    Column("mode", String(16), nullable=True),
    Column("cooldown_seconds", Float, nullable=True),
    Column("trivia_round_seconds", Integer, nullable=True),
    Column("trivia_rounds", Integer, nullable=True),
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
)

# Secrets the bot makes for itself and must keep stable (the report salt), one row each.
bot_secrets = Table(
    "bot_secrets",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

WHEN = datetime(2026, 11, 30, 18, 45, 12, tzinfo=UTC)
# One row or more in every table, as the release's Store would have written them.
ROWS: dict[str, list[dict[str, Any]]] = {
    "guild_settings": [
        {
            "guild_id": 1001,
            "mode": "channels",
            "cooldown_seconds": 30.0,
            "trivia_round_seconds": 45,
            "trivia_rounds": 7,
        },
        {
            "guild_id": 1002,
            "mode": None,
            "cooldown_seconds": None,
            "trivia_round_seconds": None,
            "trivia_rounds": 3,
        },
    ],
    "guild_channels": [
        {"guild_id": 1001, "channel_id": 2001},
        {"guild_id": 1001, "channel_id": 2002},
    ],
    "miss_reports": [
        {
            "id": 1,
            "created_at": WHEN,
            "guild_id": 1001,
            "message_id": 3001,
            "user_hash": "a" * 64,
            "question": "who plays the principal?",
            "answer": "I don't know that from the article.",
            "intent": None,
            "confidence": 0.25,
            "answered": False,
        }
    ],
    "trivia_scores": [
        {
            "guild_id": 1001,
            "user_id": 4001,
            "points": 1250,
            "correct": 9,
            "best_streak": 4,
            "fastest_ms": 2310,
        },
        {
            "guild_id": 1001,
            "user_id": 4002,
            "points": 300,
            "correct": 2,
            "best_streak": 1,
            "fastest_ms": None,
        },
    ],
    "quiz_games": [
        {
            "channel_id": 2001,
            "guild_id": 1001,
            "started_by": 4001,
            "state": {"round": 3, "total_rounds": 7, "scores": {"4001": 450}},
            "updated_at": WHEN,
        }
    ],
    "bot_secrets": [{"name": "report_salt", "value": "release-salt-0123456789abcdef"}],
}
DATA_TABLES = tuple(ROWS)


async def make_release_database(url: str, *, version: int = 1, without: Iterable[str] = ()) -> None:
    """Make at `url` the tables of the release (less `without`), its rows and version row."""
    left_out = set(without)
    parsed = make_url(normalize_database_url(url))
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    tables = [t for t in metadata.sorted_tables if t.name not in left_out]
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: metadata.create_all(sync, tables=tables))
            await conn.execute(schema_version.insert().values(id=1, version=version))
            for table in tables:
                if table.name in ROWS:
                    await conn.execute(table.insert(), ROWS[table.name])
    finally:
        await engine.dispose()


async def snapshot(url: str, names: Iterable[str] = DATA_TABLES) -> dict[str, list[dict[str, Any]]]:
    """Return every row of the release's tables `names` at `url`, in primary key order."""
    engine = create_async_engine(normalize_database_url(url))
    found: dict[str, list[dict[str, Any]]] = {}
    try:
        async with engine.connect() as conn:
            for name in names:
                table = metadata.tables[name]
                query = select(table).order_by(*table.primary_key.columns)
                found[name] = [dict(row) for row in (await conn.execute(query)).mappings()]
    finally:
        await engine.dispose()
    return found
