"""`ConversationMemory`: per-key conversations that expire and stay bounded."""

from __future__ import annotations

import pytest

from bot.conversations import ConversationMemory
from bot.engine.context import Conversation

LUPIN = Conversation(named=("lupin",), answered=("lupin",), intent="identity")
ELITE = Conversation(named=("elite",), answered=("elite",), intent="genre")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_conversation_is_kept_per_key_until_it_expires() -> None:
    clock = Clock()
    memory: ConversationMemory[tuple[int, int]] = ConversationMemory(ttl=300, clock=clock)
    memory.put((1, 10), LUPIN)
    memory.put((1, 11), ELITE)
    assert memory.get((1, 10)) == LUPIN and memory.get((1, 11)) == ELITE
    assert memory.get((2, 10)) is None
    clock.now += 300
    assert memory.get((1, 10)) == LUPIN  # the last second still counts
    clock.now += 1
    assert memory.get((1, 10)) is None
    assert len(memory) == 1  # the expired one is gone, not just hidden


def test_keeping_again_restarts_the_window() -> None:
    clock = Clock()
    memory: ConversationMemory[str] = ConversationMemory(ttl=300, clock=clock)
    memory.put("a", LUPIN)
    clock.now += 200
    memory.put("a", ELITE)
    clock.now += 200
    assert memory.get("a") == ELITE


def test_an_empty_conversation_forgets_the_key() -> None:
    memory: ConversationMemory[str] = ConversationMemory()
    memory.put("a", LUPIN)
    memory.put("a", Conversation())
    assert memory.get("a") is None and len(memory) == 0
    memory.put("a", LUPIN)
    memory.put("a", None)
    assert len(memory) == 0


def test_memory_stays_bounded_under_many_users_least_recently_used_out() -> None:
    memory: ConversationMemory[int] = ConversationMemory(ttl=None, cap=100)
    memory.put(0, LUPIN)
    for user in range(1, 10_000):
        memory.put(user, ELITE)
        if user % 10 == 0:
            memory.put(0, LUPIN)  # user 0 keeps talking: recently used, never pushed out
        assert len(memory) <= 100
    assert len(memory) == 100
    assert memory.get(0) == LUPIN
    assert memory.get(1) is None and memory.get(9_999) == ELITE


def test_a_cap_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="cap"):
        ConversationMemory(cap=0)
