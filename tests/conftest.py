"""Fixtures every test folder shares: the shipped knowledge and an engine on it, each
built once per session (loading and indexing take a while, and neither is changed by a
test), and a private copy of the knowledge folder for tests that break it.

The repo root is on `sys.path` through `pythonpath` in pyproject.toml, so `tests.…`
modules import the same under `pytest` and `python -m pytest`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.loader import DEFAULT_FOLDER


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Return the shipped knowledge, loaded once for the session."""
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    """Return an engine on the shipped knowledge, built once for the session."""
    return Engine(kb)


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """Return a private copy of the shipped knowledge folder, free to break."""
    return Path(shutil.copytree(DEFAULT_FOLDER, tmp_path / "knowledge"))
