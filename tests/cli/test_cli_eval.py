"""`eval`: reading question sets, matching expectations, scoring and the report."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import EvalReport, format_report, grade, score_question_set
from bot.cli.main import main
from bot.cli.question_set import (
    EvalQuestion,
    QuestionSetError,
    contains_expected,
    load_question_set,
)
from bot.engine import Answer
from bot.engine.context import Conversation

GOOD_SET = """\
questions:
  - q: who directed it
    category: director
    style: plain
    expect: Lee Jae-kyoo
  - q: who directed kingdom?
    category: out_of_scope
    expect: decline
"""


# As `reports export` writes it: notes after `expect`, and `expect: null` until judged.
EXPORTED = """\
questions:
  - q: who directed it
    category: report
    expect: Lee Jae-kyoo
    bot_answer: Lee Jae-kyoo directed it.
    answered: true
    intent: director
    confidence: 0.88
    reported_at: '2026-01-01T00:01:00+00:00'
    reports: 2
  - q: who plays nam on-jo?
    category: report
    expect: null
    bot_answer: I don't know that one.
    answered: false
    intent: null
    confidence: 0.41
    reported_at: '2026-01-01T00:02:00+00:00'
    reports: 1
"""


class FakeEngine:
    """Answers from a table: question -> (answered, text)."""

    def __init__(self, replies: dict[str, tuple[bool, str]]) -> None:
        self.replies = replies

    def answer(self, question: str, context: Conversation | None = None) -> Answer:
        answered, text = self.replies[question]
        return Answer(question=question, answered=answered, text=text, intent="x", confidence=70)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _q(q: str, expect: str, category: str = "c", style: str | None = None) -> EvalQuestion:
    return EvalQuestion(q=q, category=category, expect=expect, style=style)


# --- reading a question set ------------------------------------------------------------


def test_load_question_set_reads_every_question(tmp_path: Path) -> None:
    questions = load_question_set(_write(tmp_path, GOOD_SET))
    assert [q.q for q in questions] == ["who directed it", "who directed kingdom?"]
    assert questions[0].style == "plain" and questions[1].style is None
    assert questions[0].in_scope and not questions[1].in_scope


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("questions: [oops\n", ":2: not valid YAML"),
        ("- q: a list at the top\n", ":1: expected a mapping of sections at the top"),
        ("questions: []\n", ":1: questions: expected a non-empty list of questions"),
        ("question:\n  - q: typo in the key\n", ":1: question: unknown key"),
        (GOOD_SET.replace("    expect: decline\n", ""), ":6: questions[1].expect: field required"),
        (GOOD_SET.replace("style: plain", "styel: plain"), ":4: questions[0].styel: extra inputs"),
        (GOOD_SET.replace("q: who directed it", "q: [1, 2]"), ":2: questions[0].q: input should"),
        (EXPORTED.replace("bot_answer:", "bot_anwser:"), ":5: questions[0].bot_anwser: extra"),
    ],
)
def test_malformed_question_sets_name_file_line_and_problem(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(QuestionSetError) as error:
        load_question_set(path)
    assert str(error.value).startswith(f"{path}{problem}")


def test_an_export_loads_with_its_notes_and_unjudged_entries_pending(tmp_path: Path) -> None:
    judged, pending = load_question_set(_write(tmp_path, EXPORTED))

    assert not judged.pending and judged.in_scope
    assert (judged.bot_answer, judged.intent, judged.reports) == (
        "Lee Jae-kyoo directed it.",
        "director",
        2,
    )
    assert pending.pending and pending.expect is None and not pending.in_scope


def test_missing_question_file(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match="no such question file"):
        load_question_set(tmp_path / "nope.yaml")


# --- matching the expected text --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expect"),
    [
        ("It is the fifth most watched series.", "most-watched"),
        ("It is the fifth most-watched series.", "MOST WATCHED"),
        ("Directed by Lee Jae–kyoo.", "lee jae-kyoo"),
        ("He said: “the survival of zombies”", '"the survival of zombies"'),
        ("It's a hit", "it’s a hit"),
        ("more than\n  361   million hours", "361 million hours"),
        ("Squid Game: 1.65 billion hours", "1.65billion"),
    ],
)
def test_contains_expected_forgives_case_quotes_hyphens_and_spacing(text: str, expect: str) -> None:
    assert contains_expected(text, expect)


def test_contains_expected_still_needs_the_words() -> None:
    assert not contains_expected("Squid Game is number one.", "fifth")


# --- scoring and the report --------------------------------------------------------------


def _report() -> EvalReport:
    questions = [
        _q("right", "Lee", "director", "plain"),
        _q("wrong", "Lee", "director", "typo"),
        _q("missed", "Lee", "hours", "typo"),
        _q("declined", "decline", "out_of_scope", "plain"),
        _q("answered", "decline", "out_of_scope", "plain"),
    ]
    engine = FakeEngine(
        {
            "right": (True, "Lee Jae-kyoo directed it."),
            "wrong": (True, "Squid Game is number one. " + "x" * 200),
            "missed": (False, "I don't know that one."),
            "declined": (False, "I don't know that one."),
            "answered": (True, "Lee Jae-kyoo directed it."),
        }
    )
    return score_question_set(engine, questions)


def test_score_question_set_grades_each_question() -> None:
    report = _report()
    assert [g.outcome for g in report.graded] == ["correct", "wrong", "missed", "correct", "wrong"]
    assert (report.in_scope.correct, report.in_scope.total) == (1, 3)
    assert (report.declined.correct, report.declined.total) == (1, 2)
    assert report.wrong == 2
    assert [g.question.q for g in report.misses] == ["wrong", "missed", "answered"]


def test_report_ends_with_the_summary_line() -> None:
    text = format_report(_report())
    assert text.splitlines()[-1] == "accuracy: in-scope 1/3, declined 1/2, wrong 2"


def test_report_tallies_categories_and_styles_and_lists_misses() -> None:
    text = format_report(_report())
    rows = {tuple(line.split()) for line in text.splitlines()}
    assert ("category", "correct", "accuracy") in rows
    assert ("director", "1/2", "50.0%") in rows
    assert ("out_of_scope", "1/2", "50.0%") in rows
    assert ("style", "correct", "accuracy") in rows
    assert ("typo", "0/2", "0.0%") in rows
    assert "misses (3):" in text
    assert "- MISSED [hours/typo] 'missed'" in text
    assert "    expected: Lee" in text
    wrong_line = next(line for line in text.splitlines() if "Squid Game is number one" in line)
    assert wrong_line.startswith("    got: answered, intent x, confidence 70: ")
    assert wrong_line.endswith("…") and len(wrong_line) < 160


def test_pending_questions_are_skipped_and_counted() -> None:
    questions = [
        _q("right", "Lee"),
        EvalQuestion(q="unjudged 1", category="report", expect=None),
        EvalQuestion(q="unjudged 2", category="report", expect=None),
    ]
    engine = FakeEngine({"right": (True, "Lee Jae-kyoo directed it.")})  # asked nothing else

    report = score_question_set(engine, questions)
    lines = format_report(report).splitlines()

    assert [g.question.q for g in report.graded] == ["right"]
    assert report.skipped == 2
    assert lines[-3:] == [
        "2 questions have no expect yet: skipped",
        "",
        "accuracy: in-scope 1/1, declined 0/0, wrong 0",
    ]
    with pytest.raises(ValueError, match="no expect yet"):
        grade(questions[1], engine.answer("right"))


def test_eval_of_a_set_with_nothing_judged_says_to_fill_in_expect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, EXPORTED.replace("expect: Lee Jae-kyoo", "expect: null"))

    assert main(["eval", str(path)]) == 1
    assert "no question has an expect yet: fill in `expect`" in capsys.readouterr().err


def test_report_leaves_out_styles_when_no_question_has_one() -> None:
    report = score_question_set(FakeEngine({"a": (True, "Lee")}), [_q("a", "Lee")])
    text = format_report(report)
    assert "style" not in text
    assert "misses: none" in text


def test_explain_is_added_under_each_miss() -> None:
    text = format_report(_report(), explain=lambda q, context: f"why {q}\nsecond line")
    assert "    | why missed\n    | second line" in text
    assert "why right" not in text


def test_eval_command_prints_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(_write(tmp_path, GOOD_SET)), "--explain"]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("accuracy: in-scope ") and ", declined " in last


def test_eval_command_fails_on_a_malformed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "questions: 3\n")
    assert main(["eval", str(path)]) == 1
    assert (
        capsys.readouterr().err == f"{path}:1: questions: expected a non-empty list of questions\n"
    )


# --- follow-ups: `context` ---------------------------------------------------------------

FOLLOW_UPS = """\
questions:
  - q: "and lupin's?"
    context: "what's money heist's place on the list?"
    category: rank
    expect: decline
  - q: how many hours did it get
    context: [which show is number one, tell me about it]
    category: hours
    expect: 1.65 billion
