"""Fixtures for end-to-end tests against the fake Discord in tests/fake_discord."""

from __future__ import annotations

import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.e2e.scene import Running, Scene
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


# -- the module-long scene of tests/e2e/scene.py: a suite defines `scene` ---------------


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeDiscord]:
    """A FakeDiscord on its own thread for the whole module (message content allowed)."""
    with FakeDiscord(message_content_allowed=True).running_in_thread() as fd:
        yield fd


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bot's working folder for the module; its SQLite database is there."""
    return tmp_path_factory.mktemp("bot")


@pytest.fixture(scope="module")
def synced(fake: FakeDiscord, scene: Scene, workdir: Path) -> subprocess.CompletedProcess[str]:
    """The result of `python -m bot sync` against the module's fake, once its server exists."""
    return run_cli("sync", env=bot_env(fake, workdir), cwd=workdir)


@pytest.fixture(scope="module")
def running(
    fake: FakeDiscord, workdir: Path, synced: subprocess.CompletedProcess[str]
) -> Iterator[Running]:
    """The module's bot process, logging at DEBUG (one line per message handled)."""
    assert synced.returncode == 0, synced.stderr
    env = bot_env(fake, workdir, LOG_LEVEL="DEBUG")
    holder = Running(env, workdir, BotProcess(env, workdir))
    try:
        yield holder
    finally:
        holder.process.stop()


@pytest.fixture
async def bot(running: Running) -> BotProcess:
    """Return the module's bot process once it is ready."""
    await running.process.wait_ready()
    return running.process
