"""What the cogs share to talk to Discord: embeds, the report button, the command tree,
and the trivia game's embeds and buttons (`quiz_views`).

Nothing here understands questions: the engine does that. These modules turn its
Answers and the knowledge into messages that fit Discord's limits.
"""
