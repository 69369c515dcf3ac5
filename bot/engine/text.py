"""Turn what people type in a Discord channel into comparable word tokens."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from lemminflect import getAllLemmas

# Bound the work per question: nothing past this many characters or tokens is read. A real
# question is far shorter; a pasted wall of text gets a decline, not a slow bot.
MAX_CHARS = 600
MAX_TOKENS = 48
MAX_CLAUSES = 4
RAMBLE_PARTS = 2

_DISCORD_MARKUP = re.compile(r"<(?:@[!&]?|#|/[\w -]+:)\d+>|<a?:\w+:\d+>|https?://\S+")
_APOSTROPHES = re.compile(r"[’‘'`´]")
_LONG_REPEATS = re.compile(r"(\w)\1{2,}")  # "sooo" -> "soo", "whooo" -> "whoo"
_WORD = re.compile(r"[^\W_]+")
# "top10", "season2": a word run into a number ("s2", "ep12", "28th" stay as typed).
_WORD_THEN_NUMBER = re.compile(r"\b([^\W\d_]{3,})(\d+)\b")
_NOT_PLURAL = frozenset({"news", "series", "species", "always", "perhaps", "whereas", "yes"})
# Where one question may end and another begin: punctuation and joining words.
# An emoji often ends a sentence in chat ("i scare easily 😬 what kind of show is it").
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
# A reason given after a question ("how many hrs did it pull cuz that number is wild") is
# a premise of its own (below), read apart from the question.
_CLAUSE_BREAK = re.compile(
    rf"[?;!\n+{_EMOJI}]+|[.,:](?!\d)|\s/\s|\s(?:and|plus|&|n)\s|\s(?=(?:because|cuz|coz|cos)\s)",
    re.IGNORECASE,
)

# The same breaks, kept: which one ended a part tells whether it was a joining "and" (the
# split below relies on the pattern having no group of its own).
assert _CLAUSE_BREAK.groups == 0
_CLAUSE_BREAK_KEPT = re.compile(f"({_CLAUSE_BREAK.pattern})", re.IGNORECASE)
_JOINING_AND = re.compile(r"\s(?:and|&|n)\s", re.IGNORECASE)
_JOINING_WORDS = frozenset({"and", "n"})
# At most this many words after a pairing word ("between season 1 and …") wait for its "and".
_PAIR_REACH = 6
# A part starting so spells out the one before it ("…set up future episodes, such as new
# kinds of undead?"): it is read with it, not as a question of its own. ("Like" is not
# one: chat starts its real question with it, "like how many hours did it pull".)
_SPELLS_OUT = re.compile(r"\s*(?:such as|including|especially|e\.?g)\b", re.IGNORECASE)
# A part starting so sets up a premise ("if lee did all of us are dead, who directed squid
# game"): beside another part, it is not what is asked.
_PREMISE = re.compile(r"\s*(?:if|since|because|cause|cuz|coz|cos|unless)\b", re.IGNORECASE)
# A part starting so frames the question ("according to the director, …"): it answers only
# when the question itself does not.
_FRAMING = re.compile(r"\s*(?:according to|per|going by)\b", re.IGNORECASE)

# A question that follows chat unpunctuated ("i scare easily what kind of show is it")
# starts at one of these words, after at least MIN_PREAMBLE words of chat; not after a
# word that leads into a clause of the question itself ("say about how cruel they are":
# the lexicon's `clauses`).
_LATE_QUESTION = re.compile(r"\b(?:who|whos|what|whats|when|where|which|how)\b", re.IGNORECASE)
MIN_PREAMBLE = 5


def tokens(text: str) -> list[str]:
    """Return the lowercase word tokens of `text`, without Discord markup, capped in length."""
    text = unicodedata.normalize("NFKC", text[: MAX_CHARS * 2])[:MAX_CHARS]
    text = _DISCORD_MARKUP.sub(" ", text)
    text = _APOSTROPHES.sub("", text.casefold())
    text = _LONG_REPEATS.sub(r"\1\1", text)
    text = _WORD_THEN_NUMBER.sub(r"\1 \2", text)
    return _WORD.findall(text)[:MAX_TOKENS]


def stem(word: str) -> str:
    """Return `word` without a plural ending, so "hours" meets "hour".

    Only plurals: other endings ("-ed", "-ing") are listed in the lexicon, where a wrong
    cut would make "stated" read as "stats"; typo correction catches the forms it lacks.
    """
    if len(word) <= 3 or not word.isascii() or not word.isalpha() or word in _NOT_PLURAL:
        return word
    if word.endswith("ies") and len(word) >= 5:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


@lru_cache(maxsize=16384)
def lemmas(word: str) -> tuple[str, ...]:
    """Return the dictionary forms of `word` other than itself ("directed": "direct",
    "drew": "draw", "spent": "spend"), from lemminflect's English tables; () for a word it
    does not know or one too short to inflect."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return ()
    found = getAllLemmas(word)
    return tuple(
        dict.fromkeys(lemma for forms in found.values() for lemma in forms if lemma != word)
    )


