"""Shared fixtures for the quiz tests: the shipped knowledge and its questions."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase, load_knowledge
from bot.quiz import Question, build_questions


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Return the shipped knowledge, loaded once for the session."""
    return load_knowledge()


@pytest.fixture(scope="session")
def questions(kb: KnowledgeBase) -> list[Question]:
    """Return every quiz question the shipped knowledge gives."""
    return build_questions(kb)
