"""The question engine: pure Python, no discord.py, no I/O. Give it a KnowledgeBase, ask."""

from bot.engine.answer import Answer, Citation
from bot.engine.engine import Engine

__all__ = ["Answer", "Citation", "Engine"]
