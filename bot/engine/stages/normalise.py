"""Stage 1, normalise: the text as shown (`clean`: no invisible tricks), cut into what is
read (`normalise`).

A message is read whole and by clause ("who directed it and when was it out?"); a
sentence ("…?", "….") is also looked at by itself and by clause for a question across
shows' values ("which outlet reported it, and did it beat squid game?").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.text import Clauses, clauses, sentences, stems
from bot.engine.user_text import clean_user_text
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.schema import ClauseWords


@dataclass(frozen=True)
class Clause:
    """One part of a message: its text and its stemmed words."""

    text: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class Message:
    """A text read as one question: whole, and by clause when it has more than one."""

    text: str
    words: tuple[str, ...]
    clauses: tuple[Clause, ...]  # when it has two or more
    rambling: bool  # chat around a question: only its last clauses were kept


@dataclass(frozen=True)
class Sentence:
    """A sentence of a message and its clauses (an operation may be said in one clause)."""

    text: str
    clauses: tuple[str, ...]


@dataclass(frozen=True)
class Normalised:
    """What stage 1 hands on: the cleaned question, as a message and as sentences."""

    message: Message
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return self.message.text


def clean(question: str) -> str:
    """Return `question` as it is shown: one Unicode form, no invisible characters, no
    decoration, white space collapsed (user_text.py). Done once, as a question comes in."""
    return clean_user_text(question)


class Normaliser:
    """Cuts cleaned text into what is read, with the lexicon's clause words (`clauses`)."""

    def __init__(self, kb: KnowledgeBase) -> None:
        """Cut as `kb`'s lexicon says: a question word after one of its `leads_into` words
        goes on with the question it is in."""
        words = kb.clauses.leads_into if kb.clauses else []
        self.leads_into = frozenset(w.casefold() for w in words)
        # The words opening a yes/no question ("is", "did"): after "and", a new question.
        self.openers = frozenset(kb.operations.yes_no) if kb.operations else frozenset()
        self.pairs = (
            frozenset(w.casefold() for w in kb.clauses.pairs) if kb.clauses else frozenset()
        )
        self.description = _description(kb.clauses) if kb.clauses else None

    def normalise(self, text: str) -> Normalised:
        """Return `clean`ed `text` cut into its message and sentences (a follow-up's part
        is cut again as it is, not cleaned twice)."""
        return Normalised(self.message(text), tuple(self.sentence(s) for s in sentences(text)))

    def undescribed(self, text: str) -> str:
        """Return `text` without what describes the article it asks about."""
        if self.description is None:
            return text
        return self.description.sub(r"\1", text)

    def message(self, text: str) -> Message:
        """Return cleaned `text` as a message: its words, and its clauses' words."""
        parts, rambling = self.clauses(text)
        if len(parts) < 2:  # one clause is the message itself, read whole
            return Message(text, stems(text), (), rambling)
        said = tuple(Clause(p, stems(p)) for p in parts)
        return Message(text, stems(text), said, rambling)

    def sentence(self, text: str) -> Sentence:
        """Return a sentence with its clauses."""
        return Sentence(text, tuple(self.clauses(text).parts))

    def clauses(self, text: str) -> Clauses:
        """Return the parts of `text` that may each be a question (`text.clauses`)."""
        return clauses(text, self.leads_into, self.pairs, self.openers)


def _description(words: ClauseWords) -> re.Pattern[str] | None:
    """Return the pattern of what only describes an article ("this article about the show
    being fifth": what follows "about" up to the end of the clause, its first group the
    article), by the lexicon's `clauses`; None if it names no such noun."""
    if not words.describes:
        return None
    never = ["\x00"]  # for an empty list: a word no cleaned text holds
    nouns, asks, within = (
        "|".join(re.escape(w) for w in said)
        for said in (words.describes, words.about_asks or never, words.asks_within or never)
    )
    return re.compile(
        rf"(\b(?:this|that|the|a|an|ur|your)\s+(?:\w+\s+)?(?:{nouns}))\s+"
        rf"(?:about|abt|regarding)\s+(?!(?:{asks})\b)"
        rf"(?:(?!\b(?:{within})\b)[^?.!,;])*?(?=\s+and\s|[?.!,;]|$)",
        re.IGNORECASE,
    )


def describe(normalised: Normalised) -> list[str]:
    """Return what `explain` prints of stage 1."""
    said = normalised.message
    rambling = " (rambling: only the last clauses kept)" if said.rambling else ""
    return [
        f"normalise: words={list(said.words)}",
        f"  clauses={[c.text for c in said.clauses] or 'one: read whole'}{rambling}",
        f"  sentences={[s.text for s in normalised.sentences]}",
    ]
