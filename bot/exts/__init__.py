"""The bot's cogs, one extension per module or package, loaded in `TriviaBot.setup_hook`.

`trivia` is a package: its private modules (`_cog`, `_games`) make one extension.
"""

EXTENSIONS: tuple[str, ...] = (
    "bot.exts.knowledge",
    "bot.exts.free_text",
    "bot.exts.config",
    "bot.exts.trivia",
)
