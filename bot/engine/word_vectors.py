"""Static word vectors: a word the lexicon lacks may be read as the concept nearest in meaning.

knowledge/word_vectors.npy holds one unit vector (float16) per stem listed in
knowledge/word_vectors.txt, distilled at build time from a sentence model by
scripts/build_word_vectors.py. Here they are only read, with numpy: no model, no network.

`ConceptNeighbours` puts the lexicon's own one-word entries in that space; an unknown
question word ("yardstick") is read as the concept of its nearest entry ("statistic": stats)
when the cosine clears a threshold and no other concept is nearly as close.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

DEFAULT_FOLDER = Path(__file__).resolve().parents[2] / "knowledge"
WORDS_FILE = "word_vectors.txt"
VECTORS_FILE = "word_vectors.npy"
CACHE_SIZE = 4096  # unknown words remembered, per vocabulary: chat repeats itself


@dataclass(frozen=True)
class Neighbour:
    """The concept an unknown word is nearest, through which lexicon word, how near."""

    concept: str
    word: str
    similarity: float


class WordVectors:
    """Unit vectors of words, looked up by the engine's stem of the word."""

    def __init__(self, words: list[str], vectors: np.ndarray) -> None:
        """Index `words`, the i-th word's vector being row i of `vectors`."""
        if len(words) != len(vectors):
            raise ValueError(f"{len(words)} words but {len(vectors)} vectors")
        self._index = {word: row for row, word in enumerate(words)}
        self._vectors = vectors

    @classmethod
    def load(cls, folder: Path) -> WordVectors | None:
        """Return the vectors shipped in `folder`, or None if it has none."""
        words_path, vectors_path = folder / WORDS_FILE, folder / VECTORS_FILE
        if not words_path.is_file() or not vectors_path.is_file():
            return None
        lines = words_path.read_text(encoding="utf-8").splitlines()
        words = [line for line in lines if line and not line.startswith("#")]
        return cls(words, np.load(vectors_path, allow_pickle=False))

    def __contains__(self, word: object) -> bool:
        return word in self._index

    def __len__(self) -> int:
        return len(self._index)

    def matrix(self, words: list[str]) -> np.ndarray:
        """Return the vectors of `words` (all known), one row each, as float32."""
        return self._vectors[[self._index[w] for w in words]].astype(np.float32)


@lru_cache(maxsize=1)
def shipped_vectors() -> WordVectors | None:
    """Return the project's word vectors, read once per process (a few milliseconds)."""
    return WordVectors.load(DEFAULT_FOLDER)


class ConceptNeighbours:
    """The lexicon's one-word entries as vectors, to read an unknown word by its nearest."""

    def __init__(
        self,
        vectors: WordVectors,
        targets: Mapping[str, str],
        threshold: float,
        margin: float,
    ) -> None:
        """Place each word of `targets` (word: concept) that `vectors` knows.

        A word is read as a concept only at cosine `threshold` or more, and only when every
        other concept is at least `margin` less near: a word between two concepts is neither.
        """
        self._vectors = vectors
        self._words = sorted(w for w in targets if w in vectors)
        self._concepts = [targets[w] for w in self._words]
        self._matrix = vectors.matrix(self._words) if self._words else np.zeros((0, 1))
        self._threshold = threshold
        self._margin = margin
        self._cache: dict[str, Neighbour | None] = {}

    def nearest(self, word: str) -> Neighbour | None:
        """Return the concept `word` is surely nearest, or None (unknown word, none near)."""
        if word in self._cache:
            return self._cache[word]
        found = self._nearest(word)
        if len(self._cache) >= CACHE_SIZE:
            self._cache.clear()
        self._cache[word] = found
        return found

    def _nearest(self, word: str) -> Neighbour | None:
        if word not in self._vectors or not self._words:
            return None
        similarities = self._matrix @ self._vectors.matrix([word])[0]
        order = np.argsort(-similarities)
        best = int(order[0])
        if similarities[best] < self._threshold:
            return None
        concept = self._concepts[best]
        rival = next((int(i) for i in order[1:] if self._concepts[i] != concept), None)
        if rival is not None and similarities[best] - similarities[rival] < self._margin:
            return None
        return Neighbour(concept, self._words[best], float(similarities[best]))
