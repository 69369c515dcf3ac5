"""`kb check`: the shipped knowledge passes; a broken copy fails with file:line: field: message."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli.main import main

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
    data = _load_facts(knowledge_copy)
    data["facts"][0]["evidence"] = [NOT_IN_ARTICLE]
    lines = _dump_facts(knowledge_copy, data)
    result = run_bot("kb", "check", str(knowledge_copy))
    assert result.returncode == 1
    assert result.stdout == ""
    line = _line_number(lines, NOT_IN_ARTICLE)
    assert result.stderr == (
        f"facts.yaml:{line}: facts[0].evidence[0]: not found in the article: {NOT_IN_ARTICLE!r}\n"
    )


def test_evidence_missing_from_the_article(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _load_facts(knowledge_copy)
    data["facts"][0]["evidence"] = [NOT_IN_ARTICLE]
    line = _line_number(_dump_facts(knowledge_copy, data), NOT_IN_ARTICLE)
    assert _check(knowledge_copy, capsys) == (
        f"facts.yaml:{line}: facts[0].evidence[0]: not found in the article: {NOT_IN_ARTICLE!r}"
    )


def test_missing_required_field(knowledge_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _load_facts(knowledge_copy)
    first = data["facts"][0]
    del first["answers"]
    line = _line_number(_dump_facts(knowledge_copy, data), f"- id: {first['id']}")
    assert _check(knowledge_copy, capsys) == f"facts.yaml:{line}: facts[0].answers: field required"


def test_duplicate_id(knowledge_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _load_facts(knowledge_copy)
    first_id = data["facts"][0]["id"]
    data["facts"][1]["id"] = first_id
    line = _line_number(_dump_facts(knowledge_copy, data), f"id: {first_id}", occurrence=2)
    assert _check(knowledge_copy, capsys) == (
        f"facts.yaml:{line}: facts[1].id: duplicate id '{first_id}' in facts"
    )


def test_invalid_yaml(knowledge_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = knowledge_copy / "facts.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n  - id: broken: here\n"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    assert _check(knowledge_copy, capsys) == (
        f"facts.yaml:{line}: not valid YAML: mapping values are not allowed here"
    )


def test_strict_fails_on_collision_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kb", "check", "--strict"])
    warnings = [
        line for line in capsys.readouterr().out.splitlines() if line.startswith("warning:")
    ]
    assert code == (1 if warnings else 0)


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Run `kb check` on `folder`, require exit 1 and one stderr line, and return that line."""
    assert main(["kb", "check", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.endswith("\n") and captured.err.count("\n") == 1
    return captured.err.rstrip("\n")


def _load_facts(folder: Path) -> dict[str, Any]:
    """Return the parsed facts.yaml of `folder`."""
    data = yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _dump_facts(folder: Path, data: dict[str, Any]) -> list[str]:
    """Write `data` as the facts.yaml of `folder`, a field per line; return the file's lines."""
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000)
    (folder / "facts.yaml").write_text(text, encoding="utf-8")
    return text.splitlines()


def _line_number(lines: list[str], text: str, occurrence: int = 1) -> int:
    """Return the 1-based number of the line holding `text` for the `occurrence`-th time."""
    return [number for number, line in enumerate(lines, 1) if text in line][occurrence - 1]


def test_an_intent_no_fact_answers_must_be_left_open(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _load_facts(knowledge_copy)
    facts = data["facts"]
    answering = [i for f in facts for i in (f["answers"], *f.get("also_answers", []))]
    dropped = next(f for f in facts if answering.count(f["answers"]) == 1)
    facts.remove(dropped)  # the only fact answering its intent
    _dump_facts(knowledge_copy, data)
    intents = (knowledge_copy / "intents.yaml").read_text(encoding="utf-8").splitlines()
    line = _line_number(intents, f"- id: {dropped['answers']}")
    index = _intent_index(knowledge_copy, dropped["answers"])
    assert _check(knowledge_copy, capsys) == (
        f"intents.yaml:{line}: intents[{index}].id: no fact answers '{dropped['answers']}': "
        "add one, or set left_open: true if the article leaves it open"
    )


def test_a_left_open_intent_must_have_no_fact(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _load_facts(knowledge_copy)
    data["facts"][0]["also_answers"] = ["season_two_date"]
    _dump_facts(knowledge_copy, data)
    intents = (knowledge_copy / "intents.yaml").read_text(encoding="utf-8").splitlines()
    line = _line_number(intents, "left_open: true")
    index = _intent_index(knowledge_copy, "season_two_date")
    assert _check(knowledge_copy, capsys) == (
        f"intents.yaml:{line}: intents[{index}].left_open: a fact answers 'season_two_date': "
        "it is not left open"
    )


def _intent_index(folder: Path, intent_id: str) -> int:
    """Return the position of `intent_id` in the intents.yaml of `folder`."""
    data = yaml.safe_load((folder / "intents.yaml").read_text(encoding="utf-8"))
    return [intent["id"] for intent in data["intents"]].index(intent_id)


def _item_index(lines: list[str], line: int) -> int:
    """Return the position in its list of the item ("  - id: …") that holds line `line`."""
    starts = [n for n, text in enumerate(lines, 1) if text.startswith("  - id:")]
    return sum(1 for start in starts if start <= line) - 1


def _replace_line(path: Path, old: str, new: str) -> tuple[int, list[str]]:
    """Replace the line `old` of `path` by `new`; return its number and the lines before."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = _line_number(lines, old)
    path.write_text("\n".join([*lines[: line - 1], new, *lines[line:]]) + "\n", encoding="utf-8")
    return line, lines


def test_a_word_form_group_of_one_word(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line, lines = _replace_line(
        knowledge_copy / "lexicon.yaml", "  - [thriller, suspense]", "  - [thriller]"
    )
    index = [n for n, text in enumerate(lines) if text.startswith("  - [")].index(line - 1)
    assert _check(knowledge_copy, capsys) == (
        f"lexicon.yaml:{line}: word_forms[{index}]: expected a list of two or more words"
    )


def test_a_word_list_that_is_not_there(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (knowledge_copy / "english_action_words.txt").unlink()
    lines = (knowledge_copy / "lexicon.yaml").read_text(encoding="utf-8").splitlines()
    line = _line_number(lines, "action_words: english_action_words.txt")
    assert _check(knowledge_copy, capsys) == (
        f"lexicon.yaml:{line}: action_words: cannot read english_action_words.txt: "
        "No such file or directory"
    )


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        ("entities.yaml", "    role: direct", "    role: directing", "entities[{}].role"),
        (
            "intents.yaml",
            "    when_answer_named: [who]",
            "    when_answer_named: [whom]",
            "intents[{}].when_answer_named[0]",
        ),
    ],
    ids=["entity role", "intent when_answer_named"],
)
def test_a_concept_named_in_knowledge_must_be_in_the_lexicon(
    knowledge_copy: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    field: str,
) -> None:
    line, lines = _replace_line(knowledge_copy / file, old, new)
    unknown = new.split(":")[1].strip(" []")
    assert _check(knowledge_copy, capsys) == (
        f"{file}:{line}: {field.format(_item_index(lines, line))}: unknown concept '{unknown}'"
    )


def test_a_question_word_inside_a_phrasing_is_a_warning(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _replace_line(
        knowledge_copy / "intents.yaml",
        "      - was it top 10 on release",
        "      - was it top 10 when it released",
    )
    assert main(["kb", "check", "--strict", str(knowledge_copy)]) == 1
    assert (
        "warning: intent 'top_ten_debut' phrasing 'was it top 10 when it released' says 'when' "
        "inside it: the intent then answers 'when' questions"
    ) in capsys.readouterr().out.splitlines()


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("      country: French", "      country: German", "country.said"),
        ("      hours: 1.65 billion", "      hours: 2.5 billion", "hours"),
        ("      genres: [thriller series]", "      genres: [comedy]", "genres[0]"),
    ],
)
def test_a_ranking_value_its_evidence_does_not_say(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, field: str
) -> None:
    line, lines = _replace_line(knowledge_copy / "ranking.yaml", old, new)
    index = [n for n, text in enumerate(lines) if text.startswith("    - show:")]
    entry = sum(start < line - 1 for start in index) - 1
    said = new.split(":", 1)[1].strip(" []")
    assert _check(knowledge_copy, capsys) == (
        f"ranking.yaml:{line}: ranking.entries[{entry}].{field}: {said!r} is not said in the "
        "entry's evidence"
    )


def test_a_phrasing_its_intent_does_not_answer(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line, _ = _replace_line(
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
    _replace_line(
        knowledge_copy / "intents.yaml",
        "    declines: [aka]",
        "    declines: [aka, money heist aka]",
    )
    assert main(["kb", "check", str(knowledge_copy)]) == 1
    assert "'money heist aka' is answered (other_name) though the intent declines it" in (
        capsys.readouterr().err
    )


def test_a_declined_phrasing_must_be_a_phrasing(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line, _ = _replace_line(
        knowledge_copy / "intents.yaml", "    declines: [aka]", "    declines: [also known as]"
    )
    message = _check(knowledge_copy, capsys)
    assert message.startswith(f"intents.yaml:{line}: intents[")
    assert message.endswith(".declines[0]: 'also known as' is not a phrasing of it")


@pytest.mark.parametrize(
    ("file", "old", "new", "field"),
    [
        (
            "lexicon.yaml",
            "  - [french, france]",
            "  - [french, france, french]",
            "word_forms[0][2]",
        ),
        (
            "entities.yaml",
            "    aliases: [Élite]",
            "    aliases: [Élite, élite]",
            "entities[4].aliases[1]",
        ),
    ],
)
def test_a_repeated_entry_in_a_list(
    knowledge_copy: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    old: str,
    new: str,
    field: str,
) -> None:
    line, _ = _replace_line(knowledge_copy / file, old, new)
    repeated = new.rsplit(", ", 1)[1].rstrip("]")
    assert _check(knowledge_copy, capsys) == (
        f"{file}:{line}: {field}: duplicate entry {repeated!r} (already at [0])"
    )


def test_a_repeated_filler(knowledge_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = yaml.safe_load((knowledge_copy / "lexicon.yaml").read_text())["fillers"].index("goat")
    line, _ = _replace_line(knowledge_copy / "lexicon.yaml", "  goat,", "  goat, goat,")
    assert _check(knowledge_copy, capsys) == (
        f"lexicon.yaml:{line}: fillers[{first + 1}]: duplicate entry 'goat' (already at [{first}])"
    )
