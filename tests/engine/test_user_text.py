"""What people type, made safe to read and to show (`bot.engine.user_text`)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.engine import Engine
from bot.engine.user_text import MAX_MARKS, clean_user_text

STRIKE, ACUTE, CIRCUMFLEX, TILDE = "\u0336", "\u0301", "\u0302", "\u0303"


@pytest.mark.parametrize(
    "disguised",
    [
        "".join(c + STRIKE for c in "who") + " directed it?",  # w̶h̶o̶
        "w" + ACUTE + CIRCUMFLEX + TILDE + "h\u0304o directed it?",  # marks on every letter
        "who" + ACUTE * 40 + " directed it?",  # zalgo
        "w\u200bh\u200co directed it?",  # zero-width space and non-joiner
        "\u202ewho directed it?\u202c",  # a right-to-left override
        "\x00who\ufffe directed\uffff it?",  # a null byte and non-characters
    ],
)
def test_a_disguised_question_is_read_as_the_plain_one(engine: Engine, disguised: str) -> None:
    answer = engine.answer(disguised)

    assert clean_user_text(disguised) == "who directed it?"
    assert answer.answered and answer.intent == "director"
    assert "Lee Jae-kyoo" in answer.text


@pytest.mark.parametrize(
    "text",
    [
        "café",  # an accent: precomposed, or as a combining mark (composed back)
        "ệ",  # Vietnamese: two marks, one letter
        "กั้",  # Thai: a vowel and a tone mark
        "क्ष",  # Devanagari: the virama
        "좋은 질문",  # Korean
        "❤️ 1️⃣ 👨\u200d👩\u200d👧",  # emoji: variation selectors, keycap, joiners
        "who is Lee Jae-kyoo?",
    ],
)
def test_real_writing_is_kept(text: str) -> None:
    assert clean_user_text(text) == unicodedata.normalize("NFC", text)
    assert clean_user_text("cafe" + ACUTE) == "café"


def test_white_space_runs_become_one_blank() -> None:
    assert clean_user_text("  who \t directed\u00a0 it?  ") == "who directed it?"
    assert clean_user_text("who directed it? \r\n\n when\u2028did it come out") == (
        "who directed it?\nwhen\ndid it come out"
    )


@given(st.text(max_size=200))
def test_nothing_invisible_or_piled_up_survives(text: str) -> None:
    cleaned = clean_user_text(text)

    assert clean_user_text(cleaned) == cleaned  # idempotent
    assert cleaned == unicodedata.normalize("NFC", cleaned)
    for char in cleaned:
        assert unicodedata.category(char) not in {"Cs", "Cn", "Zl", "Zp"}
        assert unicodedata.category(char) != "Cc" or char == "\n"
        assert unicodedata.category(char) != "Cf" or char == "\u200d"
    run = 0
    for char in unicodedata.normalize("NFD", cleaned):
        run = run + 1 if unicodedata.category(char).startswith("M") else 0
        assert run <= MAX_MARKS + 2  # two decomposed accents of one precomposed letter at most
