"""One trivia game in one channel: rounds, answers, points, streaks; no Discord, no clock.

Every call that depends on time takes `now` (seconds, any clock; use wall-clock time if the
game is stored across a restart). The cog runs the timers and calls, in turn:
`start_round(now)`, `submit(...)` for each answer, `end_round()` at the deadline (or at once
when a free-answer `submit` says `round_over`), until `finished`; then `summary()`.
"""

from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Sequence
from random import Random
from typing import Any

from bot.quiz.hints import free_answer_hint, ruled_out_choice
from bot.quiz.matching import is_correct
from bot.quiz.models import (
    EndReason,
    FastestAnswer,
    GameSummary,
    Mode,
    Outcome,
    Phase,
    PlayerRound,
    Question,
    QuizStateError,
    RoundResult,
    RoundStart,
    Standing,
    Streak,
    SubmitResult,
)
from bot.quiz.questions import pick_questions
from bot.quiz.scoring import ScoringRules
from bot.quiz.state import Attempt, PlayerState, SessionState, dump_state, load_state
from bot.quiz.text import MAX_ANSWER_CHARS, fold

DEFAULT_IDLE_LIMIT = 2
_LETTERS = "abcdefgh"


class QuizSession:
    """The state machine of one game: create with `new`, restore with `from_dict`."""

    def __init__(self, state: SessionState) -> None:
        """Wrap `state`; use `QuizSession.new` or `QuizSession.from_dict` instead."""
        self._state = state

    @classmethod
    def new(
        cls,
        questions: Sequence[Question],
        *,
        rounds: int,
        mode: Mode,
        round_seconds: float,
        seed: int,
        rules: ScoringRules | None = None,
        idle_limit: int = DEFAULT_IDLE_LIMIT,
        ask: Sequence[Question] | None = None,
    ) -> QuizSession:
        """Start a game of `rounds` questions from `questions` in `mode`, shuffled by `seed`.

        `ask` narrows the questions asked (a category, the fresh ones first: the first
        `rounds` of it); wrong choices still come from all `questions`. Each round lasts
        `round_seconds`; after `idle_limit` rounds in a row with no answer at all the game
        ends itself. Raises ValueError for settings no game can be played with.
        """
        if not questions or (ask is not None and not ask):
            raise ValueError("a quiz needs at least one question")
        if rounds < 1 or idle_limit < 1:
            raise ValueError("a quiz needs at least one round and an idle limit of at least one")
        if not (math.isfinite(round_seconds) and round_seconds > 0):
            raise ValueError(f"round_seconds must be a positive number, got {round_seconds}")
        picked = pick_questions(questions, rounds, mode, Random(seed), ask)
        return cls(
            SessionState(
                mode=mode,
                round_seconds=round_seconds,
                idle_limit=idle_limit,
                rules=rules or ScoringRules(),
                questions=picked,
            )
        )

    # -- what the cog reads ----------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        """Return how players answer in this game."""
        return self._state.mode

    @property
    def phase(self) -> Phase:
        """Return whether the game waits for a round, asks a question, or is over."""
        return self._state.phase

    @property
    def finished(self) -> bool:
        """Return whether the game is over."""
        return self._state.phase is Phase.FINISHED

    @property
    def end_reason(self) -> EndReason | None:
        """Return why the game ended (None while it goes on)."""
        return self._state.end_reason

    @property
    def total_rounds(self) -> int:
        """Return how many rounds the game has."""
        return len(self._state.questions)

    @property
    def rounds_played(self) -> int:
        """Return how many rounds have finished."""
        return self._state.next_index

    @property
    def current(self) -> RoundStart | None:
        """Return the open round (for re-showing it), or None between rounds."""
        state = self._state
        if state.phase is not Phase.ASKING or state.started_at is None:
            return None
        return RoundStart(
            number=state.next_index + 1,
            total=self.total_rounds,
            question=state.questions[state.next_index],
            mode=state.mode,
            started_at=state.started_at,
            deadline=state.started_at + state.round_seconds,
            hint=state.hint,
            ruled_out=state.ruled_out,
        )

    def give_hint(self) -> RoundStart:
        """Give the open round's hint (once) and return the round as it now shows.

        Free answer: the answer's shape or order of magnitude; multiple choice: a wrong
        choice ruled out. Right answers from now on score less. Raises QuizStateError if no
        round is open.
        """
        state = self._state
        opened = self.current
        if opened is None:
            raise QuizStateError(f"cannot give a hint while the game is {state.phase}")
        if not opened.hinted:
            if state.mode is Mode.CHOICE:
                state.ruled_out = ruled_out_choice(opened.question, opened.number)
            else:
                state.hint = free_answer_hint(opened.question.answer)
        hinted = self.current
        assert hinted is not None
        return hinted

    @property
    def next_question(self) -> Question | None:
        """Return the question of the open round, or of the next one (None: game over)."""
        state = self._state
        if state.phase is Phase.FINISHED or state.next_index >= len(state.questions):
            return None
        return state.questions[state.next_index]

    # -- playing ---------------------------------------------------------------------------

    def start_round(self, now: float) -> RoundStart:
        """Open the next round at `now` and return it; raise QuizStateError if one is open."""
        state = self._state
        if state.phase is not Phase.READY:
            raise QuizStateError(f"cannot start a round while the game is {state.phase}")
        state.phase, state.started_at = Phase.ASKING, now
        state.attempts, state.round_won = {}, False
        state.hint, state.ruled_out = None, None
        opened = self.current
        assert opened is not None  # just opened
        return opened

    def submit(self, user_id: int, answer: str, now: float) -> SubmitResult:
        """Take `user_id`'s `answer` at `now` and say what became of it; never raises.

        Multiple choice: `answer` is a choice's text, its letter (A-D) or number (1-4).
        """
        state = self._state
        if state.phase is not Phase.ASKING or state.started_at is None:
            return SubmitResult(Outcome.NOT_PLAYING, user_id)
        elapsed = now - state.started_at
        if state.round_won or not math.isfinite(elapsed) or elapsed > state.round_seconds:
            return SubmitResult(Outcome.TOO_LATE, user_id)
        elapsed = max(elapsed, 0.0)  # a clock that stepped back must not give negative times
        question = state.questions[state.next_index]
        if state.mode is Mode.CHOICE:
            if user_id in state.attempts:
                return SubmitResult(Outcome.ALREADY_ANSWERED, user_id)
            index = choice_index(answer, question.choices)
            if index is None:
                return SubmitResult(Outcome.NOT_A_CHOICE, user_id)
            if index == state.ruled_out:
                return SubmitResult(Outcome.RULED_OUT, user_id)
            shown, correct = question.choices[index], index == question.answer_index
        else:
            shown, correct = answer[:MAX_ANSWER_CHARS], is_correct(answer, question.accepted)
        return self._record(user_id, shown, correct, elapsed)

    def end_round(self) -> RoundResult:
        """Close the open round, score it and return the reveal; raise QuizStateError if none."""
        state = self._state
        if state.phase is not Phase.ASKING:
            raise QuizStateError(f"cannot end a round while the game is {state.phase}")
        number = state.next_index + 1
        played = tuple(
            self._score_player(user_id, number)
            for user_id in sorted(state.players.keys() | state.attempts.keys())
        )
        answered = tuple(p for p in played if p is not None)
        state.idle_rounds = 0 if state.attempts else state.idle_rounds + 1
        return self._close_round(number, tuple(sorted(answered, key=_best_first)))

    def _close_round(
        self, number: int, players: tuple[PlayerRound, ...], *, skipped: bool = False
    ) -> RoundResult:
        """Move past round `number`, ending the game if it is over; return its reveal."""
        state = self._state
        hinted = state.hint is not None or state.ruled_out is not None
        state.next_index, state.started_at = number, None
        state.attempts, state.round_won = {}, False
        state.hint, state.ruled_out = None, None
        # A game that ran its course completed, even if its last rounds were quiet.
        if state.next_index >= len(state.questions):
            self._finish(EndReason.COMPLETED)
        elif state.idle_rounds >= state.idle_limit:
            self._finish(EndReason.INACTIVE)
        else:
            state.phase = Phase.READY
        return RoundResult(
            number=number,
            total=self.total_rounds,
            question=state.questions[number - 1],
            players=players,
            game_over=self.finished,
            end_reason=state.end_reason,
            skipped=skipped,
            hinted=hinted,
        )

    def skip_round(self) -> RoundResult:
        """Close the open round without scoring it: the players voted to skip it.

        Nobody scores and nobody's streak breaks; the round counts as played (and as
        activity). Raises QuizStateError if no round is open.
        """
        state = self._state
        if state.phase is not Phase.ASKING:
            raise QuizStateError(f"cannot skip a round while the game is {state.phase}")
        state.idle_rounds = 0  # a vote is activity
        return self._close_round(state.next_index + 1, (), skipped=True)

    def stop(self, reason: EndReason = EndReason.STOPPED) -> RoundResult | None:
        """End the game for `reason`, scoring the open round's answers; return that round.

        After a restart, restore the game with `from_dict` and call
        `stop(EndReason.INTERRUPTED)`. Returns None if no round was open.
        """
        if self.finished:
            return None
        result = self.end_round() if self.phase is Phase.ASKING else None
        # A stop is a stop, even on the last question, whose end would complete the game.
        self._finish(reason)
        if result is not None:
            result = dataclasses.replace(result, game_over=True, end_reason=reason)
        return result

    def scores_checkpoint(self) -> dict[int, PlayerState]:
        """Return a copy of every player's totals, for `rollback_scores`."""
        return copy.deepcopy(self._state.players)

    def rollback_scores(self, checkpoint: dict[int, PlayerState]) -> None:
        """Put the players' totals back to `checkpoint`: a round whose points were lost.

        The game goes on from where it is; only the standings forget that round, so they
        show what the leaderboard has. A player forgotten since stays forgotten.
        """
        players = self._state.players
        self._state.players = {uid: p for uid, p in checkpoint.items() if uid in players}

    def forget_player(self, user_id: int) -> None:
        """Drop `user_id` from the standings and the open round: they asked to be forgotten."""
        self._state.players.pop(user_id, None)
        self._state.attempts.pop(user_id, None)

    def summary(self) -> GameSummary:
        """Return the standings, best streaks and fastest answer of the finished rounds."""
        players = self._state.players
        standings = sorted(
            (
                Standing(uid, p.points, p.correct, p.answered, p.best_streak, p.fastest_ms)
                for uid, p in players.items()
            ),
            key=lambda s: (-s.points, -s.correct, _or_inf(s.fastest_ms), s.user_id),
        )
        streaks = sorted(
            (Streak(uid, p.best_streak) for uid, p in players.items() if p.best_streak),
            key=lambda s: (-s.length, s.user_id),
        )
        timed = [
            FastestAnswer(uid, p.fastest_ms, p.fastest_round)
            for uid, p in players.items()
            if p.fastest_ms is not None and p.fastest_round is not None
        ]
        fastest = min(timed, key=lambda f: (f.answer_ms, f.round_number, f.user_id), default=None)
        return GameSummary(
            standings=tuple(standings),
            best_streaks=tuple(streaks),
            fastest=fastest,
            rounds_played=self.rounds_played,
            rounds_total=self.total_rounds,
            end_reason=self._state.end_reason,
        )

    # -- storing ---------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Return the whole game as a JSON-able dict, for `from_dict`."""
        return dump_state(self._state)

    @classmethod
    def from_dict(cls, data: object) -> QuizSession:
        """Restore a game stored by `to_dict` from `data`; raise ValueError if it is broken."""
        return cls(load_state(data))

    # -- inside ----------------------------------------------------------------------------

    def _record(self, user_id: int, shown: str, correct: bool, elapsed: float) -> SubmitResult:
        state = self._state
        hinted = state.hint is not None or state.ruled_out is not None
        points = state.rules.points(elapsed, state.round_seconds, hinted=hinted) if correct else 0
        answer_ms = int(elapsed * 1000)
        state.attempts[user_id] = Attempt(shown, correct, points, answer_ms, hinted)
        if not correct:
            return SubmitResult(Outcome.INCORRECT, user_id)
        # Free answer: the first right answer takes the round.
        state.round_won = state.mode is Mode.FREE
        return SubmitResult(Outcome.CORRECT, user_id, points, answer_ms, state.round_won)

    def _score_player(self, user_id: int, number: int) -> PlayerRound | None:
        """Fold `user_id`'s answer in round `number` into their totals; None if they had none."""
        player = self._state.players.setdefault(user_id, PlayerState())
        attempt = self._state.attempts.get(user_id)
        if attempt is None or not attempt.correct:
            player.streak = 0  # a round without a right answer breaks the run
        else:
            player.streak += 1
            player.best_streak = max(player.best_streak, player.streak)
            player.correct += 1
            player.points += attempt.points
            if player.fastest_ms is None or attempt.answer_ms < player.fastest_ms:
                player.fastest_ms, player.fastest_round = attempt.answer_ms, number
        if attempt is None:
            return None
        player.answered += 1
        return PlayerRound(
            user_id=user_id,
            answer=attempt.answer,
            correct=attempt.correct,
            points=attempt.points,
            streak=player.streak,
            answer_ms=attempt.answer_ms if attempt.correct else None,
            hinted=attempt.hinted,
        )

    def _finish(self, reason: EndReason) -> None:
        self._state.phase, self._state.end_reason = Phase.FINISHED, reason
        self._state.started_at = None


def choice_index(answer: str, choices: Sequence[str]) -> int | None:
    """Return which of `choices` `answer` names: by its text, letter (A-D) or number (1-4)."""
    text = fold(answer).strip()
    for index, choice in enumerate(choices):
        if fold(choice).strip() == text:
            return index
    if len(text) == 1 and text in _LETTERS[: len(choices)]:
        return _LETTERS.index(text)
    if text.isdecimal() and len(text) <= 2 and 1 <= int(text) <= len(choices):
        return int(text) - 1
    return None


def _best_first(player: PlayerRound) -> tuple[int, float, int]:
    return (-player.points, _or_inf(player.answer_ms), player.user_id)


def _or_inf(value: int | None) -> float:
    return math.inf if value is None else value
