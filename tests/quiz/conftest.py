"""Shared fixture for the quiz tests: the questions of the shipped knowledge."""

from __future__ import annotations

import pytest

from bot.knowledge import KnowledgeBase
from bot.quiz import Question, build_questions


@pytest.fixture(scope="session")
def questions(kb: KnowledgeBase) -> list[Question]:
    """Return every quiz question the shipped knowledge gives."""
    return build_questions(kb)
