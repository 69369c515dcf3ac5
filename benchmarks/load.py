"""Load test: the real bot process answering thousands of questions through the fake Discord.

Run it as a module from the repo root (it uses the fake Discord of `tests.fake_discord`):

    .venv/bin/python -m benchmarks.load                     # 3000 events, SQLite
    .venv/bin/python -m benchmarks.load --events 10000 --concurrency 64
    .venv/bin/python -m benchmarks.load --events 5000 --concurrency 64 --mix 2,2,2,94
    .venv/bin/python -m benchmarks.load --events 5000 --rate 200 --mix 2,2,2,94
    .venv/bin/python -m benchmarks.load --database-url "$TEST_POSTGRES_URL"   # wipes it!

It starts the fake Discord (tests/fake_discord) on 127.0.0.1 in this process, registers
the commands with `python -m bot sync`, saves each server's settings as an admin would
(channels mode in half the channels, no free-text cooldown), starts `python -m bot run`,
and sends a mix of events across many servers and channels, each from a new member:
/ask (slash), mentions, plain messages in enabled channels (answered, or silence when
the bot declines) and chatter in other channels (always silence), in the shares of
`--mix SLASH,MENTION,CHANNEL,CHATTER` (percentages, default 40,30,20,10). Closed loop by
default: at most `--concurrency` events wait for their reply at any time. Open loop with
`--rate N`: N events a second on a fixed schedule, whatever the replies (the concurrency
bound does not apply), as real servers send them.

What each event should get is known beforehand (the engine is asked here, in this
process): one reply, or none. The run fails (exit 1) if any reply is lost, duplicated or
unexpected, or if Discord saw an error. It prints answers per second, the median and
p99 time from an event to its reply (as the fake received it), the chatter passed over
per second (chatter sent until the last reply, which came after it), in the closed loop
the mean wait its throughput implies for `--concurrency` answers outstanding (Little's
law: no chatter handling can bring the median far under it), errors, the bot's peak
memory (VmHWM from /proc/<pid>/status) and CPU time, and the bot's own /metrics counts.
Everything is bounded: the number of events and `--time-limit` seconds overall.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.storage import Store
from tests.e2e.bot_process import BotProcess, bot_env
from tests.e2e.scrape import scrape, wait_for_endpoint
from tests.e2e.tcp_proxy import free_port
from tests.fake_discord import FakeDiscord, SentMessage
from tests.fake_discord.models import Channel, Guild
from tests.postgres import wipe

ROOT = Path(__file__).resolve().parents[1]
Kind = Literal["slash", "mention", "channel", "chatter"]
KINDS: tuple[Kind, ...] = ("slash", "mention", "channel", "chatter")
MIX = (40, 30, 20, 10)  # default share of each kind of event, in percent
QUESTION_SETS = ("dev.yaml", "dev2.yaml")
CHATTER = ("lol", "brb", "anyone up for games tonight?", "gg", "that episode was wild")


@dataclass
class Server:
    guild: Guild
    enabled: list[Channel]  # channels mode: every message is answered (or ignored if declined)
    others: list[Channel]


@dataclass
class Event:
    kind: Kind
    text: str
    server: Server
    channel: Channel
    expect_reply: bool
    key: int = 0  # message id, or interaction id for /ask
    sent_at: float = 0.0
    replies: list[SentMessage] = field(default_factory=list)


def load_questions() -> list[str]:
    """Return the questions of the development sets (answerable ones and look-alikes)."""
    questions: list[str] = []
    for name in QUESTION_SETS:
        data = yaml.safe_load((ROOT / "tests" / "questions" / name).read_text(encoding="utf-8"))
        questions += [str(item["q"]) for item in data["questions"]]
    return questions


def plan(
    count: int,
    servers: list[Server],
    questions: list[str],
    engine: Engine,
    rng: random.Random,
    mix: tuple[float, ...] = MIX,
) -> list[Event]:
    """Return `count` events spread over `servers` in the shares `mix`, with their replies."""
    answerable = {q: engine.answer(q).answered for q in set(questions)}
    events = []
    for kind in rng.choices(KINDS, weights=mix, k=count):
        server = rng.choice(servers)
        if kind == "chatter":
            text = rng.choice([*CHATTER, rng.choice(questions)])
            events.append(Event(kind, text, server, rng.choice(server.others), False))
            continue
        text = rng.choice(questions)
        if kind == "channel":
            channel = rng.choice(server.enabled)
            events.append(Event(kind, text, server, channel, answerable[text]))
        else:
            channel = rng.choice(server.enabled + server.others)
            events.append(Event(kind, text, server, channel, True))
    return events


def build_world(fake: FakeDiscord, guilds: int, channels: int) -> list[Server]:
    servers = []
    for g in range(guilds):
        guild = fake.add_guild(f"server {g}")
        made = [fake.add_channel(guild.id, f"channel-{c}") for c in range(channels)]
        half = max(1, channels // 2)
        servers.append(Server(guild, made[:half], made[half:] or made[:half]))
    return servers


async def save_settings(url: str, servers: list[Server]) -> None:
    """Set up every server as its admin would with /config, straight into the database."""
    async with Store.open(url) as store:
        for server in servers:
            await store.update_guild_settings(
                server.guild.id,
                mode="channels",
                cooldown_seconds=0.0,
                channels=frozenset(c.id for c in server.enabled),
            )


async def run_cli(*args: str, env: dict[str, str], cwd: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, env=env, cwd=cwd,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 120)
    if process.returncode != 0:
        raise SystemExit(f"python -m bot {' '.join(args)} failed:\n{output.decode()}")


def proc_status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return {k: v.strip() for k, _, v in (line.partition(":") for line in lines)}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Driver:
    """Sends the events and matches every bot message to the event it answers."""

    def __init__(
        self, fake: FakeDiscord, events: list[Event], concurrency: int, rate: float | None = None
    ) -> None:
        self.fake = fake
        self.events = events
        self.concurrency = concurrency
        self.rate = rate  # events per second, open loop; None: closed loop (concurrency)
        self.by_key: dict[int, Event] = {}
        self.waiting = 0
        self.seen = 0
        self.stray: list[SentMessage] = []
        self.cpu = 0.0  # CPU seconds of this process (fake and driver) during the run

    def collect(self) -> None:
        """Attribute the bot messages that arrived since the last call."""
        messages = self.fake.bot_messages
        while self.seen < len(messages):
            sent = messages[self.seen]
            self.seen += 1
            if sent.source == "interaction":
                key = sent.interaction_id
            else:
                key = int((sent.message.get("message_reference") or {}).get("message_id", 0))
            event = self.by_key.get(key or 0)
            if event is None:
                self.stray.append(sent)
                continue
            event.replies.append(sent)
            if len(event.replies) == 1 and event.expect_reply:
                self.waiting -= 1

    def send(self, event: Event) -> None:
        user = self.fake.add_user(f"fan{len(self.by_key)}")
        self.fake.add_member(event.server.guild.id, user.id)
        event.sent_at = time.monotonic()
        if event.kind == "slash":
            record = self.fake.dispatch_slash_command(
                "ask",
                user_id=user.id,
                channel_id=event.channel.id,
                options={"question": event.text},
            )
            event.key = record.id
        else:
            mention = f"<@{self.fake.bot_user.id}> " if event.kind == "mention" else ""
            message = self.fake.dispatch_message(event.channel.id, user.id, mention + event.text)
            event.key = int(message["id"])
        self.by_key[event.key] = event
        if event.expect_reply:
            self.waiting += 1

    async def run(self, deadline: float) -> None:
        if self.rate is None:
            for event in self.events:
                await self._until(lambda: self.waiting < self.concurrency, deadline)
                self.send(event)
                # Let the fake write it out (and take the bot's replies) before the next:
                # chatter never waits for a reply, and sent in one burst it would queue
                # in the fake, timing the burst instead of the bot.
                await asyncio.sleep(0)
        else:
            await self._send_on_schedule(self.rate, deadline)
        await self._until(lambda: self.waiting == 0, deadline)
        # Give duplicates and replies that should not exist a moment to show up.
        await asyncio.sleep(1.0)
        self.collect()

    async def _send_on_schedule(self, rate: float, deadline: float) -> None:
        """Send event i at `i / rate` seconds from now, whatever came back meanwhile."""
        start = time.monotonic()
        for index, event in enumerate(self.events):
            due = start + index / rate
            if due > deadline:
                raise TimeoutError("time limit reached while sending")
            if due > time.monotonic():
                await asyncio.sleep(due - time.monotonic())
            self.collect()
            self.send(event)

    async def _until(self, condition: Any, deadline: float) -> None:
        def check() -> bool:
            self.collect()
            return bool(condition())

        remaining = deadline - time.monotonic()
        if check():
            return
        if remaining <= 0:
            raise TimeoutError("time limit reached")
        try:
            await self.fake.wait_for(check, timeout=remaining, what="replies")
        except TimeoutError:
            raise TimeoutError("time limit reached while waiting for replies") from None


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main(args: argparse.Namespace) -> int:
    deadline = time.monotonic() + args.time_limit
    rng = random.Random(args.seed)
    questions = load_questions()
    engine = Engine(load_knowledge())
    with tempfile.TemporaryDirectory(prefix="trivia-load-") as folder:
        return await run(args, Path(folder), questions, engine, rng, deadline)


async def run(
    args: argparse.Namespace,
    workdir: Path,
    questions: list[str],
    engine: Engine,
    rng: random.Random,
    deadline: float,
) -> int:
    """Run the load in `workdir` (the bot's folder and SQLite file) and report; return 0 if ok."""
    url = args.database_url or f"sqlite:///{workdir / 'bot.sqlite3'}"
    if args.database_url:
        await wipe(url)
    async with FakeDiscord(message_content_allowed=True) as fake:
        servers = build_world(fake, args.guilds, args.channels)
        events = plan(args.events, servers, questions, engine, rng, args.mix)
        await save_settings(url, servers)
        port = free_port()
        env = bot_env(fake, workdir, DATABASE_URL=url, METRICS_PORT=str(port))
        await run_cli("sync", env=env, cwd=workdir)
        bot = BotProcess(env, workdir)
        try:
            await bot.wait_ready(timeout=60)
            await wait_for_endpoint(port)
            cpu_before = cpu_seconds(bot.proc.pid)
            driver_cpu_before = time.process_time()
            driver = Driver(fake, events, args.concurrency, args.rate)
            started = time.monotonic()
            try:
                await driver.run(deadline)
                finished = None
            except TimeoutError as exc:
                finished = str(exc)
            cpu = cpu_seconds(bot.proc.pid) - cpu_before
            # This process: the fake Discord and the driver. Near the run's length, it is
            # the bottleneck, and latencies measure it rather than the bot.
            driver.cpu = time.process_time() - driver_cpu_before
            status = proc_status(bot.proc.pid)
            metrics = await scrape(port)
        finally:
            bot.proc.send_signal(signal.SIGTERM)
            await bot.wait_exit(30)
        return report(args, url, events, driver, fake, bot, started, cpu, status, metrics, finished)


@dataclass
class Tally:
    """What became of the events: replies lost, duplicated or unexpected, and the timings."""

    events: list[Event]
    latencies: list[float]  # ms from an event to its (first) reply, for answered events
    elapsed: float  # s from the first event to the last first reply (or the last sending)
    chatter: int  # chatter passed over: sent before the last reply

    @classmethod
    def of(cls, events: list[Event], started: float) -> Tally:
        answered = [e for e in events if e.expect_reply and e.replies]
        sent = [e.sent_at for e in events if e.sent_at]
        # Chatter gets no reply to time: it counts as passed over once a reply to a later
        # event came (the bot reads one connection in order). Without any reply: the
        # sending time.
        replied = [e.replies[0].created_at for e in answered]
        last = max(replied or sent or [started])
        chatter = [e for e in events if e.kind == "chatter" and 0 < e.sent_at <= last]
        return cls(
            events=events,
            latencies=[(e.replies[0].created_at - e.sent_at) * 1000 for e in answered],
            elapsed=max(last - started, 1e-9),
            chatter=len(chatter),
        )

    @property
    def expected(self) -> list[Event]:
        return [e for e in self.events if e.expect_reply]

    @property
    def lost(self) -> list[Event]:
        return [e for e in self.expected if not e.replies]

    @property
    def duplicated(self) -> list[Event]:
        return [e for e in self.events if len(e.replies) > 1]

    @property
    def unexpected(self) -> list[Event]:
        return [e for e in self.events if e.replies and not e.expect_reply]

    @property
    def replies(self) -> int:
        return sum(len(e.replies) for e in self.events)


def report(
    args: argparse.Namespace,
    url: str,
    events: list[Event],
    driver: Driver,
    fake: FakeDiscord,
    bot: BotProcess,
    started: float,
    cpu: float,
    status: dict[str, str],
    metrics: dict[Any, float],
    unfinished: str | None,
) -> int:
    """Print what the run showed; return 0 if every event got exactly its replies."""
    tally = Tally.of(events, started)
    problems = [line for line in bot.lines if " WARNING " in line or " ERROR " in line]
    print_load(args, url, events)
    print_replies(args, tally, driver)
    print(
        f"errors: Discord API {len(fake.errors)}, gateway {len(fake.gateway_errors)}, "
        f"bot log warnings/errors {len(problems)}"
    )
    print(
        f"bot process: peak memory (VmHWM) {status.get('VmHWM', '?')}, "
        f"now (VmRSS) {status.get('VmRSS', '?')}, CPU {cpu:.1f} s; "
        f"fake Discord and driver: CPU {driver.cpu:.1f} s"
    )
    print_metrics(metrics)
    for line in problems[:5]:
        print(f"  bot: {line}")
    for request in fake.errors[:5]:
        print(f"  Discord answered: {request!r}")
    wrong = (tally.lost, tally.duplicated, tally.unexpected, driver.stray)
    failed = any((*wrong, fake.errors, fake.gateway_errors))
    if unfinished:
        print(f"FAILED: {unfinished}")
        return 1
    print("FAILED" if failed else "ok: every event got exactly the replies it should")
    return 1 if failed else 0


def print_load(args: argparse.Namespace, url: str, events: list[Event]) -> None:
    kinds = Counter(e.kind for e in events)
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    load = f"rate {args.rate:g}/s" if args.rate else f"concurrency {args.concurrency}"
    print(
        f"load: {len(events)} events ({kinds['slash']} /ask, {kinds['mention']} mentions, "
        f"{kinds['channel']} in enabled channels, {kinds['chatter']} chatter) over "
        f"{args.guilds} servers x {args.channels} channels, {load}, {backend}"
    )


def print_replies(args: argparse.Namespace, tally: Tally, driver: Driver) -> None:
    latencies, elapsed = tally.latencies, tally.elapsed
    print(
        f"replies: {len(tally.expected)} expected, {tally.replies} received; "
        f"lost {len(tally.lost)}, duplicated {len(tally.duplicated)}, "
        f"unexpected {len(tally.unexpected)}, stray {len(driver.stray)}"
    )
    print(
        f"answers per second: {len(latencies) / elapsed:.1f} ({len(latencies)} in {elapsed:.2f} s)"
    )
    print(f"chatter passed over per second: {tally.chatter / elapsed:.1f} ({tally.chatter} events)")
    if not latencies:
        return
    print(
        f"event to reply: median {statistics.median(latencies):.1f} ms, "
        f"p99 {percentile(latencies, 0.99):.1f} ms, max {max(latencies):.1f} ms"
    )
    if args.rate is None:
        # Little's law: the mean wait is the answers outstanding over the answers per
        # second. The closed loop keeps up to `concurrency` outstanding whatever the bot
        # does with the chatter, so at this throughput that many bound the wait.
        rate = len(latencies) / elapsed
        outstanding = sum(latencies) / 1000 / elapsed
        print(
            f"closed loop: {outstanding:.1f} answers outstanding on average (at most "
            f"{args.concurrency}); at {rate:.0f} answers/s, {args.concurrency} outstanding "
            f"make a mean wait of {args.concurrency / rate * 1000:.0f} ms (Little's law)"
        )


def print_metrics(metrics: dict[Any, float]) -> None:
    def counted(source: str, outcome: str) -> int:
        key = ("trivia_questions_total", (("outcome", outcome), ("source", source)))
        return int(metrics.get(key, 0))

    print(
        "bot /metrics: slash answered {} declined {}; free text answered {} declined {}".format(
            counted("slash", "answered"),
            counted("slash", "declined"),
            counted("free_text", "answered"),
            counted("free_text", "declined"),
        )
    )
    engine_count = metrics.get(("trivia_engine_seconds_count", ()), 0)
    if engine_count:
        engine_ms = metrics.get(("trivia_engine_seconds_sum", ()), 0) / engine_count * 1000
        print(f"bot engine: {engine_ms:.2f} ms per question on average ({int(engine_count)} asked)")


def parse_mix(text: str) -> tuple[float, ...]:
    """Return the four percentages of "SLASH,MENTION,CHANNEL,CHATTER"; they must sum to 100."""
    try:
        shares = tuple(float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError("--mix takes four numbers, like 40,30,20,10") from None
    if len(shares) != len(KINDS) or any(share < 0 for share in shares):
        raise argparse.ArgumentTypeError("--mix takes four percentages of at least 0")
    if abs(sum(shares) - 100) > 1e-6:
        raise argparse.ArgumentTypeError(f"--mix percentages must sum to 100, not {sum(shares):g}")
    return shares


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=3000, help="events to send (default 3000)")
    parser.add_argument("--guilds", type=int, default=50, help="servers (default 50)")
    parser.add_argument("--channels", type=int, default=4, help="channels per server (default 4)")
    parser.add_argument(
        "--concurrency", type=int, default=32, help="events awaiting a reply at once (default 32)"
    )
    parser.add_argument(
        "--rate",
        type=float,
        help="open loop: send this many events per second whatever the replies "
        "(instead of the --concurrency bound)",
    )
    parser.add_argument(
        "--mix",
        type=parse_mix,
        default=MIX,
        help="percentages of /ask, mentions, messages in enabled channels and chatter, "
        "summing to 100 (default 40,30,20,10)",
    )
    parser.add_argument("--time-limit", type=float, default=600, help="seconds, overall")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL (or SQLite) URL to use instead of a fresh SQLite file; "
        "its tables are dropped first",
    )
    args = parser.parse_args()
    if not 1 <= args.events <= 1_000_000 or args.concurrency < 1 or args.guilds < 1:
        parser.error("--events must be 1..1000000, --concurrency and --guilds at least 1")
    if args.rate is not None and not 0 < args.rate <= 100_000:
        parser.error("--rate must be more than 0 and at most 100000 events per second")
    if args.channels < 2:
        parser.error("--channels must be at least 2 (enabled and other channels)")
    return args


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main(parse_args())))
