"""Turn an Answer into what a person reads in a terminal, or into one JSON line."""

from __future__ import annotations

import json

from bot.engine import Answer

SUGGESTION_SEPARATOR = " · "


def format_answer(answer: Answer) -> str:
    """Return `answer` as a person reads it: the text, the source cited, or suggestions."""
    lines = [answer.text]
    if answer.answered and answer.source is not None:
        lines.append(f"— {answer.source}")
    if not answer.answered and answer.suggestions:
        lines.append("You can ask me: " + SUGGESTION_SEPARATOR.join(answer.suggestions))
    return "\n".join(lines)


def answer_json(answer: Answer) -> str:
    """Return `answer` as one line of JSON with the documented keys, in their order."""
    # ensure_ascii=False keeps Korean names readable; json escapes newlines, so it is one line.
    return json.dumps(answer.to_json_dict(), ensure_ascii=False)
