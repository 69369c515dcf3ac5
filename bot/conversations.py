"""Conversations kept in memory: what each person was last asking about, for follow-ups.

The engine is pure: it takes the last exchange's `Conversation` and returns the next one.
This keeps them between messages, per key (a Discord channel and person, a CLI conversation
id), for a while after the last exchange, and bounded: past the cap the least recently used
goes first, so many people talking never grow the memory without limit.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from bot.engine.context import Conversation

# A follow-up comes soon after: past this, a message starts a new conversation.
CONVERSATION_SECONDS = 5 * 60
# At most this many conversations (and remembered bot answers) are kept at once.
MAX_CONVERSATIONS = 10_000

K = TypeVar("K", bound=Hashable)


class ConversationMemory(Generic[K]):
    """The last `Conversation` per key, forgotten `ttl` seconds after it was kept (None:
    kept until crowded out), at most `cap` of them."""

    def __init__(
        self,
        ttl: float | None = CONVERSATION_SECONDS,
        cap: int = MAX_CONVERSATIONS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Keep conversations `ttl` seconds on `clock`, at most `cap` at once."""
        if cap < 1:
            raise ValueError("cap must be at least 1")
        self.ttl = ttl
        self.cap = cap
        self._clock = clock
        self._kept: OrderedDict[K, tuple[float, Conversation]] = OrderedDict()

    def get(self, key: K) -> Conversation | None:
        """Return the conversation kept for `key`, None if none or it is too old."""
        found = self._kept.get(key)
        if found is None:
            return None
        kept_at, conversation = found
        if self.ttl is not None and self._clock() - kept_at > self.ttl:
            del self._kept[key]
            return None
        return conversation

    def put(self, key: K, conversation: Conversation | None) -> None:
        """Keep `conversation` for `key` (None or empty: forget it), as the most recent."""
        if conversation is None or conversation.is_empty:
            self.forget(key)
            return
        self._kept[key] = (self._clock(), conversation)
        self._kept.move_to_end(key)
        while len(self._kept) > self.cap:
            self._kept.popitem(last=False)  # the least recently used

    def forget(self, key: K) -> None:
        """Forget the conversation of `key`, if any."""
        self._kept.pop(key, None)

    def __len__(self) -> int:
        return len(self._kept)
