"""The bot's cogs, one extension per module, loaded in `TriviaBot.setup_hook`."""

EXTENSIONS: tuple[str, ...] = (
    "bot.exts.knowledge",
    "bot.exts.free_text",
    "bot.exts.config",
    "bot.exts.quiz",
)
