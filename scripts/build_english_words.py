"""Write knowledge/english_words.txt and english_words_rare.txt from wordfreq's English.

The engine never "corrects" a word of english_words.txt into another (it is a real word,
not a typo), and counts a word in neither list as likely a name ("hellbound"). Both lists
are the English words of four letters or more (a-z only) in wordfreq 3.1.1's word list,
split by Zipf frequency: 3.5 and above is common, 2.5 up to 3.5 is rare, below is left out.

Needs wordfreq 3.1.1 exactly (another release has other data, so other lists), which the
bot itself does not: install it in a throwaway environment and run the script with that
environment's Python from the repo root:

    python3 -m venv /tmp/wordfreq && /tmp/wordfreq/bin/pip install wordfreq==3.1.1
    /tmp/wordfreq/bin/python scripts/build_english_words.py          # writes both lists
    /tmp/wordfreq/bin/python scripts/build_english_words.py --check  # exit 1 if they differ

The output is deterministic: the words are sorted and the headers are fixed here, so the
same release gives byte-identical files. Licence and attributions: WORDFREQ_LICENSE.txt
beside the lists.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path

KNOWLEDGE = Path(__file__).resolve().parents[1] / "knowledge"
COMMON_FILE = KNOWLEDGE / "english_words.txt"
RARE_FILE = KNOWLEDGE / "english_words_rare.txt"
WORDFREQ_VERSION = "3.1.1"
COMMON_ZIPF = 3.5
RARE_ZIPF = 2.5
MIN_LETTERS = 4
WORD = re.compile(r"[a-z]+")

# The headers, line by line, as the shipped files have them.
COMMON_HEADER = (
    f"# Common English words (Zipf frequency >= {COMMON_ZIPF}, four letters or more), "
    "from the wordfreq\n"
    f"# package {WORDFREQ_VERSION} (data CC BY-SA 4.0, https://github.com/rspeer/wordfreq).\n"
    "# Language data, not facts: a question word found here is a real word, never a typo "
    "to correct.\n"
)
RARE_HEADER = (
    f"# Less common English words (Zipf frequency {RARE_ZIPF} to {COMMON_ZIPF}, four letters "
    "or more), from the\n"
    f"# wordfreq package {WORDFREQ_VERSION} (data CC BY-SA 4.0, "
    "https://github.com/rspeer/wordfreq).\n"
    "# Language data, not facts: a question word found here or in english_words.txt is a "
    "word,\n"
    "# not a name; too rare to be sure it is not a typo, so it may still be corrected.\n"
)


def split_words(frequencies: Iterable[tuple[str, float]]) -> tuple[list[str], list[str]]:
    """Return the common and the rare words among (word, Zipf frequency) pairs, sorted."""
    common: set[str] = set()
    rare: set[str] = set()
    for word, zipf in frequencies:
        if len(word) < MIN_LETTERS or not WORD.fullmatch(word) or zipf < RARE_ZIPF:
            continue
        (common if zipf >= COMMON_ZIPF else rare).add(word)
    return sorted(common), sorted(rare)


def render(header: str, words: Iterable[str]) -> str:
    """Return a word list file: its header, then one word per line."""
    return header + "".join(f"{word}\n" for word in words)


def wordfreq_english() -> Iterator[tuple[str, float]]:
    """Yield (word, Zipf frequency) from wordfreq's English list, most frequent first,
    down to the rare threshold; refuse any release but WORDFREQ_VERSION."""
    try:
        version = metadata.version("wordfreq")
    except metadata.PackageNotFoundError:
        version = None
    if version != WORDFREQ_VERSION:
        raise SystemExit(
            f"needs wordfreq {WORDFREQ_VERSION} (found {version or 'none'}): "
            f"pip install wordfreq=={WORDFREQ_VERSION} in a throwaway environment"
        )
    import wordfreq

    for word in wordfreq.iter_wordlist("en"):
        zipf = wordfreq.zipf_frequency(word, "en")
        if zipf < RARE_ZIPF:
            return  # the list runs from most to least frequent: nothing more to keep
        yield word, zipf


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) both word lists; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    common, rare = split_words(wordfreq_english())
    outputs = {COMMON_FILE: render(COMMON_HEADER, common), RARE_FILE: render(RARE_HEADER, rare)}
    differ = [path.name for path, text in outputs.items() if path.read_text("utf-8") != text]
    if args.check:
        print(f"differ: {', '.join(differ)}" if differ else "both word lists are up to date")
        return 1 if differ else 0
    for path, text in outputs.items():
        path.write_text(text, encoding="utf-8")
    print(f"wrote {COMMON_FILE.name} ({len(common)} words), {RARE_FILE.name} ({len(rare)} words)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
