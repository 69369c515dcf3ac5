"""A fake Discord (REST API v10 + JSON gateway) for end-to-end tests.

It listens on 127.0.0.1 (random port) and enforces what Discord enforces: bot
token auth, command/message/embed/component limits, one initial response per
interaction within 3 s, 15-minute interaction tokens, privileged intents (close
4014), sharding, RESUME, and so on. Tests drive it through ``FakeDiscord``:

    async with FakeDiscord(message_content_allowed=True) as fd:
        world = fd.add_basic_world()              # guild, #general, user "alice"
        restore = point_discord_py_at(fd.api_base, fd.gateway_url)
        ...start the bot (in-process or `python -m bot run` with env=fd.env)...
        fd.dispatch_message(world.channel.id, world.user.id, "hello")
        reply = await fd.wait_for_message(world.channel.id)
        fd.assert_no_errors()

See ``server.FakeDiscord`` for the full API.
"""

from .discordpy import point_discord_py_at, pointed_at, running_client
from .errors import APIError
from .gateway import shard_for_guild
from .models import Channel, ChannelType, Guild, Intents, Member, Permissions, Role, User
from .records import GatewayEvent, InteractionRecord, RecordedRequest, SentMessage
from .server import BasicWorld, FakeDiscord, FakeDiscordUsageError

__all__ = [
    "APIError",
    "BasicWorld",
    "Channel",
    "ChannelType",
    "FakeDiscord",
    "FakeDiscordUsageError",
    "GatewayEvent",
    "Guild",
    "Intents",
    "InteractionRecord",
    "Member",
    "Permissions",
    "RecordedRequest",
    "Role",
    "SentMessage",
    "User",
    "point_discord_py_at",
    "pointed_at",
    "running_client",
    "shard_for_guild",
]
