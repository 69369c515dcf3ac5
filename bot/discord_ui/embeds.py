"""Every embed the bot sends, built in one place and cut to fit Discord's limits.

Answers come from the engine and everything else from the knowledge; this module only
lays them out. Each builder returns an embed that Discord accepts whatever the text:
long text is cut on a word boundary with an ellipsis by `shorten`, and `fit` keeps the
whole embed under the 6,000-character total.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence

import discord

from bot.engine import Answer
from bot.engine.user_text import clean_user_text
from bot.knowledge import KnowledgeBase
from bot.knowledge.schema import Fact, Quote, RankingEntry
from bot.storage import GuildSettings, MissReport

# Discord's limits, in characters (https://discord.com/developers/docs/resources/message).
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
AUTHOR_LIMIT = 256
TOTAL_LIMIT = 6000

ELLIPSIS = "…"
# Cutting on a word boundary may drop at most this share of the room; past it, cut mid-word.
_WORD_CUT_SLACK = 0.3
_TRAILING_PUNCTUATION = " \t\n,;:-–—([{"

ANSWER_COLOUR = discord.Colour(0x3BA55C)
DECLINE_COLOUR = discord.Colour(0x99AAB5)
INFO_COLOUR = discord.Colour(0x5865F2)
QUOTE_COLOUR = discord.Colour(0xB5473A)

MAX_EVIDENCE = 2
EXAMPLE_COUNT = 4
MAX_REPORTS_SHOWN = 10

_USER_MENTION = re.compile(r"<@!?\d+>")
_ROLE_MENTION = re.compile(r"<@&\d+>")
_CHANNEL_MENTION = re.compile(r"<#\d+>")
_CUSTOM_EMOJI = re.compile(r"<a?:(\w+):\d+>")
# What Discord would read as markup after a "<": <t:…> timestamps, <id:…>, mentions.
_MARKUP_START = re.compile(r"<(?=[\w@#:/!&])")
# A character escaped by display_question (escape_markdown, or the "<" of markup).
_ESCAPED = re.compile(r"\\([\\*_~|`>#\-\[\]()<:])")
_SLASH_MENTION = re.compile(r"</([\w -]+):\d+>")
_BLANKS = re.compile(r"\s+")


def shorten(text: str, limit: int) -> str:
    """Return `text` stripped and cut to at most `limit` characters, on a word boundary.

    A cut text ends with an ellipsis. A single word longer than the room is cut mid-word.
    """
    if limit < 1:
        raise ValueError("limit must be at least 1")
    text = text.strip()
    if len(text) <= limit:
        return text
    room = limit - len(ELLIPSIS)
    if room < 1:
        return ELLIPSIS[:limit]
    head = text[:room]
    if not text[room].isspace():
        space = max(head.rfind(" "), head.rfind("\n"))
        if space >= room * (1 - _WORD_CUT_SLACK):
            head = head[:space]
    return head.rstrip(_TRAILING_PUNCTUATION) + ELLIPSIS


def display_question(text: str) -> str:
    """Return what people typed, `text`, as the bot may show it: inert, on one line.

    The text is cleaned as the engine reads it (`clean_user_text`: NFC, no bidi or other
    invisible characters, no piles of combining marks); raw mentions and emoji become
    readable words; markdown, masked links, timestamps and @everyone are escaped, so
    the bot never formats, links or pings what someone else wrote.
    """
    text = clean_user_text(text)
    text = _USER_MENTION.sub("@someone", text)
    text = _ROLE_MENTION.sub("@role", text)
    text = _CHANNEL_MENTION.sub("#channel", text)
    text = _CUSTOM_EMOJI.sub(r":\1:", text)
    text = _SLASH_MENTION.sub(r"/\1", text)
    text = discord.utils.escape_markdown(_BLANKS.sub(" ", text).strip())
    # escape_markdown leaves <t:…> timestamps and other <…> markup alone.
    text = _MARKUP_START.sub(r"\\<", text)
    return discord.utils.escape_mentions(text)


def undisplay_question(shown: str) -> str:
    """Return the text `display_question` showed as `shown`, without its escapes."""
    return _ESCAPED.sub(r"\1", shown.replace("@\u200b", "@"))


def fit(embed: discord.Embed) -> discord.Embed:
    """Return `embed` trimmed to Discord's limits: field count, then the 6,000 total."""
    while len(embed.fields) > FIELD_COUNT_LIMIT:
        embed.remove_field(-1)
    while len(embed) > TOTAL_LIMIT and embed.fields:
        embed.remove_field(-1)
    if len(embed) > TOTAL_LIMIT and embed.description:
        excess = len(embed) - TOTAL_LIMIT
        embed.description = shorten(embed.description, max(1, len(embed.description) - excess))
    return embed


