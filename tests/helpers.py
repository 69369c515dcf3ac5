"""Mocks of discord.py objects, spec'd from the real classes, for calling cogs directly.

Every mock is built with `create_autospec(..., spec_set=True)` from the discord.py class
it stands for, so a test that touches an attribute or method the real class lacks fails
instead of passing silently. `MockInteraction` is a complete interaction: its response
records whether it was answered (so `is_done()` is right after `send_message`), and
`sent()` returns what the bot sent, through the response or a followup.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from unittest.mock import AsyncMock, MagicMock, create_autospec

import discord

_ids = itertools.count(100_000_000_000_000_001)

BOT_ID = 900_000_000_000_000_001
GUILD_ID = 910_000_000_000_000_001
CHANNEL_ID = 920_000_000_000_000_001
OTHER_CHANNEL_ID = 920_000_000_000_000_002
USER_ID = 930_000_000_000_000_001
BOT_ROLE_ID = 940_000_000_000_000_001

ADMIN = discord.Permissions(manage_guild=True, send_messages=True, view_channel=True)
MEMBER = discord.Permissions(send_messages=True, view_channel=True)


def next_id() -> int:
    """Return a fresh snowflake-sized id."""
    return next(_ids)


def mock_client_user(user_id: int = BOT_ID, name: str = "TriviaBot") -> MagicMock:
    """Return a ClientUser mock: the bot's own account."""
    user = create_autospec(discord.ClientUser, instance=True, spec_set=True)
    user.id = user_id
    user.name = name
    user.bot = True
    user.mention = f"<@{user_id}>"
    return user


def mock_user(user_id: int = USER_ID, *, bot: bool = False, name: str = "alice") -> MagicMock:
    """Return a User mock (someone in DMs)."""
    user = create_autospec(discord.User, instance=True, spec_set=True)
    user.id = user_id
    user.bot = bot
    user.name = name
    user.mention = f"<@{user_id}>"
    return user


def mock_role(role_id: int = BOT_ROLE_ID, name: str = "TriviaBot") -> MagicMock:
    """Return a Role mock."""
    role = create_autospec(discord.Role, instance=True, spec_set=True)
    role.id = role_id
    role.name = name
    role.mention = f"<@&{role_id}>"
    return role


def mock_guild(guild_id: int = GUILD_ID, *, me: MagicMock | None = None) -> MagicMock:
    """Return a Guild mock whose bot member is `me` and whose bot role is BOT_ROLE_ID."""
    guild = create_autospec(discord.Guild, instance=True, spec_set=True)
    guild.id = guild_id
    guild.name = "Test Guild"
    guild.self_role = mock_role()
    guild.me = me
    return guild


def mock_member(
    user_id: int = USER_ID,
    *,
    guild: MagicMock | None = None,
    permissions: discord.Permissions = MEMBER,
    bot: bool = False,
    name: str = "alice",
) -> MagicMock:
    """Return a Member mock of `guild` with `permissions` server-wide."""
    member = create_autospec(discord.Member, instance=True, spec_set=True)
    member.id = user_id
    member.bot = bot
    member.name = name
    member.mention = f"<@{user_id}>"
    member.guild = guild
    member.guild_permissions = permissions
    return member


def mock_text_channel(
    channel_id: int = CHANNEL_ID,
    *,
    guild: MagicMock | None = None,
    bot_permissions: discord.Permissions | None = None,
) -> MagicMock:
    """Return a TextChannel mock where the bot has `bot_permissions` (default: all it needs)."""
    channel = create_autospec(discord.TextChannel, instance=True, spec_set=True)
    channel.id = channel_id
    channel.name = f"channel-{channel_id % 1000}"
    channel.mention = f"<#{channel_id}>"
    channel.guild = guild
    channel.permissions_for.return_value = bot_permissions or discord.Permissions(
        view_channel=True,
        send_messages=True,
        send_messages_in_threads=True,
        embed_links=True,
        read_message_history=True,
        add_reactions=True,
    )
    return channel


def mock_dm_channel(channel_id: int | None = None) -> MagicMock:
    """Return a DMChannel mock."""
    channel = create_autospec(discord.DMChannel, instance=True, spec_set=True)
    channel.id = channel_id or next_id()
    return channel


