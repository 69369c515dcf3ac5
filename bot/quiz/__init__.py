"""The trivia game, pure: questions from the knowledge, answer matching, the game state machine.

No discord.py, no I/O, no timers: the cog passes the time in and persists what it gets back.

    questions = build_questions(kb)                    # once, when the knowledge loads
    game = QuizSession.new(questions, rounds=5, mode=Mode.CHOICE, round_seconds=20, seed=seed)
    shown = game.start_round(now)                      # ask shown.question (and shown.choices)
    game.submit(user_id, answer, now)                  # for each button press or message
    result = game.end_round()                          # at shown.deadline: reveal and persist
    ...                                                # until game.finished
    game.summary()                                     # standings, streaks, fastest answer
"""

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
from bot.quiz.questions import build_questions
from bot.quiz.scoring import ScoringRules
from bot.quiz.session import QuizSession

__all__ = [
    "EndReason",
    "FastestAnswer",
    "GameSummary",
    "Mode",
    "Outcome",
    "Phase",
    "PlayerRound",
    "Question",
    "QuizSession",
    "QuizStateError",
    "RoundResult",
    "RoundStart",
    "ScoringRules",
    "Standing",
    "Streak",
    "SubmitResult",
    "build_questions",
    "is_correct",
]
