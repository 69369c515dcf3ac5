"""The questions a decline suggests, as buttons: a click asks that question.

Under a decline the bot shows up to three buttons, each labelled with a question it can
answer. A click asks the engine that question for the person who clicked: the person who
asked the declined question gets the answer in public (a reply to the decline); anyone
else gets it privately, so a busy channel is not flooded by other people's clicks. The
asker's public answers are limited to one per `PUBLIC_EVERY` seconds; sooner, the answer
comes privately too, so rapid clicks cannot spam the channel.

The buttons are persistent like the report button: the custom_id names the asker and
the button's place, and the question is the clicked button's label, read back from the
message, so a click works after a restart. `TriviaBot.setup_hook` registers
`SuggestionButton` with `add_dynamic_items`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any, Protocol, Self

import discord

from bot.discord_ui import embeds
from bot.discord_ui.cooldown import FreeTextCooldown
from bot.discord_ui.reports import ReportButton, ReportTag
from bot.discord_ui.tree import guarded
from bot.engine import Answer
from bot.knowledge import KnowledgeBase
from bot.metrics import Source

log = logging.getLogger(__name__)

CUSTOM_ID_PREFIX = "aouad:ask"
TEMPLATE = re.compile(rf"{CUSTOM_ID_PREFIX}:(?P<asker>\d{{1,20}}):(?P<place>[0-2])")
MAX_BUTTONS = 3
LABEL_LIMIT = 80  # Discord's limit for a button label
# The asker gets at most one public answer from these buttons per this many seconds.
PUBLIC_EVERY = 10.0

NOTHING_TO_ASK = "I can't find the question this button belongs to. Try `/ask` instead."


class SuggestionContext(Protocol):
    """What a click needs from the bot: the knowledge, the engine, who got public answers."""

    knowledge: KnowledgeBase
    suggestion_clicks: FreeTextCooldown

    def answer_question(self, question: str, *, source: Source, guild_id: int | None) -> Answer:
        """Answer `question`, counting it under `source`."""


class SuggestionButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=TEMPLATE
):
    """A button labelled with a question the bot can answer; a click asks it."""

    def __init__(self, asker_id: int, place: int, question: str = "") -> None:
        """Make the button at `place` (0-2) under a decline to `asker_id`, for `question`."""
        super().__init__(
            discord.ui.Button(
                label=embeds.shorten(question, LABEL_LIMIT) or "…",
                style=discord.ButtonStyle.primary,
                custom_id=f"{CUSTOM_ID_PREFIX}:{asker_id}:{place}",
                row=0,
            )
        )
        self.asker_id = asker_id
        self.place = place

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[Any],
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> Self:
        """Rebuild the button from the custom_id of a clicked one."""
        return cls(int(match["asker"]), int(match["place"]))

    @guarded
    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        """Answer the button's question for the clicker: publicly to the asker, else privately."""
        question = clicked_label(interaction.message, self.custom_id)
        if not question:
            await interaction.response.send_message(NOTHING_TO_ASK, ephemeral=True)
            return
        context: SuggestionContext = interaction.client
        user_id, guild_id = interaction.user.id, interaction.guild_id
        answer = context.answer_question(question, source="suggestion", guild_id=guild_id)
        public = user_id == self.asker_id and self._may_answer_publicly(context, guild_id, user_id)
        await interaction.response.send_message(
            embed=embeds.answer_embed(context.knowledge, answer, question),
            view=answer_view(answer, user_id),
            ephemeral=not public,
        )

    @staticmethod
    def _may_answer_publicly(
        context: SuggestionContext, guild_id: int | None, user_id: int
    ) -> bool:
        """Return whether the asker may get a public answer now (and note it if so)."""
        if context.suggestion_clicks.retry_after(guild_id, user_id, PUBLIC_EVERY) > 0:
            return False
        context.suggestion_clicks.record(guild_id, user_id)
        return True


def clicked_label(message: discord.Message | None, custom_id: str) -> str:
    """Return the label of the button `custom_id` in `message` ("" if it is not there)."""
    if message is None:
        return ""
    for row in message.components:
        for component in getattr(row, "children", ()):
            if getattr(component, "custom_id", None) == custom_id:
                return (getattr(component, "label", None) or "").strip(" …")
    return ""


def suggestion_buttons(asker_id: int, suggestions: Sequence[str]) -> list[SuggestionButton]:
    """Return the buttons for the first `MAX_BUTTONS` of `suggestions`, for `asker_id`."""
    shown = [s for s in suggestions if s.strip()][:MAX_BUTTONS]
    return [SuggestionButton(asker_id, place, text) for place, text in enumerate(shown)]


def answer_view(answer: Answer, asker_id: int) -> discord.ui.View:
    """Return the persistent view under `answer` to `asker_id`: suggestions, then the report."""
    view = discord.ui.View(timeout=None)
    if not answer.answered:
        for button in suggestion_buttons(asker_id, answer.suggestions):
            view.add_item(button)
    report = ReportButton(ReportTag.of(answer))
    report.item.row = 1
    view.add_item(report)
    return view