"""


def test_context_is_one_message_or_a_list(tmp_path: Path) -> None:
    first, second = load_question_set(_write(tmp_path, FOLLOW_UPS))
    assert first.context == ("what's money heist's place on the list?",)
    assert second.context == ("which show is number one", "tell me about it")


def test_a_blank_context_message_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        'questions:\n  - q: and lupin\n    category: c\n    expect: decline\n    context: ["  "]\n',
    )
    with pytest.raises(QuestionSetError, match=r"set.yaml:\d+: .*blank"):
        load_question_set(path)


def test_follow_ups_are_asked_after_their_context_in_one_conversation() -> None:
    from bot.engine import Engine
    from bot.knowledge import load_knowledge

    engine = Engine(load_knowledge())
    lone = EvalQuestion(q="how many hours did it get", category="c", expect="1.65 billion")
    after = lone.model_copy(update={"context": ("which show is number one",)})
    report = score_question_set(engine, [lone, after])
    assert [g.outcome for g in report.graded] == ["wrong", "correct"]  # alone: the show's
    assert report.graded[0].context is None
    assert report.graded[1].context is not None
    assert report.graded[1].context.answered[0] == "squid_game"


def test_explain_shows_what_the_context_resolved_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path,
        "questions:\n  - q: how long have people watched it?\n    context: tell me about elite\n"
        "    category: hours\n    expect: 361 million\n",
    )
    assert main(["eval", str(path), "--explain"]) == 0
    out = capsys.readouterr().out
    assert "after: 'tell me about elite'" in out
    assert "context: named=['elite']" in out
    assert "resolved: points at elite" in out
    assert "-> decline: no fact for hours about ['elite']" in out  # read with "it" as Elite
