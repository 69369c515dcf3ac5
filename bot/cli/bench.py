"""`bench`: time the engine on a fixed mix of questions, on the real and on scaled knowledge.

Latency is measured without tracemalloc (it slows Python several times over); memory is
measured in a separate pass that builds the engine and answers every question once.
"""

from __future__ import annotations

import argparse
import gc
import math
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.cli.common import Subparsers, add_knowledge_option
from bot.engine import Engine
from bot.knowledge import KnowledgeBase, load_knowledge
from bot.knowledge.synthetic import scaled

DEFAULT_REPEAT = 30
DEFAULT_SCALES = (1, 10, 100, 1000)
# Stop repeating at a scale after this long, so the largest scale cannot run for minutes.
DEFAULT_BUDGET_SECONDS = 15.0
LONG_MESSAGE_CHARS = 5_000
HUGE_MESSAGE_CHARS = 100_000

# (kind, question): what Discord users type, right and wrong, short and long.
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("answerable", "who directed all of us are dead?"),
    ("answerable", "how many hours have people watched all of us are dead"),
    ("answerable", "where does it rank on netflix"),
    ("answerable", "what is the show based on"),
    ("answerable", "who wrote the webtoon"),
    ("answerable", "will there be a season 2?"),
    ("answerable", "which show is number one on the list"),
    ("answerable", "how is the most watched list calculated"),
    ("answerable", "what genre is it"),
    ("answerable", "when did all of us are dead come out"),
    ("answerable", "what did the director say about bullying"),
    ("answerable", "is money heist on the list"),
    ("answerable", "how many hours did squid game get and who directed aouad"),
    ("answerable", "<@123456789012345678> who made this show lol"),
    ("typo", "who directd all of us r dead"),
    ("typo", "how meny hours did ppl watch it"),
    ("typo", "wat is it basd on"),
    ("typo", "is ther a seson 2"),
    ("typo", "whos the derector"),
    ("typo", "wher does it rnak"),
    ("typo", "squidgame hours??"),
    ("terse", "director?"),
    ("terse", "hours"),
    ("terse", "season 2"),
    ("terse", "genre"),
    ("terse", "webtoon author"),
    ("terse", "rank?"),
    ("out_of_scope", "who directed kingdom?"),
    ("out_of_scope", "who directed squid game"),
    ("out_of_scope", "how long is an episode"),
    ("out_of_scope", "what's the weather like today"),
    ("out_of_scope", "who plays nam on-jo"),
    ("out_of_scope", "is hellbound any good"),
    ("out_of_scope", "how many hours did lupin get"),
    ("out_of_scope", "what is the capital of france"),
    ("out_of_scope", "asdfghjkl"),
    ("out_of_scope", ""),
    ("out_of_scope", "🧟🧟🧟"),
)


@dataclass(frozen=True)
class ScaleResult:
    """What one knowledge size measured: build time, latencies per kind, memory."""

    factor: int
    entities: int
    facts: int
    build_seconds: float
    rounds: int
    latencies: dict[str, list[float]]
    traced_peak_bytes: int
    max_rss_bytes: int | None

    @property
    def all_latencies(self) -> list[float]:
        """Return every measured latency, whatever the question kind."""
        return [t for times in self.latencies.values() for t in times]


def add_parser(subparsers: Subparsers) -> None:
    """Add the `bench` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "bench",
        help="measure latency, throughput and memory, on real and scaled knowledge",
        description="Answer a fixed mix of questions REPEAT times and print latency, "
        "questions per second, memory and build time; then again with the facts scaled.",
    )
    parser.add_argument(
        "--repeat",
        type=_positive_int,
        default=DEFAULT_REPEAT,
        metavar="N",
        help=f"rounds of the question mix per scale (default {DEFAULT_REPEAT})",
    )
    parser.add_argument(
        "--scales",
        type=_scales,
        default=DEFAULT_SCALES,
        metavar="1,10,…",
        help="knowledge sizes to measure, as multiples of the real facts (default 1,10,100,1000)",
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET_SECONDS,
        metavar="SECONDS",
        help=f"stop repeating a scale after this long (default {DEFAULT_BUDGET_SECONDS:g})",
    )
    add_knowledge_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Measure every scale in `args` and print the results as they come."""
    kb = load_knowledge(args.knowledge)
    questions = bench_questions()
    print(f"{len(questions)} questions × up to {args.repeat} rounds per scale")
    results = []
    for factor in args.scales:
        result = measure(scaled(kb, factor), factor, questions, args.repeat, args.budget)
        print(format_scale(result), flush=True)
        results.append(result)
    print(format_summary(results))
    return 0


