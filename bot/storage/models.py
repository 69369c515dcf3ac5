"""Plain values the store reads and writes: guild settings, miss reports and scores."""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError, field_validator

from bot.storage.errors import InvalidSettingError

Mode = Literal["mention", "channels", "off"]


class GuildSettings(BaseModel):
    """Per-guild behaviour; the defaults here are the only place defaults are declared."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # "mention": free-text answers only when mentioned or in DMs; "channels": also every
    # message in `channels`; "off": slash commands only.
    mode: Mode = "mention"
    channels: frozenset[PositiveInt] = frozenset()
    cooldown_seconds: float = Field(default=10.0, ge=0, le=3600, strict=True, allow_inf_nan=False)
    trivia_round_seconds: int = Field(default=20, ge=5, le=120, strict=True)
    trivia_rounds: int = Field(default=5, ge=1, le=20, strict=True)
    # Reveals put the answer and the article's sentence in ||spoiler|| tags.
    trivia_spoilers: bool = Field(default=False, strict=True)
    # At half time a question gives a hint; a right answer after it scores less.
    trivia_hints: bool = Field(default=True, strict=True)

    def with_changes(self, **changes: Any) -> GuildSettings:
        """Return a validated copy with `changes` applied, or raise `InvalidSettingError`."""
        unknown = sorted(set(changes) - set(type(self).model_fields))
        if unknown:
            raise InvalidSettingError(f"unknown guild setting {unknown[0]!r}")
        try:
            return type(self).model_validate({**self.model_dump(), **changes})
        except ValidationError as exc:
            raise InvalidSettingError(_describe(exc)) from None


def setting_bounds(name: str) -> tuple[float, float]:
    """Return the lowest and highest value the numeric guild setting `name` accepts."""
    low, high = -math.inf, math.inf
    for rule in GuildSettings.model_fields[name].metadata:
        low = float(getattr(rule, "ge", low))
        high = float(getattr(rule, "le", high))
    return low, high


def _describe(exc: ValidationError) -> str:
    """Return the first validation error of `exc` as "field: problem (got value)"."""
    error = exc.errors()[0]
    field = ".".join(str(part) for part in error["loc"]) or "settings"
    return f"{field}: {error['msg']} (got {error['input']!r})"


class MissReport(BaseModel):
    """A user's "Wrong answer?" click: what was asked, what the bot said, who (hashed)."""

    model_config = ConfigDict(frozen=True)

    question: str
    answer: str
    intent: str | None = None
    confidence: float = Field(ge=0, le=1, allow_inf_nan=False)
    answered: bool
    guild_id: PositiveInt | None = None  # None: the question was asked in a DM
    message_id: PositiveInt
    # The pattern rejects a raw Discord id passed by mistake: only hash_user() output fits.
    user_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @field_validator("created_at", mode="after")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        """Return `value` in UTC; a naive datetime is taken to be UTC already."""
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class ScoreEntry(BaseModel):
    """One user's trivia totals in one guild."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    user_id: int
    points: int
    correct: int
    best_streak: int
    fastest_ms: int | None  # None until the user has a timed correct answer


@dataclass(frozen=True)
class RoundScore:
    """What one finished trivia round adds to one player's totals (see `Store.add_score`)."""

    user_id: int
    points: int
    correct: int  # 1 if the player answered right, else 0
    streak: int  # right answers in a row up to this round: raises the best streak if longer
    answer_ms: int | None = None  # time of a right answer: lowers the fastest if quicker


class StoredQuizGame(BaseModel):
    """A trivia game running in a channel, saved so that a restart can announce its end."""

    model_config = ConfigDict(frozen=True)

    guild_id: int
    channel_id: int
    started_by: int  # the user id of whoever started it
    state: dict[str, Any]  # `QuizSession.to_dict()` as of the last finished round
    updated_at: datetime
    game_id: str | None = None  # the id in its buttons' custom_id
    question_message_id: int | None = None  # the open question's message, if one is open

    @field_validator("updated_at", mode="after")
    @classmethod
    def _to_utc(cls, value: datetime) -> datetime:
        """Return `value` in UTC; a naive datetime is taken to be UTC already."""
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def hash_user(user_id: int, salt: str) -> str:
    """Return the HMAC-SHA256 hex digest of `user_id` keyed with `salt` (must be non-empty)."""
    if not salt:
        # Without a secret salt, Discord ids are few enough to hash them all and reverse it.
        raise ValueError("hash_user needs a non-empty salt")
    return hmac.new(salt.encode(), str(user_id).encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AskedQuestion:
    """A quiz question a channel was asked, and when last (see `Store.asked_questions`)."""

    channel_id: int
    question_key: str
    asked_at: datetime
