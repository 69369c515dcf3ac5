"""`python -m bot explain`: each stage's output for a question, alone or as a follow-up."""

from __future__ import annotations

import pytest

from bot.cli.main import main


def test_explain_prints_each_stage_then_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "who", "directed", "kingdom"]) == 0
    out = capsys.readouterr().out
    stages = ["normalise:", "read:", "resolve:", "decide:", "render:"]
    positions = [out.index(stage) for stage in stages]
    assert positions == sorted(positions)
    assert "decline: asks about another show" in out
    assert "render: answered=False" in out


def test_explain_after_earlier_messages_shows_the_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", "where is it from", "--after", "tell me about lupin"]) == 0
    out = capsys.readouterr().out
    assert "context: named=['lupin']" in out
    assert "resolved: points at lupin" in out
    assert "about=['lupin']" in out


def test_explain_refuses_an_empty_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", "  "]) == 1
    assert "empty" in capsys.readouterr().err
