"""The metrics of one bot process and the HTTP endpoint serving them with /healthz."""

from __future__ import annotations

import json
import math
import socket
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.metrics import Metrics, MetricsServerError, health, serve_metrics

OPERATING = Path(__file__).resolve().parents[1] / "docs" / "operating.md"


@dataclass
class FakeClient:
    """Just what the metrics read from a discord.py client."""

    ready: bool = False
    closed: bool = False
    latency: float = math.inf
    guilds: list[object] = field(default_factory=list)

    def is_ready(self) -> bool:
        return self.ready

    def is_closed(self) -> bool:
        return self.closed


@dataclass
class FakeShardedClient(FakeClient):
    latencies: list[tuple[int, float]] = field(default_factory=list)


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Return every sample of `metrics` as {(name, sorted labels): value}."""
    text = metrics.exposition().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(metrics: Metrics, name: str, **labels: str) -> float | None:
    return samples(metrics).get((name, tuple(sorted(labels.items()))))


def test_questions_are_counted_by_source_and_outcome() -> None:
    metrics = Metrics()

    metrics.record_answer("slash", True)
    metrics.record_answer("slash", True)
    metrics.record_answer("free_text", False)
    metrics.record_answer("quiz", True)

    assert value(metrics, "trivia_questions_total", source="slash", outcome="answered") == 2
    assert value(metrics, "trivia_questions_total", source="free_text", outcome="declined") == 1
    assert value(metrics, "trivia_questions_total", source="quiz", outcome="answered") == 1
    # Every series exists from the start, so rates work before the first question.
    assert value(metrics, "trivia_questions_total", source="quiz", outcome="declined") == 0


def test_an_unknown_source_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown question source 'dm'"):
        Metrics().record_answer("dm", True)  # type: ignore[arg-type]


def test_each_metrics_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()

    first.record_answer("slash", True)

    assert value(second, "trivia_questions_total", source="slash", outcome="answered") == 0


def test_engine_time_is_a_histogram() -> None:
    metrics = Metrics()

    with metrics.time_engine():
        pass

    assert value(metrics, "trivia_engine_seconds_count") == 1
    assert value(metrics, "trivia_engine_seconds_bucket", le="0.001") == 1


def test_process_metrics_are_included() -> None:
    names = {name for name, _ in samples(Metrics())}

    assert "process_resident_memory_bytes" in names
    assert "python_info" in names


def test_before_any_client_nothing_is_ready() -> None:
    metrics = Metrics()

    assert value(metrics, "trivia_ready") == 0
    assert value(metrics, "trivia_guilds") == 0
    assert health(metrics) == (503, {"status": "starting"})


def test_connection_is_read_from_the_client_at_scrape_time() -> None:
    metrics = Metrics()
    client = FakeClient()
    metrics.watch(client)

    assert value(metrics, "trivia_ready") == 0
    assert value(metrics, "trivia_gateway_latency_seconds", shard="0") is None  # inf: unmeasured

    client.ready, client.latency, client.guilds = True, 0.042, [object(), object()]

    assert value(metrics, "trivia_ready") == 1
    assert value(metrics, "trivia_guilds") == 2
    assert value(metrics, "trivia_gateway_latency_seconds", shard="0") == 0.042
    status, body = health(metrics)
    assert status == 200
    assert body == {"status": "ready", "guilds": 2, "latency_ms": {"0": 42.0}}


def test_a_sharded_client_has_one_latency_per_shard() -> None:
    metrics = Metrics()
    metrics.watch(FakeShardedClient(ready=True, latencies=[(2, 0.01), (3, math.nan)]))

    assert value(metrics, "trivia_gateway_latency_seconds", shard="2") == 0.01
    assert value(metrics, "trivia_gateway_latency_seconds", shard="3") is None


def test_a_closed_client_is_not_ready() -> None:
    metrics = Metrics()
    metrics.watch(FakeClient(ready=True, closed=True))

    assert health(metrics) == (503, {"status": "closed"})
    assert value(metrics, "trivia_ready") == 0


@pytest.mark.parametrize(
    "client",
    [None, FakeClient(), FakeClient(ready=True, latency=0.04), FakeClient(closed=True)],
    ids=["no client yet", "connecting", "ready", "logged out"],
)
def test_the_operating_docs_tell_every_health_answer(client: FakeClient | None) -> None:
    metrics = Metrics()
    if client is not None:
        metrics.watch(client)

    status, body = health(metrics)

    # As docs/operating.md writes it: `503 {"status": "closed"}`.
    assert f'`{status} {{"status": "{body["status"]}"' in OPERATING.read_text(encoding="utf-8")


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def test_the_endpoint_serves_metrics_and_health() -> None:
    metrics = Metrics()
    client = FakeClient()
    metrics.watch(client)
    metrics.record_answer("slash", True)

    async with serve_metrics(metrics, "127.0.0.1", 0) as (host, port):
        assert host == "127.0.0.1"
        base = f"http://{host}:{port}"
        status, content_type, body = await get(f"{base}/metrics")
        before = await get(f"{base}/healthz")
        client.ready = True
        after = await get(f"{base}/healthz")
        missing = await get(f"{base}/nothing")

    assert status == 200 and content_type.startswith("text/plain; version=")
    assert 'trivia_questions_total{outcome="answered",source="slash"} 1.0' in body
    assert before[0] == 503 and json.loads(before[2]) == {"status": "starting"}
    assert after[0] == 200 and json.loads(after[2])["status"] == "ready"
    assert missing[0] == 404


async def test_a_port_in_use_is_one_clear_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        with pytest.raises(MetricsServerError) as excinfo:
            async with serve_metrics(Metrics(), "127.0.0.1", port):
                pass  # pragma: no cover - never reached

    message = str(excinfo.value)
    assert message.startswith(f"cannot serve metrics on 127.0.0.1:{port}")
    assert "METRICS_PORT" in message and "\n" not in message
