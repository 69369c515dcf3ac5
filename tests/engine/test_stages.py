"""Each stage of the engine run alone, on the value the stage before hands it: normalise
-> read -> resolve -> decide -> render (bot/engine/stages/)."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from bot.engine import Engine
from bot.engine.operations import Operation
from bot.engine.stages.decide import Decided, DecidedPart, Decline, Outcome
from bot.engine.stages.normalise import Normalised, clean
from bot.engine.stages.read import Read
from bot.engine.stages.resolve import Focus, Resolved


def _through_resolve(engine: Engine, question: str, focus: Focus | None = None) -> Resolved:
    engine.vocabulary.forget()
    read = engine.reader.read(engine.normaliser.normalise(clean(question)))
    return engine.resolver.resolve(read, focus or Focus())


def test_normalise_cuts_a_message_into_clauses_and_sentences(engine: Engine) -> None:
    normalised = engine.normaliser.normalise(clean("who directed it and when did it come out? lol"))
    assert [c.text for c in normalised.message.clauses] == [
        "who directed it",
        "when did it come out",
        " lol",
    ]
    assert normalised.message.clauses[0].words == ("who", "directed", "it")
    assert [s.text for s in normalised.sentences] == [
        "who directed it and when did it come out",
        " lol",
    ]
    with pytest.raises(FrozenInstanceError):
        normalised.message.text = "something else"  # type: ignore[misc]


def test_normalise_keeps_one_clause_whole(engine: Engine) -> None:
    said = engine.normaliser.normalise("who directed it").message
    assert said.clauses == ()
    assert said.words == ("who", "directed", "it")


def test_what_only_describes_the_article_is_dropped_when_the_question_declines(
    engine: Engine,
) -> None:
    normaliser = engine.normaliser
    asked = "which outlet ran this story about aouad being fifth, and when?"
    assert normaliser.undescribed(asked) == "which outlet ran this story, and when?"
    # "about" that asks ("the story about on the surface"), or a description saying what
    # is asked of the article ("… say when season 2 comes out"), is kept.
    for kept in (
        "what is the story about on the surface",
        "did the article about squid game say when season 2 comes out?",
    ):
        assert normaliser.undescribed(kept) == kept
    answer = engine.answer("which radio station put out the article about the show being fifth?")
    assert "Virgin Radio" in answer.text
    # Read whole first: a description telling one report from another answers as it is.
    variety = engine.answer("where did the news about it cracking the top ten come from?")
    assert "Variety" in variety.text, engine.explain(
        "where did the news about it cracking the top ten come from?"
    )


def test_clean_removes_what_is_not_shown() -> None:
    assert clean("who\u200b directed\u202e it") == "who directed it"


def test_read_finds_an_operation_in_one_sentence_and_a_message_in_another(
    engine: Engine,
) -> None:
    read = engine.reader.read(
        engine.normaliser.normalise("which has more hours, squid game or aouad? who directed it")
    )
    assert isinstance(read, Read) and read.computes
    operation, plain = read.parts
    assert operation.operation is not None
    assert operation.operation.operation is Operation.COMPARE
    assert plain.operation is None and plain.message is not None
    assert "direct" in plain.message.whole.concepts


def test_read_of_a_plain_question_is_one_message(engine: Engine) -> None:
    normalised = engine.normaliser.normalise("who directed it and when did it come out")
    read = engine.reader.read(normalised)
    assert not read.computes
    (part,) = read.parts
    assert part.message is not None
    assert len(part.message.clauses) == 2


def test_resolve_carries_a_name_to_a_later_it(engine: Engine) -> None:
    resolved = _through_resolve(engine, "tell me about lupin, where is it from")
    message = resolved.parts[0].message
    assert message is not None
    first, second = message.clauses
    assert first.entities == ("lupin",)
    assert second.entities == ("lupin",)  # "it" is the name the earlier clause gave
    assert second.fact is not None and second.fact.about == "lupin"


def test_resolve_reads_it_as_the_focus_in_a_follow_up(engine: Engine) -> None:
    alone = _through_resolve(engine, "where is it from").parts[0].message
    followed = _through_resolve(engine, "where is it from", Focus("lupin")).parts[0].message
    assert alone is not None and followed is not None
    assert alone.whole.entities == () and not alone.whole.focused
    assert followed.whole.entities == ("lupin",) and followed.whole.focused


def test_resolve_computes_an_operation(engine: Engine) -> None:
    resolved = _through_resolve(engine, "which has more hours, squid game or aouad?")
    computed = resolved.parts[0].computed
    assert computed is not None and computed.answered
    assert "Squid Game" in computed.text


def test_decide_declines_a_question_about_another_show(engine: Engine) -> None:
    decided = engine.decider.decide(_through_resolve(engine, "who directed kingdom"))
    (outcome,) = decided.parts[0].outcomes
    assert outcome.fact is None and outcome.reason is Decline.OTHER_TITLE


def test_decide_lets_a_framing_clause_answer_only_when_the_question_does_not(
    engine: Engine,
) -> None:
    resolved = _through_resolve(engine, "according to the director, what is it about")
    message = resolved.parts[0].message
    assert message is not None
    # Resolved alone, the framing clause has a fact ("the director" spoke to someone).
    assert message.clauses[0].fact is not None
    decided = engine.decider.decide(resolved)
    framing, question = decided.parts[0].outcomes
    assert framing.fact is None and framing.reason is Decline.FRAMING
    assert question.fact is not None and question.fact.answers == "plot"


def test_decide_answers_each_clause(engine: Engine) -> None:
    decided = engine.decider.decide(_through_resolve(engine, "who directed it and when was it out"))
    part = decided.parts[0]
    assert part.by_clause
    assert [o.fact.answers for o in part.outcomes if o.fact] == ["director", "premiere"]


def test_render_builds_the_answer_of_a_decision(engine: Engine) -> None:
    decided = engine.decider.decide(_through_resolve(engine, "who directed it"))
    answer = engine.renderer.render(decided)
    assert answer.answered and answer.intent == "director"
    assert answer.fact_ids == [decided.parts[0].outcomes[0].fact.id]  # type: ignore[union-attr]


def test_render_declines_by_name_from_a_decision_alone(engine: Engine) -> None:
    # A decision built by hand: the renderer needs nothing but the Decided value.
    reading = engine.vocabulary.read(("who", "directed", "lupin"))
    scores = tuple(engine.matcher.score(reading))
    outcome = Outcome(reading, scores, ("lupin",), reason=Decline.NO_FACT)
    decided = Decided(
        "who directed lupin", (DecidedPart("who directed lupin", outcomes=(outcome,)),), False
    )
    answer = engine.renderer.render(decided)
    assert not answer.answered
    assert "doesn't say who directed Lupin" in answer.text
    assert answer.text == engine.answer("who directed lupin").text


def test_explain_prints_every_stage(engine: Engine) -> None:
    text = engine.explain("which has more hours, squid game or aouad? and who directed it")
    stages = ["normalise:", "read:", "resolve:", "decide:", "render:"]
    positions = [text.index(stage) for stage in stages]
    assert positions == sorted(positions)
    assert "operation compare" in text
    assert "-> fact aouad_director" in text


def test_stage_values_are_frozen(engine: Engine) -> None:
    normalised = engine.normaliser.normalise("who directed it")
    assert isinstance(normalised, Normalised)
    read = engine.reader.read(normalised)
    with pytest.raises(FrozenInstanceError):
        read.parts = ()  # type: ignore[misc]
