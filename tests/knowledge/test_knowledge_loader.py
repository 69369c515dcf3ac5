"""The loader refuses a broken knowledge folder with 'file:line: field: message'.

Each test breaks one thing in a private copy of the shipped knowledge and checks the
exact error; `kb check` prints the same line (tests/cli/test_cli_kb.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeError, load_knowledge
from tests.knowledge.yaml_edit import (
    dump_facts,
    intent_index,
    item_index,
    line_number,
    load_facts,
    replace_line,
)

NOT_IN_ARTICLE = "This sentence is not in the article."


def load_error(folder: Path) -> str:
    """Load `folder`, require a KnowledgeError, and return its one-line message."""
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(folder)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_evidence_missing_from_the_article(knowledge_copy: Path) -> None:
    data = load_facts(knowledge_copy)
    data["facts"][0]["evidence"] = [NOT_IN_ARTICLE]
    line = line_number(dump_facts(knowledge_copy, data), NOT_IN_ARTICLE)
    assert load_error(knowledge_copy) == (
        f"facts.yaml:{line}: facts[0].evidence[0]: not found in the article: {NOT_IN_ARTICLE!r}"
    )


def test_missing_required_field(knowledge_copy: Path) -> None:
    data = load_facts(knowledge_copy)
    first = data["facts"][0]
    del first["answers"]
    line = line_number(dump_facts(knowledge_copy, data), f"- id: {first['id']}")
    assert load_error(knowledge_copy) == f"facts.yaml:{line}: facts[0].answers: field required"


def test_duplicate_id(knowledge_copy: Path) -> None:
    data = load_facts(knowledge_copy)
    first_id = data["facts"][0]["id"]
    data["facts"][1]["id"] = first_id
    line = line_number(dump_facts(knowledge_copy, data), f"id: {first_id}", occurrence=2)
    assert load_error(knowledge_copy) == (
        f"facts.yaml:{line}: facts[1].id: duplicate id '{first_id}' in facts"
    )


def test_invalid_yaml(knowledge_copy: Path) -> None:
    path = knowledge_copy / "facts.yaml"
    text = path.read_text(encoding="utf-8").rstrip("\n") + "\n  - id: broken: here\n"
    path.write_text(text, encoding="utf-8")
    line = len(text.splitlines())
    # libyaml ends it "…allowed in this context", PyYAML's own loader "…allowed here".
    assert load_error(knowledge_copy).startswith(
        f"facts.yaml:{line}: not valid YAML: mapping values are not allowed"
    )


def test_an_intent_no_fact_answers_must_be_left_open(knowledge_copy: Path) -> None:
    data = load_facts(knowledge_copy)
    facts = data["facts"]
    answering = [i for f in facts for i in (f["answers"], *f.get("also_answers", []))]
    dropped = next(f for f in facts if answering.count(f["answers"]) == 1)
    facts.remove(dropped)  # the only fact answering its intent
    dump_facts(knowledge_copy, data)
    intents = (knowledge_copy / "intents.yaml").read_text(encoding="utf-8").splitlines()
    line = line_number(intents, f"- id: {dropped['answers']}")
    index = intent_index(knowledge_copy, dropped["answers"])
    assert load_error(knowledge_copy) == (
        f"intents.yaml:{line}: intents[{index}].id: no fact answers '{dropped['answers']}': "
        "add one, or set left_open: true if the article leaves it open"
    )


def test_a_left_open_intent_must_have_no_fact(knowledge_copy: Path) -> None:
    data = load_facts(knowledge_copy)
    data["facts"][0]["also_answers"] = ["season_two_date"]
    dump_facts(knowledge_copy, data)
    intents = (knowledge_copy / "intents.yaml").read_text(encoding="utf-8").splitlines()
    line = line_number(intents, "left_open: true")
    index = intent_index(knowledge_copy, "season_two_date")
    assert load_error(knowledge_copy) == (
        f"intents.yaml:{line}: intents[{index}].left_open: a fact answers 'season_two_date': "
        "it is not left open"
    )


def test_a_word_form_group_of_one_word(knowledge_copy: Path) -> None:
    line, lines = replace_line(
        knowledge_copy / "lexicon.yaml", "  - [thriller, suspense]", "  - [thriller]"
    )
    index = [n for n, text in enumerate(lines) if text.startswith("  - [")].index(line - 1)
    assert load_error(knowledge_copy) == (
        f"lexicon.yaml:{line}: word_forms[{index}]: expected a list of two or more words"
    )


def test_a_word_list_that_is_not_there(knowledge_copy: Path) -> None:
    (knowledge_copy / "english_action_words.txt").unlink()
    lines = (knowledge_copy / "lexicon.yaml").read_text(encoding="utf-8").splitlines()
    line = line_number(lines, "action_words: english_action_words.txt")
    assert load_error(knowledge_copy) == (
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
    knowledge_copy: Path, file: str, old: str, new: str, field: str
) -> None:
    line, lines = replace_line(knowledge_copy / file, old, new)
    unknown = new.split(":")[1].strip(" []")
    assert load_error(knowledge_copy) == (
        f"{file}:{line}: {field.format(item_index(lines, line))}: unknown concept '{unknown}'"
    )


def test_a_concept_a_concept_names_must_be_in_the_lexicon(knowledge_copy: Path) -> None:
    line, _ = replace_line(
        knowledge_copy / "lexicon.yaml",
        "  top: {spans: span, words: [top, topped, tops]}",
        "  top: {spans: spam, words: [top, topped, tops]}",
    )
    assert load_error(knowledge_copy) == (
        f"lexicon.yaml:{line}: concepts.top.spans: unknown concept 'spam'"
    )


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("      country: French", "      country: German", "country.said"),
        ("      hours: 1.65 billion", "      hours: 2.5 billion", "hours"),
        ("      genres: [thriller series]", "      genres: [comedy]", "genres[0]"),
    ],
)
def test_a_ranking_value_its_evidence_does_not_say(
    knowledge_copy: Path, old: str, new: str, field: str
) -> None:
    line, lines = replace_line(knowledge_copy / "ranking.yaml", old, new)
    index = [n for n, text in enumerate(lines) if text.startswith("    - show:")]
    entry = sum(start < line - 1 for start in index) - 1
    said = new.split(":", 1)[1].strip(" []")
    assert load_error(knowledge_copy) == (
        f"ranking.yaml:{line}: ranking.entries[{entry}].{field}: {said!r} is not said in the "
        "entry's evidence"
    )


def test_a_declined_phrasing_must_be_a_phrasing(
    knowledge_copy: Path,
) -> None:
    line, _ = replace_line(
        knowledge_copy / "intents.yaml", "    declines: [aka]", "    declines: [also known as]"
    )
    message = load_error(knowledge_copy)
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
    file: str,
    old: str,
    new: str,
    field: str,
) -> None:
    line, _ = replace_line(knowledge_copy / file, old, new)
    repeated = new.rsplit(", ", 1)[1].rstrip("]")
    assert load_error(knowledge_copy) == (
        f"{file}:{line}: {field}: duplicate entry {repeated!r} (already at [0])"
    )


def test_a_repeated_filler(knowledge_copy: Path) -> None:
    first = yaml.safe_load((knowledge_copy / "lexicon.yaml").read_text())["fillers"].index("goat")
    line, _ = replace_line(knowledge_copy / "lexicon.yaml", "  goat,", "  goat, goat,")
    assert load_error(knowledge_copy) == (
        f"lexicon.yaml:{line}: fillers[{first + 1}]: duplicate entry 'goat' (already at [{first}])"
    )
