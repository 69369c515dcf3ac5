"""Everything a game remembers, as plain dataclasses that turn into JSON and back.

The session keeps no other state, so `to_dict`/`from_dict` of this is the whole game: a cog
can store a running game and, after a restart, load it to announce it as ended.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter

from bot.quiz.models import EndReason, Mode, Phase, Question
from bot.quiz.scoring import ScoringRules

STATE_VERSION = 1


@dataclass
class PlayerState:
    """One player's totals over the finished rounds of a game."""

    points: int = 0
    correct: int = 0
    answered: int = 0
    streak: int = 0
    best_streak: int = 0
    fastest_ms: int | None = None
    fastest_round: int | None = None


@dataclass
class Attempt:
    """A player's answer in the open round (free answer: their latest guess)."""

    answer: str
    correct: bool
    points: int
    answer_ms: int
    hinted: bool = False  # given after the round's hint


@dataclass
class SessionState:
    """A whole game: settings, questions with their choices, progress and players."""

    mode: Mode
    round_seconds: float
    idle_limit: int
    rules: ScoringRules
    questions: list[Question]
    version: int = STATE_VERSION
    phase: Phase = Phase.READY
    next_index: int = 0  # the open question while asking, the next one between rounds
    started_at: float | None = None
    attempts: dict[int, Attempt] = field(default_factory=dict)
    round_won: bool = False  # free answer: someone answered right, the round takes no more
    hint: str | None = None  # the open round's hint, once given (free answer)
    ruled_out: int | None = None  # the open round's choice the hint took out (multiple choice)
    idle_rounds: int = 0
    players: dict[int, PlayerState] = field(default_factory=dict)
    end_reason: EndReason | None = None


_ADAPTER = TypeAdapter(SessionState)


def dump_state(state: SessionState) -> dict[str, Any]:
    """Return `state` as a JSON-able dict."""
    data: dict[str, Any] = _ADAPTER.dump_python(state, mode="json")
    return data


def load_state(data: object) -> SessionState:
    """Return the state stored as `data`; raise ValueError if it is not a valid game."""
    state = _ADAPTER.validate_python(data)  # ValidationError is a ValueError
    if state.version != STATE_VERSION:
        raise ValueError(f"stored quiz game has version {state.version}, not {STATE_VERSION}")
    if not (math.isfinite(state.round_seconds) and state.round_seconds > 0):
        raise ValueError("stored quiz game has no valid round length")
    if not 0 <= state.next_index <= len(state.questions):
        raise ValueError("stored quiz game is past its last question")
    if (state.phase is Phase.ASKING) != (state.started_at is not None):
        raise ValueError("stored quiz game has a round open without a start time, or vice versa")
    if state.phase is not Phase.FINISHED and state.next_index == len(state.questions):
        raise ValueError("stored quiz game goes on but has no question left")
    return state
