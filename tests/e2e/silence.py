"""Check that the bot process stayed silent on a message, by what it logged, not by waiting.

The bot handles messages concurrently, so "a message sent later was answered first" proves
nothing about an earlier one, and no sleep is long enough on a slow machine. Instead the
check reads a deterministic signal: the free-text listener (the only code that replies to
ordinary messages) logs one DEBUG line per message once it is done with it, naming the
message and what became of it (`bot/exts/free_text.py`):

    free text: message 123 in guild 4 channel 5: ignored (not for me: …)

"replied" is logged only after the reply went out, so once that line is in the log no
reply to the message can still be on its way. The bot must run with LOG_LEVEL=DEBUG.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.bot_process import BotProcess
from tests.fake_discord import FakeDiscord, SentMessage

SILENT = ("ignored (", "silent (")


def replies_to(message: dict[str, Any]) -> Any:
    """Return a predicate: is a sent message a reply to `message`?"""

    def check(sent: SentMessage) -> bool:
        return (sent.message.get("message_reference") or {}).get("message_id") == message["id"]

    return check


async def handled(bot: BotProcess, message: dict[str, Any], timeout: float = 10.0) -> str:
    """Wait until `bot` logged what became of `message`; return that outcome."""
    marker = f"free text: message {message['id']} in guild "
    await bot.wait_for_log(marker, timeout=timeout)
    (line,) = bot.lines_with(marker)
    return line.split(marker, 1)[1].split(": ", 1)[1]


async def assert_silent(
    fake: FakeDiscord, bot: BotProcess, message: dict[str, Any], *, sentinel: dict[str, Any]
) -> str:
    """Check `bot` handled `message` and did not answer it, while it answered `sentinel`.

    `sentinel` is a message the bot must answer, sent after `message`: its reply shows the
    bot is connected and replying, so the silence is not that of a dead process. Then the
    bot's log line for `message` shows it was handled, and how (returned): ignored or
    silent, never "replied"; and the fake holds no reply to it.
    """
    await fake.wait_for_message(
        int(sentinel["channel_id"]), predicate=replies_to(sentinel), timeout=10
    )
    outcome = await handled(bot, message)
    assert outcome.startswith(SILENT), f"the bot handled {message['content']!r}: {outcome}"
    check = replies_to(message)
    assert not [s for s in fake.bot_messages if check(s)], f"answered {message['content']!r}"
    return outcome