def _embed(
    *, title: str | None = None, description: str | None = None, colour: discord.Colour
) -> discord.Embed:
    """Return an embed with `title` and `description` cut to their limits."""
    return discord.Embed(
        title=shorten(title, TITLE_LIMIT) if title else None,
        description=shorten(description, DESCRIPTION_LIMIT) if description else None,
        colour=colour,
    )


def _field(embed: discord.Embed, name: str, value: str, *, inline: bool = False) -> None:
    """Add a field to `embed` with `name` and `value` cut to their limits (empty: skipped)."""
    if value.strip():
        embed.add_field(
            name=shorten(name, FIELD_NAME_LIMIT),
            value=shorten(value, FIELD_VALUE_LIMIT),
            inline=inline,
        )


def _cite(embed: discord.Embed, kb: KnowledgeBase) -> discord.Embed:
    """Set the footer of `embed` to the article's citation, then fit it to the limits."""
    footer = f"Source: {kb.source.citation} · {kb.source.headline}"
    embed.set_footer(text=shorten(footer, FOOTER_LIMIT))
    return fit(embed)


def _quoted(sentences: Iterable[str]) -> str:
    """Return `sentences` as Discord block quotes, one per line."""
    return "\n".join(f"> {' '.join(s.split())}" for s in sentences)


