"""Durable per-guild state: settings, miss reports and trivia scores (SQLite or PostgreSQL)."""

from bot.storage.errors import (
    InvalidSettingError,
    SchemaVersionError,
    StoreError,
    StoreUnavailableError,
)
from bot.storage.models import (
    AskedQuestion,
    GuildSettings,
    MissReport,
    Mode,
    RoundScore,
    ScoreEntry,
    StoredQuizGame,
    hash_user,
    setting_bounds,
)
from bot.storage.store import Store, with_database
from bot.storage.urls import normalize_database_url

__all__ = [
    "AskedQuestion",
    "GuildSettings",
    "InvalidSettingError",
    "MissReport",
    "Mode",
    "RoundScore",
    "SchemaVersionError",
    "ScoreEntry",
    "Store",
    "StoreError",
    "StoreUnavailableError",
    "StoredQuizGame",
    "hash_user",
    "normalize_database_url",
    "setting_bounds",
    "with_database",
]
