"""The Discord-layer tests share the cog tests' fixtures: knowledge, engine, store, bot."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) does not add the repo root
    sys.path.insert(0, str(ROOT))

from tests.exts.conftest import bot, engine, kb, message_content, store  # noqa: E402

__all__ = ["bot", "engine", "kb", "message_content", "store"]
