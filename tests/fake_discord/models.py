"""The fake's world: users, guilds, roles, channels, members, messages.

Objects are plain dataclasses; ``World`` turns them into the JSON shapes Discord
sends (ids as strings, ISO-8601 timestamps) and computes permissions with
Discord's algorithm (base role permissions, ADMINISTRATOR, owner, then channel
overwrites for @everyone, roles, member; no VIEW_CHANNEL means no permissions).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import threading
import time
from dataclasses import dataclass, field
from typing import Any, ClassVar

DISCORD_EPOCH_MS = 1420070400000


class Intents:
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_MODERATION = 1 << 2
    GUILD_EXPRESSIONS = 1 << 3
    GUILD_INTEGRATIONS = 1 << 4
    GUILD_WEBHOOKS = 1 << 5
    GUILD_INVITES = 1 << 6
    GUILD_VOICE_STATES = 1 << 7
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    GUILD_MESSAGE_REACTIONS = 1 << 10
    GUILD_MESSAGE_TYPING = 1 << 11
    DIRECT_MESSAGES = 1 << 12
    DIRECT_MESSAGE_REACTIONS = 1 << 13
    DIRECT_MESSAGE_TYPING = 1 << 14
    MESSAGE_CONTENT = 1 << 15
    GUILD_SCHEDULED_EVENTS = 1 << 16
    AUTO_MODERATION_CONFIGURATION = 1 << 20
    AUTO_MODERATION_EXECUTION = 1 << 21
    GUILD_MESSAGE_POLLS = 1 << 24
    DIRECT_MESSAGE_POLLS = 1 << 25

    VALID = (
        sum(1 << b for b in range(17))
        | AUTO_MODERATION_CONFIGURATION
        | AUTO_MODERATION_EXECUTION
        | GUILD_MESSAGE_POLLS
        | DIRECT_MESSAGE_POLLS
    )
    PRIVILEGED: ClassVar[dict[int, str]] = {
        GUILD_MEMBERS: "members",
        GUILD_PRESENCES: "presences",
        MESSAGE_CONTENT: "message_content",
    }


class Permissions:
    CREATE_INSTANT_INVITE = 1 << 0
    KICK_MEMBERS = 1 << 1
    BAN_MEMBERS = 1 << 2
    ADMINISTRATOR = 1 << 3
    MANAGE_CHANNELS = 1 << 4
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_AUDIT_LOG = 1 << 7
    PRIORITY_SPEAKER = 1 << 8
    STREAM = 1 << 9
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    SEND_TTS_MESSAGES = 1 << 12
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_EXTERNAL_EMOJIS = 1 << 18
    VIEW_GUILD_INSIGHTS = 1 << 19
    CONNECT = 1 << 20
    SPEAK = 1 << 21
    CHANGE_NICKNAME = 1 << 26
    MANAGE_ROLES = 1 << 28
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38

    ALL = (1 << 53) - 1
    # What @everyone gets in a freshly created Discord server (close enough).
    DEFAULT_EVERYONE = (
        CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | STREAM
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | MENTION_EVERYONE
        | USE_EXTERNAL_EMOJIS
        | CONNECT
        | SPEAK
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS
        | SEND_MESSAGES_IN_THREADS
    )


class ChannelType:
    GUILD_TEXT = 0
    DM = 1
    GUILD_VOICE = 2
    GROUP_DM = 3
    GUILD_CATEGORY = 4
    GUILD_ANNOUNCEMENT = 5
    ANNOUNCEMENT_THREAD = 10
    PUBLIC_THREAD = 11
    PRIVATE_THREAD = 12
    GUILD_STAGE_VOICE = 13
    GUILD_FORUM = 15

    TEXT_CAPABLE = frozenset({0, 1, 2, 3, 5, 10, 11, 12, 13})
    THREADS = frozenset({10, 11, 12})


class Snowflakes:
    """Strictly increasing snowflakes built from the current time."""

    def __init__(self) -> None:
        self._last = 0
        self._lock = threading.Lock()
        self._counter = itertools.count()

    def next(self) -> int:
        with self._lock:
            ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
            candidate = (ms << 22) | (1 << 17) | (next(self._counter) & 0xFFF)
            self._last = max(self._last + 1, candidate)
            return self._last


def iso_now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat()


def snowflake_time_iso(snowflake: int) -> str:
    ms = (snowflake >> 22) + DISCORD_EPOCH_MS
    return _dt.datetime.fromtimestamp(ms / 1000, _dt.UTC).isoformat()


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    discriminator: str = "0"
    avatar: str | None = None
    # False: the user blocks DMs from server members (sending gets 50007).
    dms_open: bool = True

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": self.discriminator,
            "avatar": self.avatar,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "collectibles": None,
            "primary_guild": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class Role:
    id: int
    guild_id: int
    name: str
    permissions: int = 0
    position: int = 0
    color: int = 0
    hoist: bool = False
    managed: bool = False
    mentionable: bool = False
    bot_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": self.hoist,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class Overwrite:
    id: int
    type: int  # 0 role, 1 member
    allow: int = 0
    deny: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "type": self.type,
            "allow": str(self.allow),
            "deny": str(self.deny),
        }


@dataclass
class Channel:
    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None
    nsfw: bool = False
    overwrites: dict[int, Overwrite] = field(default_factory=dict)
    recipient_id: int | None = None  # DM channels
    last_message_id: int | None = None
    rate_limit_per_user: int = 0


@dataclass
class Member:
    guild_id: int
    user_id: int
    roles: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)
    communication_disabled_until: str | None = None


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    channel_ids: list[int] = field(default_factory=list)
    features: list[str] = field(default_factory=list)
    preferred_locale: str = "en-US"
    bot_role_id: int | None = None
    system_channel_id: int | None = None

    @property
    def everyone_role_id(self) -> int:
        return self.id


class World:
    """All objects the fake knows, plus JSON rendering and permission maths."""

    def __init__(self, snowflakes: Snowflakes) -> None:
        self.snowflakes = snowflakes
        self.users: dict[int, User] = {}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}
        self.messages: dict[int, dict[str, Any]] = {}
        self.channel_messages: dict[int, list[int]] = {}
        self.dm_channels: dict[int, int] = {}  # user id -> DM channel id

    # ------------------------------------------------------------------ lookup
    def user(self, user_id: int) -> User | None:
        return self.users.get(user_id)

    def shares_guild(self, a: int, b: int) -> bool:
        return any(a in g.members and b in g.members for g in self.guilds.values())

    # ------------------------------------------------------------- permissions
    def base_permissions(self, guild: Guild, user_id: int) -> int:
        if user_id == guild.owner_id:
            return Permissions.ALL
        member = guild.members.get(user_id)
        if member is None:
            return 0
        perms = guild.roles[guild.id].permissions
        for role_id in member.roles:
            role = guild.roles.get(role_id)
            if role is not None:
                perms |= role.permissions
        if perms & Permissions.ADMINISTRATOR:
            return Permissions.ALL
        return perms

    def channel_permissions(self, channel: Channel, user_id: int) -> int:
        if channel.guild_id is None:
            # DMs: everything a DM allows.
            return (
                Permissions.VIEW_CHANNEL
                | Permissions.SEND_MESSAGES
                | Permissions.READ_MESSAGE_HISTORY
                | Permissions.EMBED_LINKS
                | Permissions.ATTACH_FILES
                | Permissions.ADD_REACTIONS
                | Permissions.USE_EXTERNAL_EMOJIS
                | Permissions.USE_APPLICATION_COMMANDS
            )
        guild = self.guilds[channel.guild_id]
        perms = self.base_permissions(guild, user_id)
        if perms & Permissions.ADMINISTRATOR:
            return Permissions.ALL
        member = guild.members.get(user_id)
        if member is None:
            return 0
        # Threads take their permissions from the parent channel.
        source = channel
        if channel.type in ChannelType.THREADS and channel.parent_id in self.channels:
            source = self.channels[channel.parent_id]
        ow = source.overwrites
        everyone = ow.get(guild.id)
        if everyone is not None:
            perms = (perms & ~everyone.deny) | everyone.allow
        allow = deny = 0
        for role_id in member.roles:
            o = ow.get(role_id)
            if o is not None and o.type == 0:
                allow |= o.allow
                deny |= o.deny
        perms = (perms & ~deny) | allow
        mo = ow.get(user_id)
        if mo is not None and mo.type == 1:
            perms = (perms & ~mo.deny) | mo.allow
        if not perms & Permissions.VIEW_CHANNEL:
            return 0
        if not perms & Permissions.SEND_MESSAGES:
            perms &= ~(
                Permissions.SEND_TTS_MESSAGES
                | Permissions.MENTION_EVERYONE
                | Permissions.EMBED_LINKS
                | Permissions.ATTACH_FILES
            )
        return perms

    # -------------------------------------------------------------------- JSON
    def user_json(self, user_id: int) -> dict[str, Any]:
        return self.users[user_id].to_dict()

    def member_json(
        self, guild_id: int, user_id: int, *, with_user: bool = True, permissions: int | None = None
    ) -> dict[str, Any]:
        member = self.guilds[guild_id].members[user_id]
        data: dict[str, Any] = {
            "roles": [str(r) for r in member.roles],
            "nick": member.nick,
            "avatar": None,
            "banner": None,
            "joined_at": member.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": member.communication_disabled_until,
        }
        if with_user:
            data["user"] = self.user_json(user_id)
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data

    def channel_json(self, channel_id: int) -> dict[str, Any]:
        ch = self.channels[channel_id]
        if ch.type == ChannelType.DM:
            assert ch.recipient_id is not None
            return {
                "id": str(ch.id),
                "type": ch.type,
                "last_message_id": str(ch.last_message_id) if ch.last_message_id else None,
                "recipients": [self.user_json(ch.recipient_id)],
                "flags": 0,
            }
        data: dict[str, Any] = {
            "id": str(ch.id),
            "type": ch.type,
            "guild_id": str(ch.guild_id),
            "name": ch.name,
            "position": ch.position,
            "permission_overwrites": [o.to_dict() for o in ch.overwrites.values()],
            "parent_id": str(ch.parent_id) if ch.parent_id else None,
            "nsfw": ch.nsfw,
            "flags": 0,
        }
        if ch.type in (ChannelType.GUILD_TEXT, ChannelType.GUILD_ANNOUNCEMENT):
            data.update(
                topic=ch.topic,
                last_message_id=str(ch.last_message_id) if ch.last_message_id else None,
                rate_limit_per_user=ch.rate_limit_per_user,
                default_auto_archive_duration=1440,
                default_thread_rate_limit_per_user=0,
            )
        elif ch.type in (ChannelType.GUILD_VOICE, ChannelType.GUILD_STAGE_VOICE):
            data.update(
                bitrate=64000,
                user_limit=0,
                rtc_region=None,
                video_quality_mode=1,
                last_message_id=None,
                rate_limit_per_user=0,
            )
        elif ch.type in ChannelType.THREADS:
            # Discord always names who started a thread; here the guild's owner did.
            owner = self.guilds[ch.guild_id].owner_id if ch.guild_id in self.guilds else None
            data.update(
                owner_id=str(owner) if owner is not None else None,
                member_count=1,
                message_count=0,
                rate_limit_per_user=0,
                last_message_id=None,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": iso_now(),
                    "locked": False,
                },
            )
        elif ch.type == ChannelType.GUILD_FORUM:
            data.update(
                topic=ch.topic,
                available_tags=[],
                default_reaction_emoji=None,
                default_sort_order=None,
                default_forum_layout=0,
                rate_limit_per_user=0,
            )
        return data

    def guild_json(self, guild_id: int, *, gateway: bool = False, with_all_members: bool = False):
        g = self.guilds[guild_id]
        data: dict[str, Any] = {
            "id": str(g.id),
            "name": g.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(g.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_id": str(g.system_channel_id) if g.system_channel_id else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "preferred_locale": g.preferred_locale,
            "features": list(g.features),
            "roles": [r.to_dict() for r in g.roles.values()],
            "emojis": [],
            "stickers": [],
            "max_members": 500000,
            "max_presences": None,
            "max_video_channel_users": 25,
            "max_stage_video_channel_users": 50,
            "widget_enabled": False,
            "widget_channel_id": None,
            "application_id": None,
            "incidents_data": None,
        }
        if gateway:
            bot_ids = [uid for uid in g.members if self.users[uid].bot]
            member_ids = list(g.members) if with_all_members else bot_ids
            data.update(
                unavailable=False,
                large=len(g.members) >= 250,
                member_count=len(g.members),
                joined_at=iso_now(),
                channels=[
                    self.channel_json(c)
                    for c in g.channel_ids
                    if self.channels[c].type not in ChannelType.THREADS
                ],
                threads=[
                    self.channel_json(c)
                    for c in g.channel_ids
                    if self.channels[c].type in ChannelType.THREADS
                ],
                members=[self.member_json(g.id, uid) for uid in member_ids],
                presences=[],
                voice_states=[],
                stage_instances=[],
                guild_scheduled_events=[],
                soundboard_sounds=[],
                embedded_activities=[],
            )
        return data
