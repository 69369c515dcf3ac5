"""The shipped word vectors are in the format scripts/build_word_vectors.py writes.

Regenerating them needs torch and the sentence model, which the project does not install;
these tests check, without them, the script's own arithmetic (stems averaged, PCA with a
fixed sign, unit float16 rows) and that the shipped files match its format and the engine's
stems, so a regeneration changes only numbers.
"""

from __future__ import annotations

import numpy as np

from bot.engine.text import stem
from scripts import build_word_vectors as build


def shipped_words() -> list[str]:
    lines = build.WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if not line.startswith("#")]


def test_the_forms_of_a_stem_are_averaged() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    stems, averaged = build.by_stem(["hours", "hour", "cast"], vectors)
    assert stems == ["cast", "hour"]
    assert np.allclose(averaged, [[1.0, 1.0], [0.5, 0.5]])


def test_reduction_gives_unit_float16_rows_with_fixed_signs() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(50, 8))
    reduced = build.reduce(vectors, 3)
    assert reduced.dtype == np.float16 and reduced.shape == (50, 3)
    assert np.allclose(np.linalg.norm(reduced.astype(np.float64), axis=1), 1.0, atol=1e-3)
    # Flipping every input's sign flips no axis: each axis's sign is fixed by its loadings.
    assert np.array_equal(build.reduce(vectors, 3), reduced)
    flipped = build.reduce(-vectors, 3).astype(np.float64)
    assert np.allclose(np.abs(flipped), np.abs(reduced.astype(np.float64)), atol=2e-3)


def test_the_shipped_files_are_in_the_script_format() -> None:
    text = build.WORDS_FILE.read_text(encoding="utf-8")
    assert text.startswith(build.HEADER)
    words = shipped_words()
    assert words == sorted(set(words))
    assert all(stem(w) == w for w in words)  # keyed by the engine's stems
    assert {"zombie", "director", "hour", "webtoon", "ago"} <= set(words)
    vectors = np.load(build.VECTORS_FILE, allow_pickle=False)
    assert vectors.dtype == np.float16 and vectors.shape == (len(words), build.DIMENSIONS)
    norms = np.linalg.norm(vectors.astype(np.float64), axis=1)
    assert np.allclose(norms, 1.0, atol=2e-3)


def test_the_licence_is_beside_the_vectors() -> None:
    licence = (build.KNOWLEDGE / "WORD_VECTORS_LICENSE.txt").read_text(encoding="utf-8")
    assert "all-MiniLM-L6-v2" in licence
    assert "Apache License" in licence and "Version 2.0" in licence
    assert "WORDFREQ_LICENSE.txt" in licence