def mock_message(
    content: str,
    *,
    author: MagicMock,
    channel: MagicMock,
    guild: MagicMock | None,
    mentions: list[int] = (),  # type: ignore[assignment]
    role_mentions: list[int] = (),  # type: ignore[assignment]
    mention_everyone: bool = False,
    message_id: int | None = None,
    webhook_id: int | None = None,
    message_type: discord.MessageType = discord.MessageType.default,
    embeds: list[discord.Embed] | None = None,
    reference: discord.MessageReference | None = None,
) -> MagicMock:
    """Return a Message mock; `mentions` and `role_mentions` are the ids Discord parsed;
    `reference` the message it replies to (its `resolved` as Discord sent it along)."""
    message = create_autospec(discord.Message, instance=True, spec_set=True)
    message.id = message_id or next_id()
    message.content = content
    message.author = author
    message.channel = channel
    message.guild = guild
    message.raw_mentions = list(mentions)
    message.raw_role_mentions = list(role_mentions)
    message.mention_everyone = mention_everyone
    message.webhook_id = webhook_id
    message.type = message_type
    message.embeds = embeds or []
    message.reference = reference
    return message


class MockInteraction:
    """Build an Interaction mock (spec'd from discord.Interaction) with a working response.

    Use `MockInteraction.make(client, ...)`; the result is the mock itself, whose
    `response.is_done()` turns True once `send_message` (or `defer`) was awaited.
    """

    @staticmethod
    def make(
        client: Any,
        *,
        user: MagicMock | None = None,
        guild: MagicMock | None = None,
        channel: MagicMock | None = None,
        permissions: discord.Permissions = MEMBER,
        message: MagicMock | None = None,
        command: Any = None,
    ) -> MagicMock:
        """Return an interaction from `user` in `channel` of `guild` (None: a DM)."""
        interaction = create_autospec(discord.Interaction, instance=True, spec_set=True)
        interaction.id = next_id()
        interaction.created_at = discord.utils.utcnow()
        interaction.client = client
        interaction.guild = guild
        interaction.guild_id = guild.id if guild is not None else None
        if user is None:
            user = mock_member(guild=guild, permissions=permissions) if guild else mock_user()
        interaction.user = user
        if channel is None:
            channel = mock_text_channel(guild=guild) if guild else mock_dm_channel()
        interaction.channel = channel
        interaction.channel_id = channel.id
        interaction.permissions = permissions
        interaction.message = message
        interaction.command = command
        interaction.response = _mock_response()
        interaction.followup = create_autospec(discord.Webhook, instance=True, spec_set=True)
        return interaction


def _mock_response() -> MagicMock:
    """Return an InteractionResponse mock that remembers being answered."""
    response = create_autospec(discord.InteractionResponse, instance=True, spec_set=True)
    state = {"done": False}

    async def answer(*args: Any, **kwargs: Any) -> None:
        if state["done"]:
            raise discord.InteractionResponded(MagicMock())
        state["done"] = True

    response.is_done.side_effect = lambda: state["done"]
    for name in ("send_message", "defer", "edit_message", "send_modal", "autocomplete"):
        getattr(response, name).side_effect = answer
    return response


@dataclass(frozen=True)
class Sent:
    """What the bot sent in answer to an interaction or a message."""

    content: str | None
    embed: discord.Embed | None
    view: discord.ui.View | None
    ephemeral: bool
    kwargs: dict[str, Any]


def _sent_from(call_kwargs: dict[str, Any], args: tuple[Any, ...] = ()) -> Sent:
    content = call_kwargs.get("content", args[0] if args else None)
    return Sent(
        content=content,
        embed=call_kwargs.get("embed"),
        view=call_kwargs.get("view"),
        ephemeral=bool(call_kwargs.get("ephemeral", False)),
        kwargs=call_kwargs,
    )


def sent(interaction: MagicMock) -> Sent:
    """Return the one thing the bot sent for `interaction` (response or followup)."""
    calls = [
        *interaction.response.send_message.await_args_list,
        *interaction.followup.send.await_args_list,
    ]
    assert len(calls) == 1, f"expected one reply, got {len(calls)}: {calls}"
    return _sent_from(calls[0].kwargs, calls[0].args)


def replied(message: MagicMock) -> Sent | None:
    """Return what the bot replied to `message`, or None if it stayed silent."""
    reply: AsyncMock = message.reply
    if not reply.await_args_list:
        return None
    assert len(reply.await_args_list) == 1, "the bot replied more than once"
    call = reply.await_args_list[0]
    return _sent_from(call.kwargs, call.args)


def buttons(view: discord.ui.View | None) -> list[discord.ui.Button[Any]]:
    """Return the buttons of `view` (dynamic items unwrapped)."""
    if view is None:
        return []
    found = []
    for child in view.children:
        item = getattr(child, "item", child)
        if isinstance(item, discord.ui.Button):
            found.append(item)
    return found
