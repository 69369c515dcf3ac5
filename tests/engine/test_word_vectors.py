"""Static word vectors: an English word the lexicon lacks read as the nearest concept."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.engine.config import EngineConfig
from bot.engine.text import stems
from bot.engine.word_vectors import ConceptNeighbours, WordVectors, shipped_vectors
from bot.knowledge import KnowledgeBase


def unit(*values: float) -> list[float]:
    vector = np.array(values, dtype=np.float64)
    return list(vector / np.linalg.norm(vector))


# Four words in a plane: "hours" and "hrs" point one way, "director" another, "midway"
# between them; "pizza" is far from all.
WORDS = ["director", "hours", "hrs", "midway", "pizza"]
VECTORS = np.array(
    [unit(1, 0, 0), unit(0, 1, 0), unit(0.1, 1, 0), unit(1, 1, 0), unit(0, 0, 1)],
    dtype=np.float16,
)
TARGETS = {"director": "direct", "hours": "hour"}


def neighbours(threshold: float = 0.6, margin: float = 0.05) -> ConceptNeighbours:
    return ConceptNeighbours(WordVectors(WORDS, VECTORS), TARGETS, threshold, margin)


def test_a_word_near_one_concept_is_read_as_it() -> None:
    near = neighbours().nearest("hrs")
    assert near is not None
    assert (near.concept, near.word) == ("hour", "hours")
    assert near.similarity == pytest.approx(0.995, abs=0.01)


def test_a_word_far_from_every_concept_is_not_read() -> None:
    assert neighbours().nearest("pizza") is None


def test_a_word_between_two_concepts_is_neither() -> None:
    # "midway" is as near "director" as "hours": no margin, no reading.
    assert neighbours(threshold=0.5).nearest("midway") is None
    assert neighbours(threshold=0.5, margin=0.0).nearest("midway") is not None


def test_a_word_without_a_vector_is_not_read() -> None:
    assert neighbours().nearest("hellbound") is None


def test_targets_without_vectors_are_left_out() -> None:
    found = ConceptNeighbours(WordVectors(WORDS, VECTORS), {"webtoon": "comic"}, 0.1, 0.0)
    assert found.nearest("hours") is None


def test_words_and_rows_must_match() -> None:
    with pytest.raises(ValueError, match="2 words but 5 vectors"):
        WordVectors(["a", "b"], VECTORS)


def test_a_folder_without_vectors_has_none(tmp_path: Path) -> None:
    assert WordVectors.load(tmp_path) is None


def test_vectors_load_from_a_folder(tmp_path: Path) -> None:
    (tmp_path / "word_vectors.txt").write_text("# header\n" + "\n".join(WORDS) + "\n")
    np.save(tmp_path / "word_vectors.npy", VECTORS)
    loaded = WordVectors.load(tmp_path)
    assert loaded is not None
    assert len(loaded) == len(WORDS) and "hrs" in loaded and "# header" not in loaded
    assert np.allclose(loaded.matrix(["hrs"]), VECTORS[2:3].astype(np.float32))


def test_the_shipped_vectors_know_meaning() -> None:
    vectors = shipped_vectors()
    assert vectors is not None and len(vectors) > 30_000
    film, movie, rice = vectors.matrix(["film", "movie", "rice"])
    assert float(film @ movie) > 0.7 > float(film @ rice)


def test_an_unknown_english_word_is_read_as_the_nearest_concept(kb: KnowledgeBase) -> None:
    config = EngineConfig(
        word_vectors=True, similar_word_cosine=0.7, similar_margin=0.03, similar_word_weight=0.5
    )
    reading = Engine(kb, config).vocabulary.read(stems("is it a robbery show"))
    assert "robbery" not in reading.unknown
    assert reading.concepts["genre_value"] == pytest.approx(0.5 * kb.concepts["genre_value"].weight)
    assert "robbery" in reading.said["genre_value"]

    plain = Engine(kb, replace(config, word_vectors=False)).vocabulary.read(
        stems("is it a robbery show")
    )
    assert "robbery" in plain.unknown and "genre_value" not in plain.concepts


def test_a_concept_said_exactly_keeps_its_weight(kb: KnowledgeBase) -> None:
    config = EngineConfig(
        word_vectors=True, similar_word_cosine=0.7, similar_margin=0.03, similar_word_weight=0.5
    )
    reading = Engine(kb, config).vocabulary.read(stems("is it a crime robbery show"))
    assert reading.concepts["genre_value"] == pytest.approx(kb.concepts["genre_value"].weight)


def test_a_name_is_never_read_by_similarity(kb: KnowledgeBase) -> None:
    # "papel" has a vector (the phrasings say "la casa de papel") but is in no English word
    # list: alone it is likely a name the engine does not know, never a concept.
    config = EngineConfig(word_vectors=True, similar_word_cosine=-1.0, similar_margin=0.0)
    reading = Engine(kb, config).vocabulary.read(stems("who directed papel"))
    assert "papel" in reading.unknown
    assert "ago" in Engine(kb, config).vocabulary.read(stems("who directed it ago")).unknown


def test_a_word_is_read_as_filler_only_when_very_near(kb: KnowledgeBase) -> None:
    near = EngineConfig(word_vectors=True, similar_filler_cosine=0.7)
    far = replace(near, similar_filler_cosine=0.99)
    # "buddy" is nearest the filler "friend" (cosine about 0.75).
    assert "buddy" not in Engine(kb, near).vocabulary.read(stems("a buddy asks")).unknown
    assert "buddy" in Engine(kb, far).vocabulary.read(stems("a buddy asks")).unknown


def test_vectors_are_off_by_default(kb: KnowledgeBase) -> None:
    # Measured not to help the fitted decision (docs/accuracy.md): the reading is unchanged.
    assert "robbery" in Engine(kb).vocabulary.read(stems("is it a robbery show")).unknown