def bench_questions() -> list[tuple[str, str]]:
    """Return the fixed question mix, with a 5,000-character and a 100 KB message added."""
    chatter = "honestly this show kept me up all night and I have so many thoughts about it. "
    long_message = (chatter * (LONG_MESSAGE_CHARS // len(chatter) + 1))[:LONG_MESSAGE_CHARS]
    huge_message = ("who directed it " * (HUGE_MESSAGE_CHARS // 16 + 1))[:HUGE_MESSAGE_CHARS]
    return [*QUESTIONS, ("long", long_message + " who directed it?"), ("long", huge_message)]


def measure(
    kb: KnowledgeBase, factor: int, questions: Sequence[tuple[str, str]], repeat: int, budget: float
) -> ScaleResult:
    """Time building an engine on `kb` and answering `questions` up to `repeat` rounds."""
    started = time.perf_counter()
    engine = Engine(kb)
    build_seconds = time.perf_counter() - started
    _answer_all(engine, questions)  # warm-up: first calls fill caches a bot keeps warm
    latencies: dict[str, list[float]] = {kind: [] for kind, _ in questions}
    rounds = 0
    deadline = time.perf_counter() + budget
    while rounds < repeat and (rounds == 0 or time.perf_counter() < deadline):
        for kind, question in questions:
            latencies[kind].append(_time_one(engine.answer, question))
        rounds += 1
    del engine
    return ScaleResult(
        factor=factor,
        entities=len(kb.entities),
        facts=len(kb.facts),
        build_seconds=build_seconds,
        rounds=rounds,
        latencies=latencies,
        traced_peak_bytes=_traced_peak(kb, questions),
        max_rss_bytes=max_rss_bytes(),
    )


def _time_one(answer: Callable[[str], object], question: str) -> float:
    started = time.perf_counter()
    answer(question)
    return time.perf_counter() - started


def _answer_all(engine: Engine, questions: Sequence[tuple[str, str]]) -> None:
    for _, question in questions:
        engine.answer(question)


def _traced_peak(kb: KnowledgeBase, questions: Sequence[tuple[str, str]]) -> int:
    """Return the peak bytes Python allocated building an engine on `kb` and answering once."""
    gc.collect()
    tracemalloc.start()
    try:
        _answer_all(Engine(kb), questions)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def max_rss_bytes() -> int | None:
    """Return the process's peak resident memory in bytes, or None where it is unknown."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak if sys.platform == "darwin" else peak * 1024


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the `fraction` percentile of `values` (nearest rank; values need not be sorted)."""
    ordered = sorted(values)
    rank = math.ceil(fraction * len(ordered))
    return ordered[min(max(rank, 1), len(ordered)) - 1]


def format_scale(result: ScaleResult) -> str:
    """Return one scale's block: sizes, build time, latency per kind, throughput, memory."""
    lines = [
        f"\n×{result.factor}: {result.entities} entities, {result.facts} facts; "
        f"engine built in {format_seconds(result.build_seconds)}; {result.rounds} rounds",
        f"  {'kind':<14}{'n':>6}{'median':>11}{'p99':>11}",
    ]
    for kind, times in [*result.latencies.items(), ("all", result.all_latencies)]:
        lines.append(
            f"  {kind:<14}{len(times):>6}{format_seconds(statistics.median(times)):>11}"
            f"{format_seconds(percentile(times, 0.99)):>11}"
        )
    lines.append(f"  {_throughput(result):,.0f} questions/s; {_memory(result)}")
    return "\n".join(lines)


def format_summary(results: Sequence[ScaleResult]) -> str:
    """Return one row per scale, to compare how the engine grows."""
    header = (
        f"{'scale':>6}{'facts':>9}{'build':>11}{'median':>11}{'p99':>11}{'q/s':>10}{'traced':>10}"
    )
    rows = ["\nsummary", header]
    for r in results:
        times = r.all_latencies
        rows.append(
            f"{'×' + str(r.factor):>6}{r.facts:>9}{format_seconds(r.build_seconds):>11}"
            f"{format_seconds(statistics.median(times)):>11}"
            f"{format_seconds(percentile(times, 0.99)):>11}{_throughput(r):>10,.0f}"
            f"{format_bytes(r.traced_peak_bytes):>10}"
        )
    return "\n".join(rows)


def format_seconds(seconds: float) -> str:
    """Return `seconds` in the unit that reads best: µs, ms or s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def format_bytes(count: int) -> str:
    """Return `count` bytes in KB, MB or GB."""
    size = float(count)
    for unit in ("B", "KB", "MB"):
        if size < 1024:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


def _throughput(result: ScaleResult) -> float:
    total = sum(result.all_latencies)
    return len(result.all_latencies) / total if total else 0.0


def _memory(result: ScaleResult) -> str:
    rss = format_bytes(result.max_rss_bytes) if result.max_rss_bytes is not None else "unknown"
    return (
        f"traced peak {format_bytes(result.traced_peak_bytes)} (build + answers); ru_maxrss {rss}"
    )


def _positive_int(text: str) -> int:
    """Parse `text` as a whole number of at least 1, for argparse."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _scales(text: str) -> tuple[int, ...]:
    """Parse a comma separated list of scale factors like `1,10,100`, for argparse."""
    return tuple(_positive_int(part.strip()) for part in text.split(",") if part.strip()) or (1,)
