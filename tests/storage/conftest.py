"""Backends for the storage tests: SQLite always, PostgreSQL when TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import create_async_engine

from bot.settings import normalize_database_url
from bot.storage import Store
from bot.storage.schema import metadata

POSTGRES_SKIP_REASON = "set TEST_POSTGRES_URL to run the PostgreSQL storage tests"


async def _wipe_postgres(url: str) -> None:
    """Drop the store's tables so each test starts from an empty database."""
    engine = create_async_engine(normalize_database_url(url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.drop_all)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a URL to an empty database of each backend (the PostgreSQL one is wiped)."""
    if request.param == "sqlite":
        # A missing folder on purpose: opening the store must create it.
        return f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'bot.sqlite3'}"
    url = os.environ.get("TEST_POSTGRES_URL")
    if not url:
        pytest.skip(POSTGRES_SKIP_REASON)
    await _wipe_postgres(url)
    return url


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """Yield an open store on `db_url`, closed after the test."""
    async with Store.open(db_url) as opened:
        yield opened
