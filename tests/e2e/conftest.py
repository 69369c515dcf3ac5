"""Fixtures for end-to-end tests against the fake Discord in tests/fake_discord."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` (not `python -m pytest`) does not add the repo root
    sys.path.insert(0, str(ROOT))

from tests.fake_discord import FakeDiscord, point_discord_py_at  # noqa: E402


@pytest.fixture
async def fake_discord() -> AsyncIterator[FakeDiscord]:
    """A started FakeDiscord in the test's event loop; discord.py is pointed at it
    (``Route.BASE`` / ``DEFAULT_GATEWAY``) for the test and restored afterwards.

    For a bot subprocess: ``env={**os.environ, **fake_discord.env}`` (DISCORD_API_BASE,
    DISCORD_GATEWAY_URL, DISCORD_TOKEN) and use asyncio's subprocess API, so the
    loop keeps serving while the bot runs.
    """
    async with FakeDiscord() as fd:
        restore = point_discord_py_at(fd.api_base, fd.gateway_url)
        try:
            yield fd
        finally:
            restore()


@pytest.fixture
def fake_discord_thread() -> Iterator[FakeDiscord]:
    """A FakeDiscord running on its own loop in a background thread, for tests that
    block (``subprocess.run``, sync code). Its methods may be called from any thread;
    its ``await fd.wait_for_*`` helpers work from any event loop."""
    with FakeDiscord().running_in_thread() as fd:
        yield fd
