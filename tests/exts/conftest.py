"""Fixtures for the cog tests: the real knowledge, engine and store, and a bot not connected."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) does not add the repo root
    sys.path.insert(0, str(ROOT))

from bot.bot import BotResources, TriviaBot, make_intents  # noqa: E402
from bot.engine import Engine  # noqa: E402
from bot.knowledge import KnowledgeBase, load_knowledge  # noqa: E402
from bot.storage import Store  # noqa: E402
from tests.helpers import mock_client_user  # noqa: E402

SALT = "test-salt-for-reports-0123456789"


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Return the shipped knowledge, loaded once."""
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    """Return the engine on the shipped knowledge, built once."""
    return Engine(kb)


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