def _bullets(lines: Iterable[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


def source_line(kb: KnowledgeBase) -> str:
    """Return "Virgin Radio, 9 Feb 2022": the citation every answer carries."""
    return kb.source.citation


def example_questions(
    kb: KnowledgeBase, rng: random.Random, count: int = EXAMPLE_COUNT
) -> list[str]:
    """Return up to `count` example questions, picked at random from the intents' suggestions."""
    suggestions = sorted({i.suggestion for i in kb.intents.values() if i.suggestion})
    return rng.sample(suggestions, min(count, len(suggestions)))


# -- answers ----------------------------------------------------------------------------


def answer_embed(kb: KnowledgeBase, answer: Answer, question: str) -> discord.Embed:
    """Return the embed for the engine's `answer` to `question` (as the user typed it).

    A decline's suggestions are not in the embed: they are buttons under it
    (`bot.discord_ui.suggestions.answer_view`).
    """
    title = display_question(question) or "Your question"
    if answer.answered:
        embed = _embed(title=title, description=answer.text, colour=ANSWER_COLOUR)
        _field(embed, "From the article", _quoted(answer.evidence[:MAX_EVIDENCE]))
    else:
        embed = _embed(title=title, description=answer.text, colour=DECLINE_COLOUR)
    return _cite(embed, kb)


def greeting_embed(kb: KnowledgeBase, examples: Sequence[str]) -> discord.Embed:
    """Return the reply to a bare mention: what the bot knows and questions to try."""
    subject = kb.entities[kb.source.subject].name
    embed = _embed(
        title=f"Ask me about {subject}",
        description=f"Mention me with a question, or use `/ask`. I answer from one "
        f"{kb.source.outlet} article ({source_line(kb)}).",
        colour=INFO_COLOUR,
    )
    _field(embed, "Try asking", _bullets(examples))
    return _cite(embed, kb)


# -- knowledge --------------------------------------------------------------------------


def _show_name(kb: KnowledgeBase, entity_id: str) -> str:
    entity = kb.entities.get(entity_id)
    return entity.name if entity else entity_id


def _entry_line(kb: KnowledgeBase, entry: RankingEntry) -> str:
    name = _show_name(kb, entry.show)
    place = f"#{entry.position} " if entry.position else ""
    hours = f" · {entry.hours} hours" if entry.hours else ""
    note = f" · {entry.note}" if entry.note else ""
    return f"**{place}{name}**{hours}{note}"


def ranking_embed(kb: KnowledgeBase) -> discord.Embed:
    """Return the most-watched list as the article gives it: positions only where given."""
    ranking = kb.ranking
    ranked = sorted((e for e in ranking.entries if e.position), key=lambda e: e.position or 0)
    unranked = [e for e in ranking.entries if not e.position]
    lines = [_entry_line(kb, e) for e in ranked]
    if unranked:
        lines.append("")
        lines.append("Also on the list (the article gives no position):")
        lines.extend(f"• {_entry_line(kb, e)}" for e in unranked)
    embed = _embed(title=ranking.title, description="\n".join(lines), colour=INFO_COLOUR)
    _field(embed, "How the list works", f"Ranked by {ranking.rule}.")
    return _cite(embed, kb)


def ranking_entry_embed(kb: KnowledgeBase, entry: RankingEntry) -> discord.Embed:
    """Return one show's place on the list, with its hours where the article gives them."""
    name = _show_name(kb, entry.show)
    if entry.position and entry.hours:
        text = f"**#{entry.position}** on the list, with {entry.hours} hours viewed."
    elif entry.position:
        text = f"**#{entry.position}** on the list; the article doesn't give its hours."
    elif entry.hours:
        text = f"On the list with {entry.hours} hours; the article doesn't give its position."
    else:
        text = "On the list; the article doesn't give its position or its hours."
    if entry.note:
        text += f"\n{entry.note[0].upper()}{entry.note[1:]}."
    embed = _embed(title=f"{name} — {kb.ranking.title}", description=text, colour=INFO_COLOUR)
    _field(embed, "From the article", _quoted(entry.evidence[:MAX_EVIDENCE]))
    _field(embed, "How the list works", f"Ranked by {kb.ranking.rule}.")
    return _cite(embed, kb)


def quote_embed(kb: KnowledgeBase, quote: Quote) -> discord.Embed:
    """Return `quote` word for word, who said it, on what, and where when the article says."""
    speaker = _show_name(kb, quote.speaker)
    embed = _embed(description=f"“{' '.join(quote.text.split())}”", colour=QUOTE_COLOUR)
    embed.set_author(name=shorten(f"{speaker} on {quote.topic}", AUTHOR_LIMIT))
    if quote.said_in:
        where = f"To {_show_name(kb, quote.said_in)}, as quoted by {kb.source.outlet}."
    else:
        where = f"Quoted by {kb.source.outlet}; the article doesn't say where he said it."
    _field(embed, "Where he said it", where)
    return _cite(embed, kb)


def fact_embed(kb: KnowledgeBase, fact: Fact) -> discord.Embed:
    """Return `fact` with the article sentence it rests on."""
    embed = _embed(title="Did you know?", description=fact.answer, colour=ANSWER_COLOUR)
    _field(embed, "From the article", _quoted(fact.evidence[:MAX_EVIDENCE]))
    return _cite(embed, kb)


def about_embed(kb: KnowledgeBase, sections: Sequence[tuple[str, str]]) -> discord.Embed:
    """Return the show at a glance: what it is, then one field per (`name`, `text`)."""
    subject = kb.entities[kb.source.subject].name
    description, *rest = sections or [("", f"{subject}, as {kb.source.outlet} reports it.")]
    embed = _embed(title=subject, description=description[1], colour=INFO_COLOUR)
    for name, text in rest:
        _field(embed, name, text)
    return _cite(embed, kb)


def source_embed(kb: KnowledgeBase) -> discord.Embed:
    """Return the article the bot knows: headline, outlet, date and what it covers."""
    source = kb.source
    embed = _embed(
        title=source.headline,
        description=f"Everything I answer comes from this one {source.outlet} article. "
        "If it doesn't say something, I don't know it, and I say so.",
        colour=INFO_COLOUR,
    )
    _field(embed, "Outlet", source.outlet, inline=True)
    _field(embed, "Published", f"{source.date.day} {source.date:%B %Y}", inline=True)
    shows = sum(1 for e in kb.entities.values() if e.kind == "show")
    _field(
        embed,
        "What I know from it",
        f"{len(kb.facts)} facts, {len(kb.quotes)} quotes, {shows} shows, "
        f"{len(kb.ranking.entries)} entries on the most-watched list",
    )
    return _cite(embed, kb)


def help_embed(
    kb: KnowledgeBase,
    commands: Sequence[tuple[str, str]],
    free_text: str,
    examples: Sequence[str],
    trivia: str = "",
) -> discord.Embed:
    """Return what the bot can do: `commands` as (usage, what it does), free text, examples.

    `trivia` says how the quiz plays in this server (categories, hints, spoilers…).
    """
    subject = kb.entities[kb.source.subject].name
    embed = _embed(
        title=f"{subject} trivia: what I can do",
        description=f"I answer questions about {subject} from one {kb.source.outlet} article "
        f"({source_line(kb)}).",
        colour=INFO_COLOUR,
    )
    _field(embed, "Commands", "\n".join(f"`{usage}` — {what}" for usage, what in commands))
    _field(embed, "Talking to me", free_text)
    _field(embed, "Trivia", trivia)
    _field(embed, "Try asking", _bullets(examples))
    _field(
        embed,
        "Got a wrong answer?",
        "Click **Wrong answer?** (or **Should I know this?**) under it: the maintainers "
        "turn those reports into tests.",
    )
    return _cite(embed, kb)


# -- admin ------------------------------------------------------------------------------

MODE_LABELS = {
    "mention": "answer when mentioned (and in DMs)",
    "channels": "answer when mentioned, and every message in the chosen channels",
    "off": "slash commands only: no free-text answers",
}


def settings_embed(settings: GuildSettings, *, message_content: bool) -> discord.Embed:
    """Return a guild's settings as `/config show` presents them."""
    embed = _embed(title="Trivia bot settings", colour=INFO_COLOUR)
    _field(embed, "Mode", f"`{settings.mode}`: {MODE_LABELS[settings.mode]}")
    channels = " ".join(f"<#{c}>" for c in sorted(settings.channels)) or "none"
    if settings.channels and settings.mode != "channels":
        channels += "\n(used only in `channels` mode: `/config mode channels`)"
    _field(embed, "Channels", channels)
    seconds = settings.cooldown_seconds
    cooldown = f"{seconds:g} seconds between answers per person" if seconds else "none"
    _field(embed, "Free-text cooldown", cooldown)
    _field(
        embed,
        "Trivia quiz",
        f"{settings.trivia_round_seconds} seconds per question, {settings.trivia_rounds} "
        f"question{'' if settings.trivia_rounds == 1 else 's'} a game unless `/trivia start` "
        "says otherwise (`/config trivia`)",
    )
    _field(
        embed,
        "Trivia hints",
        "on: at half time a question gives a hint, and right answers after it score half"
        if settings.trivia_hints
        else "off",
    )
    _field(
        embed,
        "Trivia spoilers",
        "on: reveals hide the answer in a spoiler" if settings.trivia_spoilers else "off",
    )
    if not message_content:
        _field(
            embed,
            "⚠️ Message content intent is off",
            "Discord does not send me the text of ordinary messages, so I can only answer "
            "when mentioned, in DMs and through slash commands. Enable the Message Content "
            "intent in the developer portal (Bot tab) and restart me for `channels` mode.",
        )
    return fit(embed)


def reports_embed(reports: Sequence[MissReport]) -> discord.Embed:
    """Return the most recent miss reports, newest first, as `/config reports` lists them."""
    if not reports:
        return _embed(
            title="Miss reports",
            description="No reports yet. People report a wrong answer with the button under it.",
            colour=INFO_COLOUR,
        )
    embed = _embed(
        title="Miss reports",
        description=f"The {len(reports)} most recent, newest first. Export them all with "
        "`python -m bot reports export FILE.yaml`.",
        colour=INFO_COLOUR,
    )
    for report in reports[:MAX_REPORTS_SHOWN]:
        kind = "Wrong answer?" if report.answered else "Should I know this?"
        when = discord.utils.format_dt(report.created_at, "R")
        intent = report.intent or "no intent"
        value = (
            f"**Answer:** {shorten(display_question(report.answer), 300)}\n"
            f"{kind} · `{intent}` {round(report.confidence * 100)}% · {when}"
        )
        _field(embed, shorten(display_question(report.question), 200) or "(empty)", value)
    return fit(embed)
