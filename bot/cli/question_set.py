"""Read a question set (`questions:` list of q, category, expect, style) and match expectations.

A question set is the yardstick for the engine: `expect` is the literal `decline` for a
question the article does not answer, or text the answer must contain. A follow-up
question has `context`: the message asked before it (or a list of them, in order); they
are asked first in one conversation, and only the last question is graded.

A file written by `python -m bot reports export` loads as it is: its entries carry notes
for the maintainer (`bot_answer`, `answered`, `intent`, `confidence`, `reported_at`,
`reports`), which are checked but not used, and `expect: null` until someone fills it in.
Such an entry is *pending*: `eval` skips it and says how many it skipped. Any other key is
a typo and rejected.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.cli.common import CommandError
from bot.knowledge import KnowledgeError
from bot.knowledge.loader import normalise_evidence, parse_file

DECLINE = "decline"
TOP_LEVEL_KEY = "questions"
# Hyphens and dashes count as spaces: "most-watched" matches "most watched".
_HYPHENS = re.compile(r"[-‐‑‒–—―]")
# "1.65billion" (the article's spelling) and "1.65 billion" are the same figure.
_NUMBER_THEN_WORD = re.compile(r"(\d)(?=[^\W\d_])")


class _Located(Protocol):
    """A parsed YAML file that can build an error naming a field's line (the loader's)."""

    def error(self, path: tuple[str | int, ...], message: str) -> KnowledgeError:
        """Return the error for the field at `path`, saying `message`."""
        ...


class QuestionSetError(CommandError):
    """A question set file cannot be used; the message names the file and the problem."""


class EvalQuestion(BaseModel):
    """One question of a set: its text, category, expected answer and optional style.

    `expect` is None for a reported question nobody has judged yet (pending); the fields
    after `style` are the notes `reports export` writes, never used to grade.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    q: str
    category: str = Field(min_length=1)
    expect: str | None = Field(min_length=1)  # required: null only while pending
    style: str | None = Field(default=None, min_length=1)
    # The earlier messages of the conversation, in order: `q` is a follow-up to them.
    context: tuple[str, ...] = ()
    # Notes from `reports export`: what the bot said, how it read the question, the reports.
    bot_answer: str | None = None
    answered: bool | None = None
    intent: str | None = None
    confidence: float | None = Field(default=None, ge=0, le=1)
    reported_at: datetime | None = None
    reports: int | None = Field(default=None, ge=1)

    @field_validator("context", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        """Accept one earlier message as a string, or a list of them."""
        return (value,) if isinstance(value, str) else value

    @field_validator("context")
    @classmethod
    def _no_blank_message(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if any(not message.strip() for message in value):
            raise ValueError("a context message must not be blank")
        return value

    @property
    def pending(self) -> bool:
        """Return whether `expect` is still to be filled in (the question cannot be graded)."""
        return self.expect is None

    @property
    def in_scope(self) -> bool:
        """Return whether the article answers this question (it expects no decline)."""
        return self.expect is not None and self.expect.strip() != DECLINE


def load_question_set(path: Path) -> list[EvalQuestion]:
    """Read and check the question set in `path`, naming file, line and field on a problem."""
    if not path.is_file():
        raise QuestionSetError(f"{path}: no such question file")
    try:
        doc = parse_file(path, display_name=str(path))
    except KnowledgeError as exc:
        raise QuestionSetError(str(exc)) from exc
    extra = [str(key) for key in doc.data if key != TOP_LEVEL_KEY]
    if extra:
        raise _error(doc, (extra[0],), f"unknown key (expected only '{TOP_LEVEL_KEY}')")
    raw = doc.data.get(TOP_LEVEL_KEY)
    if not isinstance(raw, list) or not raw:
        raise _error(doc, (TOP_LEVEL_KEY,), "expected a non-empty list of questions")
    return [_question(doc, index, item) for index, item in enumerate(raw)]


def _question(doc: _Located, index: int, item: object) -> EvalQuestion:
    """Validate `item`, the question at `index` of `doc`."""
    try:
        return EvalQuestion.model_validate(item)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise _error(doc, (TOP_LEVEL_KEY, index, *first["loc"]), first["msg"].lower()) from exc


def _error(doc: _Located, path: tuple[str | int, ...], message: str) -> QuestionSetError:
    """Return the error for the field at `path` of `doc`, with its file and line."""
    return QuestionSetError(str(doc.error(path, message)))


def normalise_for_match(text: str) -> str:
    """Return `text` folded for comparing: case, quote marks, hyphens and spacing made uniform,
    a number run into its word ("1.65billion") spaced as written apart."""
    text = _NUMBER_THEN_WORD.sub(r"\1 ", unicodedata.normalize("NFKC", text))
    return normalise_evidence(_HYPHENS.sub(" ", text)).casefold()


def contains_expected(text: str, expect: str) -> bool:
    """Return whether answer `text` contains `expect`, compared with `normalise_for_match`."""
    return normalise_for_match(expect) in normalise_for_match(text)
