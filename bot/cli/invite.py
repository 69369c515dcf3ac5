"""`invite`: print the link that adds the bot to a server, with only the permissions it needs."""

from __future__ import annotations

import argparse
import asyncio
import sys

from bot.cli.common import CommandError, Subparsers
from bot.cli.discord_common import bot_settings, bot_token, configure_logging, snowflake

SCOPES = ("bot", "applications.commands")


def add_parser(subparsers: Subparsers) -> None:
    """Add the `invite` subcommand to `subparsers`."""
    parser = subparsers.add_parser(
        "invite",
        help="print the link that adds the bot to a server",
        description="Print the OAuth2 URL (scopes bot and applications.commands) with only "
        "the permissions the bot needs. The application id comes from --client-id, or is "
        "asked of Discord with DISCORD_TOKEN.",
    )
    parser.add_argument(
        "--client-id",
        metavar="ID",
        type=snowflake,
        default=None,
        help="the application id (developer portal, General Information)",
    )
    parser.add_argument(
        "--guild",
        metavar="ID",
        type=snowflake,
        default=None,
        help="preselect this server on the invite page",
    )
    parser.set_defaults(handler=run)


def invite_url(client_id: int, guild_id: int | None = None) -> str:
    """Return the invite URL for application `client_id` (preselecting `guild_id` if given)."""
    import discord

    from bot.bot import REQUIRED_PERMISSIONS

    if guild_id is None:
        return discord.utils.oauth_url(client_id, permissions=REQUIRED_PERMISSIONS, scopes=SCOPES)
    return discord.utils.oauth_url(
        client_id,
        permissions=REQUIRED_PERMISSIONS,
        scopes=SCOPES,
        guild=discord.Object(id=guild_id),
    )


def permission_names() -> list[str]:
    """Return the names of the permissions the invite asks for."""
    from bot.bot import REQUIRED_PERMISSIONS
    from bot.discord_ui.tree import permission_name

    return [permission_name(flag) for flag, value in REQUIRED_PERMISSIONS if value]


def run(args: argparse.Namespace) -> int:
    """Print the invite URL on stdout and what it asks for on stderr."""
    client_id: int | None = args.client_id
    if client_id is None:
        settings = bot_settings()
        token = bot_token(settings)
        configure_logging("WARNING")
        from bot.runner import StartupError, fetch_application_id

        try:
            client_id = asyncio.run(fetch_application_id(settings, token))
        except StartupError as exc:
            raise CommandError(str(exc)) from None
    print(invite_url(client_id, args.guild))
    print(
        f"Permissions asked for: {', '.join(permission_names())}. Open the link, pick a "
        "server you manage, and authorise.",
        file=sys.stderr,
    )
    return 0
