"""The "Wrong answer?" / "Should I know this?" button under every answer, and what a click stores.

The button is persistent: its custom_id carries what the report needs beyond the message
(answered or declined, the intent, the confidence) and the question and answer are read
back from the message's embed, so a click works after a restart. `TriviaBot.setup_hook`
registers `ReportButton` with `add_dynamic_items`.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Protocol, Self

import discord

from bot.discord_ui.embeds import shorten, undisplay_question
from bot.discord_ui.tree import defer_reply, guarded, send_ephemeral
from bot.engine import Answer
from bot.storage import MissReport, Store, StoreError, hash_user

log = logging.getLogger(__name__)

CUSTOM_ID_PREFIX = "aouad:miss"
# kind a/d (answered/declined), the confidence 0-100, the intent id or "-" for none.
TEMPLATE = re.compile(
    rf"{CUSTOM_ID_PREFIX}:(?P<kind>[ad]):(?P<confidence>\d{{1,3}}):(?P<intent>[a-z0-9_]{{1,60}}|-)"
)
TEMPLATE_INTENT = re.compile(r"[a-z0-9_]{1,60}")
# What the store keeps of a question or an answer (an embed title or description).
MAX_STORED_TEXT = 4096

THANKS = (
    "Thanks, noted! The maintainers review these reports and turn them into test "
    "questions, so the next answer can be better."
)
ALREADY_NOTED = "You've already reported this one: it's noted. Thanks!"
NOT_SAVED = "Sorry, I couldn't save your report right now. Please try again in a few minutes."
NOTHING_TO_REPORT = "I can't find the answer this button belongs to, so there's nothing to report."


class ReportContext(Protocol):
    """What a click needs from the bot: the store and the salt for hashing user ids."""

    store: Store
    report_salt: str


@dataclass(frozen=True)
class ReportTag:
    """What the button's custom_id records about the answer it sits under."""

    answered: bool
    intent: str | None
    confidence: int

    @classmethod
    def of(cls, answer: Answer) -> ReportTag:
        """Return the tag for the engine's `answer`."""
        intent = answer.intent
        if intent is not None and not TEMPLATE_INTENT.fullmatch(intent):
            intent = None
        return cls(answered=answer.answered, intent=intent, confidence=answer.confidence)

    @property
    def custom_id(self) -> str:
        """Return the custom_id that encodes this tag (at most 100 characters)."""
        kind = "a" if self.answered else "d"
        confidence = max(0, min(100, self.confidence))
        return f"{CUSTOM_ID_PREFIX}:{kind}:{confidence}:{self.intent or '-'}"

    @classmethod
    def parse(cls, match: re.Match[str]) -> ReportTag:
        """Return the tag a custom_id `match` of TEMPLATE encodes."""
        intent = match["intent"]
        return cls(
            answered=match["kind"] == "a",
            intent=None if intent == "-" else intent,
            confidence=max(0, min(100, int(match["confidence"]))),
        )


class ReportButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=TEMPLATE):
    """A small grey button that files a miss report for the answer above it."""

    def __init__(self, tag: ReportTag) -> None:
        """Make the button for an answer tagged `tag`."""
        label = "Wrong answer?" if tag.answered else "Should I know this?"
        super().__init__(
            discord.ui.Button(
                label=label,
                emoji="🚩" if tag.answered else "💡",
                style=discord.ButtonStyle.secondary,
                custom_id=tag.custom_id,
            )
        )
        self.tag = tag

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """Rebuild the button from the custom_id of a clicked one."""
        return cls(ReportTag.parse(match))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """File the report for the answer in `interaction.message`, once per user."""
        context: ReportContext = interaction.client
        report = self.build_report(interaction, context.report_salt)
        if report is None:
            await interaction.response.send_message(NOTHING_TO_REPORT, ephemeral=True)
            return
        await defer_reply(interaction, ephemeral=True)  # before the database, which may be slow
        try:
            added = await context.store.add_report(report)
        except StoreError as exc:
            log.warning(
                "could not save a miss report for message %s in guild %s: %s",
                report.message_id,
                report.guild_id,
                exc,
            )
            await send_ephemeral(interaction, NOT_SAVED)
            return
        if added:
            log.info(
                "miss report: %s intent=%s confidence=%d guild=%s",
                "wrong answer" if self.tag.answered else "should know",
                self.tag.intent,
                self.tag.confidence,
                report.guild_id,
            )
        await send_ephemeral(interaction, THANKS if added else ALREADY_NOTED)

    def build_report(self, interaction: discord.Interaction[Any], salt: str) -> MissReport | None:
        """Return the report a click in `interaction` files, or None without an answer embed."""
        message = interaction.message
        if message is None or not message.embeds:
            return None
        embed = message.embeds[0]
        return MissReport(
            # The title shows the question escaped (display_question): store it as typed.
            question=shorten(undisplay_question(embed.title or ""), MAX_STORED_TEXT),
            answer=shorten(embed.description or "", MAX_STORED_TEXT),
            intent=self.tag.intent,
            confidence=self.tag.confidence / 100,
            answered=self.tag.answered,
            guild_id=interaction.guild_id,
            message_id=message.id,
            user_hash=hash_user(interaction.user.id, salt),
        )


def report_view(answer: Answer) -> discord.ui.View:
    """Return a persistent view holding the report button for the engine's `answer`."""
    view = discord.ui.View(timeout=None)
    view.add_item(ReportButton(ReportTag.of(answer)))
    return view
