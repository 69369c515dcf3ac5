"""Option values Discord's own client would never send, caught before a command runs.

Discord checks option types, ranges and resolved objects in its client, so discord.py
passes the values on as they come. A stale or modified client can still send an integer
option as "abc", a channel that is missing from the resolved data (discord.py then
passes a bare `discord.Object`), or an autocomplete request for an option that declares
none. `TriviaTree.interaction_check` asks `invalid_option` and `lacks_autocomplete`
first, so such a request gets a clear private message (or an empty list of suggestions)
instead of reaching the command, and no traceback is logged.
"""

from __future__ import annotations

import math
from typing import Any

import discord
from discord import app_commands
from discord.enums import AppCommandOptionType as OptionType

from bot.discord_ui.embeds import shorten

_SNOWFLAKE_TYPES = {
    OptionType.user: "member",
    OptionType.channel: "channel",
    OptionType.role: "role",
    OptionType.mentionable: "member or role",
    OptionType.attachment: "file",
}
_KINDS = {
    OptionType.integer: "a whole number",
    OptionType.number: "a number",
    OptionType.string: "text",
    OptionType.boolean: "true or false",
}


def _is_number(value: Any, option_type: OptionType) -> bool:
    if isinstance(value, bool):
        return False
    if option_type is OptionType.integer:
        return isinstance(value, int)
    return isinstance(value, int | float) and math.isfinite(value)


def _has_type(value: Any, option_type: OptionType) -> bool:
    """Return whether the raw `value` is of the Python type Discord sends for `option_type`."""
    if option_type in (OptionType.integer, OptionType.number):
        return _is_number(value, option_type)
    if option_type is OptionType.string:
        return isinstance(value, str)
    if option_type is OptionType.boolean:
        return isinstance(value, bool)
    return True


def _within(value: Any, parameter: app_commands.Parameter) -> bool:
    """Return whether `value` (of the right type) is within the parameter's declared range."""
    measured = len(value) if isinstance(value, str) else value
    low, high = parameter.min_value, parameter.max_value
    return (low is None or measured >= low) and (high is None or measured <= high)


def _expected(parameter: app_commands.Parameter) -> str:
    """Return what `parameter` takes, for people: "a whole number from 0 to 3600"."""
    kind = _KINDS.get(parameter.type, "a value")
    low, high = parameter.min_value, parameter.max_value
    if low is None and high is None:
        return kind
    if parameter.type is OptionType.string:
        return f"{kind} of {low or 0} to {high} characters"
    return f"{kind} from {low} to {high}"


def _problem(parameter: app_commands.Parameter, value: Any) -> str | None:
    """Return what is wrong with `value` for `parameter`, or None if Discord could send it."""
    name = parameter.display_name
    what = _SNOWFLAKE_TYPES.get(parameter.type)
    if what is not None:
        if isinstance(value, discord.Object):  # not in the resolved data
            return (
                f"I can't find that {what} (`{name}`): it may have been deleted, or I can't "
                f"see it. Pick one from the list Discord shows."
            )
        return None
    if not _has_type(value, parameter.type) or not _within(value, parameter):
        return f"`{name}` must be {_expected(parameter)}, not “{shorten(str(value), 50)}”."
    return None


def invalid_option(interaction: discord.Interaction[Any]) -> str | None:
    """Return a message for the first option value of `interaction` Discord would refuse.

    None: every value is one Discord's own client could send (or it is not a command).
    """
    if interaction.type is not discord.InteractionType.application_command:
        return None
    command = interaction.command
    if not isinstance(command, app_commands.Command):
        return None
    try:
        values = interaction.namespace.__dict__
    except (ValueError, TypeError):  # a number option that is not one, a snowflake that isn't
        return "One of the values of this command isn't valid. Nothing was changed."
    for parameter in command.parameters:
        if parameter.display_name not in values:
            continue
        problem = _problem(parameter, values[parameter.display_name])
        if problem is not None:
            return f"{problem} Nothing was changed."
    return None


def lacks_autocomplete(interaction: discord.Interaction[Any]) -> bool:
    """Return whether `interaction` asks for suggestions for an option that offers none."""
    if interaction.type is not discord.InteractionType.autocomplete:
        return False
    command = interaction.command
    if not isinstance(command, app_commands.Command):
        return False
    options = _leaf_options(interaction.data or {})
    focused = next((o.get("name") for o in options if o.get("focused")), None)
    parameter = next((p for p in command.parameters if p.display_name == focused), None)
    return parameter is None or not parameter.autocomplete


def _leaf_options(data: Any) -> list[dict[str, Any]]:
    """Return the options of the (sub)command itself from interaction `data`."""
    options: list[dict[str, Any]] = list(data.get("options") or [])
    while options and options[0].get("type") in (1, 2):  # a subcommand (group)
        options = list(options[0].get("options") or [])
    return options
