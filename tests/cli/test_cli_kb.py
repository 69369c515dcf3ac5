"""`kb check`: the shipped knowledge passes; a broken copy exits 1 with the loader's
'file:line: field: message' line (each kind of breakage: tests/knowledge/); warnings."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.main import main
from tests.knowledge.yaml_edit import dump_facts, line_number, load_facts, replace_line

RunBot = Callable[..., subprocess.CompletedProcess[str]]
NOT_IN_ARTICLE = "This sentence is not in the article."


def test_shipped_knowledge_checks_out(run_bot: RunBot) -> None:
    result = run_bot("kb", "check")
    assert result.returncode == 0, result.stderr
    for label in ("entities", "intents", "facts", "quotes", "phrasings", "concepts"):
        assert re.search(rf"^\s+{label}\s+\d+", result.stdout, re.MULTILINE), label
    assert "show " in result.stdout  # entities are counted by kind
    assert result.stdout.splitlines()[-1].startswith("ok: knowledge loads")


def test_broken_copy_fails_with_file_and_line(run_bot: RunBot, knowledge_copy: Path) -> None:
    data = load_facts(knowledge_copy)
    data["facts"][0]["evidence"] = [NOT_IN_ARTICLE]
    lines = dump_facts(knowledge_copy, data)
    result = run_bot("kb", "check", str(knowledge_copy))
    assert result.returncode == 1
    assert result.stdout == ""
    line = line_number(lines, NOT_IN_ARTICLE)
    assert result.stderr == (
        f"facts.yaml:{line}: facts[0].evidence[0]: not found in the article: {NOT_IN_ARTICLE!r}\n"
    )


def test_strict_fails_on_collision_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kb", "check", "--strict"])
    warnings = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("warning:")
    ]
    assert code == (1 if warnings else 0)


def test_a_question_word_inside_a_phrasing_is_a_warning(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_line(
        knowledge_copy / "intents.yaml",
        "      - was it top 10 on release",
        "      - was it top 10 when it released",
    )
    assert main(["kb", "check", "--strict", str(knowledge_copy)]) == 1
    assert (
        "warning: intent 'top_ten_debut' phrasing 'was it top 10 when it released' says 'when' "
        "inside it: the intent then answers 'when' questions"
    ) in capsys.readouterr().out.splitlines()


def test_a_phrasing_its_intent_does_not_answer(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line, _ = replace_line(
        knowledge_copy / "intents.yaml",
        "      - who is the director",
        "      - who is the director\n      - when did it premiere",
    )
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    err = capsys.readouterr().err
    assert f"intents.yaml:{line + 1}: intents[" in err
    assert "'when did it premiere' does not answer its own intent 'director'" in err
    assert "answered by 'premiere'" in err


def test_a_phrasing_declined_on_purpose_must_be_declined(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Listed as declined, a phrasing the intent answers is an error too.
    replace_line(
        knowledge_copy / "intents.yaml",
        "    declines: [aka]",
        "    declines: [aka, money heist aka]",
    )
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    assert "'money heist aka' is answered (other_name) though the intent declines it" in (
        capsys.readouterr().err
    )
