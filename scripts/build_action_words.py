"""Write knowledge/english_action_words.txt: English words used mostly as verbs or adverbs.

The engine weighs an unknown question word by what it likely is: a verb or adverb
("cooked", "sitting", "further") seldom names what a question is about, a noun ("budget",
"kingdom") often does. Which is which comes from WordNet 3.0's sense tag counts.

Needs WordNet's database: `apt-get install wordnet-base` (Debian), then
`python scripts/build_action_words.py`. Words are taken from the engine's English word
lists, so the output only ever lists words the engine already knows to be English.
"""

from __future__ import annotations

import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

WORDNET = Path(os.environ.get("WORDNET_DIR", "/usr/share/wordnet"))
KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
WORD_LISTS = ("english_words.txt", "english_words_rare.txt")
OUTPUT = KNOWLEDGE / "english_action_words.txt"
FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
SYNSET_TYPE = {"1": "n", "2": "v", "3": "a", "4": "r", "5": "a"}
# Inflections WordNet's "morphy" undoes: (ending, replacement) per part of speech.
ENDINGS = {
    "n": [
        ("s", ""),
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("men", "man"),
        ("ies", "y"),
    ],
    "v": [
        ("s", ""),
        ("ies", "y"),
        ("es", "e"),
        ("es", ""),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ],
    "a": [("er", ""), ("est", ""), ("er", "e"), ("est", "e")],
    "r": [],
}
HEADER = """\
# English words used mostly as verbs or adverbs ("cooked", "sitting", "further"), by WordNet
# 3.0's sense tag counts (WordNet 3.0 Copyright 2006 by Princeton University; see
# https://wordnet.princeton.edu/license-and-commercial-use), among the words of
# english_words.txt and english_words_rare.txt. Written by scripts/build_action_words.py.
# Language data, not facts: an unknown question word listed here seldom names what the
# question asks about, so it counts less against a fit than a noun would.
"""


def main() -> int:
    """Write the list; return a process exit code."""
    if not WORDNET.is_dir():
        print(f"no WordNet at {WORDNET}: apt-get install wordnet-base", file=sys.stderr)
        return 1
    tags, lemmas, exceptions = _read_wordnet()
    words = sorted({w for name in WORD_LISTS for w in _read_list(KNOWLEDGE / name)})
    action = [w for w in words if _dominant(w, tags, lemmas, exceptions) in ("v", "r")]
    OUTPUT.write_text(HEADER + "\n".join(action) + "\n", encoding="utf-8")
    print(f"wrote {len(action)} of {len(words)} words to {OUTPUT.name}")
    return 0


def _read_wordnet() -> tuple[
    dict[str, Counter[str]], dict[str, set[str]], dict[str, list[tuple[str, str]]]
]:
    tags: dict[str, Counter[str]] = defaultdict(Counter)
    for line in (WORDNET / "cntlist.rev").read_text().splitlines():
        key, _sense, count = line.split()
        lemma, sense_key = key.split("%")
        tags[lemma][SYNSET_TYPE[sense_key[0]]] += int(count)
    lemmas: dict[str, set[str]] = defaultdict(set)
    exceptions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for pos, name in FILES.items():
        for line in (WORDNET / f"index.{name}").read_text().splitlines():
            if not line.startswith(" "):
                lemmas[line.split()[0]].add(pos)
        for line in (WORDNET / f"{name}.exc").read_text().splitlines():
            inflected, *bases = line.split()
            exceptions[inflected].extend((base, pos) for base in bases)
    return tags, lemmas, exceptions


def _base_forms(
    word: str, lemmas: dict[str, set[str]], exceptions: dict[str, list[tuple[str, str]]]
) -> set[tuple[str, str]]:
    """Return the (lemma, part of speech) pairs `word` may be a form of."""
    found = {(word, pos) for pos in lemmas.get(word, ())}
    found |= {(base, pos) for base, pos in exceptions.get(word, []) if base in lemmas}
    for pos, endings in ENDINGS.items():
        for ending, replacement in endings:
            base = word[: len(word) - len(ending)] + replacement
            if word.endswith(ending) and pos in lemmas.get(base, ()):
                found.add((base, pos))
    for ending in ("ing", "ed"):  # "sitting": "sit"
        base = word[: -len(ending) - 1]
        doubled = word.endswith(ending) and len(base) >= 2 and word[-len(ending) - 1] == base[-1]
        if doubled and "v" in lemmas.get(base, ()):
            found.add((base, "v"))
    return found


def _dominant(
    word: str,
    tags: dict[str, Counter[str]],
    lemmas: dict[str, set[str]],
    exceptions: dict[str, list[tuple[str, str]]],
) -> str | None:
    """Return the part of speech `word` is most often used as, or None if WordNet lacks it."""
    tally: Counter[str] = Counter()
    for base, pos in _base_forms(word, lemmas, exceptions):
        tally[pos] += 2 * tags[base][pos] + 1  # a form WordNet lists counts a little
    # A tie goes to the noun, the kind that keeps an unknown word's full weight.
    return max(sorted(tally), key=lambda pos: (tally[pos], pos == "n")) if tally else None


def _read_list(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


if __name__ == "__main__":
    raise SystemExit(main())
