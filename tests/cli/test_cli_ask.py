"""`ask`: one question as text or JSON, a batch from stdin, and a broken knowledge folder."""

from __future__ import annotations

import json
import selectors
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli.ask import answer_json_lines
from bot.cli.main import main
from bot.cli.render import format_answer
from bot.engine import Answer, Citation, Engine

RunBot = Callable[..., subprocess.CompletedProcess[str]]
JSON_KEYS = [
    "question",
    "answered",
    "answer",
    "intent",
    "entity",
    "confidence",
    "source",
    "suggestions",
]
CITATION = Citation(outlet="Virgin Radio", date="9 Feb 2022", headline="A headline")


def test_ask_json_prints_one_object_with_the_documented_keys_in_order(run_bot: RunBot) -> None:
    result = run_bot("ask", "--json", "who directed all of us are dead")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert list(data) == JSON_KEYS
    assert data["question"] == "who directed all of us are dead"
    assert data["answered"] is True
    assert "Lee Jae-kyoo" in data["answer"]
    assert data["source"] == "Virgin Radio, 9 Feb 2022"


def test_batch_gives_one_line_per_input_line_in_order(run_bot: RunBot) -> None:
    questions = [
        "who directed it",
        "",
        "who directed kingdom?",
        "지금 우리 학교는 감독?",
        "x" * 5000,
    ]
    result = run_bot("ask", "--json", stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line)["question"] for line in lines] == questions
    assert all(list(json.loads(line)) == JSON_KEYS for line in lines)
    # Korean stays readable: the output is UTF-8, not \u escapes.
    assert "지금 우리 학교는" in lines[3]


def test_batch_answers_each_line_before_stdin_closes() -> None:
    # An evaluator writes a question and waits for its answer: each line must be flushed.
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=Path(__file__).resolve().parents[2],
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        process.stdin.write("who directed it\n")
        process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=30), "no answer before stdin was closed"
        assert json.loads(process.stdout.readline())["question"] == "who directed it"
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0


def test_ask_prints_the_answer_then_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "who", "directed", "all", "of", "us", "are", "dead?"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Lee Jae-kyoo" in lines[0]
    assert lines[-1] == "— Virgin Radio, 9 Feb 2022"


def test_ask_offers_suggestions_when_it_declines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what is the capital of france"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("You can ask me: ")


def test_format_answer_cites_an_answer_and_suggests_on_a_decline() -> None:
    answered = Answer(question="q", answered=True, text="Lee.", confidence=90, source=CITATION)
    declined = Answer(
        question="q",
        answered=False,
        text="I don't know.",
        confidence=10,
        source=CITATION,
        suggestions=["Who directed it?", "Is there a season two?"],
    )
    assert format_answer(answered) == "Lee.\n— Virgin Radio, 9 Feb 2022"
    assert format_answer(declined) == (
        "I don't know.\nYou can ask me: Who directed it? · Is there a season two?"
    )


def test_broken_knowledge_prints_one_line_and_exits_1(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (knowledge_copy / "source.yaml").write_text("source: [oops\n", encoding="utf-8")
    assert main(["ask", "--knowledge", str(knowledge_copy), "--json", "who directed it"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("source.yaml:2: not valid YAML")
    assert captured.err.count("\n") == 1


# --- conversations in a batch: JSON lines with a conversation id --------------------------


def test_json_lines_of_one_conversation_id_are_one_conversation(run_bot: RunBot) -> None:
    lines = [
        {"question": "tell me about elite", "conversation": "a"},
        {"question": "which show is number one", "conversation": 7},
        "how many hours did it get",  # plain text: alone, as ever
        {"question": "how long have people watched it?", "conversation": "a"},
        {"question": "how many hours did it get?", "conversation": 7},
    ]
    stdin = "".join((json.dumps(x) if isinstance(x, dict) else x) + "\n" for x in lines)
    result = run_bot("ask", "--json", stdin=stdin)
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("conversation") for o in out] == ["a", "7", None, "a", "7"]
    assert "361 million" in out[2]["answer"]  # a plain line knows no conversation
    assert out[3]["answered"] is False and "Elite" in out[3]["answer"]
    assert "361" not in out[3]["answer"]
    assert "1.65 billion" in out[4]["answer"]
    assert list(out[2]) == JSON_KEYS and list(out[3]) == [*JSON_KEYS, "conversation"]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("{not json", "line 1: not valid JSON"),
        ('{"question": 3}', 'line 1: "question" must be a string'),
        ('{"question": "hi", "conversation": [1]}', '"conversation" must be a string or a number'),
        ('{"question": "hi", "topic": "x"}', "unknown key 'topic'"),
    ],
)
def test_a_malformed_json_line_gets_an_error_line_and_the_batch_goes_on(
    engine: Engine, line: str, error: str
) -> None:
    replies = list(answer_json_lines(engine, [line, "who directed all of us are dead"]))
    assert len(replies) == 2
    assert error in json.loads(replies[0])["error"]
    assert "Lee Jae-kyoo" in json.loads(replies[1])["answer"]
