"""Building message objects and delivering MESSAGE_* events the way Discord does."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from .gateway import Session
from .models import Channel, ChannelType, Intents, Permissions, snowflake_time_iso
from .rules import (
    FLAG_EPHEMERAL,
    FLAG_IS_COMPONENTS_V2,
    FLAG_IS_VOICE_MESSAGE,
    FLAG_SUPPRESS_EMBEDS,
    FLAG_SUPPRESS_NOTIFICATIONS,
)

if TYPE_CHECKING:
    from .server import FakeDiscord

SENDABLE_FLAGS = (
    FLAG_SUPPRESS_EMBEDS
    | FLAG_SUPPRESS_NOTIFICATIONS
    | FLAG_IS_VOICE_MESSAGE
    | FLAG_IS_COMPONENTS_V2
)
INTERACTION_FLAGS = SENDABLE_FLAGS | FLAG_EPHEMERAL

_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


def compute_mentions(
    server: FakeDiscord,
    channel: Channel,
    content: str,
    allowed: dict[str, Any] | None,
    author_id: int,
    replied_user_id: int | None = None,
) -> tuple[list[int], list[int], bool]:
    """Users, roles and @everyone that actually ping, after ``allowed_mentions``."""
    world = server.world
    user_ids = [int(u) for u in _USER_MENTION.findall(content)]
    role_ids = [int(r) for r in _ROLE_MENTION.findall(content)]
    everyone = "@everyone" in content or "@here" in content
    guild = world.guilds.get(channel.guild_id) if channel.guild_id else None
    author_perms = world.channel_permissions(channel, author_id) if guild else 0

    if allowed is None:
        parse = {"users", "roles", "everyone"}
        allowed_users: set[int] | None = None
        allowed_roles: set[int] | None = None
        replied = True
    else:
        parse = set(allowed.get("parse") or [])
        allowed_users = {int(u) for u in allowed.get("users") or []}
        allowed_roles = {int(r) for r in allowed.get("roles") or []}
        replied = bool(allowed.get("replied_user", False))

    users: list[int] = []
    for uid in user_ids:
        if uid not in world.users or uid in users:
            continue
        if "users" in parse or (allowed_users is not None and uid in allowed_users):
            users.append(uid)
    if replied_user_id is not None and replied and replied_user_id not in users:
        users.append(replied_user_id)

    roles: list[int] = []
    if guild is not None:
        for rid in role_ids:
            role = guild.roles.get(rid)
            if role is None or rid in roles:
                continue
            if not ("roles" in parse or (allowed_roles is not None and rid in allowed_roles)):
                continue
            if role.mentionable or author_perms & Permissions.MENTION_EVERYONE:
                roles.append(rid)
    mention_everyone = (
        everyone
        and "everyone" in parse
        and guild is not None
        and bool(author_perms & Permissions.MENTION_EVERYONE)
    )
    return users, roles, mention_everyone


def normalize_embeds(embeds: Any) -> list[dict[str, Any]]:
    out = []
    for embed in embeds or []:
        e = copy.deepcopy(embed)
        e.setdefault("type", "rich")
        for f in e.get("fields", []) or []:
            f.setdefault("inline", False)
        out.append(e)
    return out


def build_attachments(
    server: FakeDiscord,
    channel_id: int,
    payload: dict[str, Any],
    files: list[dict[str, Any]],
    existing: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """New attachments come from uploaded files; ``existing`` ones are kept by id."""
    described = {}
    keep = []
    existing_by_id = {a["id"]: a for a in existing or []}
    for a in payload.get("attachments") or []:
        if not isinstance(a, dict):
            continue
        if str(a.get("id")) in existing_by_id:
            keep.append(existing_by_id[str(a.get("id"))])
        else:
            described[str(a.get("id"))] = a
    out = list(keep)
    for index, f in enumerate(files):
        att_id = server.snowflakes.next()
        meta = described.get(str(index), {})
        filename = meta.get("filename") or f["filename"]
        key = f"{channel_id}/{att_id}/{filename}"
        server._attachments[key] = f.get("data", b"")
        url = f"{server.http_base}/attachments/{key}"
        att = {
            "id": str(att_id),
            "filename": filename,
            "size": f["size"],
            "url": url,
            "proxy_url": url,
            "content_type": f.get("content_type"),
        }
        if meta.get("description"):
            att["description"] = meta["description"]
        out.append(att)
    return out


def build_message(
    server: FakeDiscord,
    channel: Channel,
    payload: dict[str, Any],
    *,
    author_id: int,
    files: list[dict[str, Any]] | None = None,
    msg_type: int = 0,
    flags: int = 0,
    reference: dict[str, Any] | None = None,
    webhook: bool = False,
    interaction: Any = None,
) -> dict[str, Any]:
    world = server.world
    mid = server.snowflakes.next()
    content = payload.get("content") or ""
    replied_user = None
    if reference is not None:
        replied_user = int(reference["author"]["id"])
    users, roles, everyone = compute_mentions(
        server, channel, content, payload.get("allowed_mentions"), author_id, replied_user
    )
    msg: dict[str, Any] = {
        "id": str(mid),
        "type": msg_type,
        "channel_id": str(channel.id),
        "author": world.user_json(author_id),
        "content": content,
        "timestamp": snowflake_time_iso(mid),
        "edited_timestamp": None,
        "tts": bool(payload.get("tts", False)),
        "mention_everyone": everyone,
        "mentions": [world.user_json(u) for u in users],
        "mention_roles": [str(r) for r in roles],
        "attachments": build_attachments(server, channel.id, payload, files or []),
        "embeds": normalize_embeds(payload.get("embeds")),
        "pinned": False,
        "flags": flags,
        "components": copy.deepcopy(payload.get("components") or []),
    }
    if payload.get("nonce") is not None:
        msg["nonce"] = payload["nonce"]
    if payload.get("sticker_ids"):
        msg["sticker_items"] = [
            {"id": str(s), "name": "sticker", "format_type": 1} for s in payload["sticker_ids"]
        ]
    if payload.get("poll"):
        msg["poll"] = copy.deepcopy(payload["poll"])
    if webhook:
        msg["webhook_id"] = str(server.application_id)
        msg["application_id"] = str(server.application_id)
    if interaction is not None:
        user = world.user_json(interaction.user_id)
        msg["interaction_metadata"] = {
            "id": str(interaction.id),
            "type": interaction.type,
            "user": user,
            "authorizing_integration_owners": interaction.payload.get(
                "authorizing_integration_owners", {}
            ),
        }
        if interaction.type == 2:
            msg["interaction"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "name": interaction.payload["data"].get("name", ""),
                "user": user,
            }
    if reference is not None:
        msg["message_reference"] = {
            "type": 0,
            "message_id": reference["id"],
            "channel_id": str(channel.id),
            "guild_id": str(channel.guild_id) if channel.guild_id else None,
        }
        ref = {k: v for k, v in reference.items() if k != "referenced_message"}
        msg["referenced_message"] = ref
    return msg


def public(msg: dict[str, Any]) -> dict[str, Any]:
    """The message as the API shows it (without the fake's private ``_`` keys)."""
    return {k: v for k, v in msg.items() if not k.startswith("_")}


def store_message(server: FakeDiscord, channel: Channel, msg: dict[str, Any]) -> None:
    """Makes a (non-ephemeral) message visible in its channel."""
    mid = int(msg["id"])
    server.world.messages[mid] = msg
    server.world.channel_messages.setdefault(channel.id, []).append(mid)
    channel.last_message_id = mid


def gateway_message(server: FakeDiscord, msg: dict[str, Any]) -> dict[str, Any]:
    """The MESSAGE_CREATE/UPDATE shape: adds guild_id, member, members of mentions."""
    world = server.world
    channel = world.channels[int(msg["channel_id"])]
    d = public(msg)
    if channel.guild_id is not None:
        guild = world.guilds[channel.guild_id]
        d["guild_id"] = str(channel.guild_id)
        author_id = int(msg["author"]["id"])
        if author_id in guild.members and "webhook_id" not in msg:
            d["member"] = world.member_json(guild.id, author_id, with_user=False)
        mentions = []
        for u in msg.get("mentions", []):
            u = dict(u)
            if int(u["id"]) in guild.members:
                u["member"] = world.member_json(guild.id, int(u["id"]), with_user=False)
            mentions.append(u)
        d["mentions"] = mentions
    return d


def _content_transform(server: FakeDiscord):
    bot_id = server.bot_user.id

    def transform(session: Session, d: dict[str, Any]) -> dict[str, Any]:
        if session.intents & Intents.MESSAGE_CONTENT:
            return d
        if d.get("guild_id") is None:  # DMs always carry content
            return d
        if int(d["author"]["id"]) == bot_id:
            return d
        if any(int(u["id"]) == bot_id for u in d.get("mentions", [])):
            return d
        d = dict(d)
        d["content"] = ""
        d["embeds"] = []
        d["attachments"] = []
        d["components"] = []
        d.pop("poll", None)
        return d

    return transform


def _bot_can_see(server: FakeDiscord, channel: Channel) -> bool:
    if channel.guild_id is None:
        return True
    perms = server.world.channel_permissions(channel, server.bot_user.id)
    return bool(perms & Permissions.VIEW_CHANNEL)


def dispatch_message_event(server: FakeDiscord, t: str, msg: dict[str, Any]) -> int:
    """MESSAGE_CREATE/UPDATE to sessions with the intent, if the bot can see the channel."""
    channel = server.world.channels[int(msg["channel_id"])]
    if not _bot_can_see(server, channel):
        return 0
    is_dm = channel.type in (ChannelType.DM, ChannelType.GROUP_DM)
    intents = Intents.DIRECT_MESSAGES if is_dm else Intents.GUILD_MESSAGES
    return server.gateway.broadcast(
        t,
        gateway_message(server, msg),
        guild_id=channel.guild_id,
        intents=intents,
        transform=_content_transform(server),
    )


def dispatch_message_delete(server: FakeDiscord, msg: dict[str, Any]) -> int:
    channel = server.world.channels[int(msg["channel_id"])]
    if not _bot_can_see(server, channel):
        return 0
    is_dm = channel.type in (ChannelType.DM, ChannelType.GROUP_DM)
    d: dict[str, Any] = {"id": msg["id"], "channel_id": msg["channel_id"]}
    if channel.guild_id is not None:
        d["guild_id"] = str(channel.guild_id)
    intents = Intents.DIRECT_MESSAGES if is_dm else Intents.GUILD_MESSAGES
    return server.gateway.broadcast("MESSAGE_DELETE", d, guild_id=channel.guild_id, intents=intents)
