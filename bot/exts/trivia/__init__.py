"""`/trivia …`: quiz games in a channel, and the server's leaderboard (one extension).

A package, as python-discord's `bot/exts/<area>/` are: the cog (`_cog`) and the game
runner it drives (`_games`, each game's rounds, timers and saving) are private modules.
"""

from __future__ import annotations

from discord.ext import commands

from bot.bot import TriviaBot
from bot.exts.trivia._cog import QuizCog

__all__ = ["QuizCog", "setup"]


async def setup(bot: commands.Bot) -> None:
    """Add the /trivia commands to `bot`."""
    if not isinstance(bot, TriviaBot):
        raise TypeError("the quiz cog needs a TriviaBot")
    await bot.add_cog(QuizCog(bot))
