"""Skip the messages no listener will read before discord.py builds a `Message` for them.

With the message content intent Discord sends the bot every message of every server, and
nearly all of them are chatter the bot ignores. Building a `discord.Message` (its author
as a `Member`, its mentions, its reference, ...) and scheduling a task per `on_message`
listener cost most of the bot's time under chatter (py-spy: 46% building, 26%
scheduling), all for messages the listeners then drop on their first checks. The gate
makes those first checks on the raw MESSAGE_CREATE payload instead.

The rule: a message is skipped only when every `on_message` listener of the bot belongs
to a cog that screens payloads (`ScreensMessages`) and each of them says it would ignore
the message, and nothing waits for one (`wait_for("message")`). A listener that does not
screen (any other cog, a plain function) sees every message, as before. A screen must
only ever say "ignore" when its listener certainly would: the tests hold each screen to
the decisions its listener makes on the built message (tests/exts/test_message_gate.py).

discord.py has no public hook before a message is built (`on_socket_raw_receive` only
watches, and only with `enable_debug_events`), so this module wraps the MESSAGE_CREATE
parser in the connection state's `parsers` table, which the gateway looks events up in.
That table and `Client._listeners` are discord.py internals: this is the only module that
touches them, and tests/exts/test_message_gate.py fails if they change. If the table is not
there as expected the bot logs a warning and runs without the gate (every message built,
as before) rather than not at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from discord.ext import commands

log = logging.getLogger(__name__)

EVENT = "MESSAGE_CREATE"
# Marks the wrapped parser, so the gate is never installed twice.
_GATE_ATTRIBUTE = "__trivia_message_gate__"


class ScreensMessages(Protocol):
    """A cog whose `on_message` listener can tell from the raw payload what it ignores."""

    def screen_message(self, data: Mapping[str, Any]) -> str | None:
        """Return why the listener would certainly ignore this MESSAGE_CREATE payload
        (for the log), or None if it may want it (then the message is built as usual)."""

    def message_skipped(self, data: Mapping[str, Any], reason: str) -> None:
        """Note that the message was skipped unbuilt for `reason` (say so in the log)."""


def install_message_gate(bot: commands.Bot) -> bool:
    """Put the gate in front of `bot`'s MESSAGE_CREATE parser; return whether it is there."""
    parsers = getattr(getattr(bot, "_connection", None), "parsers", None)
    parse = parsers.get(EVENT) if isinstance(parsers, dict) else None
    if parsers is None or parse is None or not callable(parse):
        log.warning(
            "discord.py's parser table is not as expected: every message is built (no gate)"
        )
        return False
    if getattr(parse, _GATE_ATTRIBUTE, False):
        return True
    gated = _gated(bot, parse)
    setattr(gated, _GATE_ATTRIBUTE, True)
    parsers[EVENT] = gated
    return True


def _gated(bot: commands.Bot, parse: Callable[[Any], None]) -> Callable[[Any], None]:
    def parse_message_create(data: Any) -> None:
        try:
            screens = skip_reasons(bot, data)
        except Exception:  # a payload a screen did not expect: let discord.py have it
            log.debug("message gate: could not screen a message; building it", exc_info=True)
            screens = None
        if screens is None:
            parse(data)
            return
        for screen, reason in screens:
            screen.message_skipped(data, reason)

    return parse_message_create


def skip_reasons(
    bot: commands.Bot, data: Mapping[str, Any]
) -> list[tuple[ScreensMessages, str]] | None:
    """Return each listener's reason to ignore `data`, or None if any may want it."""
    if bot._listeners.get("message"):  # someone awaits wait_for("message")
        return None
    reasons: dict[int, tuple[ScreensMessages, str]] = {}  # by cog: once each
    for listener in bot.extra_events.get("on_message", ()):
        cog: ScreensMessages | None = getattr(listener, "__self__", None)
        # Not isinstance(cog, ScreensMessages): a runtime protocol check inspects the
        # class on every call, and this runs for every message.
        screen = getattr(cog, "screen_message", None)
        if cog is None or screen is None:
            return None
        reason = screen(data)
        if reason is None:
            return None
        reasons[id(cog)] = (cog, reason)
    return list(reasons.values())
