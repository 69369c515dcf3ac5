"""The command tree: one place where every slash-command error becomes a friendly reply.

`TriviaTree.on_error` maps each error a user can cause (cooldown, missing permission, a
DM where a server is needed, an option value that is not one of the choices) to a short
ephemeral reply, and logs anything unexpected with its traceback. `send_ephemeral`
answers through the followup webhook when the interaction was already answered, so a
command that touches the database first calls `defer_reply` (Discord allows 3 seconds
to acknowledge) and answers afterwards the same way.

Buttons are outside the tree: an unexpected error in one goes to `component_error`
instead, which logs it the same way and apologises privately. Views get it by deriving
from `TriviaView`; dynamic items (rebuilt by discord.py into a plain view on each click,
so no view of ours sees their errors) by decorating their callback with `@guarded`.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import discord
from discord import app_commands

from bot.discord_ui.embeds import shorten
from bot.discord_ui.options import invalid_option, lacks_autocomplete
from bot.storage import InvalidSettingError, StoreError

log = logging.getLogger(__name__)
ItemT = TypeVar("ItemT", bound="discord.ui.Item[Any]")

UNEXPECTED = "Sorry, something went wrong on my side. It has been logged; please try again later."
OUT_OF_DATE = (
    "That command is out of date. An admin can refresh my commands with `python -m bot sync`."
)
# For a fitting apology when the database is down, a command's `extras` say whether it
# only reads (STORE_ACTION "load"; default "save") and what it reads or writes
# (STORE_SUBJECT; default "settings").
STORE_ACTION = "store_action"
STORE_SUBJECT = "store_subject"


def store_apology(action: str = "save", subject: str = "settings") -> str:
    """Return the apology for failing to `action` ("save"/"load") `subject` in the database."""
    if action == "load":
        return (
            f"Sorry, I couldn't load {subject} right now: my database is unavailable. Please "
            "try again in a few minutes."
        )
    return (
        f"Sorry, I couldn't save {subject} right now: my database is unavailable. Nothing was "
        "changed; please try again in a few minutes."
    )


SAVE_FAILED = store_apology("save")
LOAD_FAILED = store_apology("load")
_PERMISSION_NAMES = {
    "manage_guild": "Manage Server",
    "administrator": "Administrator",
    "read_messages": "View Channels",
    "view_channel": "View Channels",
}


def permission_name(flag: str) -> str:
    """Return the name Discord's interface shows for the permission `flag`."""
    return _PERMISSION_NAMES.get(flag, flag.replace("_", " ").title())


def error_message(interaction: discord.Interaction[Any], error: Exception) -> str | None:
    """Return the reply for `error` in `interaction`, or None when it is unexpected."""
    if isinstance(error, app_commands.CommandInvokeError):
        original = error.original
        if isinstance(original, InvalidSettingError):
            return f"That setting isn't valid: {shorten(str(original), 300)}. Nothing was changed."
        if isinstance(original, StoreError):
            extras = interaction.command.extras if interaction.command else {}
            return store_apology(
                extras.get(STORE_ACTION, "save"), extras.get(STORE_SUBJECT, "settings")
            )
        return None
    if isinstance(error, app_commands.CommandOnCooldown):
        ready_at = discord.utils.utcnow() + dt.timedelta(seconds=error.retry_after)
        return (
            f"Slow down a little: you can use this again {discord.utils.format_dt(ready_at, 'R')}."
        )
    if isinstance(error, app_commands.MissingPermissions):
        names = ", ".join(f"**{permission_name(p)}**" for p in error.missing_permissions)
        plural = "s" if len(error.missing_permissions) > 1 else ""
        return f"Only members with the {names} permission{plural} can use this command."
    if isinstance(error, app_commands.BotMissingPermissions):
        names = ", ".join(f"**{permission_name(p)}**" for p in error.missing_permissions)
        return f"I'm missing the {names} permission here, so I can't do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server, not in DMs."
    if isinstance(error, app_commands.TransformerError):
        shown = shorten(str(error.value), 100)
        return f"I don't know “{shown}” here: pick one of the suggestions shown as you type."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here."
    if isinstance(error, app_commands.CommandNotFound | app_commands.CommandSignatureMismatch):
        return OUT_OF_DATE
    return None


