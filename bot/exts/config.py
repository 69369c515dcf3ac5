"""`/config …`: the server admins' settings, in one guild-only group.

Discord hides the group from members without Manage Server (`default_permissions`), but
server owners can change that in Integrations and Discord ignores it on subcommands, so
every subcommand also checks the permission itself (`admin_only`). Replies are ephemeral.
A command that uses the database acknowledges first (`defer_reply`), so a slow database
cannot make Discord give up on it; a database failure reaches the command tree, which
apologises that nothing was saved (or could be loaded).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.bot import REQUIRED_PERMISSIONS, TriviaBot
from bot.discord_ui import embeds
from bot.discord_ui.quiz_views import ConfirmView, plural
from bot.discord_ui.tree import STORE_ACTION, defer_reply, permission_name, send_ephemeral
from bot.storage import GuildSettings, setting_bounds

log = logging.getLogger(__name__)
T = TypeVar("T")

RATE, PER = 5, 30.0
MAX_COOLDOWN = 3600
REPORTS_SHOWN = embeds.MAX_REPORTS_SHOWN
READS = {STORE_ACTION: "load"}
_ROUND_SECONDS, _ROUNDS = setting_bounds("trivia_round_seconds"), setting_bounds("trivia_rounds")
MIN_ROUND_SECONDS, MAX_ROUND_SECONDS = int(_ROUND_SECONDS[0]), int(_ROUND_SECONDS[1])
MIN_ROUNDS, MAX_ROUNDS = int(_ROUNDS[0]), int(_ROUNDS[1])
_DEFAULTS = GuildSettings()

ON_OFF = [app_commands.Choice(name="On", value="on"), app_commands.Choice(name="Off", value="off")]

MODE_CHOICES = [
    app_commands.Choice(name="Only when mentioned (and in DMs)", value="mention"),
    app_commands.Choice(name="Also every message in the chosen channels", value="channels"),
    app_commands.Choice(name="Off: slash commands only", value="off"),
]


def _in_guild(interaction: discord.Interaction[Any]) -> bool:
    """Refuse the command outside a server, where there are no settings to change."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return True


def admin_only() -> Callable[[T], T]:
    """Return a decorator: only in a server, and only for members with Manage Server."""

    def decorator(func: T) -> T:
        # Checks run in the order they are added: the server check goes first.
        func = app_commands.check(_in_guild)(func)
        return app_commands.checks.has_permissions(manage_guild=True)(func)

    return decorator


