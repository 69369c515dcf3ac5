"""Read a running bot's /metrics and /healthz (METRICS_PORT) the way a monitor would."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


async def get(port: int, path: str) -> tuple[int, str]:
    """Return the status and body of GET http://127.0.0.1:`port``path`."""
    timeout = aiohttp.ClientTimeout(total=5)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.get(f"http://127.0.0.1:{port}{path}") as response,
    ):
        return response.status, await response.text()


async def scrape(port: int) -> Samples:
    """Return every sample of the bot's /metrics as {(name, sorted labels): value}."""
    status, text = await get(port, "/metrics")
    assert status == 200, text
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def sample(samples: Samples, name: str, **labels: str) -> float | None:
    """Return the value of `name` with exactly `labels` in `samples`, None if absent."""
    return samples.get((name, tuple(sorted(labels.items()))))


async def answered(port: int, source: str) -> float:
    """Return how many questions from `source` the bot on `port` answered."""
    value = sample(await scrape(port), "trivia_questions_total", source=source, outcome="answered")
    assert value is not None
    return value


async def health(port: int) -> tuple[int, dict[str, Any]]:
    """Return the status and JSON body of the bot's /healthz."""
    status, text = await get(port, "/healthz")
    return status, json.loads(text)


async def wait_for_endpoint(port: int, timeout: float = 20.0) -> tuple[int, dict[str, Any]]:
    """Wait until the endpoint answers at all; return its first /healthz answer."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return await health(port)
        except aiohttp.ClientConnectionError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.02)
