"""`chat`: a conversation through a pipe, leaving on quit or end of input, Ctrl-C clearing."""

from __future__ import annotations

import subprocess
from collections.abc import Callable

from bot.cli.chat import converse, greeting
from bot.engine import Engine
from bot.knowledge import KnowledgeBase

RunBot = Callable[..., subprocess.CompletedProcess[str]]


def test_chat_through_a_pipe_answers_and_leaves_on_quit(run_bot: RunBot) -> None:
    result = run_bot("chat", stdin="who directed all of us are dead?\nquit\nwho directed it\n")
    assert result.returncode == 0, result.stderr
    assert "Type quit or exit" in result.stdout
    # One answer: the line after `quit` is never read.
    assert result.stdout.count("— Virgin Radio, 9 Feb 2022") == 1
    assert "Lee Jae-kyoo" in result.stdout


def test_chat_leaves_at_end_of_input(run_bot: RunBot) -> None:
    result = run_bot("chat", stdin="how many hours have people watched it")
    assert result.returncode == 0, result.stderr
    assert "361 million" in result.stdout


def _scripted(lines: list[str | BaseException | None]) -> Callable[[], str | None]:
    """Return a reader that gives `lines` one by one, raising the exceptions among them."""
    remaining = iter(lines)

    def read_line() -> str | None:
        item = next(remaining)
        if isinstance(item, BaseException):
            raise item
        return item

    return read_line


def test_ctrl_c_clears_the_line_and_exit_leaves(engine: Engine) -> None:
    written: list[str] = []
    script: list[str | BaseException | None] = [
        "   ",
        KeyboardInterrupt(),
        "who directed it",
        "EXIT",
        "never read",
    ]
    converse(engine, _scripted(script), written.append)
    answers = [w for w in written if w]
    assert len(answers) == 1
    assert "Lee Jae-kyoo" in answers[0]


def test_none_from_the_reader_ends_the_chat(engine: Engine) -> None:
    written: list[str] = []
    converse(engine, _scripted([None, "never read"]), written.append)
    assert written == []


def test_greeting_says_what_it_knows_and_how_to_leave(kb: KnowledgeBase) -> None:
    text = greeting(kb)
    assert "All of Us Are Dead" in text
    assert "Virgin Radio, 9 Feb 2022" in text
    assert "quit" in text and "Ctrl-D" in text


def test_chat_keeps_the_conversation_until_new_or_a_blank_line(engine: Engine) -> None:
    written: list[str] = []
    script: list[str | BaseException | None] = [
        "tell me about squid game",
        "how many hours did it get",  # Squid Game's
        "/new",
        "how many hours did it get",  # alone again: the show's
        "which show is number one",
        "",
        "how many hours did it get",
        None,
    ]
    converse(engine, _scripted(script), written.append)
    answers = [w for w in written if w]
    assert len(answers) == 5
    assert "1.65 billion" in answers[1]
    assert "361 million" in answers[2]
    assert "361 million" in answers[4]


def test_chat_through_a_pipe_follows_up(run_bot: RunBot) -> None:
    result = run_bot("chat", stdin="tell me about elite\nhow long have people watched it?\n")
    assert result.returncode == 0, result.stderr
    assert "how many hours of Elite" in result.stdout
    assert "361 million" not in result.stdout
