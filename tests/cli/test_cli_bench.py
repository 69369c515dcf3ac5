"""`bench` and the synthetic knowledge it scales with. No timing is asserted."""

from __future__ import annotations

import pytest

from bot.cli.bench import (
    HUGE_MESSAGE_CHARS,
    LONG_MESSAGE_CHARS,
    bench_questions,
    format_bytes,
    format_seconds,
    percentile,
)
from bot.cli.main import main
from bot.knowledge import KnowledgeBase
from bot.knowledge.synthetic import invented_word, scaled


def test_scaled_by_one_is_the_knowledge_itself(kb: KnowledgeBase) -> None:
    assert scaled(kb, 1) is kb


def test_scaled_multiplies_entities_and_facts_and_keeps_intents(kb: KnowledgeBase) -> None:
    big = scaled(kb, 3)
    assert len(big.entities) == 3 * len(kb.entities)
    assert len(big.facts) == 3 * len(kb.facts)
    assert big.intents == kb.intents
    assert big.quotes == kb.quotes
    assert len(kb.facts) == len(scaled(kb, 1).facts)  # the original is left alone


def test_synthetic_entities_have_distinct_names_and_aliases(kb: KnowledgeBase) -> None:
    big = scaled(kb, 5)
    synthetic = [e for e in big.entities.values() if e.id not in kb.entities]
    names = [alias.casefold() for e in synthetic for alias in (e.name, *e.aliases)]
    assert len(names) == len(set(names))
    originals = {a.casefold() for e in kb.entities.values() for a in (e.name, *e.aliases)}
    assert not any(original in name for name in names for original in originals)


def test_synthetic_facts_point_at_entities_of_their_own_copy(kb: KnowledgeBase) -> None:
    big = scaled(kb, 3)
    for original in kb.facts.values():
        for copy in (1, 2):
            fact = big.facts[f"{original.id}_syn{copy}"]
            assert fact.answers == original.answers
            assert fact.about == f"{original.about}_syn{copy}"
            assert fact.mentions == [f"{m}_syn{copy}" for m in original.mentions]
            assert {fact.about, *fact.mentions} <= big.entities.keys()


def test_scaled_rejects_a_factor_below_one(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        scaled(kb, 0)


def test_invented_words_differ() -> None:
    words = [invented_word(n) for n in range(20_000)]
    assert len(set(words)) == len(words)


def test_bench_questions_mix_short_and_huge_messages() -> None:
    questions = bench_questions()
    assert len(questions) >= 40
    kinds = {kind for kind, _ in questions}
    assert {"answerable", "typo", "terse", "out_of_scope", "long"} <= kinds
    lengths = [len(text) for _, text in questions]
    assert max(lengths) == HUGE_MESSAGE_CHARS
    assert any(LONG_MESSAGE_CHARS <= n < HUGE_MESSAGE_CHARS for n in lengths)


def test_percentile_and_units() -> None:
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.99) == 99.0
    assert percentile([3.0], 0.99) == 3.0
    assert format_seconds(0.000_25) == "250 µs"
    assert format_seconds(0.012_34) == "12.3 ms"
    assert format_seconds(2.5) == "2.50 s"
    assert format_bytes(2048) == "2.0 KB"


def test_bench_command_runs_small(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "--repeat", "1", "--scales", "1,2", "--budget", "1"]) == 0
    out = capsys.readouterr().out
    assert "×1:" in out and "×2:" in out
    assert "questions/s" in out and "ru_maxrss" in out
    assert "\nsummary\n" in out


@pytest.mark.parametrize("bad", [["--scales", "0"], ["--scales", "a,b"], ["--repeat", "-1"]])
def test_bench_rejects_bad_numbers(bad: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["bench", *bad])
    assert exit_info.value.code == 2
