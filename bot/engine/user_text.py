"""Make what people type safe to read and to show: one normal form, no invisible tricks.

Pure (no discord.py): the engine reads questions through `clean_user_text`, and the
Discord side shows the same cleaned text (escaped for markdown there, see
`bot.discord_ui.embeds.display_question`). It

* puts the text in Unicode NFC, so one letter is one code point wherever it can be;
* removes control and format characters: bidi overrides and isolates (U+202E turns the
  rest of a bot message around), zero-width spaces, null bytes, and code points that
  are not characters (U+FFFE, U+FFFF, unassigned ones, lone surrogates); the zero-width
  joiner stays, as emoji sequences need it;
* removes combining marks that spell no letter: a mark on an ASCII letter with no
  precomposed form ("w̶h̶o̶"), or a pile of more than `MAX_MARKS` marks on one base
  (zalgo text). A real accent stays ("café", Vietnamese "ệ"), as do marks in scripts
  that need them (Thai, Devanagari);
* turns every run of white space into one space, or one line break if it had any (a
  line break may separate two questions: the engine reads them apart).
"""

from __future__ import annotations

import re
import unicodedata

# Longer text is cut before cleaning, so a pasted wall of text costs little: twice the
# longest Discord message, far more than the engine reads (`text.MAX_CHARS`).
MAX_INPUT = 8000
# More marks than this on one base character are decoration, never spelling (Thai and
# Devanagari use up to two; Vietnamese composes to single code points under NFC).
MAX_MARKS = 2
# Format characters that carry meaning and cannot reorder or hide text.
_KEPT_FORMAT = frozenset({"\u200d"})  # the zero-width joiner of emoji sequences
# Variation selectors and the keycap mark: Unicode calls them marks, but they are how
# emoji are written ("❤️", "1️⃣"), not accents.
_EMOJI_MARKS = frozenset({"\u20e3", *map(chr, range(0xFE00, 0xFE10))})
_SPACE_CATEGORIES = frozenset({"Zs", "Zl", "Zp"})
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
_BLANK_RUN = re.compile(r"\s+")
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cn", "Cs"})


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M") and char not in _EMOJI_MARKS


def _kept_marks(base: str, marks: str) -> str:
    """Return the combining `marks` (decomposed) after `base` that spell a letter with it."""
    if not marks:
        return ""
    if len(unicodedata.normalize("NFC", base + marks)) == 1:
        return marks  # a letter of its own: é, ệ, ǫ
    if base.isascii() or len(marks) > MAX_MARKS:
        return ""
    return marks


def _visible(text: str) -> list[str]:
    """Return the characters of `text` less control and format ones; white space as " "."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in _LINE_BREAKS:
            kept.append("\n")
        elif char.isspace() or category in _SPACE_CATEGORIES:
            kept.append(" ")
        elif category not in _DROPPED_CATEGORIES or char in _KEPT_FORMAT:
            kept.append(char)
    return kept


def _without_decoration(chars: list[str]) -> str:
    """Return `chars` (decomposed) with the combining marks that spell no letter removed."""
    out: list[str] = []
    base, marks = "", ""
    for char in chars:
        if _is_mark(char):
            marks += char
            continue
        out.append(base + _kept_marks(base, marks))
        base, marks = char, ""
    out.append(base + _kept_marks(base, marks))
    return "".join(out)


def clean_user_text(text: str) -> str:
    """Return `text` normalised as the module says: NFC, visible, no stray marks."""
    decomposed = unicodedata.normalize("NFD", text[:MAX_INPUT])
    cleaned = _without_decoration(_visible(decomposed))
    return _BLANK_RUN.sub(_one_blank, unicodedata.normalize("NFC", cleaned)).strip()


def _one_blank(run: re.Match[str]) -> str:
    return "\n" if "\n" in run[0] else " "