def stems(text: str) -> tuple[str, ...]:
    """Return the stemmed tokens of `text`."""
    return tuple(stem(t) for t in tokens(text))


def is_question_word(word: str) -> bool:
    """Return whether `word` is a question word ("who", "what", "when"…) as typed."""
    return bool(_LATE_QUESTION.fullmatch(word))


def is_premise(part: str) -> bool:
    """Return whether `part` starts with "if", "since", "because": a premise, not a question."""
    return bool(_PREMISE.match(part))


def is_framing(part: str) -> bool:
    """Return whether `part` starts with "according to", "per": it frames the question."""
    return bool(_FRAMING.match(part))


_SENTENCE_END = re.compile(r"[?!;\n]+|\.(?=\s|$)")


def sentences(text: str) -> list[str]:
    """Return the sentences of `text` (at most MAX_CLAUSES, the last ones of a long one):
    parts ended by "?", "!", ";", a full stop or a new line, not by "and" or commas, so
    "are money heist and lupin from the same country?" stays whole."""
    found = [part for part in _SENTENCE_END.split(text[:MAX_CHARS]) if _WORD.search(part)]
    return found[-MAX_CLAUSES:]


class Clauses(NamedTuple):
    """The parts of a message to read, and whether it rambled (chat around a question)."""

    parts: list[str]
    rambling: bool


def clauses(
    text: str,
    leads_into: frozenset[str],
    pairs: frozenset[str] = frozenset(),
    openers: frozenset[str] = frozenset(),
) -> Clauses:
    """Split `text` into the questions it may hold ("who directed it and when was it out?").

    Of a rambling message (more than MAX_CLAUSES parts), only the last RAMBLE_PARTS are
    kept: chat comes first and the question last ("ok so i binged it all weekend, … anyway
    who directed it"); reading no more bounds the work a long message costs. An "and"
    right after a word of `pairs` and its first term ("between season 1 and season 2")
    joins the pair's two terms, not two questions.
    """
    parts = _parts(text, leads_into, pairs, openers)
    if len(parts) <= MAX_CLAUSES:
        return Clauses(parts, rambling=False)
    return Clauses(parts[-RAMBLE_PARTS:], rambling=True)


def _parts(
    text: str, leads_into: frozenset[str], pairs: frozenset[str], openers: frozenset[str]
) -> list[str]:
    parts: list[str] = []
    pieces = _CLAUSE_BREAK_KEPT.split(text[:MAX_CHARS])
    for index in range(0, len(pieces), 2):
        part = pieces[index]
        if not _WORD.search(part):
            continue
        if parts and _SPELLS_OUT.match(part):
            parts[-1] = f"{parts[-1]} {part}"
            continue
        ended_by = pieces[index - 1] if index else ""
        # Not "… and when did it air", "… and did lee direct it": a question of its own.
        first = _WORD.match(part.lstrip())
        opens = first is not None and first.group().casefold() in openers
        second_term = not _LATE_QUESTION.match(part.lstrip()) and not opens
        if (
            parts
            and _JOINING_AND.fullmatch(ended_by)
            and second_term
            and _pair_open(parts[-1], pairs)
        ):
            parts[-1] = f"{parts[-1]}{ended_by}{part}"
            continue
        parts.extend(_question_at_end(part, leads_into))
    return parts


def _pair_open(part: str, pairs: frozenset[str]) -> bool:
    """Return whether `part` ends with a pairing word and its first term ("…contrast
    between season 1"): the "and" after it says the second term."""
    tail = [w.casefold() for w in _WORD.findall(part)][-_PAIR_REACH - 1 :]
    paired = [i for i, word in enumerate(tail[:-1]) if word in pairs]
    # "between squid game and elite and is …": the pair has its "and" already.
    return bool(paired) and not _JOINING_WORDS.intersection(tail[paired[-1] :])


def _question_at_end(part: str, leads_into: frozenset[str]) -> list[str]:
    """Split `part` at the last question word that follows chat, if there is one (not one
    after a word of `leads_into`, which goes on with the question it is in)."""
    asking = bool(_LATE_QUESTION.match(part.lstrip()))
    for match in reversed(list(_LATE_QUESTION.finditer(part))):
        relative = (
            match.group().casefold() == "who" and part[match.end() : match.end() + 1] not in "'’"
        )
        if asking and relative:
            continue  # "what's the name of the journalist who interviewed him": relative
        before = _WORD.findall(part[: match.start()])
        if len(before) >= MIN_PREAMBLE and before[-1].casefold() not in leads_into:
            return [part[: match.start()], part[match.start() :]]
    return [part]