def _guild_id(interaction: discord.Interaction[Any]) -> int:
    """Return the server id of `interaction` (admin_only has made sure there is one)."""
    if interaction.guild_id is None:
        raise app_commands.NoPrivateMessage()
    return interaction.guild_id


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member | None) -> list[str]:
    """Return the names of the permissions the bot lacks in `channel` to answer there."""
    if me is None:
        return []
    have = channel.permissions_for(me)
    return [
        permission_name(flag)
        for flag, needed in REQUIRED_PERMISSIONS
        if needed and not getattr(have, flag)
    ]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class ConfigCog(
    commands.GroupCog, group_name="config", group_description="Trivia bot settings (admins)."
):
    """Per-server settings: free-text mode, channels, cooldown, and the miss reports."""

    channel = app_commands.Group(
        name="channel", description="Channels where I answer every message."
    )
    trivia = app_commands.Group(name="trivia", description="Trivia quiz settings and scores.")

    def __init__(self, bot: TriviaBot) -> None:
        """Change the settings `bot` keeps in its store."""
        self.bot = bot
        super().__init__()

    def _settings_embed(self, settings: GuildSettings) -> discord.Embed:
        return embeds.settings_embed(settings, message_content=self.bot.intents.message_content)

    @app_commands.command(name="show", description="Show this server's settings.", extras=READS)
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def show(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Show the settings of the server of `interaction`."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.get_guild_settings(_guild_id(interaction))
        await send_ephemeral(interaction, embed=self._settings_embed(settings))

    @app_commands.command(name="mode", description="When I answer ordinary messages.")
    @app_commands.describe(mode="When to answer messages that aren't slash commands")
    @app_commands.choices(mode=MODE_CHOICES)
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def mode(
        self, interaction: discord.Interaction[TriviaBot], mode: app_commands.Choice[str]
    ) -> None:
        """Set when the bot answers free text: mention, channels or off."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.update_guild_settings(
            _guild_id(interaction), mode=mode.value
        )
        lines = [f"Done: {embeds.MODE_LABELS[settings.mode]}."]
        if settings.mode == "channels" and not settings.channels:
            lines.append("No channel is chosen yet: add one with `/config channel add`.")
        if settings.mode == "channels" and not self.bot.intents.message_content:
            lines.append(
                "⚠️ I run without the message content intent, so I can't read messages in "
                "those channels: only mentions work until the intent is enabled."
            )
        await send_ephemeral(interaction, "\n".join(lines))

    @channel.command(name="add", description="Answer every message in a channel.")
    @app_commands.describe(channel="The channel where I answer every question")
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def channel_add(
        self, interaction: discord.Interaction[TriviaBot], channel: discord.TextChannel
    ) -> None:
        """Enable free-text answers in `channel`."""
        await defer_reply(interaction, ephemeral=True)
        guild_id = _guild_id(interaction)
        before = await self.bot.store.get_guild_settings(guild_id)
        # Adding a channel says "answer there": the first one in the default mention mode
        # switches to channels mode. A mode an admin chose otherwise ("off") stays.
        settings = await self.bot.store.add_channel(guild_id, channel.id, first_switches_mode=True)
        lines = [f"I'll answer questions in {channel.mention} (threads included)."]
        if settings.mode == "channels" and before.mode != "channels":
            lines.append(
                f"The mode was `{before.mode}`, so I switched it to `channels`: "
                f"{embeds.MODE_LABELS['channels']}. `/config mode` changes it back."
            )
        elif settings.mode != "channels":
            lines.append(
                f"The mode is `{settings.mode}`, so this applies once you choose "
                "`/config mode` → *Also every message in the chosen channels*."
            )
        missing = missing_permissions(channel, channel.guild.me)
        if missing:
            lines.append(f"⚠️ I'm missing {', '.join(missing)} in {channel.mention}.")
        await send_ephemeral(interaction, "\n".join(lines))

    @channel.command(name="remove", description="Stop answering every message in a channel.")
    @app_commands.describe(channel="The channel to stop answering in")
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def channel_remove(
        self, interaction: discord.Interaction[TriviaBot], channel: discord.TextChannel
    ) -> None:
        """Disable free-text answers in `channel` (mentions still work there)."""
        await defer_reply(interaction, ephemeral=True)
        guild_id = _guild_id(interaction)
        before = await self.bot.store.get_guild_settings(guild_id)
        if channel.id not in before.channels:
            await send_ephemeral(interaction, f"{channel.mention} wasn't enabled: nothing to do.")
            return
        await self.bot.store.remove_channel(guild_id, channel.id)
        await send_ephemeral(
            interaction, f"I'll no longer answer every message in {channel.mention}."
        )

    @app_commands.command(name="cooldown", description="Seconds between my answers to one person.")
    @app_commands.describe(seconds="0 to 3600; applies to answers to ordinary messages")
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def cooldown(
        self,
        interaction: discord.Interaction[TriviaBot],
        seconds: app_commands.Range[int, 0, MAX_COOLDOWN],
    ) -> None:
        """Set the per-person cooldown for free-text answers to `seconds`."""
        await defer_reply(interaction, ephemeral=True)
        await self.bot.store.update_guild_settings(
            _guild_id(interaction), cooldown_seconds=float(seconds)
        )
        text = (
            f"Done: I answer each person at most once every {seconds} seconds."
            if seconds
            else "Done: no cooldown (slash commands keep their own limit)."
        )
        await send_ephemeral(interaction, text)

    @app_commands.command(name="reset", description="Forget this server's settings.")
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def reset(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Put every setting of the server back to its default."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.reset_guild_settings(_guild_id(interaction))
        await send_ephemeral(
            interaction, "Done: back to the defaults.", embed=self._settings_embed(settings)
        )

    @app_commands.command(
        name="reports", description="Recent “wrong answer” reports.", extras=READS
    )
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def reports(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """List the most recent miss reports filed in this server."""
        await defer_reply(interaction, ephemeral=True)
        found = await self.bot.store.list_reports(_guild_id(interaction), limit=REPORTS_SHOWN)
        await send_ephemeral(interaction, embed=embeds.reports_embed(found))

    @trivia.command(name="round-time", description="Seconds players get for each question.")
    @app_commands.describe(
        seconds=f"{MIN_ROUND_SECONDS} to {MAX_ROUND_SECONDS} "
        f"(default {_DEFAULTS.trivia_round_seconds}); applies from the next game"
    )
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def trivia_round_time(
        self,
        interaction: discord.Interaction[TriviaBot],
        seconds: app_commands.Range[int, MIN_ROUND_SECONDS, MAX_ROUND_SECONDS],
    ) -> None:
        """Set how long each trivia question stays open to `seconds`."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.update_guild_settings(
            _guild_id(interaction), trivia_round_seconds=seconds
        )
        await send_ephemeral(
            interaction,
            f"Done: players get {settings.trivia_round_seconds} seconds per question, from "
            "the next game on.",
        )

    @trivia.command(name="rounds", description="How many questions a game has by default.")
    @app_commands.describe(
        rounds=f"{MIN_ROUNDS} to {MAX_ROUNDS} (default {_DEFAULTS.trivia_rounds}); "
        "`/trivia start rounds:` overrides it"
    )
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def trivia_rounds(
        self,
        interaction: discord.Interaction[TriviaBot],
        rounds: app_commands.Range[int, MIN_ROUNDS, MAX_ROUNDS],
    ) -> None:
        """Set the number of questions of a game started without `rounds:` to `rounds`."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.update_guild_settings(
            _guild_id(interaction), trivia_rounds=rounds
        )
        await send_ephemeral(
            interaction,
            f"Done: a game has {plural(settings.trivia_rounds, 'question')} unless `/trivia start` "
            "says otherwise.",
        )

    @trivia.command(name="hints", description="Hints at half time of each question.")
    @app_commands.describe(
        state="On: at half time a question gives a hint, and right answers after it score "
        f"half (default {'on' if _DEFAULTS.trivia_hints else 'off'})"
    )
    @app_commands.choices(state=ON_OFF)
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def trivia_hints(
        self, interaction: discord.Interaction[TriviaBot], state: app_commands.Choice[str]
    ) -> None:
        """Turn the half-time hints on or off."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.update_guild_settings(
            _guild_id(interaction), trivia_hints=state.value == "on"
        )
        text = (
            "Done: at half time a question gives a hint (the answer's first letters and "
            "shape, or a wrong choice less), and right answers after it score half. From "
            "the next game on."
            if settings.trivia_hints
            else "Done: no hints. From the next game on."
        )
        await send_ephemeral(interaction, text)

    @trivia.command(name="spoilers", description="Hide the answer in reveals behind a spoiler.")
    @app_commands.describe(
        state="On: reveals put the answer and the article's sentence in a spoiler "
        f"(default {'on' if _DEFAULTS.trivia_spoilers else 'off'})"
    )
    @app_commands.choices(state=ON_OFF)
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def trivia_spoilers(
        self, interaction: discord.Interaction[TriviaBot], state: app_commands.Choice[str]
    ) -> None:
        """Turn spoiler-tagged reveals on or off."""
        await defer_reply(interaction, ephemeral=True)
        settings = await self.bot.store.update_guild_settings(
            _guild_id(interaction), trivia_spoilers=state.value == "on"
        )
        text = (
            "Done: reveals hide the answer and the article's sentence behind a spoiler, so "
            "people who come later aren't told. From the next game on."
            if settings.trivia_spoilers
            else "Done: reveals show the answer openly. From the next game on."
        )
        await send_ephemeral(interaction, text)

    @trivia.command(
        name="reset-leaderboard", description="Delete every trivia score in this server."
    )
    @app_commands.checks.cooldown(RATE, PER)
    @admin_only()
    async def trivia_reset_leaderboard(self, interaction: discord.Interaction[TriviaBot]) -> None:
        """Ask the admin to confirm, then delete every trivia score of the server."""
        guild_id = _guild_id(interaction)

        async def reset() -> str:
            removed = await self.bot.store.reset_leaderboard(guild_id)
            log.info("trivia leaderboard of guild %d reset (%d players)", guild_id, removed)
            whose = "1 player's" if removed == 1 else f"{removed} players'"
            return f"Done: the trivia leaderboard is empty ({whose} scores deleted)."

        view = ConfirmView(
            interaction.user.id,
            reset,
            confirm_label="Reset the leaderboard",
            required=discord.Permissions(manage_guild=True),
        )
        await interaction.response.send_message(
            "Delete every trivia score in this server: everyone's points, streaks and fastest "
            "answers? This can't be undone.",
            view=view,
            ephemeral=True,
        )
        view.origin = interaction


async def setup(bot: commands.Bot) -> None:
    """Add the /config group to `bot`."""
    if not isinstance(bot, TriviaBot):
        raise TypeError("the config cog needs a TriviaBot")
    await bot.add_cog(ConfigCog(bot))
