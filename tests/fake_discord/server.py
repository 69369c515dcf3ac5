"""``FakeDiscord``: a local Discord (REST + gateway) for end-to-end tests.

Use it inside the test's event loop::

    async with FakeDiscord() as fd:
        world = fd.add_basic_world()
        ...  # run a discord.py client or `python -m bot run` against fd.api_base / fd.gateway_url

or in a background thread (for blocking code, e.g. ``subprocess.run``)::

    fd = FakeDiscord().start_in_thread()
    try: ...
    finally: fd.stop_thread()

In thread mode every public method may be called from any thread: calls are
handed to the server's loop. All state changes and gateway emissions happen on
that loop, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from aiohttp import web

from .gateway import Gateway, Session
from .messages import build_message, dispatch_message_event, store_message
from .models import (
    Channel,
    ChannelType,
    Guild,
    Intents,
    Member,
    Overwrite,
    Permissions,
    Role,
    Snowflakes,
    User,
    World,
)
from .records import Fault, GatewayEvent, InteractionRecord, RecordedRequest, SentMessage
from .rest import Rest

P = ParamSpec("P")
T = TypeVar("T")

# Application flags Discord reports for an unverified app with privileged intents enabled.
APP_FLAG_PRESENCE_LIMITED = 1 << 13
APP_FLAG_GUILD_MEMBERS_LIMITED = 1 << 15
APP_FLAG_MESSAGE_CONTENT_LIMITED = 1 << 19
APP_FLAG_COMMAND_BADGE = 1 << 23


class FakeDiscordUsageError(ValueError):
    """The test asked for something a real Discord user/client could not do."""


@dataclass
class BasicWorld:
    guild: Guild
    channel: Channel
    user: User


def _threadsafe(fn: Callable[P, T]) -> Callable[P, T]:
    """Runs a sync public method on the server loop when called from another thread."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        self = args[0]
        loop = self._loop  # type: ignore[attr-defined]
        if (
            self._thread is not None  # type: ignore[attr-defined]
            and loop is not None
            and loop.is_running()
            and threading.get_ident() != self._thread_ident  # type: ignore[attr-defined]
        ):

            async def call() -> T:
                return fn(*args, **kwargs)

            return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout=30)
        return fn(*args, **kwargs)

    return wrapper


