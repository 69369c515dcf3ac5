"""Helpers for the command line tests: run `python -m bot`, copy and break the knowledge."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.loader import DEFAULT_FOLDER

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Return the shipped knowledge, loaded once for the session."""
    return load_knowledge()


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    """Return an engine on the shipped knowledge, built once for the session."""
    return Engine(kb)


@pytest.fixture
def run_bot() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Return a function that runs `python -m bot ARGS` with `stdin` text, from the repo root."""

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "bot", *args],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            timeout=60,
            check=False,
        )

    return run


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """Return a private copy of the shipped knowledge folder, free to break."""
    return Path(shutil.copytree(DEFAULT_FOLDER, tmp_path / "knowledge"))
