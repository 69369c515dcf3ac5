"""Embed building: text cut cleanly, every embed within Discord's limits, citations."""

from __future__ import annotations

import discord
from hypothesis import given
from hypothesis import strategies as st

from bot.discord_ui.embeds import (
    DESCRIPTION_LIMIT,
    ELLIPSIS,
    FIELD_VALUE_LIMIT,
    TOTAL_LIMIT,
    answer_embed,
    display_question,
    fit,
    ranking_embed,
    reports_embed,
    shorten,
    undisplay_question,
)
from bot.engine import Engine
from bot.knowledge import KnowledgeBase


def test_short_text_is_kept() -> None:
    assert shorten("  who directed it?  ", 50) == "who directed it?"


def test_cut_on_a_word_boundary_with_an_ellipsis() -> None:
    text = "All of Us Are Dead is directed by Lee Jae-kyoo and based on a webtoon."

    cut = shorten(text, 30)

    assert cut == "All of Us Are Dead is…"
    assert len(cut) <= 30


def test_a_long_word_is_cut_mid_word() -> None:
    cut = shorten("a" * 50, 10)
    assert cut == "a" * 9 + ELLIPSIS


def test_no_dangling_punctuation_before_the_ellipsis() -> None:
    assert shorten("one, two, three, four", 12) == "one, two…"


@given(st.text(max_size=300), st.integers(min_value=1, max_value=200))
def test_shorten_never_exceeds_the_limit(text: str, limit: int) -> None:
    cut = shorten(text, limit)
    assert len(cut) <= limit
    if len(text.strip()) <= limit:
        assert cut == text.strip()
    else:
        assert cut.endswith(ELLIPSIS)


def test_display_question_makes_mentions_readable() -> None:
    text = "<@123> <@!456> ask <@&789> in <#42> about <:zombie:999> and </ask:1>\n twice"
    assert (
        display_question(text)
        == "@someone @someone ask @role in #channel about :zombie: and /ask twice"
    )


HOSTILE = (
    "\u202e**FREE** ||nitro|| [FREE NITRO](https://evil.example) <t:1700000000:R> "
    "@everyone w" + "\u0301" * 256 + "ho\x00\ufffe\uffff directed it?"
)


def test_display_question_shows_user_text_inert() -> None:
    shown = display_question(HOSTILE)

    assert "\u202e" not in shown and "\x00" not in shown
    assert "\ufffe" not in shown and "\uffff" not in shown
    assert "\u0301" not in shown  # the pile of combining marks is gone
    assert "\\*\\*FREE\\*\\*" in shown and "\\|\\|nitro\\|\\|" in shown
    assert "\\[FREE NITRO]" in shown  # no masked link
    assert "\\<t:1700000000:R>" in shown  # no live timestamp
    assert "@\u200beveryone" in shown
    assert shown.endswith("who directed it?")


def test_a_shown_question_reads_back_as_cleaned() -> None:
    shown = display_question(HOSTILE)

    assert undisplay_question(shown) == (
        "**FREE** ||nitro|| [FREE NITRO](https://evil.example) <t:1700000000:R> "
        "@everyone who directed it?"
    )
    assert undisplay_question(display_question("a\\b_c")) == "a\\b_c"


def test_fit_trims_fields_then_description() -> None:
    embed = discord.Embed(title="t", description="d " * 2000)
    for number in range(30):
        embed.add_field(name=f"field {number}", value="v" * FIELD_VALUE_LIMIT)

    fit(embed)

    assert len(embed.fields) <= 25
    assert len(embed) <= TOTAL_LIMIT


def test_answer_embed_cites_the_source(kb: KnowledgeBase, engine: Engine) -> None:
    answer = engine.answer("how many hours have people watched it?")

    embed = answer_embed(kb, answer, "how many hours have people watched it?")

    assert "361 million" in (embed.description or "")
    assert embed.footer.text is not None and embed.footer.text.startswith(
        "Source: Virgin Radio, 9 Feb 2022"
    )
    evidence = next(f for f in embed.fields if f.name == "From the article")
    assert (evidence.value or "").startswith("> ")


def test_answer_embed_of_a_huge_question_fits(kb: KnowledgeBase, engine: Engine) -> None:
    question = "zombie " * 1000
    embed = answer_embed(kb, engine.answer(question), question)
    assert len(embed.title or "") <= 256
    assert len(embed.description or "") <= DESCRIPTION_LIMIT
    assert len(embed) <= TOTAL_LIMIT


def test_ranking_embed_keeps_the_article_order(kb: KnowledgeBase) -> None:
    embed = ranking_embed(kb)
    assert embed.title == kb.ranking.title
    assert "first 28 days" in (embed.fields[0].value or "")


def test_reports_embed_with_none() -> None:
    assert "No reports yet" in (reports_embed([]).description or "")
