"""What the cogs share to talk to Discord: embeds, the report button, the command tree.

Nothing here understands questions: the engine does that. These modules turn its
Answers and the knowledge into messages that fit Discord's limits.
"""
