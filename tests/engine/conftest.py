"""One engine over the shipped knowledge, shared by the engine tests."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.knowledge import load_knowledge


@pytest.fixture(scope="session")
def engine() -> Engine:
    """Return an engine over the project's knowledge."""
    return Engine(load_knowledge())