def _threadsafe_async(fn: Callable[P, Any]) -> Callable[P, Any]:
    """Awaits a coroutine method on the server loop when called from another loop."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> Any:
        self = args[0]
        loop = self._loop  # type: ignore[attr-defined]
        if loop is not None and asyncio.get_running_loop() is not loop:
            fut = asyncio.run_coroutine_threadsafe(fn(*args, **kwargs), loop)
            return await asyncio.wrap_future(fut)
        return await fn(*args, **kwargs)

    return wrapper


class FakeDiscord:
    """A fake Discord API + gateway. See the module docstring and README in __init__."""

    def __init__(
        self,
        *,
        token: str = "fake-bot-token",
        bot_username: str = "FakeBot",
        host: str = "127.0.0.1",
        port: int = 0,
        heartbeat_interval_ms: int = 41250,
        message_content_allowed: bool = False,
        members_allowed: bool = False,
        presences_allowed: bool = False,
        recommended_shards: int = 1,
        interaction_ack_timeout: float = 3.0,
        interaction_token_ttl: float = 15 * 60,
        upload_limit: int = 10 * 1024 * 1024,
    ) -> None:
        self.host = host
        self.port = port
        self.token = token
        self.tokens: set[str] = {token}
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.recommended_shards = recommended_shards
        self.interaction_ack_timeout = interaction_ack_timeout
        self.interaction_token_ttl = interaction_token_ttl
        self.upload_limit = upload_limit
        self.privileged_intents: dict[str, bool] = {
            "message_content": message_content_allowed,
            "members": members_allowed,
            "presences": presences_allowed,
        }
        self.session_start_remaining = 1000
        # False: heartbeats go unanswered (tests of the client's zombie detection).
        self.ack_heartbeats = True
        self.stopping = False

        self.snowflakes = Snowflakes()
        self.world = World(self.snowflakes)
        bot_id = self.snowflakes.next()
        self.bot_user = User(id=bot_id, username=bot_username, bot=True, discriminator="0001")
        self.world.users[bot_id] = self.bot_user
        self.application_id = bot_id  # modern apps: application id == bot user id
        owner_id = self.snowflakes.next()
        self.owner_user = User(id=owner_id, username="app-owner")
        self.world.users[owner_id] = self.owner_user

        self.gateway = Gateway(self)
        self.rest = Rest(self)

        # records
        self.requests: list[RecordedRequest] = []
        self.bot_messages: list[SentMessage] = []
        self.interactions: dict[int, InteractionRecord] = {}
        self._interactions_by_token: dict[str, InteractionRecord] = {}
        self.gateway_log: list[GatewayEvent] = []
        self.presence_updates: list[Any] = []
        self.voice_state_updates: list[Any] = []
        self.typing: list[int] = []
        self.reactions: list[tuple[int, str]] = []
        self._global_commands: dict[int, dict[str, Any]] = {}
        self._guild_commands: dict[int, dict[int, dict[str, Any]]] = {}
        self._faults: list[Fault] = []
        self._consumed: set[int] = set()
        self._attachments: dict[str, bytes] = {}

        self._clock_offset = 0.0
        self._waiters: list[asyncio.Future[None]] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self._thread_ident: int | None = None

    # ================================================================ lifecycle
    @property
    def http_base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        """Value for DISCORD_API_BASE / ``discord.http.Route.BASE``."""
        return f"{self.http_base}/api/v10"

    @property
    def gateway_url(self) -> str:
        """Value for DISCORD_GATEWAY_URL (also returned by GET /gateway/bot)."""
        return f"ws://{self.host}:{self.port}/gateway"

    @property
    def resume_gateway_url(self) -> str:
        return self.gateway_url

    @property
    def env(self) -> dict[str, str]:
        """Environment for running the bot as a subprocess against this fake."""
        return {
            "DISCORD_API_BASE": self.api_base,
            "DISCORD_GATEWAY_URL": self.gateway_url,
            "DISCORD_TOKEN": self.token,
        }

    @property
    def application_flags(self) -> int:
        flags = APP_FLAG_COMMAND_BADGE
        if self.privileged_intents.get("message_content"):
            flags |= APP_FLAG_MESSAGE_CONTENT_LIMITED
        if self.privileged_intents.get("members"):
            flags |= APP_FLAG_GUILD_MEMBERS_LIMITED
        if self.privileged_intents.get("presences"):
            flags |= APP_FLAG_PRESENCE_LIMITED
        return flags

    async def start(self) -> FakeDiscord:
        self._loop = asyncio.get_running_loop()
        app = web.Application(client_max_size=self.upload_limit * 3)
        app.router.add_route("*", "/api/v{version}/{tail:.*}", self.rest.handle)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/gateway/", self.gateway.handle)
        app.router.add_get("/attachments/{tail:.*}", self._serve_attachment)
        self._runner = web.AppRunner(
            app, handle_signals=False, access_log=None, shutdown_timeout=2.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        self.stopping = True  # the gateway refuses new connections from now on
        for conn in list(self.gateway.connections):
            conn.close(1001, "Server shutting down")
        if self.gateway.connections:
            with contextlib.suppress(TimeoutError):
                await self.wait_for(lambda: not self.gateway.connections, 2, what="shutdown")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        for fut in self._waiters:
            if not fut.done():
                fut.cancel()

    async def __aenter__(self) -> FakeDiscord:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def start_in_thread(self, timeout: float = 10.0) -> FakeDiscord:
        """Runs the server on its own event loop in a daemon thread."""
        started = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._thread_ident = threading.get_ident()
            try:
                loop.run_until_complete(self.start())
            except BaseException as exc:  # pragma: no cover - startup failure
                failure.append(exc)
                started.set()
                loop.close()
                return
            started.set()
            try:
                loop.run_forever()
            finally:
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._thread = threading.Thread(target=run, name="fake-discord", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            raise TimeoutError("fake discord did not start")
        if failure:
            raise failure[0]
        return self

    @contextlib.contextmanager
    def running_in_thread(self) -> Iterator[FakeDiscord]:
        """Run the server in a background thread for the ``with`` block (a test fixture)."""
        self.start_in_thread()
        try:
            yield self
        finally:
            self.stop_thread()

    def stop_thread(self, timeout: float = 10.0) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        asyncio.run_coroutine_threadsafe(self.stop(), loop).result(timeout)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        self._thread = None
        self._loop = None

    # ==================================================================== clock
    def now(self) -> float:
        """Server clock (monotonic seconds + ``advance_clock`` offset)."""
        return time.monotonic() + self._clock_offset

    @_threadsafe
    def advance_clock(self, seconds: float) -> None:
        """Pretends time passed (interaction deadlines, token expiry) without sleeping."""
        self._clock_offset += seconds

    # ================================================================== config
    @_threadsafe
    def set_privileged_intents(
        self,
        *,
        message_content: bool | None = None,
        members: bool | None = None,
        presences: bool | None = None,
    ) -> None:
        """What the developer portal toggles allow. Not allowed + requested -> close 4014."""
        for name, value in (
            ("message_content", message_content),
            ("members", members),
            ("presences", presences),
        ):
            if value is not None:
                self.privileged_intents[name] = value

    @_threadsafe
    def rate_limit_next(
        self,
        route: str,
        count: int = 1,
        *,
        retry_after: float = 0.05,
        is_global: bool = False,
        scope: str = "user",
    ) -> None:
        """Answers the next ``count`` requests on ``route`` with 429.

        ``route`` is ``"METHOD /path"`` with either the template
        (``"POST /channels/{channel_id}/messages"``) or a concrete path.
        """
        method, path = self._split_route(route)
        self._faults.append(Fault(method, path, count, 429, retry_after, is_global, scope))

    @_threadsafe
    def fail_next(self, route: str, count: int = 1, *, status: int = 500) -> None:
        """Answers the next ``count`` requests on ``route`` with a 5xx (default 500)."""
        method, path = self._split_route(route)
        self._faults.append(Fault(method, path, count, status))

    @staticmethod
    def _split_route(route: str) -> tuple[str, str]:
        method, _, path = route.strip().partition(" ")
        path = path.strip()
        for prefix in ("/api/v10", "/api/v9"):
            if path.startswith(prefix):
                path = path[len(prefix) :]
        return method.upper(), path

    def _take_fault(self, method: str, route: str | None, path: str) -> Fault | None:
        for fault in self._faults:
            if fault.matches(method, route, path):
                fault.remaining -= 1
                return fault
        return None

    # =================================================================== world
    @_threadsafe
    def add_user(
        self,
        username: str,
        *,
        id: int | None = None,
        bot: bool = False,
        global_name: str | None = None,
        dms_open: bool = True,
    ) -> User:
        uid = id or self.snowflakes.next()
        user = User(id=uid, username=username, global_name=global_name, bot=bot, dms_open=dms_open)
        self.world.users[uid] = user
        return user

    @_threadsafe
    def add_guild(
        self,
        name: str = "Test Guild",
        *,
        id: int | None = None,
        owner_id: int | None = None,
        everyone_permissions: int = Permissions.DEFAULT_EVERYONE,
        bot_permissions: int = 0,
        features: Iterable[str] = (),
        locale: str = "en-US",
    ) -> Guild:
        """Creates a guild the bot is in: @everyone role (id == guild id), the bot's
        managed role with ``bot_permissions``, the owner and the bot as members.
        Sends GUILD_CREATE to connected sessions (the bot "joined")."""
        gid = id or self.snowflakes.next()
        owner = owner_id or self.owner_user.id
        guild = Guild(
            id=gid, name=name, owner_id=owner, features=list(features), preferred_locale=locale
        )
        guild.roles[gid] = Role(
            id=gid, guild_id=gid, name="@everyone", permissions=everyone_permissions
        )
        bot_role = Role(
            id=self.snowflakes.next(),
            guild_id=gid,
            name=self.bot_user.username,
            permissions=bot_permissions,
            position=1,
            managed=True,
            bot_id=self.bot_user.id,
        )
        guild.roles[bot_role.id] = bot_role
        guild.bot_role_id = bot_role.id
        guild.members[owner] = Member(guild_id=gid, user_id=owner)
        guild.members[self.bot_user.id] = Member(
            guild_id=gid, user_id=self.bot_user.id, roles=[bot_role.id]
        )
        self.world.guilds[gid] = guild
        self.gateway.broadcast(
            "GUILD_CREATE",
            None,
            guild_id=gid,
            intents=Intents.GUILDS,
            transform=lambda s, _d: self._joined_guild_json(gid, s),
        )
        self._notify()
        return guild

    def _joined_guild_json(self, guild_id: int, session: Session) -> dict[str, Any]:
        data = self.world.guild_json(
            guild_id, gateway=True, with_all_members=bool(session.intents & Intents.GUILD_PRESENCES)
        )
        # No "unavailable" key: a join, not an outage ending (discord.py: on_guild_join).
        data.pop("unavailable", None)
        return data

    @_threadsafe
    def remove_guild(self, guild_id: int) -> None:
        """The bot was removed from the guild (GUILD_DELETE)."""
        guild = self.world.guilds.pop(guild_id)
        for cid in guild.channel_ids:
            self.world.channels.pop(cid, None)
        self.gateway.broadcast(
            "GUILD_DELETE", {"id": str(guild_id)}, guild_id=guild_id, intents=Intents.GUILDS
        )

    @_threadsafe
    def add_role(
        self,
        guild_id: int,
        name: str,
        permissions: int = 0,
        *,
        id: int | None = None,
        mentionable: bool = False,
        position: int | None = None,
    ) -> Role:
        guild = self.world.guilds[guild_id]
        role = Role(
            id=id or self.snowflakes.next(),
            guild_id=guild_id,
            name=name,
            permissions=permissions,
            position=position if position is not None else len(guild.roles),
            mentionable=mentionable,
        )
        guild.roles[role.id] = role
        self.gateway.broadcast(
            "GUILD_ROLE_CREATE",
            {"guild_id": str(guild_id), "role": role.to_dict()},
            guild_id=guild_id,
            intents=Intents.GUILDS,
        )
        return role

    @_threadsafe
    def add_member(
        self,
        guild_id: int,
        user_id: int,
        *,
        roles: Iterable[int] = (),
        nick: str | None = None,
    ) -> Member:
        guild = self.world.guilds[guild_id]
        if user_id not in self.world.users:
            raise FakeDiscordUsageError(f"unknown user {user_id}")
        member = Member(guild_id=guild_id, user_id=user_id, roles=list(roles), nick=nick)
        guild.members[user_id] = member
        self.gateway.broadcast(
            "GUILD_MEMBER_ADD",
            self.world.member_json(guild_id, user_id) | {"guild_id": str(guild_id)},
            guild_id=guild_id,
            intents=Intents.GUILD_MEMBERS,
        )
        return member

    @_threadsafe
    def add_channel(
        self,
        guild_id: int,
        name: str = "general",
        *,
        type: int = ChannelType.GUILD_TEXT,
        id: int | None = None,
        parent_id: int | None = None,
        topic: str | None = None,
        nsfw: bool = False,
    ) -> Channel:
        guild = self.world.guilds[guild_id]
        channel = Channel(
            id=id or self.snowflakes.next(),
            type=type,
            name=name,
            guild_id=guild_id,
            position=len(guild.channel_ids),
            parent_id=parent_id,
            topic=topic,
            nsfw=nsfw,
        )
        self.world.channels[channel.id] = channel
        guild.channel_ids.append(channel.id)
        if guild.system_channel_id is None and type == ChannelType.GUILD_TEXT:
            guild.system_channel_id = channel.id
        event = "THREAD_CREATE" if type in ChannelType.THREADS else "CHANNEL_CREATE"
        self.gateway.broadcast(
            event, self.world.channel_json(channel.id), guild_id=guild_id, intents=Intents.GUILDS
        )
        return channel

    @_threadsafe
    def set_permission_overwrite(
        self,
        channel_id: int,
        target_id: int,
        *,
        allow: int = 0,
        deny: int = 0,
        type: int | None = None,
    ) -> None:
        """Channel overwrite for a role (type 0) or member (type 1); type is guessed."""
        channel = self.world.channels[channel_id]
        assert channel.guild_id is not None
        guild = self.world.guilds[channel.guild_id]
        if type is None:
            type = 0 if target_id in guild.roles else 1
        channel.overwrites[target_id] = Overwrite(target_id, type, allow, deny)
        self.gateway.broadcast(
            "CHANNEL_UPDATE",
            self.world.channel_json(channel_id),
            guild_id=channel.guild_id,
            intents=Intents.GUILDS,
        )

    @_threadsafe
    def set_role_permissions(self, guild_id: int, role_id: int, permissions: int) -> None:
        role = self.world.guilds[guild_id].roles[role_id]
        role.permissions = permissions
        self.gateway.broadcast(
            "GUILD_ROLE_UPDATE",
            {"guild_id": str(guild_id), "role": role.to_dict()},
            guild_id=guild_id,
            intents=Intents.GUILDS,
        )

    @_threadsafe
    def dm_channel(self, user_id: int) -> Channel:
        """The DM channel between the bot and ``user_id`` (created if needed)."""
        return self._dm_channel(user_id)

    def _dm_channel(self, user_id: int) -> Channel:
        cid = self.world.dm_channels.get(user_id)
        if cid is not None:
            return self.world.channels[cid]
        channel = Channel(id=self.snowflakes.next(), type=ChannelType.DM, recipient_id=user_id)
        self.world.channels[channel.id] = channel
        self.world.dm_channels[user_id] = channel.id
        return channel

    @_threadsafe
    def add_basic_world(self, *, bot_permissions: int = 0) -> BasicWorld:
        """A guild with a #general text channel and a member "alice"."""
        guild = self.add_guild("Test Guild", bot_permissions=bot_permissions)
        channel = self.add_channel(guild.id, "general")
        user = self.add_user("alice", global_name="Alice")
        self.add_member(guild.id, user.id)
        return BasicWorld(guild, channel, user)

    # ============================================================ user actions
    @_threadsafe
    def dispatch_message(
        self,
        channel_id: int,
        author_id: int,
        content: str = "",
        *,
        embeds: list[dict[str, Any]] | None = None,
        attachments: Iterable[tuple[str, bytes]] = (),
        reply_to: int | None = None,
    ) -> dict[str, Any]:
        """A user posts a message; MESSAGE_CREATE goes to sessions with the right intents
        (content/embeds/attachments emptied without MESSAGE_CONTENT unless the bot is
        mentioned or it is a DM). Returns the full stored message."""
        world = self.world
        channel = world.channels.get(channel_id)
        if channel is None:
            raise FakeDiscordUsageError(f"unknown channel {channel_id}")
        if author_id not in world.users:
            raise FakeDiscordUsageError(f"unknown user {author_id}")
        if channel.type not in ChannelType.TEXT_CAPABLE:
            raise FakeDiscordUsageError("cannot post in a non-text channel")
        if channel.guild_id is not None:
            perms = world.channel_permissions(channel, author_id)
            need = (
                Permissions.SEND_MESSAGES_IN_THREADS
                if channel.type in ChannelType.THREADS
                else Permissions.SEND_MESSAGES
            )
            if not perms & Permissions.VIEW_CHANNEL or not perms & need:
                raise FakeDiscordUsageError(f"user {author_id} cannot send in channel {channel_id}")
        elif channel.recipient_id != author_id:
            raise FakeDiscordUsageError("only the DM recipient can post in this DM channel")
        files = []
        for filename, data in attachments:
            files.append({"filename": filename, "size": len(data), "data": data})
        reference = None
        if reply_to is not None:
            reference = world.messages.get(reply_to)
            if reference is None:
                raise FakeDiscordUsageError(f"unknown message {reply_to}")
        msg = build_message(
            self,
            channel,
            {"content": content, "embeds": embeds or []},
            author_id=author_id,
            files=files,
            msg_type=19 if reference else 0,
            reference=reference,
        )
        store_message(self, channel, msg)
        dispatch_message_event(self, "MESSAGE_CREATE", msg)
        self._notify()
        return msg

    @_threadsafe
    def dispatch_dm(self, user_id: int, content: str, **kwargs: Any) -> dict[str, Any]:
        """A user DMs the bot."""
        channel = self._dm_channel(user_id)
        return self.dispatch_message(channel.id, user_id, content, **kwargs)

    @_threadsafe
    def dispatch_event(self, t: str, d: Any, *, guild_id: int | None = None, intents: int = 0):
        """Raw gateway dispatch to every session handling ``guild_id``."""
        return self.gateway.broadcast(t, d, guild_id=guild_id, intents=intents)

    # ------------------------------------------------------------ interactions
    def _find_command(self, name: str, guild_id: int | None, ctype: int = 1) -> dict[str, Any]:
        if guild_id is not None:
            for cmd in self._guild_commands.get(guild_id, {}).values():
                if cmd["name"] == name and cmd["type"] == ctype:
                    return cmd
        for cmd in self._global_commands.values():
            if cmd["name"] == name and cmd["type"] == ctype:
                if guild_id is None:
                    contexts = cmd.get("contexts")
                    if (contexts is not None and 1 not in contexts) or cmd.get(
                        "dm_permission"
                    ) is False:
                        raise FakeDiscordUsageError(f"/{name} is not available in DMs")
                else:
                    contexts = cmd.get("contexts")
                    if contexts is not None and 0 not in contexts:
                        raise FakeDiscordUsageError(f"/{name} is not available in guilds")
                return cmd
        where = f"guild {guild_id} or globally" if guild_id else "globally"
        raise FakeDiscordUsageError(f"command {name!r} (type {ctype}) is not registered {where}")

    def _resolve_context(
        self, user_id: int, channel_id: int | None, guild_id: int | None
    ) -> Channel:
        world = self.world
        if user_id not in world.users:
            raise FakeDiscordUsageError(f"unknown user {user_id}")
        if channel_id is None:
            if guild_id is not None:
                guild = world.guilds[guild_id]
                text = [c for c in guild.channel_ids if world.channels[c].type == 0]
                if not text:
                    raise FakeDiscordUsageError("guild has no text channel")
                channel_id = text[0]
            else:
                return self._dm_channel(user_id)
        channel = world.channels.get(channel_id)
        if channel is None:
            raise FakeDiscordUsageError(f"unknown channel {channel_id}")
        if channel.guild_id is not None:
            guild = world.guilds[channel.guild_id]
            if user_id not in guild.members:
                raise FakeDiscordUsageError(f"user {user_id} is not in guild {guild.id}")
            perms = world.channel_permissions(channel, user_id)
            if not perms & Permissions.VIEW_CHANNEL:
                raise FakeDiscordUsageError(f"user {user_id} cannot see channel {channel.id}")
        return channel

    def _coerce_option(
        self,
        opt: dict[str, Any],
        value: Any,
        resolved: dict[str, dict[str, Any]],
        channel: Channel,
        user_id: int,
    ) -> Any:
        world = self.world
        otype = opt["type"]
        name = opt["name"]
        guild_id = channel.guild_id

        def as_id(v: Any) -> int:
            return int(getattr(v, "id", v))

        if otype == 3:
            if not isinstance(value, str):
                raise FakeDiscordUsageError(f"option {name!r} needs a string")
            lo, hi = opt.get("min_length", 0) or 0, opt.get("max_length", 6000) or 6000
            if not lo <= len(value) <= hi:
                raise FakeDiscordUsageError(f"option {name!r} length must be {lo}..{hi}")
            out: Any = value
        elif otype == 4:
            if isinstance(value, bool) or not isinstance(value, int):
                raise FakeDiscordUsageError(f"option {name!r} needs an integer")
            out = value
        elif otype == 10:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FakeDiscordUsageError(f"option {name!r} needs a number")
            out = value
        elif otype == 5:
            if not isinstance(value, bool):
                raise FakeDiscordUsageError(f"option {name!r} needs a boolean")
            out = value
        elif otype in (6, 9) and as_id(value) in world.users:
            uid = as_id(value)
            resolved.setdefault("users", {})[str(uid)] = world.user_json(uid)
            if guild_id is not None and uid in world.guilds[guild_id].members:
                resolved.setdefault("members", {})[str(uid)] = world.member_json(
                    guild_id,
                    uid,
                    with_user=False,
                    permissions=world.channel_permissions(channel, uid),
                )
            out = str(uid)
        elif (
            otype in (8, 9)
            and guild_id is not None
            and as_id(value) in world.guilds[guild_id].roles
        ):
            rid = as_id(value)
            resolved.setdefault("roles", {})[str(rid)] = world.guilds[guild_id].roles[rid].to_dict()
            out = str(rid)
        elif otype == 7 and as_id(value) in world.channels:
            cid = as_id(value)
            target = world.channels[cid]
            allowed_types = opt.get("channel_types")
            if allowed_types and target.type not in allowed_types:
                raise FakeDiscordUsageError(f"channel type {target.type} not allowed for {name!r}")
            data = world.channel_json(cid)
            data["permissions"] = str(world.channel_permissions(target, user_id))
            resolved.setdefault("channels", {})[str(cid)] = data
            out = str(cid)
        elif otype == 11:
            filename, blob = value
            att_id = self.snowflakes.next()
            url = f"{self.http_base}/attachments/{channel.id}/{att_id}/{filename}"
            self._attachments[f"{channel.id}/{att_id}/{filename}"] = blob
            resolved.setdefault("attachments", {})[str(att_id)] = {
                "id": str(att_id),
                "filename": filename,
                "size": len(blob),
                "url": url,
                "proxy_url": url,
                "ephemeral": True,
            }
            out = str(att_id)
        else:
            raise FakeDiscordUsageError(f"bad value {value!r} for option {name!r} (type {otype})")
        if otype in (4, 10):
            lo, hi = opt.get("min_value"), opt.get("max_value")
            if (lo is not None and out < lo) or (hi is not None and out > hi):
                raise FakeDiscordUsageError(f"option {name!r} out of range")
        choices = opt.get("choices")
        if choices and out not in [c["value"] for c in choices]:
            raise FakeDiscordUsageError(f"{out!r} is not a choice of option {name!r}")
        return out

    def _build_options(
        self,
        schema: list[dict[str, Any]],
        given: dict[str, Any],
        resolved: dict[str, dict[str, Any]],
        channel: Channel,
        user_id: int,
        focused: str | None,
    ) -> list[dict[str, Any]]:
        by_name = {o["name"]: o for o in schema}
        out = []
        for name, value in given.items():
            opt = by_name.get(name)
            if opt is None or opt["type"] in (1, 2):
                raise FakeDiscordUsageError(f"command has no option {name!r}")
            if name == focused:
                out.append(
                    {"name": name, "type": opt["type"], "value": str(value), "focused": True}
                )
                continue
            value = self._coerce_option(opt, value, resolved, channel, user_id)
            out.append({"name": name, "type": opt["type"], "value": value})
        if focused is None:
            for opt in schema:
                if opt.get("required") and opt["name"] not in given:
                    raise FakeDiscordUsageError(f"required option {opt['name']!r} missing")
        elif focused not in given:
            raise FakeDiscordUsageError(f"focused option {focused!r} must be in options")
        return out

    def _command_data(
        self,
        name: str,
        options: dict[str, Any] | None,
        channel: Channel,
        user_id: int,
        focused: str | None = None,
    ) -> dict[str, Any]:
        parts = name.split()
        cmd = self._find_command(parts[0], channel.guild_id)
        world = self.world
        if channel.guild_id is not None:
            guild = world.guilds[channel.guild_id]
            perms = world.channel_permissions(channel, user_id)
            if not perms & Permissions.USE_APPLICATION_COMMANDS:
                raise FakeDiscordUsageError("user lacks USE_APPLICATION_COMMANDS here")
            required = cmd.get("default_member_permissions")
            if required is not None:
                base = world.base_permissions(guild, user_id)
                need = int(required)
                if not base & Permissions.ADMINISTRATOR and (need == 0 or base & need != need):
                    raise FakeDiscordUsageError(
                        f"user lacks default_member_permissions={need} for /{parts[0]}"
                    )
        resolved: dict[str, dict[str, Any]] = {}
        schema = cmd.get("options") or []
        chain: list[dict[str, Any]] = []
        for part in parts[1:]:
            sub = next((o for o in schema if o["name"] == part and o["type"] in (1, 2)), None)
            if sub is None:
                raise FakeDiscordUsageError(f"no subcommand {part!r} in /{name}")
            chain.append(sub)
            schema = sub.get("options") or []
        if any(o["type"] in (1, 2) for o in schema):
            raise FakeDiscordUsageError(f"/{name} needs a subcommand")
        leaf = self._build_options(schema, options or {}, resolved, channel, user_id, focused)
        for sub in reversed(chain):
            leaf = [{"name": sub["name"], "type": sub["type"], "options": leaf}]
        data: dict[str, Any] = {
            "id": cmd["id"],
            "name": cmd["name"],
            "type": cmd["type"],
            "options": leaf,
        }
        if resolved:
            data["resolved"] = resolved
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return data

    def _make_interaction(
        self,
        itype: int,
        data: dict[str, Any],
        *,
        user_id: int,
        channel: Channel,
        message: dict[str, Any] | None = None,
        locale: str = "en-US",
        original: SentMessage | None = None,
    ) -> InteractionRecord:
        world = self.world
        iid = self.snowflakes.next()
        token = "aW50ZXJhY3Rpb246" + secrets.token_urlsafe(48)
        guild_id = channel.guild_id
        user_perms = world.channel_permissions(channel, user_id)
        channel_data = world.channel_json(channel.id)
        channel_data["permissions"] = str(user_perms)
        payload: dict[str, Any] = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel_data,
            "token": token,
            "version": 1,
            "app_permissions": str(world.channel_permissions(channel, self.bot_user.id)),
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": str(guild_id or 0)},
            "context": 0 if guild_id else 1,
            "attachment_size_limit": self.upload_limit,
        }
        if guild_id is not None:
            guild = world.guilds[guild_id]
            payload["guild_id"] = str(guild_id)
            payload["guild"] = {
                "id": str(guild_id),
                "locale": guild.preferred_locale,
                "features": list(guild.features),
            }
            payload["guild_locale"] = guild.preferred_locale
            payload["member"] = world.member_json(guild_id, user_id, permissions=user_perms)
        else:
            payload["user"] = world.user_json(user_id)
        if message is not None:
            payload["message"] = {k: v for k, v in message.items() if not k.startswith("_")}
        rec = InteractionRecord(
            id=iid,
            token=token,
            type=itype,
            payload=payload,
            dispatched_at=self.now(),
            channel_id=channel.id,
            guild_id=guild_id,
            user_id=user_id,
            original=original,
        )
        self.interactions[iid] = rec
        self._interactions_by_token[token] = rec
        delivered = self.gateway.broadcast("INTERACTION_CREATE", payload, guild_id=guild_id)
        if delivered == 0:
            raise FakeDiscordUsageError(
                "no gateway session would receive this interaction (is the bot connected?)"
            )
        rec.dispatched_at = self.now()
        self._notify()
        return rec

    @_threadsafe
    def dispatch_slash_command(
        self,
        name: str,
        *,
        user_id: int,
        channel_id: int | None = None,
        guild_id: int | None = None,
        options: dict[str, Any] | None = None,
        locale: str = "en-US",
        tamper: Callable[[dict[str, Any]], None] | None = None,
    ) -> InteractionRecord:
        """A user runs ``/name`` (``"group sub"`` for subcommands). The command must be
        registered (guild or global) and usable by the user; option values are typed
        from the registered schema (users/roles/channels by id -> ``resolved``).

        ``tamper`` plays a stale or modified client: it edits the interaction ``data``
        after the fake built it, to send what Discord's own client never would (an
        integer option as text, a channel missing from ``resolved``)."""
        channel = self._resolve_context(user_id, channel_id, guild_id)
        data = self._command_data(name, options, channel, user_id)
        if tamper is not None:
            tamper(data)
        return self._make_interaction(2, data, user_id=user_id, channel=channel, locale=locale)

    @_threadsafe
    def dispatch_context_menu(
        self,
        name: str,
        *,
        user_id: int,
        target_id: int,
        kind: str = "user",
        channel_id: int | None = None,
        guild_id: int | None = None,
    ) -> InteractionRecord:
        """A user/message context-menu command (types 2/3)."""
        channel = self._resolve_context(user_id, channel_id, guild_id)
        ctype = 2 if kind == "user" else 3
        cmd = self._find_command(name, channel.guild_id, ctype)
        world = self.world
        resolved: dict[str, Any] = {}
        if ctype == 2:
            resolved["users"] = {str(target_id): world.user_json(target_id)}
            if channel.guild_id and target_id in world.guilds[channel.guild_id].members:
                resolved["members"] = {
                    str(target_id): world.member_json(channel.guild_id, target_id, with_user=False)
                }
        else:
            msg = world.messages[target_id]
            resolved["messages"] = {str(target_id): msg}
        data = {
            "id": cmd["id"],
            "name": name,
            "type": ctype,
            "target_id": str(target_id),
            "resolved": resolved,
        }
        if "guild_id" in cmd:
            data["guild_id"] = cmd["guild_id"]
        return self._make_interaction(2, data, user_id=user_id, channel=channel)

    @_threadsafe
    def dispatch_autocomplete(
        self,
        name: str,
        *,
        user_id: int,
        focused: str,
        options: dict[str, Any],
        channel_id: int | None = None,
        guild_id: int | None = None,
    ) -> InteractionRecord:
        """The user is typing in option ``focused`` (its value is sent as typed text)."""
        channel = self._resolve_context(user_id, channel_id, guild_id)
        data = self._command_data(name, options, channel, user_id, focused=focused)
        return self._make_interaction(4, data, user_id=user_id, channel=channel)

    def _find_component(self, components: Any, custom_id: str) -> dict[str, Any] | None:
        for comp in components or []:
            if not isinstance(comp, dict):
                continue
            if comp.get("custom_id") == custom_id:
                return comp
            for key in ("components",):
                found = self._find_component(comp.get(key), custom_id)
                if found:
                    return found
            for key in ("accessory", "component"):
                if isinstance(comp.get(key), dict):
                    found = self._find_component([comp[key]], custom_id)
                    if found:
                        return found
        return None

    @_threadsafe
    def dispatch_component(
        self,
        message_id: int,
        custom_id: str,
        *,
        user_id: int,
        values: list[Any] | None = None,
    ) -> InteractionRecord:
        """A user clicks a button / picks select values on a message the bot sent."""
        world = self.world
        msg = world.messages.get(message_id)
        if msg is None or msg.get("_deleted"):
            raise FakeDiscordUsageError(f"unknown message {message_id}")
        if int(msg["author"]["id"]) != self.bot_user.id:
            raise FakeDiscordUsageError("components only exist on the bot's messages")
        comp = self._find_component(msg.get("components"), custom_id)
        if comp is None:
            raise FakeDiscordUsageError(f"message {message_id} has no component {custom_id!r}")
        if comp.get("disabled"):
            raise FakeDiscordUsageError(f"component {custom_id!r} is disabled")
        channel = world.channels[int(msg["channel_id"])]
        self._resolve_context(user_id, channel.id, None)
        ctype = comp["type"]
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": ctype}
        if ctype == 2:
            if comp.get("style") in (5, 6):
                raise FakeDiscordUsageError("link/premium buttons do not send interactions")
        else:
            values = list(values or [])
            lo, hi = comp.get("min_values", 1), comp.get("max_values", 1)
            if not lo <= len(values) <= hi:
                raise FakeDiscordUsageError(f"select needs {lo}..{hi} values")
            if ctype == 3:
                allowed = {o["value"] for o in comp.get("options", [])}
                bad = [v for v in values if v not in allowed]
                if bad:
                    raise FakeDiscordUsageError(f"{bad} are not options of {custom_id!r}")
                data["values"] = values
            else:
                resolved: dict[str, dict[str, Any]] = {}
                kind = {5: 6, 6: 8, 7: 9, 8: 7}[ctype]
                data["values"] = [
                    self._coerce_option(
                        {"type": kind, "name": custom_id}, v, resolved, channel, user_id
                    )
                    for v in values
                ]
                data["resolved"] = resolved
        original = next((s for s in self.bot_messages if s.message is msg), None)
        if original is None:
            original = SentMessage(msg, {}, "channel", channel.id)
        return self._make_interaction(
            3, data, user_id=user_id, channel=channel, message=msg, original=original
        )

    @_threadsafe
    def dispatch_modal_submit(
        self, interaction_id: int, values: dict[str, str], *, user_id: int | None = None
    ) -> InteractionRecord:
        """The user submits the modal the bot showed in reply to ``interaction_id``."""
        source = self.interactions[interaction_id]
        if source.response_type != 9:
            raise FakeDiscordUsageError("that interaction was not answered with a modal")
        modal = source.response_data
        user = user_id or source.user_id

        def fill(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for comp in components:
                c: dict[str, Any] = {"type": comp["type"]}
                if "id" in comp:
                    c["id"] = comp["id"]
                if comp["type"] == 4:
                    cid = comp["custom_id"]
                    value = values.get(cid, comp.get("value") or "")
                    if comp.get("required", True) and not value:
                        raise FakeDiscordUsageError(f"text input {cid!r} is required")
                    lo, hi = comp.get("min_length", 0) or 0, comp.get("max_length", 4000) or 4000
                    if value and not lo <= len(value) <= hi:
                        raise FakeDiscordUsageError(f"text input {cid!r} length must be {lo}..{hi}")
                    c.update(custom_id=cid, value=value)
                if "components" in comp:
                    c["components"] = fill(comp["components"])
                if isinstance(comp.get("component"), dict):
                    c["component"] = fill([comp["component"]])[0]
                out.append(c)
            return out

        data = {"custom_id": modal["custom_id"], "components": fill(modal["components"])}
        channel = self.world.channels[source.channel_id]
        message = None
        original = None
        if source.type == 3 and source.original is not None:
            message = source.original.message
            original = source.original
        return self._make_interaction(
            5, data, user_id=user, channel=channel, message=message, original=original
        )

    # ================================================================= gateway
    def _sessions(self, shard_id: int | None) -> list[Session]:
        return [
            s
            for s in self.gateway.live_sessions()
            if s.conn is not None and (shard_id is None or s.shard_id == shard_id)
        ]

    @_threadsafe
    def close_gateway(
        self, code: int = 4000, *, abrupt: bool = False, shard_id: int | None = None
    ) -> int:
        """Closes live gateway connections (with ``code``, or a TCP abort). Sessions stay
        resumable unless the code is 4007/4009. Returns how many were closed."""
        n = 0
        for conn in list(self.gateway.connections):
            session = conn.session
            if shard_id is not None and (session is None or session.shard_id != shard_id):
                continue
            if session is not None and code in (4007, 4009) and not abrupt:
                session.invalid = True
            if abrupt:
                conn.abort()
            else:
                conn.close(code, "Closed by test")
            n += 1
        return n

    @_threadsafe
    def send_reconnect(self, shard_id: int | None = None) -> int:
        """Sends op 7 RECONNECT (the client should close and RESUME)."""
        sessions = self._sessions(shard_id)
        for s in sessions:
            assert s.conn is not None
            s.conn.send({"op": 7, "d": None, "s": None, "t": None})
        return len(sessions)

    @_threadsafe
    def invalidate_sessions(self, *, resumable: bool = False, shard_id: int | None = None) -> int:
        """Sends op 9 INVALID_SESSION; with resumable=False the session is dropped."""
        sessions = self._sessions(shard_id)
        for s in sessions:
            assert s.conn is not None
            s.conn.send({"op": 9, "d": resumable, "s": None, "t": None})
            if not resumable:
                s.invalid = True
        return len(sessions)

    @property
    def sessions(self) -> list[Session]:
        return list(self.gateway.sessions.values())

    @property
    def identifies(self) -> list[GatewayEvent]:
        return [e for e in self.gateway_log if e.kind == "identify"]

    @property
    def resumes(self) -> list[GatewayEvent]:
        return [e for e in self.gateway_log if e.kind == "resume"]

    @property
    def gateway_errors(self) -> list[GatewayEvent]:
        """Closes the server made because the client broke a rule (4001-4014)."""
        return [e for e in self.gateway_log if e.kind == "error"]

    def _log_gateway(self, event: GatewayEvent) -> None:
        self.gateway_log.append(event)
        self._notify()

    # ================================================================= records
    def _record_request(self, rec: RecordedRequest) -> None:
        self.requests.append(rec)

    @property
    def errors(self) -> list[RecordedRequest]:
        """Every 4xx/5xx the fake answered, except ones the test injected."""
        return [r for r in self.requests if r.status >= 400 and not r.injected]

    @property
    def injected(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.injected]

    def assert_no_errors(self) -> None:
        """Fails if any REST error (not injected) or gateway rule violation happened."""
        problems: list[str] = [repr(r) for r in self.errors]
        problems += [f"gateway close {e.code}: {e.detail}" for e in self.gateway_errors]
        if problems:
            raise AssertionError("fake Discord saw errors:\n  " + "\n  ".join(problems))

    def requests_to(self, route: str) -> list[RecordedRequest]:
        """Requests matching ``"METHOD /template-or-path"``."""
        method, path = self._split_route(route)
        return [r for r in self.requests if r.method == method and path in (r.route, r.path)]

    @property
    def global_commands(self) -> list[dict[str, Any]]:
        return copy.deepcopy(list(self._global_commands.values()))

    def guild_commands(self, guild_id: int) -> list[dict[str, Any]]:
        return copy.deepcopy(list(self._guild_commands.get(guild_id, {}).values()))

    def messages_in(self, channel_id: int) -> list[dict[str, Any]]:
        """All visible (non-deleted, non-ephemeral) messages in a channel, oldest first."""
        world = self.world
        return [
            world.messages[m]
            for m in world.channel_messages.get(channel_id, [])
            if not world.messages[m].get("_deleted")
        ]

    # ================================================================= waiting
    def _notify(self) -> None:
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    @_threadsafe_async
    async def wait_for(
        self, predicate: Callable[[], T], timeout: float = 5.0, *, what: str = "condition"
    ) -> T:
        """Waits until ``predicate()`` is truthy; returns its value.

        Re-checked on every server change and every 20 ms. Raises TimeoutError with
        the latest errors the fake answered, to make failures readable."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(self._timeout_message(what, timeout))
            fut: asyncio.Future[None] = loop.create_future()
            self._waiters.append(fut)
            # Woken by server changes; the short poll also catches predicates on
            # client-side state (e.g. a list the bot's handler appends to).
            await asyncio.wait({fut}, timeout=min(remaining, 0.02))
            if not fut.done():
                fut.cancel()
                with contextlib.suppress(ValueError):
                    self._waiters.remove(fut)

    def _timeout_message(self, what: str, timeout: float) -> str:
        msg = f"fake Discord: timed out after {timeout}s waiting for {what}"
        if self.errors:
            msg += "\n  errors the fake answered: " + ", ".join(repr(e) for e in self.errors[-5:])
        if self.gateway_errors:
            msg += "\n  gateway errors: " + ", ".join(
                f"{e.code} {e.detail}" for e in self.gateway_errors[-5:]
            )
        return msg

    async def wait_for_message(
        self,
        channel_id: int | None = None,
        *,
        timeout: float = 5.0,
        predicate: Callable[[SentMessage], bool] | None = None,
        include_interaction_messages: bool = False,
    ) -> SentMessage:
        """Next bot message (in ``channel_id`` if given) not returned by an earlier call.

        By default only POST /channels/{id}/messages counts; pass
        ``include_interaction_messages=True`` for interaction responses/followups too.
        """

        def find() -> SentMessage | None:
            for sent in self.bot_messages:
                if id(sent) in self._consumed:
                    continue
                if channel_id is not None and sent.channel_id != channel_id:
                    continue
                if sent.source != "channel" and not include_interaction_messages:
                    continue
                if predicate is not None and not predicate(sent):
                    continue
                self._consumed.add(id(sent))
                return sent
            return None

        where = f" in channel {channel_id}" if channel_id else ""
        return await self.wait_for(find, timeout, what=f"a bot message{where}")

    async def wait_for_interaction_response(
        self, interaction_id: int | InteractionRecord, *, timeout: float = 5.0
    ) -> InteractionRecord:
        """Waits for the accepted initial callback; returns the InteractionRecord
        (``.response`` is the callback body, ``.followups``, ``.edits``, ``.original``)."""
        rec = self._interaction_record(interaction_id)
        return await self.wait_for(
            lambda: rec if rec.response is not None else None,
            timeout,
            what=f"a response to interaction {rec.id}",
        )

    async def wait_for_interaction_reply(
        self, interaction_id: int | InteractionRecord, *, timeout: float = 5.0
    ) -> InteractionRecord:
        """Waits for the answer the user sees: a message response (type 4), or after a
        deferral (type 5) the followup or edit that replaced "thinking"; returns the
        InteractionRecord, whose ``.reply`` is that message (type 6, 7: the clicked one)."""
        rec = await self.wait_for_interaction_response(interaction_id, timeout=timeout)
        if rec.response_type == 5:
            await self.wait_for_interaction_message(rec, timeout=timeout)
        return rec

    async def wait_for_interaction_message(
        self, interaction_id: int | InteractionRecord, *, timeout: float = 5.0
    ) -> SentMessage:
        """Waits until the interaction's original message has real content (after a
        type-4 response, or a deferral followed by an edit/followup)."""
        rec = self._interaction_record(interaction_id)

        def ready() -> SentMessage | None:
            orig = rec.original
            if orig is None or rec.response_type not in (4, 5, 7):
                return None
            if int(orig.message.get("flags", 0)) & (1 << 7):  # still "thinking"
                return None
            return orig

        return await self.wait_for(ready, timeout, what=f"the reply to interaction {rec.id}")

    async def wait_for_followup(
        self, interaction_id: int | InteractionRecord, count: int = 1, *, timeout: float = 5.0
    ) -> SentMessage:
        """Waits until ``count`` followups exist; returns the ``count``-th."""
        rec = self._interaction_record(interaction_id)
        return await self.wait_for(
            lambda: rec.followups[count - 1] if len(rec.followups) >= count else None,
            timeout,
            what=f"followup #{count} of interaction {rec.id}",
        )

    async def wait_for_request(
        self,
        route: str,
        *,
        timeout: float = 5.0,
        predicate: Callable[[RecordedRequest], bool] | None = None,
        count: int = 1,
    ) -> RecordedRequest:
        """Waits until ``count`` answered requests match ``route``; returns the last."""

        def find() -> RecordedRequest | None:
            hits = [r for r in self.requests_to(route) if r.status]
            if predicate is not None:
                hits = [r for r in hits if predicate(r)]
            return hits[count - 1] if len(hits) >= count else None

        return await self.wait_for(find, timeout, what=f"request {route}")

    async def wait_for_identify(self, count: int = 1, *, timeout: float = 5.0) -> GatewayEvent:
        """Waits for the ``count``-th READY the fake sent."""

        def find() -> GatewayEvent | None:
            readies = [e for e in self.gateway_log if e.kind == "ready"]
            return readies[count - 1] if len(readies) >= count else None

        return await self.wait_for(find, timeout, what=f"identify #{count}")

    async def wait_for_resume(self, count: int = 1, *, timeout: float = 5.0) -> GatewayEvent:
        return await self.wait_for(
            lambda: self.resumes[count - 1] if len(self.resumes) >= count else None,
            timeout,
            what=f"resume #{count}",
        )

    def _interaction_record(self, interaction: int | InteractionRecord) -> InteractionRecord:
        if isinstance(interaction, InteractionRecord):
            return interaction
        return self.interactions[int(interaction)]

    # ============================================================== attachments
    async def _serve_attachment(self, request: web.Request) -> web.StreamResponse:
        data = self._attachments.get(request.match_info["tail"])
        if data is None:
            raise web.HTTPNotFound()
        return web.Response(body=data)
