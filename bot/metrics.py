"""Prometheus metrics and the health check of one bot process, served over HTTP on demand.

`Metrics` owns a registry of its own (not prometheus_client's global one, so nothing
happens at import time and tests get fresh counters). The bot holds one and every code
path that answers a question counts it with `record_answer(source, answered)`. The quiz
cog counts one question per trivia round that ends, with source "quiz": answered when at
least one player got it right, declined when nobody did (wrong answers only, or none);
single players' answers are not counted. What describes the connection
(ready or not, gateway latency per shard, servers) is read from the client that
`watch` was given, at scrape time.

`serve_metrics` serves `/metrics` (Prometheus text format) and `/healthz` (200 once the
gateway is ready, 503 before and after) with aiohttp, on 127.0.0.1 unless told otherwise.
Nothing here imports discord.py: the client is anything shaped like `GatewayClient`.
"""

from __future__ import annotations

import json
import math
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import AbstractContextManager, asynccontextmanager
from typing import Any, Literal, Protocol, get_args

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    GCCollector,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

Source = Literal["slash", "free_text", "suggestion", "quiz"]
SOURCES: tuple[Source, ...] = get_args(Source)

# The engine answers in well under a millisecond to tens of milliseconds (see `bench`).
ENGINE_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0)


class GatewayClient(Protocol):
    """What the metrics read from the bot: a discord.py `Client` or `AutoShardedClient`."""

    @property
    def latency(self) -> float: ...

    @property
    def guilds(self) -> Sequence[Any]: ...

    def is_ready(self) -> bool: ...

    def is_closed(self) -> bool: ...


class MetricsServerError(Exception):
    """The metrics endpoint cannot listen where it was asked to; the message is one line."""


class Metrics:
    """The counters of one bot process and the client whose connection they describe."""

    def __init__(self) -> None:
        """Make a fresh registry with the bot's metrics and the process's own."""
        self.registry = CollectorRegistry(auto_describe=True)
        self._questions = Counter(
            "trivia_questions",
            "Questions handled, by where they came from and whether they were answered "
            "(declined: the engine had no answer from the article). Source quiz: one per "
            "trivia round played, answered when at least one player got it right, declined "
            "when nobody did.",
            ["source", "outcome"],
            registry=self.registry,
        )
        for source in SOURCES:
            for outcome in ("answered", "declined"):
                self._questions.labels(source=source, outcome=outcome)
        self._engine_seconds = Histogram(
            "trivia_engine_seconds",
            "Time the question engine took to answer one question.",
            buckets=ENGINE_BUCKETS,
            registry=self.registry,
        )
        self._client: GatewayClient | None = None
        self.registry.register(_GatewayCollector(self))
        ProcessCollector(registry=self.registry)
        PlatformCollector(registry=self.registry)
        GCCollector(registry=self.registry)

    def record_answer(self, source: Source, answered: bool) -> None:
        """Count one question from `source` (see `Source`), `answered` or not.

        For "quiz" a question is a trivia round, `answered` when anyone got it right.
        """
        if source not in SOURCES:
            raise ValueError(f"unknown question source {source!r}; expected one of {SOURCES}")
        outcome = "answered" if answered else "declined"
        self._questions.labels(source=source, outcome=outcome).inc()

    def time_engine(self) -> AbstractContextManager[Any]:
        """Return a context manager that records how long its body took as engine time."""
        return self._engine_seconds.time()

    def watch(self, client: GatewayClient | None) -> None:
        """Describe `client`'s connection from now on (None: no client, not ready)."""
        self._client = client

    @property
    def client(self) -> GatewayClient | None:
        """Return the client being watched, if any."""
        return self._client

    def ready(self) -> bool:
        """Return whether the watched client is connected and ready to answer."""
        client = self._client
        return client is not None and client.is_ready() and not client.is_closed()

    def exposition(self) -> bytes:
        """Return every metric in Prometheus' text format."""
        return generate_latest(self.registry)


def shard_latencies(client: GatewayClient) -> list[tuple[str, float]]:
    """Return (shard label, seconds) for each shard of `client` with a measured latency."""
    latencies: Iterable[tuple[int, float]] | None = getattr(client, "latencies", None)
    pairs = (
        [(str(shard), value) for shard, value in latencies]
        if latencies is not None
        else [("0", client.latency)]
    )
    # discord.py reports inf (or nan) until the first heartbeat is acknowledged.
    return [(shard, value) for shard, value in pairs if math.isfinite(value)]


class _GatewayCollector(Collector):
    """Reads readiness, servers and gateway latency from the watched client at scrape time."""

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics

    def collect(self) -> Iterable[Metric]:
        client = self._metrics.client
        yield GaugeMetricFamily(
            "trivia_ready",
            "1 once the gateway connection is ready, 0 before (and after logging out).",
            value=1.0 if self._metrics.ready() else 0.0,
        )
        yield GaugeMetricFamily(
            "trivia_guilds",
            "Servers this process serves (those of its shards).",
            value=float(len(client.guilds)) if client is not None else 0.0,
        )
        latency = GaugeMetricFamily(
            "trivia_gateway_latency_seconds",
            "Time between a gateway heartbeat and its acknowledgement, per shard.",
            labels=["shard"],
        )
        if client is not None:
            for shard, seconds in shard_latencies(client):
                latency.add_metric([shard], seconds)
        yield latency


def health(metrics: Metrics) -> tuple[int, dict[str, Any]]:
    """Return the HTTP status and JSON body of `/healthz`: 200 when ready, else 503."""
    client = metrics.client
    ready = metrics.ready()
    body: dict[str, Any] = {"status": "ready" if ready else "starting"}
    if client is not None and ready:
        body["guilds"] = len(client.guilds)
        body["latency_ms"] = {s: round(v * 1000, 1) for s, v in shard_latencies(client)}
    elif client is not None and client.is_closed():
        body["status"] = "closed"
    return (200 if ready else 503), body


def make_app(metrics: Metrics) -> web.Application:
    """Return the aiohttp application serving `/metrics` and `/healthz` for `metrics`."""

    async def serve_metrics_page(request: web.Request) -> web.Response:
        return web.Response(
            body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE_LATEST}
        )

    async def serve_health(request: web.Request) -> web.Response:
        status, body = health(metrics)
        return web.Response(
            status=status, text=json.dumps(body) + "\n", content_type="application/json"
        )

    app = web.Application()
    app.router.add_get("/metrics", serve_metrics_page)
    app.router.add_get("/healthz", serve_health)
    return app


@asynccontextmanager
async def serve_metrics(metrics: Metrics, host: str, port: int) -> AsyncIterator[tuple[str, int]]:
    """Serve `metrics` on `host`:`port` (0: any free port) and yield the address bound."""
    runner = web.AppRunner(make_app(metrics), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise MetricsServerError(
                f"cannot serve metrics on {host}:{port} ({reason}): choose another METRICS_PORT "
                "or leave it unset"
            ) from None
        bound = runner.addresses[0]
        yield str(bound[0]), int(bound[1])
    finally:
        await runner.cleanup()