async def send_ephemeral(
    interaction: discord.Interaction[Any],
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
) -> None:
    """Reply only to the user of `interaction`: the response, or a followup if already sent."""
    kwargs: dict[str, Any] = {"ephemeral": True}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    try:
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)
    except discord.HTTPException as exc:
        # The interaction expired (15 minutes) or was deleted: nobody is there to read it.
        log.warning(
            "could not reply to interaction %s in guild %s: %s",
            interaction.id,
            interaction.guild_id,
            exc,
        )


async def defer_reply(interaction: discord.Interaction[Any], *, ephemeral: bool) -> None:
    """Acknowledge `interaction` ("thinking…", `ephemeral` or not) before slow work.

    Discord gives 3 seconds to acknowledge; the answer may then come up to 15 minutes
    later, through `send_ephemeral` or `interaction.followup`. The first followup takes
    the place of the "thinking" message and keeps its visibility.
    """
    if not interaction.response.is_done():
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)


async def component_error(
    interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any]
) -> None:
    """Log the unexpected `error` of the button `item` in `interaction`; apologise privately."""
    custom_id = getattr(item, "custom_id", None)
    log.error(
        "error in %s (%s) in guild %s",
        type(item).__name__,
        custom_id,
        interaction.guild_id,
        exc_info=error,
    )
    await send_ephemeral(interaction, UNEXPECTED)


class TriviaView(discord.ui.View):
    """A view whose buttons' unexpected errors get a private apology (`component_error`)."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Log `error` of `item` in `interaction` and tell the user something went wrong."""
        await component_error(interaction, error, item)


def guarded(
    callback: Callable[[ItemT, discord.Interaction[Any]], Coroutine[Any, Any, None]],
) -> Callable[[ItemT, discord.Interaction[Any]], Coroutine[Any, Any, None]]:
    """Return the dynamic item `callback` with its unexpected errors sent to `component_error`."""

    @functools.wraps(callback)
    async def run(item: ItemT, interaction: discord.Interaction[Any]) -> None:
        try:
            await callback(item, interaction)
        except Exception as exc:
            await component_error(interaction, exc, item)

    return run


class TriviaTree(app_commands.CommandTree[Any]):
    """The command tree with the bot's one error path."""

    async def interaction_check(self, interaction: discord.Interaction[Any], /) -> bool:
        """Refuse what only a stale or modified client sends, before any command runs.

        An option value Discord's client would never send gets a private message; an
        autocomplete request for an option without suggestions gets an empty list.
        """
        command = interaction.command.qualified_name if interaction.command else "?"
        if lacks_autocomplete(interaction):
            log.debug("/%s: suggestions asked for an option that has none", command)
            await interaction.response.autocomplete([])
            return False
        problem = invalid_option(interaction)
        if problem is None:
            return True
        log.debug("/%s refused in guild %s: %s", command, interaction.guild_id, problem)
        await send_ephemeral(interaction, problem)
        return False

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        """Tell the user what went wrong in `interaction`; log `error` if it was unexpected."""
        message = error_message(interaction, error)
        command = interaction.command.qualified_name if interaction.command else "?"
        guild = interaction.guild_id
        if message is None:
            log.error("error in /%s in guild %s", command, guild, exc_info=error)
            message = UNEXPECTED
        elif isinstance(error, app_commands.CommandInvokeError):
            log.warning("/%s failed in guild %s: %s", command, guild, error.original)
        else:
            log.debug("/%s refused in guild %s: %s", command, guild, error)
        await send_ephemeral(interaction, message)
