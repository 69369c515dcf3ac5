"""Explicit start-up: open the knowledge and the store, then run (or sync) the bot.

`run_bot` is the async main of `python -m bot run`. It opens everything with `async with`
so that a failure or a stop closes what was opened, and hands it all to the bot through
its constructor. Errors a person can fix (a rejected token, an unreachable database)
come out as `StartupError` with a one-line message; the caller prints it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Callable, Iterator

import aiohttp
import discord
import discord.http
import yarl
from discord.gateway import DiscordWebSocket

from bot.bot import BotResources, TriviaBot, build_bot
from bot.engine import Engine
from bot.knowledge import load_knowledge
from bot.metrics import Metrics, MetricsServerError, serve_metrics
from bot.settings import DEVELOPER_PORTAL_URL, Settings
from bot.storage import Store

log = logging.getLogger(__name__)

REPORT_SALT_NAME = "report_salt"
# Gateway close code: the token was rejected when identifying.
_AUTHENTICATION_FAILED = 4004
_SHARDING_REQUIRED = 4011


class StartupError(Exception):
    """The bot cannot start or go on; the message is one line saying what to do."""


def token_rejected_message() -> str:
    """Return the one-line message for a token Discord refuses."""
    return (
        "Discord rejected DISCORD_TOKEN (it may have been reset or mistyped): open "
        f"{DEVELOPER_PORTAL_URL}, pick your application, Bot tab, Reset Token, and put "
        "DISCORD_TOKEN=<the new token> in .env"
    )


def discord_http_error(exc: discord.HTTPException, doing: str, token: str) -> StartupError:
    """Return the one-line StartupError for Discord answering `exc` while `doing` something.

    Discord's text may span lines (one per invalid field); it is folded onto one, and
    `token` is blanked out should a proxy echo it.
    """
    detail = " ".join((exc.text or "").split())[:200]
    message = f"Discord answered HTTP {exc.status} while {doing}"
    if detail:
        message += f": {detail}"
    if exc.status >= 500:
        message += " (a problem on Discord's side: try again in a few minutes)"
    return StartupError(message.replace(token, "<redacted>") if token else message)


@contextlib.contextmanager
def login_errors(settings: Settings, token: str, doing: str = "logging in") -> Iterator[None]:
    """Turn what discord.py raises when logging in (or connecting) fails into StartupError.

    The one place that maps a rejected token, an unreachable Discord and an HTTP error
    to the one-line messages a person can act on; `doing` names the step in the last.
    """
    try:
        yield
    except discord.LoginFailure:
        raise StartupError(token_rejected_message()) from None
    except (aiohttp.ClientConnectionError, discord.GatewayNotFound) as exc:
        raise StartupError(
            f"could not reach Discord at {settings.discord_api_base}: {exc}"
        ) from None
    except discord.HTTPException as exc:
        raise discord_http_error(exc, doing, token) from None


def configure_endpoints(settings: Settings) -> None:
    """Point discord.py at DISCORD_API_BASE and DISCORD_GATEWAY_URL (Discord's by default).

    Also silence discord.py's warnings about missing voice libraries: the bot has no voice.
    """
    discord.http.Route.BASE = settings.discord_api_base
    if settings.discord_gateway_url is not None:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


@contextlib.asynccontextmanager
async def open_resources(
    settings: Settings, metrics: Metrics | None = None, *, cache_settings: bool = False
) -> AsyncIterator[BotResources]:
    """Load the knowledge, open the store and settle the report salt; close on exit.

    The bot counts into `metrics` (a fresh set if None). `cache_settings`: hold each
    server's settings in memory for the message path (the running bot does).
    """
    knowledge = load_knowledge()
    engine = Engine(knowledge)
    async with Store.open(settings.database_url, cache_settings=cache_settings) as store:
        if settings.report_salt is not None:
            salt = settings.report_salt.get_secret_value()
        else:
            salt = await store.get_or_create_secret(REPORT_SALT_NAME)
        yield BotResources(
            knowledge=knowledge,
            engine=engine,
            store=store,
            report_salt=salt,
            metrics=metrics if metrics is not None else Metrics(),
            conversation_seconds=settings.conversation_seconds,
        )


def _make_bot(resources: BotResources, settings: Settings, *, message_content: bool) -> TriviaBot:
    return build_bot(
        resources,
        message_content=message_content,
        dev_guild_id=settings.dev_guild_id,
        shard_count=settings.shard_count,
        shard_ids=settings.shard_ids,
    )


def _stop_on_sigterm(bot: TriviaBot) -> None:
    """Close `bot` cleanly when the process gets SIGTERM (a service manager stopping it)."""
    loop = asyncio.get_running_loop()
    closing: set[asyncio.Task[None]] = set()

    def stop() -> None:
        log.info("SIGTERM: logging out")
        task = loop.create_task(bot.close())
        closing.add(task)
        task.add_done_callback(closing.discard)

    with contextlib.suppress(NotImplementedError, RuntimeError):
        loop.add_signal_handler(signal.SIGTERM, stop)


@contextlib.asynccontextmanager
async def _metrics_endpoint(settings: Settings, metrics: Metrics) -> AsyncIterator[None]:
    """Serve /metrics and /healthz while in the block, if METRICS_PORT is set."""
    if settings.metrics_port is None:
        yield
        return
    try:
        async with serve_metrics(metrics, settings.metrics_host, settings.metrics_port) as (
            host,
            port,
        ):
            log.info("health and metrics on http://%s:%d/healthz and /metrics", host, port)
            yield
    except MetricsServerError as exc:
        raise StartupError(str(exc)) from None


async def run_bot(
    settings: Settings, token: str, *, on_login: Callable[[], None] = lambda: None
) -> None:
    """Run the bot until it is stopped; raise `StartupError` for a problem a person can fix.

    `on_login` is called each time Discord accepted the token, before connecting.
    """
    configure_endpoints(settings)
    metrics = Metrics()
    # The endpoint starts first, so /healthz says 503 while the bot loads and connects.
    async with (
        _metrics_endpoint(settings, metrics),
        open_resources(settings, metrics, cache_settings=True) as resources,
    ):
        message_content = True
        while True:
            async with _make_bot(resources, settings, message_content=message_content) as bot:
                _stop_on_sigterm(bot)
                metrics.watch(bot)  # /healthz and /metrics describe this connection
                try:
                    await _start(bot, token, settings, on_login)
                    return
                except discord.PrivilegedIntentsRequired:
                    if not message_content:
                        raise StartupError(
                            "Discord refused the bot's intents even without message content"
                        ) from None
                    log.warning(
                        "Discord refused the privileged message content intent (enable it at "
                        "%s, your application, Bot tab, Message Content Intent). Reconnecting "
                        "without it: I will answer slash commands, mentions and DMs only, "
                        "not other messages in enabled channels.",
                        DEVELOPER_PORTAL_URL,
                    )
                    message_content = False


async def _start(
    bot: TriviaBot, token: str, settings: Settings, on_login: Callable[[], None]
) -> None:
    """Log `bot` in and keep it connected, turning fixable failures into StartupError."""
    try:
        with login_errors(settings, token):
            await bot.login(token)
        on_login()
        with login_errors(settings, token, doing="connecting"):
            await bot.connect(reconnect=True)
    except discord.ConnectionClosed as exc:
        if exc.code == _AUTHENTICATION_FAILED:
            raise StartupError(token_rejected_message()) from None
        if exc.code == _SHARDING_REQUIRED:
            raise StartupError(
                "Discord requires sharding for a bot in this many servers: set SHARD_COUNT "
                "(see .env.example)"
            ) from None
        raise StartupError(
            f"Discord closed the connection (code {exc.code}): {exc.reason}"
        ) from None


async def sync_commands(settings: Settings, token: str, guild_id: int | None) -> list[str]:
    """Register the slash commands globally (or in `guild_id` only); return their names."""
    configure_endpoints(settings)
    async with (
        open_resources(settings) as resources,
        build_bot(resources, message_content=False) as bot,
    ):
        with login_errors(settings, token):
            await bot.login(token)  # runs setup_hook: the cogs add their commands
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        try:
            synced = await bot.tree.sync(guild=guild)
        except discord.Forbidden as exc:
            raise StartupError(
                f"Discord refused to register commands in server {guild_id} ({exc.text}): "
                "is the bot in that server, invited with the applications.commands scope? "
                "See `python -m bot invite`"
            ) from None
        except discord.HTTPException as exc:
            raise discord_http_error(exc, "registering the commands", token) from None
    return sorted(command.name for command in synced)


async def fetch_application_id(settings: Settings, token: str) -> int:
    """Return the application id of the bot whose token is `token`."""
    configure_endpoints(settings)
    async with discord.Client(intents=discord.Intents(guilds=True)) as client:
        with login_errors(settings, token):
            await client.login(token)
        if client.application_id is None:
            raise StartupError("Discord did not say which application this token belongs to")
        return client.application_id
