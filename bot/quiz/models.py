"""The values a quiz game hands out: questions, submit results, round reveals, the summary.

All are frozen dataclasses of plain values, so the cog can render them, persist them and
put them in JSON without knowing how the game works.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mode(StrEnum):
    """How players answer: press one of four choices, or type the answer in the channel."""

    CHOICE = "choice"
    FREE = "free"


class Phase(StrEnum):
    """Where a game is: waiting for the next round, asking a question, or over."""

    READY = "ready"
    ASKING = "asking"
    FINISHED = "finished"


class Outcome(StrEnum):
    """What became of one submitted answer."""

    CORRECT = "correct"
    INCORRECT = "incorrect"
    ALREADY_ANSWERED = "already_answered"  # multiple choice: one answer per player
    TOO_LATE = "too_late"  # past the deadline, or someone already won a free-answer round
    NOT_PLAYING = "not_playing"  # no question is open (between rounds, or the game is over)
    NOT_A_CHOICE = "not_a_choice"  # multiple choice: names none of the choices; not counted
    RULED_OUT = "ruled_out"  # multiple choice: the choice the hint took out; not counted


class EndReason(StrEnum):
    """Why a game ended."""

    COMPLETED = "completed"  # every round was played
    INACTIVE = "inactive"  # nobody answered for several rounds in a row
    STOPPED = "stopped"  # someone stopped it
    INTERRUPTED = "interrupted"  # the bot restarted during the game


class QuizStateError(RuntimeError):
    """A game was driven out of order, e.g. a round ended that was never started."""


@dataclass(frozen=True)
class Question:
    """One quiz question: what to ask, what counts as right, and the article's sentence."""

    key: str  # unique in the knowledge: the fact id, "fact#2" for its second question
    fact_id: str
    text: str
    answer: str  # the right answer as shown
    accepted: tuple[str, ...]  # every form that counts as right, `answer` first
    kind: str  # answers of one kind make each other's wrong choices
    evidence: str  # the article's sentence the answer comes from, shown after the round
    choices: tuple[str, ...] = ()  # multiple choice only: `answer` exactly once among them
    # Other values of the answer's kind the article names (its people, shows, dates,
    # places on the list): the first wrong choices after other questions' answers.
    decoys: tuple[str, ...] = ()

    @property
    def answer_index(self) -> int | None:
        """Return the position of the right answer among the choices (None: free answer)."""
        return self.choices.index(self.answer) if self.choices else None


@dataclass(frozen=True)
class RoundStart:
    """A question just asked: show it (and its choices) until `deadline`."""

    number: int  # 1-based
    total: int
    question: Question
    mode: Mode
    started_at: float
    deadline: float
    hint: str | None = None  # free answer, once given: the answer's shape or magnitude
    ruled_out: int | None = None  # multiple choice, once hinted: the wrong choice taken out

    @property
    def choices(self) -> tuple[str, ...]:
        """Return the choices to show as buttons (empty in free-answer mode)."""
        return self.question.choices

    @property
    def hinted(self) -> bool:
        """Return whether the hint of this round has been given."""
        return self.hint is not None or self.ruled_out is not None


@dataclass(frozen=True)
class SubmitResult:
    """What happened to one player's answer."""

    outcome: Outcome
    user_id: int
    points: int = 0  # what a correct answer will score when the round ends
    answer_ms: int | None = None  # how fast a correct answer came, from the question
    round_over: bool = False  # free answer: this answer won the round; end it now

    @property
    def counted(self) -> bool:
        """Return whether the answer was taken (right or wrong), not refused."""
        return self.outcome in (Outcome.CORRECT, Outcome.INCORRECT)


@dataclass(frozen=True)
class PlayerRound:
    """One player's part in a finished round: exactly what to add to their stored score."""

    user_id: int
    answer: str
    correct: bool
    points: int
    streak: int  # consecutive correct rounds up to and including this one
    answer_ms: int | None  # time of the correct answer; None when wrong
    hinted: bool = False  # answered after the hint (a right answer scores less)


@dataclass(frozen=True)
class RoundResult:
    """The reveal of a finished round: the right answer, the article's sentence, the scores."""

    number: int
    total: int
    question: Question
    players: tuple[PlayerRound, ...]  # everyone who answered, best first
    game_over: bool
    end_reason: EndReason | None  # set when `game_over`
    skipped: bool = False  # the players voted to skip it: nobody scored
    hinted: bool = False  # its hint was given

    @property
    def answer(self) -> str:
        """Return the right answer as shown."""
        return self.question.answer

    @property
    def evidence(self) -> str:
        """Return the article's sentence the answer comes from."""
        return self.question.evidence

    @property
    def winners(self) -> tuple[PlayerRound, ...]:
        """Return the players who answered right, best first."""
        return tuple(p for p in self.players if p.correct)


@dataclass(frozen=True)
class Standing:
    """One player's totals for the game so far."""

    user_id: int
    points: int
    correct: int
    answered: int  # rounds in which they answered at all
    best_streak: int
    fastest_ms: int | None


@dataclass(frozen=True)
class Streak:
    """A player's longest run of consecutive correct rounds."""

    user_id: int
    length: int


@dataclass(frozen=True)
class FastestAnswer:
    """The quickest correct answer of the game."""

    user_id: int
    answer_ms: int
    round_number: int


@dataclass(frozen=True)
class GameSummary:
    """The game at a glance: standings, best streaks, fastest answer, how it ended."""

    standings: tuple[Standing, ...]  # best first: points, then correct answers, then speed
    best_streaks: tuple[Streak, ...]  # longest first; only streaks of at least one
    fastest: FastestAnswer | None
    rounds_played: int
    rounds_total: int
    end_reason: EndReason | None  # None while the game goes on
