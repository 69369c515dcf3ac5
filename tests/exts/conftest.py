"""Fixtures for the cog tests: a store and a bot not connected, on the real knowledge and
engine of tests/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bot import BotResources, TriviaBot, make_intents
from bot.engine import Engine
from bot.knowledge import KnowledgeBase
from bot.storage import Store
from tests.helpers import mock_client_user

SALT = "test-salt-for-reports-0123456789"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    """Yield a store on a fresh SQLite file, holding settings in memory as the bot does."""
    async with Store.open(f"sqlite:///{tmp_path / 'bot.sqlite3'}", cache_settings=True) as opened:
        yield opened


@pytest.fixture
def message_content() -> bool:
    """Whether the bot runs with the message content intent (override to test without)."""
    return True


@pytest.fixture
async def bot(
    kb: KnowledgeBase, engine: Engine, store: Store, message_content: bool
) -> AsyncIterator[TriviaBot]:
    """Yield a TriviaBot on the real resources, logged in as a mock user, never connected."""
    resources = BotResources(knowledge=kb, engine=engine, store=store, report_salt=SALT)
    made = TriviaBot(resources, intents=make_intents(message_content=message_content))
    made._connection.user = mock_client_user()
    yield made
    await made.close()
