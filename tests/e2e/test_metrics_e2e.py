"""The running bot's health and metrics endpoint (METRICS_PORT), scraped like a monitor does."""

from __future__ import annotations

import asyncio
import math
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.bot_process import BotProcess, bot_env, run_cli
from tests.e2e.scrape import health, sample, scrape, wait_for_endpoint
from tests.e2e.tcp_proxy import free_port
from tests.fake_discord import FakeDiscord

QUESTION = "who directed all of us are dead?"


@pytest.fixture
def fake() -> Iterator[FakeDiscord]:
    # Heartbeats every 2 s, so the gateway latency is measured soon after connecting.
    with FakeDiscord(
        message_content_allowed=True, heartbeat_interval_ms=2000
    ).running_in_thread() as fd:
        yield fd


async def test_health_and_metrics_of_the_running_bot(fake: FakeDiscord, tmp_path: Path) -> None:
    world = fake.add_basic_world()
    # Hold the login a moment, so /healthz is seen before the gateway is ready.
    fake.rate_limit_next("GET /users/@me", retry_after=1.5)
    port = free_port()
    env = bot_env(fake, tmp_path, DEV_GUILD_ID=str(world.guild.id), METRICS_PORT=str(port))
    bot = BotProcess(env, tmp_path)
    try:
        assert await wait_for_endpoint(port) == (503, {"status": "starting"})
        assert sample(await scrape(port), "trivia_ready") == 0

        await bot.wait_ready()
        status, body = await health(port)
        assert status == 200
        assert body["status"] == "ready" and body["guilds"] == 1

        asked = fake.dispatch_slash_command(
            "ask",
            user_id=world.user.id,
            channel_id=world.channel.id,
            options={"question": QUESTION},
        )
        await fake.wait_for_interaction_response(asked)
        fake.dispatch_message(world.channel.id, world.user.id, f"<@{fake.bot_user.id}> {QUESTION}")
        await fake.wait_for_message(world.channel.id)
        fake.dispatch_dm(world.user.id, "who won the world cup?")
        await fake.wait_for_message()

        deadline = time.monotonic() + 10
        while True:  # the first heartbeat acknowledgement gives the latency
            metrics = await scrape(port)
            latency = sample(metrics, "trivia_gateway_latency_seconds", shard="0")
            if latency is not None or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
        _, measured = await health(port)
        heartbeats = [s.conn.heartbeats for s in fake.sessions if s.conn is not None]
    finally:
        assert bot.stop() == 0

    def questions(source: str, outcome: str) -> float | None:
        return sample(metrics, "trivia_questions_total", source=source, outcome=outcome)

    assert questions("slash", "answered") == 1
    assert questions("free_text", "answered") == 1
    assert questions("free_text", "declined") == 1
    assert questions("quiz", "answered") == 0
    assert sample(metrics, "trivia_engine_seconds_count") == 3
    assert sample(metrics, "trivia_guilds") == 1
    assert sample(metrics, "trivia_ready") == 1
    # Not how fast (a benchmark's business), but that it is measured: reported once the
    # fake acknowledged a heartbeat, a real non-negative number, on /healthz too (in ms).
    assert heartbeats and heartbeats[0] >= 1
    assert latency is not None and math.isfinite(latency) and latency >= 0
    assert set(measured["latency_ms"]) == {"0"} and measured["latency_ms"]["0"] >= 0
    assert (sample(metrics, "process_resident_memory_bytes") or 0) > 10_000_000
    assert f"health and metrics on http://127.0.0.1:{port}/healthz" in bot.log
    fake.assert_no_errors()


def test_a_metrics_port_in_use_is_one_line_and_exit_1(fake: FakeDiscord, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = bot_env(fake, tmp_path, METRICS_PORT=str(port))

        result = run_cli("run", env=env, cwd=tmp_path)

    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"cannot serve metrics on 127.0.0.1:{port}")
    assert fake.identifies == []
