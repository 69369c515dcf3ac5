"""The Discord-layer tests share the cog tests' fixtures: store, bot and its intents."""

from __future__ import annotations

from tests.exts.conftest import bot, message_content, store

__all__ = ["bot", "message_content", "store"]
