"""Backends for the storage tests: SQLite always, PostgreSQL when a server is at hand.

Every test that takes `db_url` or `store` runs twice, once per backend. PostgreSQL runs
when TEST_POSTGRES_URL points at a server that answers (see tests/postgres.py; CI starts
one), and is skipped with the reason otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Store
from tests.postgres import postgres_url, wipe


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return a URL to an empty database of each backend (the PostgreSQL one is wiped)."""
    if request.param == "sqlite":
        # A missing folder on purpose: opening the store must create it.
        return f"sqlite+aiosqlite:///{tmp_path / 'nested' / 'bot.sqlite3'}"
    url = await postgres_url()
    await wipe(url)
    return url


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """Yield an open store on `db_url`, closed after the test."""
    async with Store.open(db_url) as opened:
        yield opened
