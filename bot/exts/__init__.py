"""The bot's cogs, one extension per module, loaded in `TriviaBot.setup_hook`.

`quiz_games` is no extension: it runs the games of the `/trivia` cog (`quiz`).
"""

EXTENSIONS: tuple[str, ...] = (
    "bot.exts.knowledge",
    "bot.exts.free_text",
    "bot.exts.config",
    "bot.exts.quiz",
)
