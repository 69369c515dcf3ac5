"""Fixtures for end-to-end tests against the fake Discord in tests/fake_discord."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.fake_discord import FakeDiscord, point_discord_py_at


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
